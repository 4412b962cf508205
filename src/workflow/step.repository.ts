import type { DbOrTx } from '../db/database.js';
import type { StepName, WorkflowStep } from './step.table.js';

export async function createPendingSteps(
  db: DbOrTx,
  requestId: number,
  steps: readonly StepName[],
): Promise<void> {
  if (steps.length === 0) return;
  await db
    .insertInto('workflow_steps')
    .values(steps.map((step) => ({ request_id: requestId, step, status: 'pending' as const })))
    .onConflict((oc) => oc.columns(['request_id', 'step']).doNothing())
    .execute();
}

export async function listSteps(db: DbOrTx, requestId: number): Promise<WorkflowStep[]> {
  return db
    .selectFrom('workflow_steps')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}

/** Recorded before the Genesys call, so a crash after the call is known to have maybe happened. */
export async function markStepStarted(db: DbOrTx, id: number): Promise<WorkflowStep> {
  return db
    .updateTable('workflow_steps')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      started_at: eb.fn.coalesce('started_at', eb.val(new Date())),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function markStepSucceeded(
  db: DbOrTx,
  id: number,
  outcome: { result?: unknown; correlationId?: string | undefined },
): Promise<void> {
  await db
    .updateTable('workflow_steps')
    .set({
      status: 'succeeded',
      result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
      correlation_id: outcome.correlationId ?? null,
      error_code: null,
      error_message: null,
      finished_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function recordStepError(
  db: DbOrTx,
  id: number,
  error: { code: string; message: string; correlationId?: string | undefined; final: boolean },
): Promise<void> {
  await db
    .updateTable('workflow_steps')
    .set({
      status: error.final ? 'failed' : 'running',
      error_code: error.code,
      error_message: error.message,
      correlation_id: error.correlationId ?? null,
      finished_at: error.final ? new Date() : null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Genesys answered again: the next failure starts a new streak (and a new thread message). */
export async function clearStepError(db: DbOrTx, id: number): Promise<void> {
  await db
    .updateTable('workflow_steps')
    .set({ error_code: null, error_message: null, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** An operator's retry of a failed run: the failed step starts over as pending. */
export async function resetFailedSteps(db: DbOrTx, requestId: number): Promise<void> {
  await db
    .updateTable('workflow_steps')
    .set({ status: 'pending', finished_at: null, updated_at: new Date() })
    .where('request_id', '=', requestId)
    .where('status', '=', 'failed')
    .execute();
}
