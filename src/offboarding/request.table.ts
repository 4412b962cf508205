import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { GdprMode } from '../genesys/types.js';

export type RequestState =
  | 'pending'
  | 'approved'
  /** Approved, waiting for the time it is scheduled to run. */
  | 'scheduled'
  | 'running'
  /** Soft-deleted, waiting for the grace period to end before the GDPR request is filed. */
  | 'awaiting_erasure'
  | 'completed'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'failed'
  /** Final: restored in Genesys during the grace period; no GDPR request was filed. */
  | 'restored';

export type ChatPlatform = 'slack' | 'teams' | 'playground';

export interface OffboardingRequestTable {
  id: Generated<number>;
  state: RequestState;
  target_genesys_id: string;
  target_name: string;
  target_email: string;
  target_department: string | null;
  target_title: string | null;
  target_division: string | null;
  target_state: string;
  requester_platform: ChatPlatform;
  requester_id: string;
  requester_name: string | null;
  /** Lower-cased; null when the platform did not tell (or for requests older than the column). */
  requester_email: string | null;
  reason: string | null;
  gdpr_mode: GdprMode;
  gdpr_request_id: string | null;
  gdpr_status: string | null;
  chat_channel_id: string | null;
  chat_message_id: string | null;
  /** Platform data needed to post into the request's thread later (a Teams conversation reference). */
  chat_context: ColumnType<unknown, string | null, string | null> | null;
  failure_reason: string | null;
  /** The secret in the request's own Approve/Reject buttons; null for requests filed before it. */
  decision_token: string | null;
  /**
   * HMAC-SHA256 of the lower-cased email under RECORD_HASH_KEY: kept after redaction, enough to
   * tell that this person was already offboarded. Null for requests filed before the column.
   */
  target_email_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the leaver's details were removed (retention period over); null while they are kept. */
  redacted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When an approved request runs; null: as soon as it is approved. */
  run_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The IANA zone `run_at` was typed in (the requester's, else UTC); shown on the card. */
  requester_time_zone: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  expires_at: ColumnType<Date, Date, Date>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Set when the run parks in `awaiting_erasure`: the GDPR request is filed at this time. */
  erasure_due_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the thread was reminded of the coming erasure; set once. */
  erasure_reminded_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Approval reminders sent so far (one per APPROVAL_REMINDER_HOURS while pending). */
  reminders_sent: ColumnType<number, number | undefined, number>;
  /** When the requester was told the request will soon expire; null until then. */
  expiry_warned_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The batch the request was filed in (bulk offboarding); null for a request of its own. */
  batch_id: ColumnType<number | null, number | null | undefined, never>;
}

export type OffboardingRequest = Selectable<OffboardingRequestTable>;
export type NewOffboardingRequest = Insertable<OffboardingRequestTable>;
export type OffboardingRequestUpdate = Updateable<OffboardingRequestTable>;
