import { PermanentStepError } from '../../errors.js';
import { updateRequestDetails } from '../../offboarding/request.repository.js';
import type { StepHandler } from './step.js';

export const pollGdpr: StepHandler = async ({ request, genesys, db, gdprPollIntervalSeconds }) => {
  const gdprRequestId = request.gdpr_request_id;
  if (!gdprRequestId) {
    throw new PermanentStepError(
      'GDPR_REQUEST_MISSING',
      'No GDPR request id is recorded for this offboarding, so there is nothing to follow.',
    );
  }
  const current = await genesys.getGdprRequest(gdprRequestId);
  // The runner stores the new status together with its thread message.
  const changed = current.status !== request.gdpr_status;
  const events = changed
    ? [{ type: 'gdpr_status' as const, status: current.status, gdprRequestId }]
    : [];

  if (current.status === 'COMPLETED') {
    return {
      kind: 'succeeded',
      result: { gdprRequestId, status: current.status },
      detail: `GDPR request ${gdprRequestId} completed.`,
      events,
    };
  }
  if (current.status === 'ERROR') {
    await updateRequestDetails(db, request.id, { gdpr_status: current.status });
    throw new PermanentStepError(
      'GDPR_REQUEST_ERROR',
      `Genesys reported ERROR for GDPR request ${gdprRequestId}. Ask Genesys support about it; do not file another without checking.`,
    );
  }
  return { kind: 'wait', afterSeconds: gdprPollIntervalSeconds, events };
};
