import type { StepName } from './steps.js';

/** What the request's thread is told. Rendered by each chat adapter from this and the stored request. */
export type WorkflowEvent =
  | { type: 'run_started' }
  | { type: 'step_started'; step: StepName }
  | { type: 'step_succeeded'; step: StepName; detail?: string }
  | { type: 'step_retrying'; step: StepName; error: string; retryInSeconds: number }
  | { type: 'gdpr_status'; status: string; gdprRequestId: string }
  | { type: 'completed' }
  | { type: 'failed'; step: StepName | undefined; error: string }
  | { type: 'expired' }
  /** The approvers are reminded; counts as they were when the reminder was due. */
  | { type: 'approval_reminder'; approvals: number; required: number }
  /** The requester is told the request will expire soon without enough approvals. */
  | { type: 'expiry_warning'; approvals: number; required: number }
  /** For the notification channel, apart from the thread: a completed or failed offboarding. */
  | { type: 'outcome_notice'; outcome: 'completed' | 'failed'; error?: string };
