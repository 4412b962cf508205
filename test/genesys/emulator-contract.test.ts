import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_ORG_USERS,
  type RunningEmulator,
  startGenesysEmulator,
} from '../../src/genesys/emulator/index.js';
import {
  loadSwagger,
  type SwaggerSpec,
  validateDefinition,
  validateResponse,
} from '../helpers/openapi.js';

// Drift guard: every answer the emulator gives is checked against the published Genesys
// definitions, including "no undeclared properties", so the emulator cannot teach the bot
// fields or statuses the real API does not have.

const spec: SwaggerSpec = loadSwagger([
  'users.yml',
  'general-data-protection-regulation.yml',
  'tokens.yml',
]);

const USER_PATH = '/api/v2/users/{userId}';
const SEARCH_PATH = '/api/v2/users/search';
const TOKENS_PATH = '/api/v2/tokens/{userId}';
const GDPR_REQUESTS_PATH = '/api/v2/gdpr/requests';
const GDPR_REQUEST_PATH = '/api/v2/gdpr/requests/{requestId}';
const GDPR_SUBJECTS_PATH = '/api/v2/gdpr/subjects';

const active = DEMO_ORG_USERS.find((user) => user.name === 'Zoë Ångström');
const deleted = DEMO_ORG_USERS.find((user) => user.state === 'deleted');
const activeId = active?.id as string;
const deletedId = deleted?.id as string;

let emulator: RunningEmulator;
let token: string;

beforeAll(async () => {
  emulator = await startGenesysEmulator({ users: [...DEMO_ORG_USERS] });
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  emulator.clearFaults();
  emulator.setRateLimit(null);
  const response = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from('emulator-client:emulator-secret').toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  token = ((await response.json()) as { access_token: string }).access_token;
});

async function request(
  method: string,
  path: string,
  options: { json?: unknown; raw?: string; auth?: boolean } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (options.auth !== false) headers.Authorization = `Bearer ${token}`;
  const body =
    options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** Asserts the answer is one the spec declares for the operation, and returns it. */
async function conforming(
  operation: { method: string; path: string },
  url: string,
  expectedStatus: number,
  options: { json?: unknown; raw?: string; auth?: boolean } = {},
): Promise<unknown> {
  const answer = await request(operation.method, url, options);
  expect(answer.status).toBe(expectedStatus);
  expect(validateResponse(spec, operation, answer.status, answer.body)).toEqual([]);
  return answer.body;
}

describe('the schema checker', () => {
  const user = { id: 'u', name: 'n', version: 1, division: { id: 'd', name: 'Home' } };

  it('accepts a conforming value', () => {
    expect(validateDefinition(spec, 'User', user)).toEqual([]);
  });

  it('reports undeclared properties, missing required ones, wrong types and enums', () => {
    expect(validateDefinition(spec, 'User', { ...user, nickname: 'x' })).toEqual([
      'User: property nickname is not declared by the definition',
    ]);
    expect(validateDefinition(spec, 'User', { id: 'u' })).toEqual([
      'User: missing required property version',
    ]);
    expect(validateDefinition(spec, 'User', { ...user, version: '1' })).toEqual([
      'User.version: expected integer, got "1"',
    ]);
    expect(validateDefinition(spec, 'User', { ...user, state: 'gone' })).toEqual([
      'User.state: "gone" is not one of ["active","inactive","deleted"]',
    ]);
    expect(
      validateDefinition(spec, 'User', { ...user, division: { id: 'd', colour: 'red' } }),
    ).toEqual(['User.division: property colour is not declared by the definition']);
    expect(validateDefinition(spec, 'GDPRRequest', { createdDate: 'yesterday' })).toContain(
      'GDPRRequest.createdDate: "yesterday" is not an ISO-8601 date-time',
    );
  });

  it('reports statuses an operation does not declare', () => {
    expect(validateResponse(spec, { method: 'GET', path: USER_PATH }, 418, {})).toEqual([
      `GET ${USER_PATH} 418: status not declared by the operation`,
    ]);
  });
});

describe('users', () => {
  const getUser = { method: 'GET', path: USER_PATH };

  it('GET user answers a User, plain and expanded', async () => {
    await conforming(getUser, `/api/v2/users/${activeId}`, 200);
    await conforming(getUser, `/api/v2/users/${activeId}?expand=dateLastLogin`, 200);
    await conforming(getUser, `/api/v2/users/${deletedId}?state=deleted`, 200);
  });

  it('GET user errors are ErrorBody', async () => {
    await conforming(getUser, `/api/v2/users/${deletedId}`, 404);
    await conforming(getUser, `/api/v2/users/${activeId}?state=any`, 400);
    await conforming(getUser, `/api/v2/users/${activeId}`, 401, { auth: false });
  });

  it('POST search answers a UsersSearchResponse, with and without hits', async () => {
    const search = { method: 'POST', path: SEARCH_PATH };
    const body = (await conforming(search, SEARCH_PATH, 200, {
      json: { query: [{ type: 'CONTAINS', fields: ['email'], value: 'example.com' }] },
    })) as { results: unknown[] };
    expect(body.results.length).toBeGreaterThan(5);
    await conforming(search, SEARCH_PATH, 200, {
      json: { query: [{ type: 'EXACT', fields: ['email'], value: 'nobody@example.com' }] },
    });
    await conforming(search, SEARCH_PATH, 400, { raw: '{' });
  });

  it('DELETE, PATCH (restore) and their errors', async () => {
    const target = DEMO_ORG_USERS.find((user) => user.name === 'Hannah Schäfer')?.id as string;
    await conforming({ method: 'DELETE', path: USER_PATH }, `/api/v2/users/${target}`, 200);
    await conforming({ method: 'DELETE', path: USER_PATH }, `/api/v2/users/${target}`, 404);
    const patch = { method: 'PATCH', path: USER_PATH };
    const conflict = await request('PATCH', `/api/v2/users/${target}`, {
      json: { state: 'active', version: 1 },
    });
    // The spec lists 409 for PATCH without a schema; Genesys still sends an ErrorBody.
    expect(conflict.status).toBe(409);
    expect(validateDefinition(spec, 'ErrorBody', conflict.body)).toEqual([]);
    const restored = (await conforming(patch, `/api/v2/users/${target}`, 200, {
      json: { state: 'active', version: 2 },
    })) as { state: string };
    expect(restored.state).toBe('active');
  });

  it('DELETE tokens answers 204 without a body, or ErrorBody', async () => {
    const revoke = { method: 'DELETE', path: TOKENS_PATH };
    await conforming(revoke, `/api/v2/tokens/${activeId}`, 204);
    await conforming(revoke, '/api/v2/tokens/nobody', 404);
  });
});

describe('GDPR', () => {
  const create = { method: 'POST', path: GDPR_REQUESTS_PATH };
  const getOne = { method: 'GET', path: GDPR_REQUEST_PATH };

  it('POST answers a GDPRRequest for every request type, or ErrorBody', async () => {
    await conforming(create, `${GDPR_REQUESTS_PATH}?deleteConfirmed=true`, 202, {
      json: {
        requestType: 'GDPR_DELETE',
        subject: { userId: deletedId, emailAddresses: ['x@example.com'] },
      },
    });
    await conforming(create, GDPR_REQUESTS_PATH, 202, {
      json: {
        requestType: 'GDPR_UPDATE',
        subject: { name: 'Nobody' },
        replacementTerms: [{ type: 'NAME', existingValue: 'Nobody', updatedValue: 'Somebody' }],
      },
    });
    await conforming(create, GDPR_REQUESTS_PATH, 202, {
      json: { requestType: 'GDPR_EXPORT', subject: { userId: activeId } },
    });
    await conforming(create, GDPR_REQUESTS_PATH, 400, {
      json: { requestType: 'GDPR_DELETE', subject: { userId: activeId } },
    });
  });

  it('GET request answers a GDPRRequest at every stage, COMPLETED and ERROR included', async () => {
    const exported = (await conforming(create, GDPR_REQUESTS_PATH, 202, {
      json: { requestType: 'GDPR_EXPORT', subject: { userId: activeId } },
    })) as { id: string };
    const statuses: string[] = [];
    for (let poll = 0; poll < 4; poll++) {
      const body = (await conforming(getOne, `${GDPR_REQUESTS_PATH}/${exported.id}`, 200)) as {
        status: string;
        resultsUrl?: string;
      };
      statuses.push(body.status);
      if (body.status === 'COMPLETED') expect(body.resultsUrl).toEqual(expect.any(String));
    }
    expect(statuses.at(-1)).toBe('COMPLETED');

    const failing = (await conforming(create, GDPR_REQUESTS_PATH, 202, {
      json: { requestType: 'GDPR_EXPORT', subject: { userId: activeId } },
    })) as { id: string };
    emulator.failGdprRequest(failing.id);
    const failed = (await conforming(getOne, `${GDPR_REQUESTS_PATH}/${failing.id}`, 200)) as {
      status: string;
    };
    expect(failed.status).toBe('ERROR');
    await conforming(getOne, `${GDPR_REQUESTS_PATH}/unknown`, 404);
  });

  it('GET requests answers a GDPRRequestEntityListing', async () => {
    const list = { method: 'GET', path: GDPR_REQUESTS_PATH };
    await conforming(list, `${GDPR_REQUESTS_PATH}?pageSize=2&pageNumber=2`, 200);
    await conforming(list, `${GDPR_REQUESTS_PATH}?pageSize=1000&pageNumber=9`, 200);
    await conforming(list, `${GDPR_REQUESTS_PATH}?pageSize=abc`, 400);
  });

  it('GET subjects answers a GDPRSubjectEntityListing', async () => {
    const subjects = { method: 'GET', path: GDPR_SUBJECTS_PATH };
    const found = (await conforming(
      subjects,
      `${GDPR_SUBJECTS_PATH}?searchType=EMAIL&searchValue=${encodeURIComponent(active?.email ?? '')}`,
      200,
    )) as { entities: unknown[] };
    expect(found.entities).toHaveLength(1);
    await conforming(subjects, `${GDPR_SUBJECTS_PATH}?searchType=NAME&searchValue=Nobody`, 200);
    await conforming(subjects, `${GDPR_SUBJECTS_PATH}?searchType=SHOE&searchValue=9`, 400);
  });
});

describe('throttling and injected failures', () => {
  it('429 is an ErrorBody the operation declares', async () => {
    emulator.setRateLimit({ requestsPerSecond: 0.1, burst: 1 });
    const getUser = { method: 'GET', path: USER_PATH };
    await conforming(getUser, `/api/v2/users/${activeId}`, 200);
    await conforming(getUser, `/api/v2/users/${activeId}`, 429);
  });

  it('injected 5xx answers are ErrorBody the operation declares', async () => {
    for (const status of [500, 503, 504]) {
      emulator.injectFault({ kind: 'status', status, path: GDPR_REQUESTS_PATH, times: 1 });
      await conforming({ method: 'GET', path: GDPR_REQUESTS_PATH }, GDPR_REQUESTS_PATH, status);
    }
  });
});
