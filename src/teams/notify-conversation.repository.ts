import type { DbOrTx } from '../db/database.js';
import type { NotifyPurpose, TeamsNotifyConversation } from './notify-conversation.table.js';

/** Registers (or replaces) the conversation that gets `purpose` messages. */
export async function saveNotifyConversation(
  db: DbOrTx,
  entry: {
    purpose: NotifyPurpose;
    conversationId: string;
    reference: object;
    registeredById: string;
    registeredByName: string | undefined;
  },
): Promise<void> {
  const values = {
    conversation_id: entry.conversationId,
    conversation_reference: JSON.stringify(entry.reference),
    registered_by_id: entry.registeredById,
    registered_by_name: entry.registeredByName ?? null,
    registered_at: new Date(),
  };
  await db
    .insertInto('teams_notify_conversations')
    .values({ purpose: entry.purpose, ...values })
    .onConflict((oc) => oc.column('purpose').doUpdateSet(values))
    .execute();
}

export async function findNotifyConversation(
  db: DbOrTx,
  purpose: NotifyPurpose,
): Promise<TeamsNotifyConversation | undefined> {
  return db
    .selectFrom('teams_notify_conversations')
    .selectAll()
    .where('purpose', '=', purpose)
    .executeTakeFirst();
}
