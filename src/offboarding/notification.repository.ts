import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { WorkflowEvent } from './events.js';
import type { ChatNotification } from './notification.table.js';

export async function enqueueNotification(
  db: DbOrTx,
  requestId: number,
  event: WorkflowEvent,
): Promise<void> {
  await db
    .insertInto('chat_notifications')
    .values({ request_id: requestId, event: JSON.stringify(event) })
    .execute();
}

export async function listPendingNotifications(
  db: DbOrTx,
  requestId: number,
): Promise<ChatNotification[]> {
  return db
    .selectFrom('chat_notifications')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
}

export async function listRequestIdsWithPendingNotifications(db: DbOrTx): Promise<number[]> {
  const rows = await db
    .selectFrom('chat_notifications')
    .select('request_id')
    .distinct()
    .where('status', '=', 'pending')
    .execute();
  return rows.map((row) => row.request_id);
}

export async function markNotificationSent(
  db: DbOrTx,
  id: string,
  location?: { channel: string; id: string },
): Promise<void> {
  await db
    .updateTable('chat_notifications')
    .set((eb) => ({
      status: 'sent',
      sent_at: new Date(),
      attempts: eb('attempts', '+', 1),
      ...(location ? { message_channel: location.channel, message_id: location.id } : {}),
    }))
    .where('id', '=', id)
    .execute();
}

export async function markNotificationAttemptFailed(
  db: DbOrTx,
  id: string,
  error: string,
  giveUp: boolean,
): Promise<void> {
  await db
    .updateTable('chat_notifications')
    .set((eb) => ({
      status: giveUp ? 'failed' : 'pending',
      last_error: error,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .execute();
}

/** Delivered messages of these event types whose location is known, oldest first. */
export async function listDeliveredMessages(
  db: DbOrTx,
  requestId: number,
  types: readonly WorkflowEvent['type'][],
): Promise<Array<{ event: WorkflowEvent; channel: string; id: string }>> {
  const rows = await db
    .selectFrom('chat_notifications')
    .select(['event', 'message_channel', 'message_id'])
    .where('request_id', '=', requestId)
    .where('status', '=', 'sent')
    .where('message_id', 'is not', null)
    .where(sql<string>`event->>'type'`, 'in', types)
    .orderBy('id')
    .execute();
  return rows.flatMap((row) =>
    row.message_channel && row.message_id
      ? [{ event: row.event, channel: row.message_channel, id: row.message_id }]
      : [],
  );
}
