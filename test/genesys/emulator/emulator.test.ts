import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import platformClient from 'purecloud-platform-client-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_ORG_USERS,
  directoryConflictFault,
  EmulatorControlClient,
  type EmulatorOptions,
  type RunningEmulator,
  type SeedUser,
  startGenesysEmulator,
} from '../../../src/genesys/emulator/index.js';

const CLIENT_ID = 'emulator-client';
const CLIENT_SECRET = 'emulator-secret';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const JANE: SeedUser = {
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  name: 'Jane Doe',
  email: 'jane.doe@example.com',
  department: 'Customer Support',
  title: 'Support Agent',
  division: { id: 'd1000000-0000-4000-8000-000000000001', name: 'Support' },
  dateLastLogin: '2026-11-01T09:00:00.000Z',
};
const ZOE: SeedUser = {
  id: 'a1b2c3d4-0000-4000-8000-000000000002',
  name: 'Zoë Ångström',
  email: 'zoe.angstrom@example.com',
  department: 'Customer Support',
};
const IDLE: SeedUser = {
  id: 'a1b2c3d4-0000-4000-8000-000000000003',
  name: 'Ivan Idle',
  email: 'ivan.idle@example.com',
  state: 'inactive',
};
const GONE: SeedUser = {
  id: 'a1b2c3d4-0000-4000-8000-000000000004',
  name: 'Gary Gone',
  email: 'gary.gone@example.com',
  state: 'deleted',
};
const USERS = [JANE, ZOE, IDLE, GONE];
const janeId = JANE.id as string;
const zoeId = ZOE.id as string;
const goneId = GONE.id as string;

let emulator: RunningEmulator;

async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  await emulator?.close();
  emulator = await startGenesysEmulator({ users: USERS, ...options });
  return emulator;
}

beforeEach(async () => {
  emulator = await startGenesysEmulator({ users: USERS });
});

afterEach(async () => {
  await emulator.close();
});

function sdkClient(target: RunningEmulator = emulator) {
  const client = new platformClient.ApiClientClass();
  // Every ApiClient adds an fs.watchFile listener on ~/.genesyscloudjavascript/config; dozens
  // of clients in one test file would trip Node's MaxListeners warning.
  client.config.live_reload_config = false;
  client.setGateway({ host: '127.0.0.1', protocol: 'http', port: target.port });
  return client;
}

async function sdk(target: RunningEmulator = emulator) {
  const client = sdkClient(target);
  await client.loginClientCredentialsGrant(CLIENT_ID, CLIENT_SECRET);
  return {
    client,
    users: new platformClient.UsersApi(client),
    gdpr: new platformClient.GeneralDataProtectionRegulationApi(client),
    tokens: new platformClient.TokensApi(client),
  };
}

/** What a rejected promise rejected with (the SDK rejects with the parsed ErrorBody). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

async function login(target: RunningEmulator = emulator): Promise<string> {
  const response = await fetch(`${target.url}/oauth/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A string property of a JSON answer (ids, codes, messages). */
function field(answer: Answer, name: string): string {
  const value = (answer.body as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string')
    throw new Error(`answer has no string ${name}: ${JSON.stringify(answer.body)}`);
  return value;
}

async function call(
  method: string,
  path: string,
  options: { token?: string; json?: unknown; raw?: string; contentType?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) body = JSON.stringify(options.json);
  if (options.raw !== undefined) body = options.raw;
  if (body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

function expectErrorBody(answer: Answer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({
    message: expect.any(String),
    code,
    status,
    messageParams: {},
    contextId: answer.headers.get('ININ-Correlation-Id'),
    details: [],
    errors: [],
  });
}

describe('OAuth client credentials', () => {
  it('logs the SDK in with Basic auth and a form body', async () => {
    const client = sdkClient();
    const authData = await client.loginClientCredentialsGrant(CLIENT_ID, CLIENT_SECRET);
    expect(authData.accessToken).toMatch(/^[\w-]{40,}$/);
    expect(emulator.calls()).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/oauth/token',
        body: { grant_type: 'client_credentials' },
        status: 200,
      }),
    ]);
  });

  it('answers the token in the Genesys shape with the configured lifetime', async () => {
    await start({ tokenTtlSeconds: 600, clients: [{ clientId: 'bot', clientSecret: 's3cret' }] });
    const response = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from('bot:s3cret').toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('ININ-Correlation-Id')).toMatch(UUID);
    expect(await response.json()).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 600,
    });
  });

  it('rejects the SDK login with the axios error carrying the login error body', async () => {
    const error = (await rejection(
      sdkClient().loginClientCredentialsGrant(CLIENT_ID, 'wrong'),
    )) as { response?: { status: number; data: unknown } };
    expect(error.response?.status).toBe(401);
    expect(error.response?.data).toEqual({
      error: 'invalid_client',
      description: 'client not found',
      error_description: 'client not found',
    });
  });

  it('refuses missing credentials and unsupported grants', async () => {
    const missing = await call('POST', '/oauth/token', {
      raw: 'grant_type=client_credentials',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(missing.status).toBe(401);
    expect(field(missing, 'error')).toBe('invalid_client');

    const response = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=password',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('stops accepting a token once it expires', async () => {
    await start({ tokenTtlSeconds: 1 });
    const token = await login();
    expect((await call('GET', `/api/v2/users/${janeId}`, { token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expectErrorBody(
      await call('GET', `/api/v2/users/${janeId}`, { token }),
      401,
      'bad.credentials',
    );
  });
});

describe('bearer authentication', () => {
  it('requires a bearer token on every /api/v2 route', async () => {
    expectErrorBody(await call('GET', `/api/v2/users/${janeId}`), 401, 'authentication.required');
    expectErrorBody(
      await call('GET', `/api/v2/users/${janeId}`, { token: 'not-a-token' }),
      401,
      'bad.credentials',
    );
  });

  it('answers 401 after revokeAllAccessTokens until the client logs in again', async () => {
    const { client, users } = await sdk();
    await users.getUser(janeId);
    emulator.revokeAllAccessTokens();
    expect(await rejection(users.getUser(janeId))).toMatchObject({
      status: 401,
      code: 'bad.credentials',
      message: 'Invalid login credentials.',
    });
    await client.loginClientCredentialsGrant(CLIENT_ID, CLIENT_SECRET);
    expect((await users.getUser(janeId)).id).toBe(janeId);
  });
});

describe('POST /api/v2/users/search', () => {
  it('finds a user by exact email through the SDK', async () => {
    const { users } = await sdk();
    const found = await users.postUsersSearch({
      query: [{ type: 'EXACT', fields: ['email'], value: 'JANE.DOE@example.com' }],
    });
    expect(found).toMatchObject({ total: 1, pageCount: 1, pageSize: 25, pageNumber: 1 });
    expect(found.types).toEqual(['users']);
    expect(found.results?.[0]).toMatchObject({
      id: janeId,
      name: 'Jane Doe',
      email: 'jane.doe@example.com',
      state: 'active',
      department: 'Customer Support',
      title: 'Support Agent',
      division: { id: JANE.division?.id, name: 'Support' },
      version: 1,
      selfUri: `/api/v2/users/${janeId}`,
    });
  });

  it('sees active and inactive users but never deleted ones', async () => {
    const { users } = await sdk();
    const byEmail = async (value: string) =>
      (await users.postUsersSearch({ query: [{ type: 'EXACT', fields: ['email'], value }] })).total;
    expect(await byEmail('ivan.idle@example.com')).toBe(1);
    expect(await byEmail('gary.gone@example.com')).toBe(0);
  });

  it('supports CONTAINS and STARTS_WITH on name and email, non-ASCII included', async () => {
    const { users } = await sdk();
    const names = async (type: string, field: string, value: string) =>
      (await users.postUsersSearch({ query: [{ type, fields: [field], value }] })).results?.map(
        (user) => user.name,
      );
    expect(await names('CONTAINS', 'name', 'ångström')).toEqual(['Zoë Ångström']);
    expect(await names('STARTS_WITH', 'email', 'zoe.')).toEqual(['Zoë Ångström']);
    expect(await names('EXACT', 'name', 'Zoë Ångström')).toEqual(['Zoë Ångström']);
    expect(await names('CONTAINS', 'email', '@example.com')).toEqual([
      'Ivan Idle',
      'Jane Doe',
      'Zoë Ångström',
    ]);
  });

  it('pages results', async () => {
    const { users } = await sdk();
    const page = await users.postUsersSearch({
      pageSize: 1,
      pageNumber: 2,
      query: [{ type: 'CONTAINS', fields: ['email'], value: 'example.com' }],
    });
    expect(page).toMatchObject({ total: 3, pageCount: 3, pageSize: 1, pageNumber: 2 });
    expect(page.results?.map((user) => user.name)).toEqual(['Jane Doe']);
  });

  it('answers 400 for malformed or unsupported search bodies', async () => {
    const token = await login();
    const search = (body: { json?: unknown; raw?: string; contentType?: string }) =>
      call('POST', '/api/v2/users/search', { token, ...body });
    expectErrorBody(await search({ raw: '{"query": [' }), 400, 'bad.request');
    expectErrorBody(await search({ json: [] }), 400, 'bad.request');
    expectErrorBody(await search({ json: { query: 'jane' } }), 400, 'bad.request');
    expectErrorBody(
      await search({ json: { query: [{ type: 'FUZZY', fields: ['email'], value: 'x' }] } }),
      400,
      'invalid.value',
    );
    expectErrorBody(
      await search({ json: { query: [{ type: 'REGEX', fields: ['email'], value: '.*' }] } }),
      400,
      'bad.request',
    );
    expectErrorBody(
      await search({ json: { query: [{ type: 'EXACT', fields: ['email'] }] } }),
      400,
      'bad.request',
    );
    expectErrorBody(await search({ json: { querry: [] } }), 400, 'invalid.property');
    expectErrorBody(
      await search({ raw: '{"query":[]}', contentType: 'text/plain' }),
      415,
      'unsupported.media.type',
    );
  });
});

describe('GET /api/v2/users/{userId}', () => {
  it('returns active and inactive users by default', async () => {
    const { users } = await sdk();
    expect(await users.getUser(janeId)).toMatchObject({ id: janeId, state: 'active' });
    expect(await users.getUser(IDLE.id as string)).toMatchObject({ state: 'inactive' });
  });

  it('hides deleted users unless state=deleted is asked for', async () => {
    const { users } = await sdk();
    expect(await rejection(users.getUser(goneId))).toMatchObject({
      status: 404,
      code: 'not.found',
    });
    expect(await users.getUser(goneId, { state: 'deleted' })).toMatchObject({
      id: goneId,
      state: 'deleted',
    });
    expect(await rejection(users.getUser(janeId, { state: 'deleted' }))).toMatchObject({
      status: 404,
    });
  });

  it('validates the state and expand parameters against the spec enums', async () => {
    const token = await login();
    expectErrorBody(
      await call('GET', `/api/v2/users/${janeId}?state=any`, { token }),
      400,
      'invalid.query.param.value',
    );
    expectErrorBody(
      await call('GET', `/api/v2/users/${janeId}?expand=everything`, { token }),
      400,
      'invalid.query.param.value',
    );
  });

  it('includes dateLastLogin only when expanded', async () => {
    const { users } = await sdk();
    expect(await users.getUser(janeId)).not.toHaveProperty('dateLastLogin');
    expect(await users.getUser(janeId, { expand: ['dateLastLogin'] })).toMatchObject({
      dateLastLogin: JANE.dateLastLogin,
    });
  });

  it('answers 404 with the error body for an unknown id', async () => {
    const token = await login();
    expectErrorBody(await call('GET', '/api/v2/users/nobody', { token }), 404, 'not.found');
  });
});

describe('DELETE /api/v2/users/{userId}', () => {
  it('soft deletes: state deleted, version bumped, gone from search', async () => {
    const { users } = await sdk();
    expect(await users.deleteUser(janeId)).toEqual({});
    expect(emulator.user(janeId)).toMatchObject({ state: 'deleted', version: 2, erased: false });
    const found = await users.postUsersSearch({
      query: [{ type: 'EXACT', fields: ['email'], value: JANE.email }],
    });
    expect(found.total).toBe(0);
    expect(emulator.calls().at(-2)).toMatchObject({
      method: 'DELETE',
      path: `/api/v2/users/${janeId}`,
      status: 200,
    });
  });

  it('answers 404 for an already deleted or unknown user', async () => {
    const { users } = await sdk();
    expect(await rejection(users.deleteUser(goneId))).toMatchObject({ status: 404 });
    expect(await rejection(users.deleteUser('nobody'))).toMatchObject({ status: 404 });
  });
});

describe('PATCH /api/v2/users/{userId}', () => {
  it('restores a deleted user given the current version', async () => {
    const { users } = await sdk();
    await users.deleteUser(janeId);
    const deleted = await users.getUser(janeId, { state: 'deleted' });
    const restored = await users.patchUser(janeId, { state: 'active', version: deleted.version });
    expect(restored).toMatchObject({ id: janeId, state: 'active', version: 3 });
    expect(emulator.user(janeId)).toMatchObject({ state: 'active', version: 3 });
  });

  it('answers 409 for a stale version and 400 without one', async () => {
    const { users } = await sdk();
    expect(await rejection(users.patchUser(goneId, { state: 'active', version: 0 }))).toMatchObject(
      { status: 409, code: 'general.conflict' },
    );
    const token = await login();
    expectErrorBody(
      await call('PATCH', `/api/v2/users/${goneId}`, { token, json: { state: 'active' } }),
      400,
      'constraint.validation',
    );
    expect(emulator.user(goneId)).toMatchObject({ state: 'deleted', version: 1 });
  });

  it('refuses to delete by PATCH and rejects undeclared properties', async () => {
    const token = await login();
    expectErrorBody(
      await call('PATCH', `/api/v2/users/${janeId}`, {
        token,
        json: { state: 'deleted', version: 1 },
      }),
      400,
      'bad.request',
    );
    expectErrorBody(
      await call('PATCH', `/api/v2/users/${janeId}`, { token, json: { version: 1, mood: 'sad' } }),
      400,
      'invalid.property',
    );
  });
});

describe('DELETE /api/v2/tokens/{userId}', () => {
  it('revokes the user’s sessions and records it', async () => {
    const { tokens } = await sdk();
    expect(await tokens.deleteToken(janeId)).toBeUndefined();
    expect(emulator.calls().at(-1)).toMatchObject({ method: 'DELETE', status: 204 });
    expect(emulator.tokenRevocations()).toEqual([{ userId: janeId, at: expect.any(String) }]);
    expect(emulator.user(janeId)?.tokenRevocations).toHaveLength(1);
  });

  it('answers 404 for an unknown user', async () => {
    const { tokens } = await sdk();
    expect(await rejection(tokens.deleteToken('nobody'))).toMatchObject({
      status: 404,
      code: 'not.found',
    });
  });
});

type GdprBody = Parameters<
  InstanceType<typeof platformClient.GeneralDataProtectionRegulationApi>['postGdprRequests']
>[0];

/** The SDK's GDPRRequest type marks server-set fields required; a client sends only these. */
function gdprBody(body: {
  requestType: string;
  subject: object;
  replacementTerms?: object[];
}): GdprBody {
  return body as GdprBody;
}

describe('POST /api/v2/gdpr/requests', () => {
  it('accepts a confirmed GDPR_DELETE with 202 and the stored request', async () => {
    const token = await login();
    const answer = await call('POST', '/api/v2/gdpr/requests?deleteConfirmed=true', {
      token,
      json: {
        requestType: 'GDPR_DELETE',
        subject: { userId: janeId, emailAddresses: [JANE.email] },
      },
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      id: expect.stringMatching(UUID),
      createdBy: { id: CLIENT_ID, selfUri: `/api/v2/oauth/clients/${CLIENT_ID}` },
      requestType: 'GDPR_DELETE',
      createdDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      status: 'INITIATED',
      subject: { userId: janeId, emailAddresses: [JANE.email] },
      selfUri: `/api/v2/gdpr/requests/${field(answer, 'id')}`,
    });
    expect(emulator.gdprRequests()).toHaveLength(1);
  });

  it('is reachable through the SDK with deleteConfirmed', async () => {
    const { gdpr } = await sdk();
    const created = await gdpr.postGdprRequests(
      gdprBody({ requestType: 'GDPR_DELETE', subject: { userId: janeId } }),
      { deleteConfirmed: true },
    );
    expect(created).toMatchObject({ status: 'INITIATED', requestType: 'GDPR_DELETE' });
    expect(emulator.calls().at(-1)).toMatchObject({ query: { deleteConfirmed: 'true' } });
  });

  const invalid: Array<[string, string, unknown, string]> = [
    ['missing requestType', '', { subject: { userId: 'u' } }, 'bad.request'],
    [
      'unknown requestType',
      '',
      { requestType: 'GDPR_FORGET', subject: { userId: 'u' } },
      'invalid.value',
    ],
    ['missing subject', '', { requestType: 'GDPR_EXPORT' }, 'bad.request'],
    ['empty subject', '', { requestType: 'GDPR_EXPORT', subject: {} }, 'bad.request'],
    [
      'subject of blanks only',
      '',
      { requestType: 'GDPR_EXPORT', subject: { name: ' ', emailAddresses: [] } },
      'bad.request',
    ],
    [
      'undeclared subject property',
      '',
      { requestType: 'GDPR_EXPORT', subject: { email: 'jane.doe@example.com' } },
      'invalid.property',
    ],
    [
      'undeclared request property',
      '',
      { requestType: 'GDPR_EXPORT', subject: { userId: 'u' }, reason: 'left' },
      'invalid.property',
    ],
    [
      'replacementTerms on a delete',
      '?deleteConfirmed=true',
      {
        requestType: 'GDPR_DELETE',
        subject: { userId: 'u' },
        replacementTerms: [{ type: 'NAME', existingValue: 'a', updatedValue: 'b' }],
      },
      'bad.request',
    ],
    [
      'replacementTerms on an export',
      '',
      {
        requestType: 'GDPR_EXPORT',
        subject: { userId: 'u' },
        replacementTerms: [{ type: 'NAME', existingValue: 'a', updatedValue: 'b' }],
      },
      'bad.request',
    ],
    [
      'update without replacementTerms',
      '',
      { requestType: 'GDPR_UPDATE', subject: { userId: 'u' } },
      'bad.request',
    ],
    [
      'replacement term of an unknown type',
      '',
      {
        requestType: 'GDPR_UPDATE',
        subject: { userId: 'u' },
        replacementTerms: [{ type: 'SHOE_SIZE', existingValue: '9', updatedValue: '10' }],
      },
      'invalid.value',
    ],
    [
      'delete without deleteConfirmed',
      '',
      { requestType: 'GDPR_DELETE', subject: { userId: 'u' } },
      'bad.request',
    ],
    [
      'delete with deleteConfirmed=false',
      '?deleteConfirmed=false',
      { requestType: 'GDPR_DELETE', subject: { userId: 'u' } },
      'bad.request',
    ],
    [
      'deleteConfirmed that is not a boolean',
      '?deleteConfirmed=yes',
      { requestType: 'GDPR_DELETE', subject: { userId: 'u' } },
      'invalid.query.param.value',
    ],
  ];

  it.each(invalid)('answers 400 for %s', async (_case, query, json, code) => {
    const token = await login();
    expectErrorBody(
      await call('POST', `/api/v2/gdpr/requests${query}`, { token, json }),
      400,
      code,
    );
    expect(emulator.gdprRequests()).toEqual([]);
  });

  it('answers 400 for malformed JSON and an empty body', async () => {
    const token = await login();
    expectErrorBody(
      await call('POST', '/api/v2/gdpr/requests', { token, raw: '{"requestType":' }),
      400,
      'bad.request',
    );
    expectErrorBody(await call('POST', '/api/v2/gdpr/requests', { token }), 400, 'bad.request');
  });
});

describe('GDPR request progression', () => {
  async function fileDelete(userId: string) {
    const { gdpr } = await sdk();
    const created = await gdpr.postGdprRequests(
      gdprBody({ requestType: 'GDPR_DELETE', subject: { userId } }),
      { deleteConfirmed: true },
    );
    return { gdpr, id: created.id as string };
  }

  it('walks a GDPR_DELETE to COMPLETED, one stage per poll, and erases the user', async () => {
    const { users } = await sdk();
    await users.deleteUser(janeId);
    const { gdpr, id } = await fileDelete(janeId);
    const seen: string[] = [];
    for (let poll = 0; poll < 5; poll++) seen.push((await gdpr.getGdprRequest(id)).status);
    expect(seen).toEqual(['SEARCHING', 'DELETING', 'FINALIZING', 'COMPLETED', 'COMPLETED']);
    expect(emulator.user(janeId)).toMatchObject({
      erased: true,
      state: 'deleted',
      name: 'Erased User',
      email: `erased-${janeId}@gdpr.invalid`,
    });
    expect(emulator.gdprRequests()[0]).toMatchObject({ polls: 5, status: 'COMPLETED' });
    const erased = await users.getUser(janeId, { state: 'deleted' });
    expect(
      await rejection(users.patchUser(janeId, { state: 'active', version: erased.version })),
    ).toMatchObject({ status: 400 });
  });

  it('walks a GDPR_UPDATE through UPDATING and applies the replacement terms', async () => {
    const { gdpr } = await sdk();
    const created = await gdpr.postGdprRequests(
      gdprBody({
        requestType: 'GDPR_UPDATE',
        subject: { userId: zoeId },
        replacementTerms: [
          { type: 'NAME', existingValue: 'Zoë Ångström', updatedValue: 'Pseudonym 7' },
          { type: 'EMAIL', existingValue: ZOE.email, updatedValue: 'p7@example.invalid' },
        ],
      }),
    );
    const seen: string[] = [];
    for (let poll = 0; poll < 4; poll++) {
      seen.push((await gdpr.getGdprRequest(created.id as string)).status);
    }
    expect(seen).toEqual(['SEARCHING', 'UPDATING', 'FINALIZING', 'COMPLETED']);
    expect(emulator.user(zoeId)).toMatchObject({
      name: 'Pseudonym 7',
      email: 'p7@example.invalid',
      erased: false,
      version: 2,
    });
  });

  it('needs pollsPerStage polls per stage', async () => {
    await start({ gdpr: { pollsPerStage: 2 } });
    const { gdpr, id } = await fileDelete(janeId);
    const seen: string[] = [];
    for (let poll = 0; poll < 4; poll++) seen.push((await gdpr.getGdprRequest(id)).status);
    expect(seen).toEqual(['INITIATED', 'SEARCHING', 'SEARCHING', 'DELETING']);
  });

  it('advances with time alone when only msPerStage is set', async () => {
    // Wide enough that the two immediate polls below land inside the first stage on a slow machine.
    await start({ gdpr: { msPerStage: 150 } });
    const { gdpr, id } = await fileDelete(janeId);
    expect((await gdpr.getGdprRequest(id)).status).toBe('INITIATED');
    expect((await gdpr.getGdprRequest(id)).status).toBe('INITIATED');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await gdpr.getGdprRequests()).entities?.[0]?.status).toBe('COMPLETED');
    expect(emulator.gdprRequests()[0]?.statusHistory.map((entry) => entry.status)).toEqual([
      'INITIATED',
      'SEARCHING',
      'DELETING',
      'FINALIZING',
      'COMPLETED',
    ]);
  });

  it('ends in ERROR when failGdprRequest is called, and stays there', async () => {
    const { gdpr, id } = await fileDelete(janeId);
    await gdpr.getGdprRequest(id);
    emulator.failGdprRequest(id);
    expect((await gdpr.getGdprRequest(id)).status).toBe('ERROR');
    expect((await gdpr.getGdprRequest(id)).status).toBe('ERROR');
    expect(emulator.user(janeId)?.erased).toBe(false);
  });

  it('ends the next N new requests in ERROR with failNextGdprRequests', async () => {
    emulator.failNextGdprRequests(1);
    const doomed = await fileDelete(janeId);
    const fine = await fileDelete(zoeId);
    const final = async (id: string) => {
      let status = '';
      for (let poll = 0; poll < 6; poll++) status = (await doomed.gdpr.getGdprRequest(id)).status;
      return status;
    };
    expect(await final(doomed.id)).toBe('ERROR');
    expect(await final(fine.id)).toBe('COMPLETED');
    expect(emulator.user(janeId)?.erased).toBe(false);
    expect(emulator.user(zoeId)?.erased).toBe(true);
  });

  it('answers 404 for an unknown request id', async () => {
    const { gdpr } = await sdk();
    expect(await rejection(gdpr.getGdprRequest('nope'))).toMatchObject({
      status: 404,
      code: 'not.found',
    });
  });
});

describe('GET /api/v2/gdpr/requests', () => {
  it('lists newest first with paging', async () => {
    const { gdpr } = await sdk();
    const ids: string[] = [];
    for (const userId of [janeId, zoeId, goneId]) {
      const created = await gdpr.postGdprRequests(
        gdprBody({ requestType: 'GDPR_EXPORT', subject: { userId } }),
      );
      ids.push(created.id as string);
    }
    const first = await gdpr.getGdprRequests({ pageSize: 2 });
    expect(first).toMatchObject({ total: 3, pageCount: 2, pageSize: 2, pageNumber: 1 });
    expect(first.entities?.map((request) => request.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextUri).toBe('/api/v2/gdpr/requests?pageSize=2&pageNumber=2');
    const second = await gdpr.getGdprRequests({ pageSize: 2, pageNumber: 2 });
    expect(second.entities?.map((request) => request.id)).toEqual([ids[0]]);
    // Listing is not polling: only GETs of a single request move it on.
    expect(second.entities?.[0]?.status).toBe('INITIATED');
  });

  it('lists oldest first, newest first or in a fixed shuffled order, as set', async () => {
    const seeded = emulator.seedGdprRequests(
      Array.from({ length: 5 }, (_, i) => ({
        requestType: 'GDPR_DELETE' as const,
        subject: { userId: `user-${i}` },
        createdDate: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      })),
    );
    expect(seeded.map((request) => request.status)).toEqual(Array(5).fill('COMPLETED'));
    const byAge = seeded.map((request) => request.id);
    const { gdpr } = await sdk();
    const listed = async () => {
      const ids: string[] = [];
      for (let pageNumber = 1; pageNumber <= 3; pageNumber++) {
        const page = await gdpr.getGdprRequests({ pageSize: 2, pageNumber });
        ids.push(...(page.entities ?? []).map((request) => request.id as string));
      }
      return ids;
    };
    expect(await listed()).toEqual([...byAge].reverse());
    emulator.setGdprListOrder('oldest-first');
    expect(await listed()).toEqual(byAge);
    // Through the control API too, for a bot in another process.
    await new EmulatorControlClient(emulator.url).setGdprListOrder('shuffled');
    const shuffled = await listed();
    expect([...shuffled].sort()).toEqual([...byAge].sort());
    expect(shuffled).toEqual([...byAge].sort());
    expect(await listed()).toEqual(shuffled);
    const started = await start({ gdpr: { listOrder: 'oldest-first' } });
    const again = started.seedGdprRequests([
      { requestType: 'GDPR_DELETE', subject: { userId: 'a' }, createdDate: '2026-01-01T00:00:00Z' },
      { requestType: 'GDPR_DELETE', subject: { userId: 'b' }, createdDate: '2026-01-02T00:00:00Z' },
    ]);
    const page = await (await sdk(started)).gdpr.getGdprRequests({ pageSize: 10 });
    expect(page.entities?.map((request) => request.id)).toEqual(again.map((request) => request.id));
  });

  it('answers 400 general.conflict for a directory conflict on DELETE user', async () => {
    emulator.injectFault(directoryConflictFault('DELETE', janeId));
    const token = await login();
    const answer = await call('DELETE', `/api/v2/users/${janeId}`, { token });
    expectErrorBody(answer, 400, 'general.conflict');
    expect(field(answer, 'message')).toBe('Conflict deleting specified userId');
    expect((await call('DELETE', `/api/v2/users/${janeId}`, { token })).status).toBe(200);
  });

  it('answers an empty listing and rejects bad paging', async () => {
    const { gdpr } = await sdk();
    expect(await gdpr.getGdprRequests()).toMatchObject({ total: 0, entities: [], pageCount: 0 });
    const token = await login();
    expectErrorBody(
      await call('GET', '/api/v2/gdpr/requests?pageSize=0', { token }),
      400,
      'invalid.query.param.value',
    );
  });
});

describe('GET /api/v2/gdpr/subjects', () => {
  it('finds subjects by email and name, deleted users included', async () => {
    const { gdpr } = await sdk();
    expect((await gdpr.getGdprSubjects('EMAIL', 'JANE.DOE@example.com')).entities).toEqual([
      { name: 'Jane Doe', userId: janeId, emailAddresses: [JANE.email] },
    ]);
    expect((await gdpr.getGdprSubjects('NAME', 'Gary Gone')).entities).toEqual([
      { name: 'Gary Gone', userId: goneId, emailAddresses: [GONE.email] },
    ]);
    expect(await gdpr.getGdprSubjects('PHONE', '+15551234')).toMatchObject({
      total: 0,
      entities: [],
    });
  });

  it('validates searchType and searchValue', async () => {
    const token = await login();
    expectErrorBody(
      await call('GET', '/api/v2/gdpr/subjects?searchType=SHOE&searchValue=x', { token }),
      400,
      'invalid.query.param.value',
    );
    expectErrorBody(
      await call('GET', '/api/v2/gdpr/subjects?searchType=EMAIL', { token }),
      400,
      'bad.request',
    );
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After and the Genesys body once the bucket is empty', async () => {
    await start({ rateLimit: { requestsPerSecond: 0.5, burst: 2 } });
    const token = await login();
    expect((await call('GET', `/api/v2/users/${janeId}`, { token })).status).toBe(200);
    expect((await call('GET', `/api/v2/users/${janeId}`, { token })).status).toBe(200);
    const limited = await call('GET', `/api/v2/users/${janeId}`, { token });
    expectErrorBody(limited, 429, 'too.many.requests.retry.after');
    const retryAfter = Number(limited.headers.get('Retry-After'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    expect(field(limited, 'message')).toBe(
      `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`,
    );
    expect(emulator.calls().at(-1)).toMatchObject({ status: 429 });
  });

  it('keeps one bucket per access token and can be switched at runtime', async () => {
    emulator.setRateLimit({ requestsPerSecond: 0.1, burst: 1 });
    const first = await login();
    const second = await login();
    expect((await call('GET', `/api/v2/users/${janeId}`, { token: first })).status).toBe(200);
    expect((await call('GET', `/api/v2/users/${janeId}`, { token: first })).status).toBe(429);
    expect((await call('GET', `/api/v2/users/${janeId}`, { token: second })).status).toBe(200);
    emulator.setRateLimit(null);
    expect((await call('GET', `/api/v2/users/${janeId}`, { token: first })).status).toBe(200);
  });

  it('reaches the SDK as a rejected 429 body, without a retry', async () => {
    const { users } = await sdk();
    emulator.setRateLimit({ requestsPerSecond: 0.1, burst: 1 });
    await users.getUser(janeId);
    emulator.clearCalls();
    expect(await rejection(users.getUser(janeId))).toMatchObject({
      status: 429,
      code: 'too.many.requests.retry.after',
    });
    expect(emulator.calls()).toHaveLength(1);
  });
});

describe('injected faults', () => {
  it('answers an injected status the given number of times', async () => {
    const { users } = await sdk();
    emulator.injectFault({
      kind: 'status',
      status: 503,
      path: `/api/v2/users/${janeId}`,
      times: 1,
    });
    expect(await rejection(users.getUser(janeId))).toMatchObject({
      status: 503,
      code: 'service.unavailable',
    });
    expect((await users.getUser(janeId)).id).toBe(janeId);
  });

  it('matches by method and regex, with a custom code and message', async () => {
    const { users } = await sdk();
    emulator.injectFault({
      kind: 'status',
      status: 409,
      code: 'request.conflict',
      message: 'Directory is busy',
      method: 'DELETE',
      path: /^\/api\/v2\/users\/[^/]+$/,
    });
    expect((await users.getUser(janeId)).id).toBe(janeId);
    expect(await rejection(users.deleteUser(janeId))).toMatchObject({
      status: 409,
      code: 'request.conflict',
      message: 'Directory is busy',
    });
    emulator.clearFaults();
    expect(await users.deleteUser(janeId)).toEqual({});
  });

  it('adds latency before the normal answer', async () => {
    const { users } = await sdk();
    emulator.injectFault({ kind: 'latency', ms: 150, path: `/api/v2/users/${janeId}`, times: 1 });
    const started = performance.now();
    expect((await users.getUser(janeId)).id).toBe(janeId);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('resets the connection without an answer', async () => {
    const { users } = await sdk();
    emulator.injectFault({ kind: 'reset', path: `/api/v2/users/${janeId}`, times: 2 });
    await expect(fetch(`${emulator.url}/api/v2/users/${janeId}`)).rejects.toThrow();
    const error = (await rejection(users.getUser(janeId))) as { code?: string; response?: unknown };
    expect(error.response).toBeUndefined();
    expect(error.code).toBe('ECONNRESET');
    expect(emulator.calls().filter((recorded) => recorded.status === 0)).toHaveLength(2);
  });

  it('applies to the login endpoint too, and sends Retry-After on an injected 429', async () => {
    emulator.injectFault({ kind: 'status', status: 429, path: '/oauth/token', times: 1 });
    const answer = await call('POST', '/oauth/token');
    expectErrorBody(answer, 429, 'too.many.requests.retry.after');
    expect(answer.headers.get('Retry-After')).toBe('1');
    expect(await login()).toEqual(expect.any(String));
  });
});

describe('in-process control', () => {
  it('seeds users with generated ids, and re-seeding an id moves its version on', () => {
    const [created] = emulator.seedUsers([{ name: 'Ada Lovelace', email: 'ada@example.com' }]);
    expect(created).toEqual({ id: expect.stringMatching(UUID), email: 'ada@example.com' });
    expect(emulator.user(created?.id as string)).toMatchObject({
      state: 'active',
      version: 1,
      division: { name: 'Home' },
    });
    emulator.seedUsers([{ ...JANE, title: 'Team Lead' }]);
    expect(emulator.user(janeId)).toMatchObject({ title: 'Team Lead', version: 2 });
  });

  it('hands out copies, so tests cannot change the emulator by accident', () => {
    const copy = emulator.user(janeId) as { name: string };
    copy.name = 'Changed';
    expect(emulator.user(janeId)?.name).toBe('Jane Doe');
  });

  it('refuses nonsense controls loudly', () => {
    expect(() => emulator.failGdprRequest('unknown')).toThrow(/No GDPR request/);
    expect(() => emulator.injectFault({ kind: 'status', status: 200, path: '/x' })).toThrow();
    expect(() => emulator.setRateLimit({ requestsPerSecond: 0 })).toThrow();
  });
});

describe('/__emulator control interface', () => {
  it('seeds users, exposes state and calls, without recording itself', async () => {
    const control = new EmulatorControlClient(emulator.url);
    const [seeded] = await control.seedUsers([{ name: 'Ola Nordmann', email: 'ola@example.com' }]);
    expect(seeded?.id).toMatch(UUID);
    const token = await login();
    await call('GET', `/api/v2/users/${seeded?.id}`, { token });
    const state = await control.state();
    expect(state.users.find((user) => user.id === seeded?.id)).toMatchObject({
      name: 'Ola Nordmann',
      state: 'active',
      version: 1,
    });
    expect(state.gdprRequests).toEqual([]);
    expect((await control.calls()).map((recorded) => recorded.path)).toEqual([
      '/oauth/token',
      `/api/v2/users/${seeded?.id}`,
    ]);
    await control.clearCalls();
    expect(await control.calls()).toEqual([]);
  });

  it('injects and clears faults, including regex paths', async () => {
    const control = new EmulatorControlClient(emulator.url);
    await control.injectFault({
      kind: 'status',
      status: 500,
      path: /^\/api\/v2\/users\//,
      times: 1,
    });
    const token = await login();
    expectErrorBody(
      await call('GET', `/api/v2/users/${janeId}`, { token }),
      500,
      'internal.server.error',
    );
    await control.injectFault({ kind: 'status', status: 502, path: `/api/v2/users/${janeId}` });
    expect((await call('GET', `/api/v2/users/${janeId}`, { token })).status).toBe(502);
    await control.clearFaults();
    expect((await call('GET', `/api/v2/users/${janeId}`, { token })).status).toBe(200);
  });

  it('accepts the raw JSON forms and rejects invalid faults', async () => {
    const posted = await call('POST', '/__emulator/faults', {
      json: { kind: 'latency', ms: 1, path: { regex: '^/api/v2/gdpr/' } },
    });
    expect(posted.status).toBe(204);
    expectErrorBody(
      await call('POST', '/__emulator/faults', { json: { kind: 'explode', path: '/x' } }),
      400,
      'bad.request',
    );
    expectErrorBody(
      await call('POST', '/__emulator/faults', { json: { kind: 'reset', path: { regex: '(' } } }),
      400,
      'bad.request',
    );
    expect((await call('POST', '/__emulator/users', { json: { users: [] } })).status).toBe(200);
  });

  it('sets the rate limit, fails GDPR requests and revokes tokens', async () => {
    const control = new EmulatorControlClient(emulator.url);
    const token = await login();
    await control.setRateLimit({ requestsPerSecond: 0.1, burst: 1 });
    expect((await call('GET', `/api/v2/users/${janeId}`, { token })).status).toBe(200);
    expect((await call('GET', `/api/v2/users/${janeId}`, { token })).status).toBe(429);
    await control.setRateLimit(null);

    const created = await call('POST', '/api/v2/gdpr/requests', {
      token,
      json: { requestType: 'GDPR_EXPORT', subject: { userId: janeId } },
    });
    await control.failGdprRequest(field(created, 'id'));
    expect(
      field(
        await call('GET', `/api/v2/gdpr/requests/${field(created, 'id')}`, { token }),
        'status',
      ),
    ).toBe('ERROR');
    await expect(control.failGdprRequest('unknown')).rejects.toThrow(/404/);

    await control.failNextGdprRequests(1);
    const doomed = await call('POST', '/api/v2/gdpr/requests', {
      token,
      json: { requestType: 'GDPR_EXPORT', subject: { userId: janeId } },
    });
    for (let poll = 0; poll < 3; poll++) {
      await call('GET', `/api/v2/gdpr/requests/${field(doomed, 'id')}`, { token });
    }
    expect((await control.state()).gdprRequests[0]).toMatchObject({ status: 'ERROR' });

    await control.revokeAllAccessTokens();
    expect((await call('GET', `/api/v2/users/${janeId}`, { token })).status).toBe(401);
  });
});

describe('robustness', () => {
  it('answers unknown routes and wrong methods with error bodies and correlation ids', async () => {
    const token = await login();
    expectErrorBody(await call('GET', '/nowhere'), 404, 'not.found');
    expectErrorBody(await call('GET', '/api/v2/routing/queues', { token }), 404, 'not.found');
    expectErrorBody(
      await call('PUT', `/api/v2/gdpr/requests`, { token, json: {} }),
      405,
      'method.not.allowed',
    );
    expectErrorBody(await call('GET', '/api/v2/users/%E0%A4%A', { token }), 400, 'bad.request');
  });

  it('answers 413 for an oversized body', async () => {
    const token = await login();
    const answer = await call('POST', '/api/v2/users/search', {
      token,
      raw: JSON.stringify({ query: [], padding: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expectErrorBody(answer, 413, 'request.entity.too.large');
  });

  it('survives garbage on the socket', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(emulator.port, '127.0.0.1', () => {
        socket.write('NOT HTTP AT ALL\r\n\r\n');
      });
      socket.on('data', () => socket.destroy());
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    expect(await login()).toEqual(expect.any(String));
  });

  it('closes promptly with keep-alive connections and requests in flight', async () => {
    const { users } = await sdk();
    await users.getUser(janeId);
    emulator.injectFault({ kind: 'latency', ms: 10_000, path: `/api/v2/users/${janeId}` });
    const pending = rejection(users.getUser(janeId));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBeDefined();
  });
});

describe('demo org and CLI', () => {
  it('ships a realistic demo org', () => {
    expect(DEMO_ORG_USERS.length).toBeGreaterThanOrEqual(10);
    expect(DEMO_ORG_USERS.every((user) => user.email.endsWith('@example.com'))).toBe(true);
    expect(DEMO_ORG_USERS.some((user) => user.name === 'Zoë Ångström')).toBe(true);
    expect(DEMO_ORG_USERS.filter((user) => user.state === 'inactive')).toHaveLength(1);
    expect(DEMO_ORG_USERS.filter((user) => user.state === 'deleted')).toHaveLength(1);
    expect(new Set(DEMO_ORG_USERS.map((user) => user.email)).size).toBe(DEMO_ORG_USERS.length);
  });

  it('starts from the command line with the demo org and prints how to log in', async () => {
    const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/genesys/emulator/cli.ts', '--port', '0'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('client secret')) resolve(text);
        });
        child.on('exit', (code) => reject(new Error(`cli exited with ${code}: ${text}`)));
      });
      expect(output).toContain(`client id:     ${CLIENT_ID}`);
      expect(output).toContain(`client secret: ${CLIENT_SECRET}`);
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1] as string;
      const state = await new EmulatorControlClient(url).state();
      expect(state.users).toHaveLength(DEMO_ORG_USERS.length);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
