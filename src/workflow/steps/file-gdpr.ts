import { updateRequestDetails } from '../../offboarding/request.repository.js';
import { findFiledGdprRequest } from '../gdpr-lookup.js';
import type { StepHandler } from './step.js';

/**
 * Files the irreversible GDPR request exactly once. The step's start was committed before this
 * runs, so a later attempt knows an earlier one may have reached Genesys without our hearing
 * the answer (crash, timeout, reset, a lost lock): it looks for that request before filing.
 */
export const fileGdpr: StepHandler = async ({ request, step, genesys, db, logger, lease }) => {
  if (request.gdpr_mode === 'none') {
    return { kind: 'succeeded', detail: 'GDPR_MODE is none: no GDPR request filed.' };
  }
  if (request.gdpr_request_id) {
    return {
      kind: 'succeeded',
      result: { gdprRequestId: request.gdpr_request_id },
      detail: `GDPR request ${request.gdpr_request_id} was already filed.`,
    };
  }
  const requestType = request.gdpr_mode === 'delete' ? 'GDPR_DELETE' : 'GDPR_UPDATE';

  if (step.attempts > 1) {
    // A failing listing throws here, and the runner tries again later: never file blind.
    const earlier = await findFiledGdprRequest(genesys, {
      userId: request.target_genesys_id,
      requestType,
      firstStartedAt: step.started_at ?? request.updated_at,
    });
    if (earlier) {
      logger.warn(
        { gdprRequestId: earlier.id },
        'adopting the GDPR request an earlier attempt filed',
      );
      await updateRequestDetails(db, request.id, {
        gdpr_request_id: earlier.id,
        gdpr_status: earlier.status,
      });
      return {
        kind: 'succeeded',
        result: { gdprRequestId: earlier.id, status: earlier.status, adopted: true },
        detail: `GDPR request ${earlier.id} (${requestType}) had been filed before an interruption.`,
      };
    }
  }

  const filed = await genesys.createGdprRequest(
    { userId: request.target_genesys_id, name: request.target_name, email: request.target_email },
    request.gdpr_mode,
    // Just before each send: an attempt whose lease another attempt took must not file.
    { beforeSend: () => lease.confirm() },
  );
  // Kept outside the step's transaction and not fenced: once Genesys has it, never lose its id.
  await updateRequestDetails(db, request.id, {
    gdpr_request_id: filed.id,
    gdpr_status: filed.status,
  });
  return {
    kind: 'succeeded',
    result: { gdprRequestId: filed.id, status: filed.status },
    detail: `GDPR request ${filed.id} (${requestType}) filed; status ${filed.status}.`,
  };
};
