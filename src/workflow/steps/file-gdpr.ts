import type { GdprRequest, GenesysClient } from '../../genesys/types.js';
import { updateRequestDetails } from '../../offboarding/request.repository.js';
import type { OffboardingRequest } from '../../offboarding/request.table.js';
import type { StepHandler } from './step.js';

/** Clocks differ between us and Genesys; look a little further back than our own record. */
const CLOCK_SKEW_MS = 10 * 60_000;
const MAX_PAGES_SEARCHED = 10;

/**
 * Files the irreversible GDPR request exactly once. The step's start was committed before this
 * runs, so a second attempt knows an earlier one may have reached Genesys without our hearing
 * the answer (crash, timeout, reset): it looks for that request before filing another.
 */
export const fileGdpr: StepHandler = async ({ request, step, genesys, db, logger }) => {
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
    const since = new Date((step.started_at ?? request.updated_at).getTime() - CLOCK_SKEW_MS);
    const earlier = await findFiledRequest(genesys, request, requestType, since);
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
  );
  // Kept outside the step's transaction: once Genesys has it, we must never lose its id.
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

async function findFiledRequest(
  genesys: GenesysClient,
  request: OffboardingRequest,
  requestType: GdprRequest['requestType'],
  since: Date,
): Promise<GdprRequest | undefined> {
  for (let pageNumber = 1; pageNumber <= MAX_PAGES_SEARCHED; pageNumber++) {
    const page = await genesys.listGdprRequests({ pageNumber, pageSize: 100 });
    const match = page.entities.find(
      (entity) =>
        entity.requestType === requestType &&
        entity.subject.userId === request.target_genesys_id &&
        Date.parse(entity.createdDate) >= since.getTime(),
    );
    if (match) return match;
    // Newest first: once a page reaches back before the attempt, nothing older can be ours.
    const oldest = page.entities.at(-1);
    if (!oldest || Date.parse(oldest.createdDate) < since.getTime()) return undefined;
    if (pageNumber >= page.pageCount) return undefined;
  }
  return undefined;
}
