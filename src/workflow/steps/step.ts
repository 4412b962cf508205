import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors.js';
import type { GenesysClient } from '../../genesys/types.js';
import type { WorkflowEvent } from '../../offboarding/events.js';
import type { OffboardingRequest } from '../../offboarding/request.table.js';
import type { WorkflowStep } from '../step.table.js';

export interface StepContext {
  request: OffboardingRequest;
  /** This step as recorded, `attempts` already counting the current try. */
  step: WorkflowStep;
  genesys: GenesysClient;
  /** No transaction is open: what is written here is committed at once and survives a crash. */
  db: Db;
  logger: Logger;
  gdprPollIntervalSeconds: number;
  /** This attempt's lease on the step. */
  lease: AttemptLease;
}

export interface AttemptLease {
  /**
   * Extends the lease, or throws StepLeaseLostError when another attempt has taken the step over.
   * Called just before an irreversible Genesys call.
   */
  confirm(): Promise<void>;
}

/** Another attempt owns the step now (this one's lock was lost): this attempt must stop. */
export class StepLeaseLostError extends AppError {
  override readonly name = 'StepLeaseLostError';

  constructor(step: string, options: { cause?: unknown } = {}) {
    super(
      'STEP_LEASE_LOST',
      `Another attempt has taken over step ${step}; this one stops.`,
      options,
    );
  }
}

export type StepOutcome = (
  | { kind: 'succeeded'; result?: unknown; detail?: string }
  /** Not finished yet; run this step again later (used while Genesys processes the GDPR request). */
  | { kind: 'wait'; afterSeconds: number }
) & {
  /** Extra messages for the request's thread, delivered before the step's own. */
  events?: WorkflowEvent[];
};

/**
 * One workflow step. It must be idempotent: it may run again after a crash at any point, and it
 * throws a GenesysError (retryable or not) or a PermanentStepError when it cannot finish.
 */
export type StepHandler = (context: StepContext) => Promise<StepOutcome>;
