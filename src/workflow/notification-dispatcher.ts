import type { Logger } from 'pino';
import { backoffDelay } from '../backoff.js';
import type { Db, DbOrTx } from '../db/database.js';
import type { RequestLocks } from '../db/request-locks.js';
import type { BotMetrics } from '../metrics/metrics.js';
import { appendAudit } from '../offboarding/audit.repository.js';
import type { BatchProgressPort } from '../offboarding/batch.service.js';
import { EVENTS_NAMING_THE_LEAVER, type WorkflowEvent } from '../offboarding/events.js';
import {
  listDeliveredMessages,
  listPendingNotifications,
  markNotificationAttemptFailed,
  markNotificationSent,
} from '../offboarding/notification.repository.js';
import type { ChatNotification } from '../offboarding/notification.table.js';
import { findRequestById } from '../offboarding/request.repository.js';
import type { ChatPlatform, OffboardingRequest } from '../offboarding/request.table.js';
import { isStaleReminder } from '../offboarding/wording/events.js';
import { type JobQueue, jobQueueConnection, QUEUES, requestJobKey } from './queue.js';
import { LOCK_NAMESPACE } from './runner.js';

/** Where a delivered message lives on its platform (channel and ts, conversation and activity). */
export interface DeliveredMessage {
  channel: string;
  id: string;
}

/** Renders a workflow event into a chat platform (a thread reply, a card update, a notice). */
export interface ChatNotifier {
  /** Returns where the message it posted lives, when it posted one that may need editing later. */
  deliver(
    request: OffboardingRequest,
    event: Exclude<WorkflowEvent, { type: 'redacted' }>,
  ): Promise<DeliveredMessage | undefined>;
  /**
   * The request's details were removed: edits the card and the delivered `messages` that named
   * the leaver, so that they name nobody. Posts nothing new.
   */
  redact(
    request: OffboardingRequest,
    event: Extract<WorkflowEvent, { type: 'redacted' }>,
    messages: ReadonlyArray<DeliveredMessage & { event: WorkflowEvent }>,
  ): Promise<void>;
}

export interface NotificationDispatcherDeps {
  db: Db;
  locks: RequestLocks;
  queue: JobQueue;
  notifiers: Partial<Record<ChatPlatform, ChatNotifier>>;
  logger: Logger;
  /** Counts failed deliveries; optional so tools and tests can leave it out. */
  metrics?: Pick<BotMetrics, 'recordChatDeliveryFailed'>;
  maxAttempts?: number;
  retryDelaySeconds?: number;
  /** How long one job keeps delivering before it hands the rest to a new job. */
  jobBudgetMs?: number;
  /** When another worker holds the request's delivery, look again after this. */
  busyRetrySeconds?: number;
  /**
   * A request filed in a batch posts nothing of its own: its messages become one redraw of the
   * batch's progress message. Without it (tools), they are delivered as a single request's.
   */
  batches?: Pick<BatchProgressPort, 'refresh'>;
}

/**
 * The longest one notify job may work: its queue expires it after NOTIFY_JOB_EXPIRE_SECONDS,
 * and a chat call started just before the budget ends may still take CHAT_CALL_MAX_MS.
 */
export const NOTIFY_JOB_BUDGET_MS = 60_000;

function retryAfterSeconds(error: unknown): number {
  const value = (error as { retryAfter?: unknown } | null)?.retryAfter;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : 0;
}

/**
 * Delivers a request's pending chat messages in the order they were written. A message that
 * keeps failing is recorded as failed and skipped after `maxAttempts`, so one bad message does
 * not hold back the rest; Genesys work never waits for any of this.
 */
export class NotificationDispatcher {
  private readonly maxAttempts: number;
  private readonly retryDelaySeconds: number;
  private readonly jobBudgetMs: number;
  private readonly busyRetrySeconds: number;

  constructor(private readonly deps: NotificationDispatcherDeps) {
    this.maxAttempts = deps.maxAttempts ?? 5;
    this.retryDelaySeconds = deps.retryDelaySeconds ?? 10;
    this.jobBudgetMs = deps.jobBudgetMs ?? NOTIFY_JOB_BUDGET_MS;
    this.busyRetrySeconds = deps.busyRetrySeconds ?? 5;
  }

  async deliverPending(requestId: number): Promise<void> {
    const logger = this.deps.logger.child({ requestId });
    // A try-lock, not a wait: a worker blocked behind a slow delivery would hold a pool
    // connection and a job until the job expired and was redelivered into the same wait. The
    // holder may finish its loop just before a new message commits, so a busy lock queues a later
    // look instead of dropping the job.
    const outcome = await this.deps.locks.tryWithLock(LOCK_NAMESPACE.notify, requestId, (db) =>
      this.deliverLocked(db, requestId, logger),
    );
    if (!outcome.acquired) {
      await this.schedule(this.deps.db, requestId, this.busyRetrySeconds);
      logger.debug('another worker is delivering this request; looking again shortly');
    }
  }

  private async deliverLocked(db: Db, requestId: number, logger: Logger): Promise<void> {
    const request = await findRequestById(db, requestId);
    if (!request) return;
    if (request.batch_id !== null && this.deps.batches) {
      await this.absorbIntoBatch(db, request.id, request.batch_id);
      return;
    }
    const notifier = this.deps.notifiers[request.requester_platform];
    // One job delivers for a bounded time, well inside the queue's expiry, so a backlog of
    // messages to a slow chat never outlives the job and gets it redelivered mid-post.
    const deadline = Date.now() + this.jobBudgetMs;

    for (const notification of await listPendingNotifications(db, requestId)) {
      if (Date.now() > deadline) {
        await this.schedule(db, requestId, 0);
        return;
      }
      if (isStaleReminder(request, notification.event)) {
        await this.skip(db, requestId, notification);
        continue;
      }
      let delivered: DeliveredMessage | undefined;
      try {
        if (!notifier) {
          throw new Error(`${request.requester_platform} is not configured on this instance`);
        }
        const event = notification.event;
        if (event.type === 'redacted') {
          const messages = await listDeliveredMessages(db, requestId, EVENTS_NAMING_THE_LEAVER);
          await notifier.redact(request, event, messages);
        } else {
          delivered = await notifier.deliver(request, event);
        }
      } catch (error) {
        const retryLater = await this.recordFailure(db, request, notification, error, logger);
        if (retryLater) return;
        continue;
      }
      await db.transaction().execute(async (trx) => {
        await markNotificationSent(trx, notification.id, delivered);
        await appendAudit(trx, {
          requestId,
          event: 'notification_sent',
          actor: 'system',
          details: { event: notification.event.type },
        });
      });
    }
  }

  /**
   * A batch member's messages: not 500 thread replies but one progress message, redrawn from
   * the database. They are marked delivered with the redraw queued in the same transaction.
   */
  private async absorbIntoBatch(db: Db, requestId: number, batchId: number): Promise<void> {
    const pending = await listPendingNotifications(db, requestId);
    if (pending.length === 0) return;
    await db.transaction().execute(async (trx) => {
      for (const notification of pending) await markNotificationSent(trx, notification.id);
      await appendAudit(trx, {
        requestId,
        event: 'notification_sent',
        actor: 'system',
        details: {
          events: pending.map((notification) => notification.event.type),
          via: 'batch_progress',
          batchId,
        },
      });
      await this.deps.batches?.refresh(trx, batchId);
    });
  }

  /** A reminder that waited out a chat outage while the request was decided: not worth saying. */
  private async skip(db: Db, requestId: number, notification: ChatNotification): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await markNotificationSent(trx, notification.id);
      await appendAudit(trx, {
        requestId,
        event: 'notification_skipped',
        actor: 'system',
        details: { event: notification.event.type, reason: 'request no longer pending' },
      });
    });
  }

  private async schedule(db: DbOrTx, requestId: number, startAfter: number): Promise<void> {
    await this.deps.queue.send(
      QUEUES.notify,
      { requestId },
      { singletonKey: requestJobKey(requestId), startAfter, db: jobQueueConnection(db) },
    );
  }

  /** Returns true when the message will be retried (and later ones must wait for it). */
  private async recordFailure(
    db: Db,
    request: OffboardingRequest,
    notification: ChatNotification,
    error: unknown,
    logger: Logger,
  ): Promise<boolean> {
    const requestId = request.id;
    const platform = request.requester_platform;
    const message = error instanceof Error ? error.message : String(error);
    const giveUp = notification.attempts + 1 >= this.maxAttempts;
    await db.transaction().execute(async (trx) => {
      await markNotificationAttemptFailed(trx, notification.id, message, giveUp);
      if (giveUp) {
        await appendAudit(trx, {
          requestId,
          event: 'notification_failed',
          actor: 'system',
          details: { event: notification.event, error: message },
        });
        return;
      }
      // A rate-limited chat says when to come back; the client does not sleep it off itself.
      await this.schedule(
        trx,
        requestId,
        Math.max(
          // Not capped: maxAttempts ends the doubling.
          backoffDelay(notification.attempts + 1, {
            base: this.retryDelaySeconds,
            max: Number.POSITIVE_INFINITY,
            jitter: 0,
          }),
          retryAfterSeconds(error),
        ),
      );
    });
    this.deps.metrics?.recordChatDeliveryFailed(platform, giveUp ? 'gave_up' : 'retrying');
    if (giveUp) {
      logger.error(
        { err: error, event: notification.event.type },
        'chat message could not be delivered; recorded as failed',
      );
    } else {
      logger.warn({ err: error, event: notification.event.type }, 'chat message will be retried');
    }
    return !giveUp;
  }
}
