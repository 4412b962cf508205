import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../db/database.js';
import type { RequestLocks } from '../db/request-locks.js';
import { appendAudit } from '../offboarding/audit.repository.js';
import {
  claimBatchExpiryWarning,
  claimBatchReminder,
  countBatchMembersByState,
  findBatchById,
  listBatchesDueForExpiryWarning,
  listBatchesDueForReminder,
  updateBatchDetails,
  updateBatchStateIf,
} from '../offboarding/batch.repository.js';
import type { BatchProgressPort, BatchView } from '../offboarding/batch.service.js';
import {
  firstMemberId,
  readBatchView,
  UNPOSTED_CARD_SECONDS,
} from '../offboarding/batch.service.js';
import type { Batch } from '../offboarding/batch.table.js';
import { batchReportCsv } from '../offboarding/batch-report.js';
import type { ChatPlatform } from '../offboarding/request.table.js';
import { BATCH_QUEUE, type JobQueue, jobQueueConnection } from './queue.js';
import { retryFailedRequest } from './retry-failed-request.js';
import type { WorkflowRunner } from './runner.js';
import { LOCK_NAMESPACE } from './runner.js';

/**
 * The progress message is redrawn at most once per this many seconds, however many of the
 * batch's people move meanwhile: their events only queue a redraw, deduplicated per batch.
 */
export const BATCH_PROGRESS_SECONDS = 3;

/** Renders a batch into a chat platform: its card, the progress message, the final report. */
export interface BatchNotifier {
  /**
   * Redraws the card and, once the batch is approved, posts the progress message in its thread
   * (when `progressMessageId` is null) or updates it in place. Returns the progress message's id.
   */
  show(view: BatchView, progressMessageId: string | null): Promise<string | undefined>;
  /** Posts the batch's card in `batch.chat_channel_id`; returns the message's id. */
  postCard(view: BatchView): Promise<string>;
  /** Uploads the CSV report to the card's thread. */
  report(view: BatchView, csv: string): Promise<void>;
  /**
   * Reminds the approvers of a batch still waiting (`approval`: in the card's thread, naming the
   * approvers still needed) or warns its requester that its people will soon expire (`expiry`).
   * Counts only, never names: nothing to redact later.
   */
  remind(view: BatchView, kind: BatchReminderKind): Promise<void>;
}

export type BatchReminderKind = 'approval' | 'expiry';

/** A batch job: a redraw, or the delivery of one reminder claimed by the sweep. */
export interface BatchJob {
  batchId: number;
  remind?: BatchReminderKind;
}

export interface BatchProgressDeps {
  db: Db;
  locks: RequestLocks;
  queue: JobQueue;
  runner: Pick<WorkflowRunner, 'scheduleStep'>;
  notifiers: Partial<Record<ChatPlatform, BatchNotifier>>;
  approvalsRequired: number;
  logger: Logger;
  throttleSeconds?: number;
  /** A pending batch reminds its approvers every this many hours, as a request does; default 24. */
  approvalReminderHours?: number;
  now?: () => Date;
}

/**
 * A batch's chat side, recomputed from the database each time: any instance, after any crash,
 * draws the same card and the same counts, and the last redraw after the last member settles is
 * always queued (the queue keeps one waiting job per batch, not one per event).
 */
export class BatchProgress implements BatchProgressPort {
  private readonly throttleSeconds: number;

  constructor(private readonly deps: BatchProgressDeps) {
    this.throttleSeconds = deps.throttleSeconds ?? BATCH_PROGRESS_SECONDS;
  }

  async refresh(
    trx: DbOrTx,
    batchId: number,
    options: { afterSeconds?: number } = {},
  ): Promise<void> {
    await this.deps.queue.send(
      BATCH_QUEUE.name,
      { batchId },
      {
        // Not the throttled redraw's key: a later look must not be swallowed by a waiting redraw.
        singletonKey:
          options.afterSeconds === undefined
            ? batchJobKey(batchId)
            : `${batchJobKey(batchId)}-later`,
        startAfter: options.afterSeconds ?? this.throttleSeconds,
        db: jobQueueConnection(trx),
      },
    );
  }

  async retryFailed(requestId: number, operator: string): Promise<void> {
    await retryFailedRequest(this.deps.db, requestId, operator);
    await this.deps.runner.scheduleStep(this.deps.db, requestId);
  }

  /**
   * Reminds the approvers of every pending batch whose reminder is due (one per period for the
   * whole batch: its people are not reminded one by one) and warns requesters whose batch will
   * soon expire. Each is claimed on the batch's row in the transaction that queues its delivery,
   * so it goes out once across instances, sweeps and crashes.
   */
  async sendDueReminders(): Promise<{ batchReminders: number; batchExpiryWarnings: number }> {
    const now = this.deps.now?.() ?? new Date();
    const periodSeconds = (this.deps.approvalReminderHours ?? 24) * 3600;
    let batchReminders = 0;
    let batchExpiryWarnings = 0;
    for (const due of await listBatchesDueForReminder(this.deps.db, periodSeconds, now)) {
      const sent = await this.deps.db.transaction().execute(async (trx) => {
        const claimed = await claimBatchReminder(
          trx,
          due.id,
          due.reminders_sent,
          periodSeconds,
          now,
        );
        if (!claimed) return false;
        const view = await readBatchView(trx, claimed, this.deps.approvalsRequired);
        await this.auditOnBatch(trx, claimed.id, 'approval_reminder', {
          batchId: claimed.id,
          reminder: claimed.reminders_sent,
          approvals: view.approvals.length,
          required: view.approvalsRequired,
        });
        await this.queueReminder(trx, claimed.id, 'approval', `${claimed.reminders_sent}`);
        return true;
      });
      if (sent) batchReminders += 1;
    }
    for (const batchId of await listBatchesDueForExpiryWarning(this.deps.db, now)) {
      const sent = await this.deps.db.transaction().execute(async (trx) => {
        const claimed = await claimBatchExpiryWarning(trx, batchId, now);
        if (!claimed) return false;
        await this.auditOnBatch(trx, batchId, 'expiry_warning', {
          batchId,
          expiresAt: new Date(claimed.expires_at).toISOString(),
        });
        await this.queueReminder(trx, batchId, 'expiry', 'once');
        return true;
      });
      if (sent) batchExpiryWarnings += 1;
    }
    return { batchReminders, batchExpiryWarnings };
  }

  /**
   * A batch has no audit trail of its own: its reminders are recorded on its first request, the
   * one whose decisions the batch card shows (each request records the same decisions), rather
   * than once per person, which would put hundreds of identical rows in the log.
   */
  private async auditOnBatch(
    trx: DbOrTx,
    batchId: number,
    event: 'approval_reminder' | 'expiry_warning',
    details: Record<string, unknown>,
  ): Promise<void> {
    const first = await firstMemberId(trx, batchId);
    if (first === undefined) return;
    await appendAudit(trx, { requestId: first, event, actor: 'system', details });
  }

  private async queueReminder(
    trx: DbOrTx,
    batchId: number,
    kind: BatchReminderKind,
    which: string,
  ): Promise<void> {
    const job: BatchJob = { batchId, remind: kind };
    await this.deps.queue.send(BATCH_QUEUE.name, job, {
      singletonKey: `${batchJobKey(batchId)}-remind-${kind}-${which}`,
      db: jobQueueConnection(trx),
    });
  }

  /** Job handler: a reminder's delivery, or a redraw. */
  async handle(job: BatchJob): Promise<void> {
    if (job.remind) return this.deliverReminder(job.batchId, job.remind);
    return this.update(job.batchId);
  }

  /**
   * Reminders are for batches still waiting: one queued before a decision is dropped. A failed
   * delivery throws, and the queue tries again (a crash after posting may post it twice, never
   * zero times).
   */
  private async deliverReminder(batchId: number, kind: BatchReminderKind): Promise<void> {
    const batch = await findBatchById(this.deps.db, batchId);
    if (!batch) return;
    if (batch.state !== 'pending') {
      this.deps.logger.info({ batchId, kind }, 'batch reminder dropped: the batch was decided');
      return;
    }
    const notifier = this.deps.notifiers[batch.requester_platform];
    if (!notifier) {
      this.deps.logger.warn({ batchId }, 'batch reminder: its platform is not configured here');
      return;
    }
    const view = await readBatchView(this.deps.db, batch, this.deps.approvalsRequired);
    await notifier.remind(view, kind);
  }

  /** Job handler. A busy batch (another worker drawing it) is looked at again shortly. */
  async update(batchId: number): Promise<void> {
    const outcome = await this.deps.locks.tryWithLock(LOCK_NAMESPACE.batch, batchId, (db) =>
      this.updateLocked(db, batchId),
    );
    if (!outcome.acquired) await this.refresh(this.deps.db, batchId);
  }

  private async updateLocked(db: Db, batchId: number): Promise<void> {
    let batch = await findBatchById(db, batchId);
    if (!batch?.chat_channel_id) return;
    const notifier = this.deps.notifiers[batch.requester_platform];
    if (!notifier) {
      this.deps.logger.warn({ batchId }, 'batch progress: its platform is not configured here');
      return;
    }
    if (!batch.chat_message_id) {
      batch = await this.postUnpostedCard(db, notifier, batch);
      if (!batch) return;
    }
    const view = await readBatchView(
      db,
      (await closeUndecidedBatch(db, batch)) ?? batch,
      this.deps.approvalsRequired,
    );
    const progressMessageId = await notifier.show(view, batch.progress_message_id);
    if (progressMessageId && progressMessageId !== batch.progress_message_id) {
      await updateBatchDetails(db, batchId, { progress_message_id: progressMessageId });
    }
    if (view.settled && batch.state === 'approved' && batch.report_posted_at === null) {
      // Posted before it is marked: a crash in between posts it twice rather than never.
      await notifier.report(view, await batchReportCsv(db, batchId));
      await updateBatchDetails(db, batchId, { report_posted_at: new Date() });
      this.deps.logger.info({ batchId, ...view.counts }, 'batch finished; report posted');
    }
  }

  /**
   * The filing recorded the batch and stopped before its card was posted (a crash): once
   * UNPOSTED_CARD_SECONDS have passed, the card is posted in the channel it was meant for. A
   * filing still under way posts it itself.
   */
  private async postUnpostedCard(
    db: Db,
    notifier: BatchNotifier,
    batch: Batch,
  ): Promise<Batch | undefined> {
    if (batch.state !== 'pending') return undefined;
    if (Date.now() - batch.created_at.getTime() < UNPOSTED_CARD_SECONDS * 1000) return undefined;
    const view = await readBatchView(db, batch, this.deps.approvalsRequired);
    const messageId = await notifier.postCard(view);
    await updateBatchDetails(db, batch.id, { chat_message_id: messageId });
    this.deps.logger.warn(
      { batchId: batch.id },
      'batch card posted after its filing stopped short',
    );
    return findBatchById(db, batch.id);
  }
}

/** A batch still pending whose people were all closed one by one (expired, cancelled) is too. */
async function closeUndecidedBatch(db: Db, batch: Batch): Promise<Batch | undefined> {
  if (batch.state !== 'pending') return undefined;
  const counts = await countBatchMembersByState(db, batch.id);
  if ((counts.pending ?? 0) > 0) return undefined;
  const closedAs = (counts.expired ?? 0) > 0 ? 'expired' : 'cancelled';
  return updateBatchStateIf(db, batch.id, ['pending'], closedAs);
}

export function batchJobKey(batchId: number): string {
  return `batch-${batchId}`;
}
