import type { ColumnType, Generated, Selectable } from 'kysely';

export type AuditEventName =
  | 'requested'
  | 'approved'
  /** One approver's approval of a request that needs more (APPROVALS_REQUIRED). */
  | 'approval_recorded'
  /** The approvers were reminded of a request still waiting for approval. */
  | 'approval_reminder'
  /** The requester was told their request will soon expire. */
  | 'expiry_warning'
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
  /** Soft-deleted; the GDPR request waits for the grace period (ERASURE_DELAY_HOURS). */
  | 'erasure_scheduled'
  | 'erasure_reminder_sent'
  /** An Undo restored the user in Genesys during the grace period; no GDPR request was filed. */
  | 'restored'
  /** An Undo was clicked but changed nothing (too late, or Genesys refused the restore). */
  | 'undo_refused'
  | 'completed'
  | 'failed'
  | 'notification_sent'
  | 'notification_failed'
  /** A reminder queued while the request waited, not delivered: it was decided meanwhile. */
  | 'notification_skipped'
  /** Completion and failure notices go to another conversation (Teams `notify here`); no request. */
  | 'notify_destination_set'
  /** The retention period ended: the leaver's details were removed from the request's records. */
  | 'redacted'
  /** A completed request's evidence (JSON and HTML) was delivered to the clicker in chat. */
  | 'evidence_sent'
  /** Someone clicked Evidence and was refused (not the requester or an approver, stale card…). */
  | 'evidence_refused';

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
