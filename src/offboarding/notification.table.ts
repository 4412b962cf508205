import type { ColumnType, Generated, Selectable } from 'kysely';
import type { WorkflowEvent } from './events.js';

export type NotificationStatus = 'pending' | 'sent' | 'failed';

export interface ChatNotificationTable {
  id: Generated<string>;
  request_id: number;
  event: ColumnType<WorkflowEvent, string, never>;
  status: Generated<NotificationStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  sent_at: Date | null;
  /** Where the delivered message lives (channel and ts, conversation and activity id), if known. */
  message_channel: string | null;
  message_id: string | null;
}

export type ChatNotification = Selectable<ChatNotificationTable>;
