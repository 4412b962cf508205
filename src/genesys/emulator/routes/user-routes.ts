import { ApiError, badRequest, invalidQueryParam, notFound } from '../api-error.js';
import type { EmulatorState } from '../emulator-state.js';
import { requireJson } from '../http-io.js';
import {
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalString,
  rejectUnknownProperties,
  requireObject,
} from '../json-shape.js';
import { enumParam } from '../query-params.js';
import type { Route } from '../router.js';
import type { StoredUser } from '../types.js';
import { parseUserSearch, runUserSearch } from '../user-search.js';
import { parseExpand, userView } from '../user-view.js';

const USER_EXPANSIONS = [
  'routingStatus',
  'presence',
  'integrationPresence',
  'conversationSummary',
  'outOfOffice',
  'geolocation',
  'station',
  'authorization',
  'lasttokenissued',
  'authorization.unusedRoles',
  'team',
  'workPlanBidRanks',
  'externalContactsSettings',
  'groups',
  'customAttributes',
  'profileSkills',
  'certifications',
  'locations',
  'skills',
  'languages',
  'languagePreference',
  'employerInfo',
  'biography',
  'dateLastLogin',
  'dateWelcomeSent',
];

const UPDATE_USER_PROPERTIES = [
  'id',
  'name',
  'chat',
  'department',
  'email',
  'primaryContactInfo',
  'addresses',
  'title',
  'username',
  'preferredName',
  'manager',
  'images',
  'version',
  'profileSkills',
  'locations',
  'groups',
  'state',
  'acdAutoAnswer',
  'certifications',
  'biography',
  'employerInfo',
  'selfUri',
];

const userNotFound = () => notFound('Unable to find a user with that userId');

function expandParam(query: URLSearchParams): string[] {
  const expand = parseExpand(query.getAll('expand'));
  for (const value of expand) {
    if (!USER_EXPANSIONS.includes(value)) throw invalidQueryParam('expand', value, USER_EXPANSIONS);
  }
  return expand;
}

export function userRoutes(state: EmulatorState): Route[] {
  const { directory } = state;

  return [
    {
      method: 'POST',
      pattern: /^\/api\/v2\/users\/search$/,
      handle(context) {
        const search = parseUserSearch(requireJson(context.body));
        const matches = runUserSearch(directory.searchable(), search);
        const start = (search.pageNumber - 1) * search.pageSize;
        return {
          status: 200,
          body: {
            total: matches.length,
            pageCount: Math.ceil(matches.length / search.pageSize),
            pageSize: search.pageSize,
            pageNumber: search.pageNumber,
            types: ['users'],
            results: matches
              .slice(start, start + search.pageSize)
              .map((user) => userView(user, { expand: search.expand })),
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users\/([^/]+)$/,
      handle(context) {
        // The API looks among active (which includes inactive) users unless asked for deleted ones.
        const wanted = enumParam(context.query, 'state', ['active', 'deleted']) ?? 'active';
        const expand = expandParam(context.query);
        const user = directory.get(context.params[0] ?? '');
        if (!user || (user.state === 'deleted') !== (wanted === 'deleted')) throw userNotFound();
        return { status: 200, body: userView(user, { expand }) };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/api\/v2\/users\/([^/]+)$/,
      handle(context) {
        const body = requireObject(requireJson(context.body), 'UpdateUser');
        rejectUnknownProperties(body, UPDATE_USER_PROPERTIES, 'UpdateUser');
        const user = directory.get(context.params[0] ?? '');
        if (!user) throw userNotFound();
        applyUpdate(state, user, body);
        return { status: 200, body: userView(user) };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/v2\/users\/([^/]+)$/,
      handle(context) {
        const user = directory.get(context.params[0] ?? '');
        if (!user || user.state === 'deleted') throw userNotFound();
        user.state = 'deleted';
        directory.touch(user);
        return { status: 200, body: {} };
      },
    },
  ];
}

function applyUpdate(state: EmulatorState, user: StoredUser, body: Record<string, unknown>): void {
  const version = optionalInteger(body, 'version', 'UpdateUser');
  if (version === undefined) throw badRequest('version may not be null', 'constraint.validation');
  if (version !== user.version) {
    throw new ApiError(
      409,
      'general.conflict',
      `The version supplied [${version}] does not match the current version [${user.version}] of the user.`,
    );
  }
  const nextState = optionalEnum(
    body,
    'state',
    ['active', 'inactive', 'deleted'],
    'UpdateUser.state',
  );
  const update = {
    name: optionalString(body, 'name', 'UpdateUser'),
    email: optionalString(body, 'email', 'UpdateUser'),
    username: optionalString(body, 'username', 'UpdateUser'),
    department: optionalString(body, 'department', 'UpdateUser'),
    title: optionalString(body, 'title', 'UpdateUser'),
    preferredName: optionalString(body, 'preferredName', 'UpdateUser'),
    acdAutoAnswer: optionalBoolean(body, 'acdAutoAnswer', 'UpdateUser'),
  };
  if (nextState === 'deleted' && user.state !== 'deleted') {
    throw badRequest('Users are deleted with DELETE /api/v2/users/{userId}, not by PATCH.');
  }
  if (user.state === 'deleted' && nextState !== undefined && nextState !== 'deleted') {
    if (user.erased) {
      throw badRequest('This user was erased by a GDPR request and can no longer be restored.');
    }
  }
  if (nextState !== undefined) user.state = nextState;
  if (update.name !== undefined) user.name = update.name;
  if (update.email !== undefined) user.email = update.email;
  if (update.username !== undefined) user.username = update.username;
  if (update.department !== undefined) user.department = update.department;
  if (update.title !== undefined) user.title = update.title;
  if (update.preferredName !== undefined) user.preferredName = update.preferredName;
  if (update.acdAutoAnswer !== undefined) user.acdAutoAnswer = update.acdAutoAnswer;
  state.directory.touch(user);
}
