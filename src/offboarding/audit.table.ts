import type { ColumnType, Generated, Selectable } from 'kysely';

export type AuditEventName =
  | 'requested'
  | 'approved'
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
  | 'notify_destination_set'
  /** The retention period ended: the leaver's details were removed from the request's records. */
  | 'redacted';

export interface AuditEventTable {
  id: Generated<string>;
  request_id: number | null;
  event: AuditEventName;
  actor: string | null;
  details: ColumnType<unknown, string | undefined, never>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type AuditEvent = Selectable<AuditEventTable>;

/** One link of the audit hash chain, written by the database when an event commits. */
export interface AuditEventHashTable {
  seq: string;
  event_id: string;
  hash: string;
}

/** A Genesys call a workflow step made, for the evidence of an offboarding. */
export interface GenesysCallTable {
  id: Generated<string>;
  request_id: number;
  step: string;
  operation: string;
  method: string;
  status: number | null;
  correlation_id: string | null;
  called_at: Date;
}

export type GenesysCallRow = Selectable<GenesysCallTable>;
