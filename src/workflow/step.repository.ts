import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { StepName } from '../offboarding/steps.js';
import type { WorkflowStep } from './step.table.js';

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

export interface StepLease {
  token: string;
  /** How long the attempt may act without renewing; longer than any one Genesys call. */
  seconds: number;
}

/**
 * Recorded before the Genesys call, so a crash after the call is known to have maybe happened.
 * Takes the step's lease for this attempt; the previous attempt's writes no longer match.
 */
export async function markStepStarted(
  db: DbOrTx,
  id: number,
  lease: StepLease,
): Promise<WorkflowStep> {
  return db
    .updateTable('workflow_steps')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      started_at: eb.fn.coalesce('started_at', eb.val(new Date())),
      lease_token: lease.token,
      lease_expires_at: sql<Date>`now() + make_interval(secs => ${lease.seconds})`,
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Extends the lease just before an irreversible call, on the database's clock. False when
 * another attempt took the step over: the caller must not act.
 */
export async function renewStepLease(db: DbOrTx, id: number, lease: StepLease): Promise<boolean> {
  const renewed = await db
    .updateTable('workflow_steps')
    .set({
      lease_expires_at: sql<Date>`now() + make_interval(secs => ${lease.seconds})`,
    })
    .where('id', '=', id)
    .where('lease_token', '=', lease.token)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(renewed.numUpdatedRows) === 1;
}

/** Seconds until another attempt's lease ends, or undefined when nobody else may still act. */
export async function foreignLeaseSecondsLeft(db: DbOrTx, id: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('workflow_steps')
    .select(sql<number>`extract(epoch from lease_expires_at - now())`.as('seconds_left'))
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('lease_token', 'is not', null)
    .where('lease_expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? Math.max(1, Math.ceil(Number(row.seconds_left))) : undefined;
}

/** Fenced: false (nothing written) when this attempt no longer holds the lease. */
export async function markStepSucceeded(
  db: DbOrTx,
  id: number,
  leaseToken: string,
  outcome: { result?: unknown; correlationId?: string | undefined },
): Promise<boolean> {
  const updated = await db
    .updateTable('workflow_steps')
    .set({
      lease_token: null,
      lease_expires_at: null,
      status: 'succeeded',
      result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
      correlation_id: outcome.correlationId ?? null,
      error_code: null,
      error_message: null,
      finished_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('lease_token', '=', leaseToken)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Fenced like markStepSucceeded; ends the attempt, so the next one need not wait out a lease. */
export async function recordStepError(
  db: DbOrTx,
  id: number,
  leaseToken: string,
  error: { code: string; message: string; correlationId?: string | undefined; final: boolean },
): Promise<boolean> {
  const updated = await db
    .updateTable('workflow_steps')
    .set({
      lease_token: null,
      lease_expires_at: null,
      status: error.final ? 'failed' : 'running',
      error_code: error.code,
      error_message: error.message,
      correlation_id: error.correlationId ?? null,
      finished_at: error.final ? new Date() : null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('lease_token', '=', leaseToken)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/**
 * The attempt ends without finishing the step (it waits for Genesys): Genesys answered, so the
 * next failure starts a new streak (and a new thread message). Fenced like markStepSucceeded.
 */
export async function endStepAttempt(db: DbOrTx, id: number, leaseToken: string): Promise<boolean> {
  const updated = await db
    .updateTable('workflow_steps')
    .set({
      error_code: null,
      error_message: null,
      lease_token: null,
      lease_expires_at: null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('lease_token', '=', leaseToken)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** An operator's retry of a failed run: the failed step starts over as pending. */
export async function resetFailedSteps(db: DbOrTx, requestId: number): Promise<void> {
  await db
    .updateTable('workflow_steps')
    .set({
      status: 'pending',
      finished_at: null,
      lease_token: null,
      lease_expires_at: null,
      updated_at: new Date(),
    })
    .where('request_id', '=', requestId)
    .where('status', '=', 'failed')
    .execute();
}

/**
 * After a GDPR request ended in ERROR and the operator fixed the cause: filing and following
 * start over, as if never tried, so the next attempt files a new request instead of adopting
 * (or re-polling) the failed one.
 */
export async function resetGdprSteps(db: DbOrTx, requestId: number): Promise<void> {
  await db
    .updateTable('workflow_steps')
    .set({
      status: 'pending',
      attempts: 0,
      result: null,
      correlation_id: null,
      error_code: null,
      error_message: null,
      started_at: null,
      finished_at: null,
      lease_token: null,
      lease_expires_at: null,
      updated_at: new Date(),
    })
    .where('request_id', '=', requestId)
    .where('step', 'in', ['file_gdpr', 'poll_gdpr'])
    .execute();
}
