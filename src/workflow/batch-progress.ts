import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../db/database.js';
import type { RequestLocks } from '../db/request-locks.js';
import {
  countBatchMembersByState,
  findBatchById,
  updateBatchDetails,
  updateBatchStateIf,
} from '../offboarding/batch.repository.js';
import type { BatchProgressPort, BatchView } from '../offboarding/batch.service.js';
import { readBatchView, UNPOSTED_CARD_SECONDS } from '../offboarding/batch.service.js';
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
