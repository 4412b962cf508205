import type { StepName } from './steps.js';

/** What the request's thread is told. Rendered by each chat adapter from this and the stored request. */
export type WorkflowEvent =
  /** `scheduled`: the run starts at the time it was scheduled for, not at its approval. */
  | { type: 'run_started'; scheduled?: boolean }
  /** Approved before its time; `runAt` is an ISO instant (events are stored as JSON). */
  | { type: 'scheduled'; runAt: string }
  /** By the requester or an approver, before the run started. */
  | { type: 'cancelled'; byName: string }
  | { type: 'step_started'; step: StepName }
  | { type: 'step_succeeded'; step: StepName; detail?: string }
  | { type: 'step_retrying'; step: StepName; error: string; retryInSeconds: number }
  | { type: 'gdpr_status'; status: string; gdprRequestId: string }
  | { type: 'completed' }
  | { type: 'failed'; step: StepName | undefined; error: string }
  | { type: 'expired' }
  /** For the notification channel, apart from the thread: a completed or failed offboarding. */
  | { type: 'outcome_notice'; outcome: 'completed' | 'failed'; error?: string };
