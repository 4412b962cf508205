import { describe, expect, it } from 'vitest';
import type { GdprRequest, GdprRequestPage, GenesysClient } from '../../src/genesys/types.js';
import {
  findFiledGdprRequest,
  GDPR_LOOKUP_MAX_PAGES,
  GDPR_LOOKUP_PAGE_SIZE,
} from '../../src/workflow/gdpr-lookup.js';

// What the API definition leaves open (pageCount is optional, ids have no documented case) is
// answered here both ways; the emulator-backed suites cover the listing orders.

const USER_ID = '5f2c1a9e-0b7d-4c1e-9a51-2f4b8c3d6e70';
const STARTED = new Date('2026-12-01T10:00:00Z');

function filed(id: string, userId: string, createdDate: string): GdprRequest {
  return {
    id,
    requestType: 'GDPR_DELETE',
    status: 'INITIATED',
    createdDate,
    subject: { userId },
  };
}

function older(count: number): GdprRequest[] {
  return Array.from({ length: count }, (_, i) =>
    filed(`old-${i}`, `other-${i}`, '2026-01-01T00:00:00Z'),
  );
}

/** Serves `all` page by page, as Genesys would, optionally without pageCount. */
function listing(all: GdprRequest[], options: { withPageCount: boolean }) {
  const asked: number[] = [];
  const genesys = {
    listGdprRequests: async (page?: { pageNumber?: number; pageSize?: number }) => {
      const pageNumber = page?.pageNumber ?? 1;
      const pageSize = page?.pageSize ?? 25;
      asked.push(pageNumber);
      const entities = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
      const answer: GdprRequestPage = {
        entities,
        pageNumber,
        pageSize,
        // The client maps a missing pageCount to 1.
        pageCount: options.withPageCount ? Math.max(1, Math.ceil(all.length / pageSize)) : 1,
        total: all.length,
      };
      return answer;
    },
  } as unknown as GenesysClient;
  return { genesys, asked };
}

const lookup = { userId: USER_ID, requestType: 'GDPR_DELETE' as const, firstStartedAt: STARTED };

describe('the look-up before refiling a GDPR request', () => {
  it.each([true, false])(
    'reads every page whether or not pageCount is given (%s)',
    async (withPageCount) => {
      const ours = filed('ours', USER_ID, '2026-12-01T10:00:05Z');
      const { genesys, asked } = listing([...older(250), ours], { withPageCount });
      expect((await findFiledGdprRequest(genesys, lookup))?.id).toBe('ours');
      expect(asked).toEqual([1, 2, 3]);
    },
  );

  it('matches the user id whatever its case', async () => {
    const ours = filed('ours', USER_ID.toUpperCase(), '2026-12-01T10:00:05Z');
    const { genesys } = listing([...older(3), ours], { withPageCount: true });
    expect((await findFiledGdprRequest(genesys, lookup))?.id).toBe('ours');
  });

  it('leaves a request for the same person filed long before this step alone', async () => {
    const { genesys } = listing([filed('last-year', USER_ID, '2025-12-01T10:00:00Z')], {
      withPageCount: true,
    });
    expect(await findFiledGdprRequest(genesys, lookup)).toBeUndefined();
  });

  it('refuses to conclude past its page bound instead of filing blind', async () => {
    const { genesys } = listing(older(GDPR_LOOKUP_MAX_PAGES * GDPR_LOOKUP_PAGE_SIZE + 1), {
      withPageCount: false,
    });
    await expect(findFiledGdprRequest(genesys, lookup)).rejects.toMatchObject({
      code: 'GDPR_LOOKUP_INCOMPLETE',
    });
  });
});
