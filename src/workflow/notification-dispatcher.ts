import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { appendAudit } from '../offboarding/audit.repository.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import {
  listPendingNotifications,
  markNotificationAttemptFailed,
  markNotificationSent,
} from '../offboarding/notification.repository.js';
import { findRequestById } from '../offboarding/request.repository.js';
import type { ChatPlatform, OffboardingRequest } from '../offboarding/request.table.js';
import { type JobQueue, jobQueueConnection, QUEUES, requestJobKey } from './queue.js';
import { LOCK_NAMESPACE } from './runner.js';

/** Renders a workflow event into a chat platform (a thread reply, a card update, a notice). */
export interface ChatNotifier {
  deliver(request: OffboardingRequest, event: WorkflowEvent): Promise<void>;
}

export interface NotificationDispatcherDeps {
  db: Db;
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
    await this.deps.db.transaction().execute(async (trx) => {
      // Waits rather than skips: a message written while another instance delivers must not be
      // stranded by that instance finishing its loop just before the message commits.
      await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE.notify}, ${requestId})`.execute(trx);
      const request = await findRequestById(trx, requestId);
      if (!request) return;
      const notifier = this.deps.notifiers[request.requester_platform];

      for (const notification of await listPendingNotifications(trx, requestId)) {
        try {
          if (!notifier) {
            throw new Error(`${request.requester_platform} is not configured on this instance`);
          }
          await notifier.deliver(request, notification.event);
          await markNotificationSent(trx, notification.id);
          await appendAudit(trx, {
            requestId,
            event: 'notification_sent',
            actor: 'system',
            details: { event: notification.event.type },
          });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const giveUp = notification.attempts + 1 >= this.maxAttempts;
          await markNotificationAttemptFailed(trx, notification.id, message, giveUp);
          if (giveUp) {
            logger.error(
              { err: error, event: notification.event.type },
              'chat message could not be delivered; recorded as failed',
            );
            await appendAudit(trx, {
              requestId,
              event: 'notification_failed',
              actor: 'system',
              details: { event: notification.event, error: message },
            });
            continue;
          }
          logger.warn(
            { err: error, event: notification.event.type },
            'chat message will be retried',
          );
          await this.deps.queue.send(
            QUEUES.notify,
            { requestId },
            {
              singletonKey: requestJobKey(requestId),
              startAfter: this.retryDelaySeconds * 2 ** notification.attempts,
              db: jobQueueConnection(trx),
            },
          );
          return;
        }
      }
    });
  }
}
