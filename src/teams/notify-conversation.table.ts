import type { ColumnType, Selectable } from 'kysely';

export type NotifyPurpose = 'notices';

export interface TeamsNotifyConversationTable {
  purpose: NotifyPurpose;
  conversation_id: string;
  /** A Bot Framework ConversationReference, stored as JSON. */
  conversation_reference: ColumnType<unknown, string, string>;
  registered_by_id: string;
  registered_by_name: string | null;
  registered_at: ColumnType<Date, Date | undefined, Date>;
}

export type TeamsNotifyConversation = Selectable<TeamsNotifyConversationTable>;
