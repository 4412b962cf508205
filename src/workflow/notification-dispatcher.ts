import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { RequestLocks } from '../db/request-locks.js';
import { appendAudit } from '../offboarding/audit.repository.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import {
  listPendingNotifications,
  markNotificationAttemptFailed,
  markNotificationSent,
} from '../offboarding/notification.repository.js';
import type { ChatNotification } from '../offboarding/notification.table.js';
import { findRequestById } from '../offboarding/request.repository.js';
import type { ChatPlatform, OffboardingRequest } from '../offboarding/request.table.js';
import { type JobQueue, jobQueueConnection, QUEUES, requestJobKey } from './queue.js';
import { LOCK_NAMESPACE } from './runner.js';

/** Renders a workflow event into a chat platform (a thread reply, a card update, a notice). */
export interface ChatNotifier {
  deliver(request: OffboardingRequest, event: WorkflowEvent): Promise<void>;
}

export interface NotificationDispatcherDeps {
  locks: RequestLocks;
  queue: JobQueue;
  notifiers: Partial<Record<ChatPlatform, ChatNotifier>>;
  logger: Logger;
  maxAttempts?: number;
  retryDelaySeconds?: number;
}

/**
 * Delivers a request's pending chat messages in the order they were written. A message that
 * keeps failing is recorded as failed and skipped after `maxAttempts`, so one bad message does
 * not hold back the rest; Genesys work never waits for any of this.
 */
export class NotificationDispatcher {
  private readonly maxAttempts: number;
  private readonly retryDelaySeconds: number;

  constructor(private readonly deps: NotificationDispatcherDeps) {
    this.maxAttempts = deps.maxAttempts ?? 5;
    this.retryDelaySeconds = deps.retryDelaySeconds ?? 10;
  }

  async deliverPending(requestId: number): Promise<void> {
    const logger = this.deps.logger.child({ requestId });
    // Waits rather than skips: a message written while another worker delivers must not be
    // stranded by that worker finishing its loop just before the message commits.
    await this.deps.locks.withLock(LOCK_NAMESPACE.notify, requestId, async (db) => {
      const request = await findRequestById(db, requestId);
      if (!request) return;
      const notifier = this.deps.notifiers[request.requester_platform];

      for (const notification of await listPendingNotifications(db, requestId)) {
        try {
          if (!notifier) {
            throw new Error(`${request.requester_platform} is not configured on this instance`);
          }
          await notifier.deliver(request, notification.event);
        } catch (error) {
          const retryLater = await this.recordFailure(db, requestId, notification, error, logger);
          if (retryLater) return;
          continue;
        }
        await db.transaction().execute(async (trx) => {
          await markNotificationSent(trx, notification.id);
          await appendAudit(trx, {
            requestId,
            event: 'notification_sent',
            actor: 'system',
            details: { event: notification.event.type },
          });
        });
      }
    });
  }

  /** Returns true when the message will be retried (and later ones must wait for it). */
  private async recordFailure(
    db: Db,
    requestId: number,
    notification: ChatNotification,
    error: unknown,
    logger: Logger,
  ): Promise<boolean> {
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
      await this.deps.queue.send(
        QUEUES.notify,
        { requestId },
        {
          singletonKey: requestJobKey(requestId),
          startAfter: this.retryDelaySeconds * 2 ** notification.attempts,
          db: jobQueueConnection(trx),
        },
      );
    });
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
