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
  /** For the notification channel, apart from the thread: a completed or failed offboarding. */
  | { type: 'outcome_notice'; outcome: 'completed' | 'failed'; error?: string }
  /**
   * The retention period is over and the leaver's details are removed: the card and the
   * messages that named them are edited; nothing new is posted.
   */
  | { type: 'redacted'; retentionDays: number };

/** The messages that name the leaver, edited when the request's details are removed. */
export const EVENTS_NAMING_THE_LEAVER: readonly WorkflowEvent['type'][] = [
  'completed',
  'outcome_notice',
];
