import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { ChatPlatform } from './request.table.js';

/**
 * A batch's own state is its decision; how far its people got is read from their requests.
 * `pending` until approved (APPROVALS_REQUIRED) or rejected; `expired` or `cancelled` when its
 * requests were closed before a decision.
 */
export type BatchState = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

export interface BatchTable {
  id: Generated<number>;
  state: ColumnType<BatchState, BatchState | undefined, BatchState>;
  requester_platform: ChatPlatform;
  requester_id: string;
  requester_name: string | null;
  /** Lower-cased, as on requests. */
  requester_email: string | null;
  /** Personal data: removed once every request of the batch is redacted. */
  reason: string | null;
  run_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  requester_time_zone: string | null;
  /** The secret in the batch card's Approve/Reject buttons. */
  decision_token: string;
  member_count: number;
  chat_channel_id: string | null;
  chat_message_id: string | null;
  chat_context: ColumnType<unknown, string | null | undefined, string | null> | null;
  /** The one progress message in the card's thread, updated in place. */
  progress_message_id: string | null;
  /** When the CSV report of the run's end was posted; null again after a retry. */
  report_posted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  redacted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Approval reminders sent so far for the whole batch (one per APPROVAL_REMINDER_HOURS). */
  reminders_sent: ColumnType<number, number | undefined, number>;
  /** When the requester was told the batch's people will soon expire; null until then. */
  expiry_warned_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type Batch = Selectable<BatchTable>;
export type NewBatch = Insertable<BatchTable>;
