import type { Db } from '../db/database.js';
import { findRequestById } from '../offboarding/request.repository.js';
import { transitionRequest } from '../offboarding/state-machine.js';
import { resetFailedSteps } from './step.repository.js';

/**
 * After the cause of a failure is fixed (a missing permission, say), puts the failed request back
 * to running from the failed step; the sweep resumes it. Succeeded steps are not repeated, and
 * the GDPR step still checks Genesys for a request already filed before filing one.
 */
export async function retryFailedRequest(
  db: Db,
  requestId: number,
  operator: string,
): Promise<void> {
  const request = await findRequestById(db, requestId);
  if (!request) throw new Error(`There is no request #${requestId}.`);
  if (request.state !== 'failed') {
    throw new Error(
      `Request #${requestId} is ${request.state}; only a failed request can be retried.`,
    );
  }
  await db.transaction().execute(async (trx) => {
    await resetFailedSteps(trx, requestId);
    const resumed = await transitionRequest(trx, requestId, 'running', {
      actor: `operator:${operator}`,
      details: { retry: true, previousFailure: request.failure_reason },
      patch: { failure_reason: null, finished_at: null },
    });
    if (!resumed)
      throw new Error(`Request #${requestId} changed while retrying; run the command again.`);
  });
}
