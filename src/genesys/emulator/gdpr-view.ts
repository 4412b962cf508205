import type { StoredGdprRequest } from './types.js';

/** A stored request in the spec's `GDPRRequest` shape, without the emulator's bookkeeping. */
export function gdprRequestView(request: StoredGdprRequest): object {
  return {
    id: request.id,
    ...(request.name === undefined ? {} : { name: request.name }),
    createdBy: { ...request.createdBy },
    ...(request.replacementTerms === undefined
      ? {}
      : { replacementTerms: structuredClone(request.replacementTerms) }),
    requestType: request.requestType,
    createdDate: request.createdDate,
    status: request.status,
    subject: structuredClone(request.subject),
    ...(request.resultsUrl === undefined ? {} : { resultsUrl: request.resultsUrl }),
    selfUri: `/api/v2/gdpr/requests/${request.id}`,
  };
}
