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

export async function markNotificationSent(db: DbOrTx, id: string): Promise<void> {
  await db
    .updateTable('chat_notifications')
    .set((eb) => ({ status: 'sent', sent_at: new Date(), attempts: eb('attempts', '+', 1) }))
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
