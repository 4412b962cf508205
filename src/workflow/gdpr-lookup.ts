import { PermanentStepError } from '../errors.js';
import type { GdprRequest, GdprRequestType, GenesysClient } from '../genesys/types.js';

/** Clocks differ between us and Genesys; look a little further back than our own record. */
export const GDPR_LOOKUP_CLOCK_SKEW_MS = 10 * 60_000;
export const GDPR_LOOKUP_PAGE_SIZE = 100;
export const GDPR_LOOKUP_MAX_PAGES = 50;

export interface GdprLookup {
  userId: string;
  requestType: GdprRequestType;
  /** When the step first started: a request filed before then (minus clock skew) is not ours. */
  firstStartedAt: Date;
}

/**
 * The one look-up for a GDPR request that an interrupted attempt may have filed. The order of
 * GET /api/v2/gdpr/requests is not documented, so every page is read (up to a bound) and nothing
 * is inferred from where a request sits. A failed page (5xx, timeout, reset) throws: the caller
 * waits and looks again, and never files without having looked.
 */
export async function findFiledGdprRequest(
  genesys: GenesysClient,
  lookup: GdprLookup,
): Promise<GdprRequest | undefined> {
  const since = lookup.firstStartedAt.getTime() - GDPR_LOOKUP_CLOCK_SKEW_MS;
  // The definition does not say how ids are cased either: compare them as GUIDs.
  const userId = lookup.userId.toLowerCase();
  const matches: GdprRequest[] = [];
  let morePages = true;
  for (let pageNumber = 1; morePages; pageNumber++) {
    if (pageNumber > GDPR_LOOKUP_MAX_PAGES) {
      // Filing now could file a second irreversible request: a person has to look.
      throw new PermanentStepError(
        'GDPR_LOOKUP_INCOMPLETE',
        `Genesys lists more than ${GDPR_LOOKUP_MAX_PAGES * GDPR_LOOKUP_PAGE_SIZE} GDPR requests, so the bot cannot tell whether an interrupted attempt already filed one for user ${lookup.userId}. Check in Genesys; do not file another without checking.`,
      );
    }
    const page = await genesys.listGdprRequests({ pageNumber, pageSize: GDPR_LOOKUP_PAGE_SIZE });
    // pageCount is optional in the listing: a full page means there may be another one.
    morePages = pageNumber < page.pageCount || page.entities.length >= GDPR_LOOKUP_PAGE_SIZE;
    matches.push(
      ...page.entities.filter(
        (entity) =>
          entity.requestType === lookup.requestType &&
          entity.subject.userId?.toLowerCase() === userId &&
          Date.parse(entity.createdDate) >= since,
      ),
    );
  }
  // Oldest first: if somehow two exist, the first is the one the run started with.
  return matches.sort((a, b) => Date.parse(a.createdDate) - Date.parse(b.createdDate))[0];
}
