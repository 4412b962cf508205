import { notFound } from '../api-error.js';
import type { EmulatorState } from '../emulator-state.js';
import { parseBooleanQuery, parseGdprCreate, REPLACEMENT_TERM_TYPES } from '../gdpr-validation.js';
import { gdprRequestView } from '../gdpr-view.js';
import { requireJson } from '../http-io.js';
import { enumParam, pageLinks, positiveIntParam, requiredParam } from '../query-params.js';
import type { Route } from '../router.js';
import type { StoredUser } from '../types.js';

const SUBJECTS_PAGE_SIZE = 25;

function subjectMatches(user: StoredUser, searchType: string, searchValue: string): boolean {
  const wanted = searchValue.trim().toLowerCase();
  switch (searchType) {
    case 'NAME':
      return user.name.trim().toLowerCase() === wanted;
    case 'EMAIL':
      return user.email.trim().toLowerCase() === wanted;
    default:
      // The emulated directory keeps no phone numbers, addresses or social handles.
      return false;
  }
}

export function gdprRoutes(state: EmulatorState): Route[] {
  return [
    {
      method: 'POST',
      pattern: /^\/api\/v2\/gdpr\/requests$/,
      handle(context) {
        const deleteConfirmed = parseBooleanQuery(
          'deleteConfirmed',
          context.query.get('deleteConfirmed'),
        );
        const request = parseGdprCreate(requireJson(context.body), deleteConfirmed);
        const stored = state.gdpr.create(request, context.clientId);
        return { status: 202, body: gdprRequestView(stored) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/gdpr\/requests$/,
      handle(context) {
        const pageSize = positiveIntParam(context.query, 'pageSize', 25);
        const pageNumber = positiveIntParam(context.query, 'pageNumber', 1);
        const all = state.gdpr.listing();
        const pageCount = Math.ceil(all.length / pageSize);
        const start = (pageNumber - 1) * pageSize;
        return {
          status: 200,
          body: {
            entities: all.slice(start, start + pageSize).map(gdprRequestView),
            pageSize,
            pageNumber,
            total: all.length,
            ...pageLinks('/api/v2/gdpr/requests', pageSize, pageNumber, pageCount),
            pageCount,
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/gdpr\/requests\/([^/]+)$/,
      handle(context) {
        const request = state.gdpr.poll(context.params[0] ?? '');
        if (!request) throw notFound();
        return { status: 200, body: gdprRequestView(request) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/gdpr\/subjects$/,
      handle(context) {
        requiredParam(context.query, 'searchType');
        const searchType = enumParam(context.query, 'searchType', REPLACEMENT_TERM_TYPES) ?? '';
        const searchValue = requiredParam(context.query, 'searchValue');
        // Deleted users still count: their retained data is exactly what a GDPR request reaches.
        const entities = state.directory
          .all()
          .filter((user) => !user.erased && subjectMatches(user, searchType, searchValue))
          .map((user) => ({ name: user.name, userId: user.id, emailAddresses: [user.email] }));
        const pageSize = Math.max(SUBJECTS_PAGE_SIZE, entities.length);
        return {
          status: 200,
          body: {
            entities,
            pageSize,
            pageNumber: 1,
            total: entities.length,
            pageCount: 1,
          },
        };
      },
    },
  ];
}
