import type { ColumnType, Generated, Selectable } from 'kysely';
import type { StepName } from '../offboarding/steps.js';

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export interface WorkflowStepTable {
  id: Generated<number>;
  request_id: number;
  step: StepName;
  status: StepStatus;
  attempts: Generated<number>;
  result: ColumnType<unknown, string | null | undefined, string | null> | null;
  correlation_id: string | null;
  error_code: string | null;
  error_message: string | null;
  started_at: Date | null;
  /** The attempt allowed to act for the step (see migrations/20261202_0004_step_lease.ts). */
  lease_token: string | null;
  lease_expires_at: Date | null;
  finished_at: Date | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type WorkflowStep = Selectable<WorkflowStepTable>;
