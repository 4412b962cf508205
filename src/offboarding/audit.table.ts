import type { ColumnType, Generated, Selectable } from 'kysely';

export type AuditEventName =
  | 'requested'
  | 'approved'
  /** Approved before its run time: the run waits until then. */
  | 'scheduled'
  | 'rejected'
  | 'decision_refused'
  | 'expired'
  | 'cancelled'
  | 'run_started'
  | 'step_started'
  | 'step_succeeded'
  | 'step_failed'
  | 'step_retrying'
  | 'gdpr_status_changed'
  /** An operator's retry after a GDPR ERROR: the failed request is left, a new one filed. */
  | 'gdpr_request_abandoned'
  | 'completed'
  | 'failed'
  | 'notification_sent'
  | 'notification_failed'
  /** Completion and failure notices go to another conversation (Teams `notify here`); no request. */
  | 'notify_destination_set';

export interface AuditEventTable {
  id: Generated<string>;
  request_id: number | null;
  event: AuditEventName;
  actor: string | null;
  details: ColumnType<unknown, string | undefined, never>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type AuditEvent = Selectable<AuditEventTable>;
