import type { StepName } from './steps.js';

/** What the request's thread is told. Rendered by each chat adapter from this and the stored request. */
export type WorkflowEvent =
  /** `scheduled`: the run starts at the time it was scheduled for, not at its approval. */
  | { type: 'run_started'; scheduled?: boolean }
  /** Approved before its time; `runAt` is an ISO instant (events are stored as JSON). */
  | { type: 'scheduled'; runAt: string }
  /** By the requester or an approver, before the run started. */
  | { type: 'cancelled'; byName: string }
  /** An approver rejected the request; the reason, if any, is read from the decision. */
  | { type: 'rejected'; byName: string }
  | { type: 'step_started'; step: StepName }
  | { type: 'step_succeeded'; step: StepName; detail?: string }
  | { type: 'step_retrying'; step: StepName; error: string; retryInSeconds: number }
  | { type: 'gdpr_status'; status: string; gdprRequestId: string }
  | { type: 'completed' }
  | { type: 'failed'; step: StepName | undefined; error: string }
  | { type: 'expired' }
  /** Soft-deleted; the GDPR request waits for the grace period. `dueAt` is an ISO timestamp. */
  | { type: 'erasure_scheduled'; dueAt: string }
  /** Before the grace period ends, while Undo is still possible. */
  | { type: 'erasure_reminder'; dueAt: string }
  /** The grace period is over: the GDPR request is being filed; Undo is gone. */
  | { type: 'erasure_due' }
  /** An approver's Undo restored the user; the GDPR request will never be filed. */
  | { type: 'restored'; byName: string }
  /** The approvers are reminded; counts as they were when the reminder was due. */
  | { type: 'approval_reminder'; approvals: number; required: number }
  /** The requester is told the request will expire soon without enough approvals. */
  | { type: 'expiry_warning'; approvals: number; required: number }
  /** For the notification channel, apart from the thread: how an offboarding ended. */
  | {
      type: 'outcome_notice';
      outcome: 'completed' | 'failed' | 'restored' | 'rejected';
      error?: string;
      byName?: string;
    }
  /**
   * The retention period is over and the leaver's details are removed: the card and the
   * messages that named them are edited; nothing new is posted.
   */
  | { type: 'redacted'; retentionDays: number };

/** The messages that name the leaver, edited when the request's details are removed. */
export const EVENTS_NAMING_THE_LEAVER: readonly WorkflowEvent['type'][] = [
  'completed',
  'outcome_notice',
  /** Its reason is free text, which may name the leaver. */
  'rejected',
  'erasure_scheduled',
  'erasure_reminder',
  'restored',
  'approval_reminder',
];
