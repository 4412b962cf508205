import type { Db } from '../db/database.js';
import { appendAudit } from '../offboarding/audit.repository.js';
import { findRequestById } from '../offboarding/request.repository.js';
import { transitionRequest } from '../offboarding/state-machine.js';
import { listSteps, resetFailedSteps, resetGdprSteps } from './step.repository.js';

/**
 * After the cause of a failure is fixed (a missing permission, say), puts the failed request back
 * to running from the failed step; the sweep resumes it. Succeeded steps are not repeated, and
 * the GDPR step still checks Genesys for a request already filed before filing one.
 *
 * A GDPR request that ended in ERROR stays in ERROR in Genesys: following it again would fail
 * again. Then the run files a new GDPR request and follows that one; the failed request's id
 * stays in the audit log.
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
    const failedStep = (await listSteps(trx, requestId)).find((step) => step.status === 'failed');
    const refileGdpr =
      failedStep?.step === 'poll_gdpr' &&
      request.gdpr_status === 'ERROR' &&
      request.gdpr_request_id !== null;
    await resetFailedSteps(trx, requestId);
    if (refileGdpr) {
      await resetGdprSteps(trx, requestId);
      await appendAudit(trx, {
        requestId,
        event: 'gdpr_request_abandoned',
        actor: `operator:${operator}`,
        details: { gdprRequestId: request.gdpr_request_id, status: request.gdpr_status },
      });
    }
    const resumed = await transitionRequest(trx, requestId, 'running', {
      actor: `operator:${operator}`,
      details: {
        retry: true,
        previousFailure: request.failure_reason,
        ...(refileGdpr ? { refileGdpr: true } : {}),
      },
      patch: {
        failure_reason: null,
        finished_at: null,
        ...(refileGdpr ? { gdpr_request_id: null, gdpr_status: null } : {}),
      },
    });
    if (!resumed)
      throw new Error(`Request #${requestId} changed while retrying; run the command again.`);
  });
}
