import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { inspect } from 'node:util';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveRetryPolicy } from '../../src/genesys/call-retry-policy.js';
import {
  createGenesysClient,
  type GenesysClientOptions,
  type GenesysLogger,
} from '../../src/genesys/client.js';
import type { RecordedCall, RunningEmulator } from '../../src/genesys/emulator/index.js';
import {
  directoryConflictFault,
  SANDBOX_ORGANIZATION,
  startGenesysEmulator,
} from '../../src/genesys/emulator/index.js';
import { type GenesysError, isGenesysError, parseRetryAfter } from '../../src/genesys/errors.js';
import { pseudonymFor } from '../../src/genesys/gdpr-requests.js';
import { resolveRegionHost } from '../../src/genesys/regions.js';
import type { GdprStatus, GenesysClient } from '../../src/genesys/types.js';

const CLIENT_ID = 'emulator-client';
const CLIENT_SECRET = 'emulator-secret';

interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

function recordingLogger(entries: LogEntry[]): GenesysLogger {
  const at =
    (level: LogEntry['level']) =>
    (fields: Record<string, unknown>, message: string): void => {
      entries.push({ level, fields, message });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  } as unknown as GenesysLogger;
}

interface Harness {
  client: GenesysClient;
  waits: number[];
  logs: LogEntry[];
}

function harness(emu: RunningEmulator, overrides: Partial<GenesysClientOptions> = {}): Harness {
  const waits: number[] = [];
  const logs: LogEntry[] = [];
  const client = createGenesysClient({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    apiUrl: emu.url,
    logger: recordingLogger(logs),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    // Records the waits instead of sleeping them: Retry-After is asserted, tests stay fast.
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
  return { client, waits, logs };
}

const apiCalls = (emu: RunningEmulator, method?: string, path?: string): RecordedCall[] =>
  emu
    .calls()
    .filter(
      (call) =>
        call.path !== '/oauth/token' &&
        (method === undefined || call.method === method) &&
        (path === undefined || call.path === path),
    );

const logins = (emu: RunningEmulator): RecordedCall[] =>
  emu.calls().filter((call) => call.path === '/oauth/token');

async function rejection(promise: Promise<unknown>): Promise<GenesysError> {
  try {
    await promise;
  } catch (error) {
    if (isGenesysError(error)) return error;
    throw new Error(`expected a GenesysError, got ${inspect(error)}`);
  }
  throw new Error('expected the call to fail');
}

function seedOne(emu: RunningEmulator, state: 'active' | 'inactive' | 'deleted' = 'active') {
  const tag = randomUUID().slice(0, 8);
  const email = `person-${tag}@example.com`;
  const [seeded] = emu.seedUsers([
    { name: `Person ${tag}`, email, department: 'Support', title: 'Agent', state },
  ]);
  if (!seeded) throw new Error('seedUsers returned nothing');
  return { id: seeded.id, email, name: `Person ${tag}` };
}

describe('Genesys client against the emulator', () => {
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await startGenesysEmulator({
      users: [{ name: 'Seed User', email: 'seed@example.com', department: 'Ops', title: 'Lead' }],
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
      gdpr: { pollsPerStage: 1 },
      rateLimit: null,
    });
  });

  afterAll(async () => {
    await emu.close();
  });

  beforeEach(() => {
    emu.clearFaults();
    emu.setRateLimit(null);
    emu.clearCalls();
  });

  describe('login', () => {
    it('logs in once with client credentials and reuses the token', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      await client.getUser(person.id);
      await client.getUser(person.id);
      expect(logins(emu)).toHaveLength(1);
      expect(logins(emu)[0]?.body).toEqual({ grant_type: 'client_credentials' });
      expect(apiCalls(emu, 'GET')).toHaveLength(2);
    });

    it('shares one in-flight login between concurrent calls', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      const users = await Promise.all(Array.from({ length: 5 }, () => client.getUser(person.id)));
      expect(users.every((user) => user?.id === person.id)).toBe(true);
      expect(logins(emu)).toHaveLength(1);
    });

    it('logs in again once when Genesys answers 401, then retries the call', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      await client.getUser(person.id);
      emu.revokeAllAccessTokens();
      emu.clearCalls();
      expect((await client.getUser(person.id))?.id).toBe(person.id);
      expect(emu.calls().map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([
        `GET /api/v2/users/${person.id} 401`,
        'POST /oauth/token 200',
        `GET /api/v2/users/${person.id} 200`,
      ]);
    });

    it('gives up after one re-login when Genesys keeps answering 401', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      emu.injectFault({ path: `/api/v2/users/${person.id}`, kind: 'status', status: 401 });
      const error = await rejection(client.getUser(person.id));
      expect(error.status).toBe(401);
      expect(error.retryable).toBe(false);
      expect(apiCalls(emu)).toHaveLength(2);
      expect(logins(emu)).toHaveLength(2);
    });

    it('renews the token before it expires', async () => {
      const shortLived = await startGenesysEmulator({ tokenTtlSeconds: 600 });
      try {
        let now = 1_000_000;
        const { client } = harness(shortLived, { now: () => now });
        const [seeded] = shortLived.seedUsers([{ name: 'Short', email: 'short@example.com' }]);
        const id = seeded?.id ?? '';
        await client.getUser(id);
        now += 200_000;
        await client.getUser(id);
        expect(logins(shortLived)).toHaveLength(1);
        // Past the renewal point (5 minutes before the end of a 10-minute token).
        now += 101_000;
        await client.getUser(id);
        expect(logins(shortLived)).toHaveLength(2);
        expect(shortLived.calls().map((call) => call.status)).not.toContain(401);
      } finally {
        await shortLived.close();
      }
    });

    it('refuses wrong credentials with a clear, non-retryable error that hides the secret', async () => {
      const secret = 'wrong-secret-5f1e9c';
      const { client, logs } = harness(emu, { clientSecret: secret });
      const error = await rejection(client.findUsersByEmail('anyone@example.com'));
      expect(error.operation).toBe('login');
      expect(error.status).toBe(401);
      expect(error.code).toBe('invalid_client');
      expect(error.retryable).toBe(false);
      // The message reaches chat threads and notices: the client id and the login URL are
      // for the operator, in the log.
      expect(error.message).not.toContain(CLIENT_ID);
      expect(error.message).not.toContain(emu.url);
      expect(error.message).not.toContain('/oauth/token');
      const refusal = logs.find((entry) => entry.message.startsWith('Genesys login refused'));
      expect(refusal?.level).toBe('warn');
      expect(refusal?.fields).toMatchObject({
        clientId: CLIENT_ID,
        loginUrl: `${emu.url}/oauth/token`,
        status: 401,
      });
      expect(error.message).toContain('client not found');
      expect(error.message).toContain('Check the client id');
      expect(error.correlationId).toBe(logins(emu)[0]?.correlationId);
      // Neither the secret nor the Basic header built from it, anywhere in the error graph.
      const basic = Buffer.from(`${CLIENT_ID}:${secret}`).toString('base64');
      const dump = `${error.message}\n${inspect(error, { depth: 20 })}\n${JSON.stringify(error)}`;
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(basic);
      expect(dump).not.toMatch(/authorization/i);
      expect(logins(emu)).toHaveLength(1);
      expect(apiCalls(emu)).toHaveLength(0);
    });

    it('reads the organization the credentials belong to through OrganizationApi', async () => {
      const { client } = harness(emu);
      expect(await client.getOrganization()).toEqual({
        id: SANDBOX_ORGANIZATION.id,
        name: SANDBOX_ORGANIZATION.name,
      });
      expect(apiCalls(emu).map((call) => `${call.method} ${call.path}`)).toEqual([
        'GET /api/v2/organizations/me',
      ]);
      const other = await startGenesysEmulator({
        organization: { id: 'org-b-id', name: 'Org B <Ltd>' },
      });
      try {
        expect(await harness(other).client.getOrganization()).toEqual({
          id: 'org-b-id',
          name: 'Org B <Ltd>',
        });
      } finally {
        await other.close();
      }
    });

    it('retries a login that fails with a 5xx', async () => {
      const { client, waits } = harness(emu);
      emu.injectFault({ path: '/oauth/token', kind: 'status', status: 503, times: 1 });
      const person = seedOne(emu);
      expect((await client.getUser(person.id))?.id).toBe(person.id);
      expect(logins(emu).map((call) => call.status)).toEqual([503, 200]);
      expect(waits).toHaveLength(1);
    });
  });

  describe('users', () => {
    it('finds a user by exact email', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      const found = await client.findUsersByEmail(person.email);
      expect(found).toEqual([
        expect.objectContaining({
          id: person.id,
          email: person.email,
          name: person.name,
          state: 'active',
          department: 'Support',
          title: 'Agent',
          version: expect.any(Number),
          division: expect.objectContaining({ id: expect.any(String) }),
        }),
      ]);
      const [search] = apiCalls(emu, 'POST', '/api/v2/users/search');
      expect(search?.body).toMatchObject({
        query: [{ type: 'EXACT', fields: ['email'], value: person.email }],
      });
    });

    it('answers an empty list when nobody has the email', async () => {
      const { client } = harness(emu);
      expect(await client.findUsersByEmail(`nobody-${randomUUID()}@example.com`)).toEqual([]);
    });

    it('returns every active or inactive user sharing the email', async () => {
      const { client } = harness(emu);
      const email = `shared-${randomUUID().slice(0, 8)}@example.com`;
      emu.seedUsers([
        { name: 'Active One', email, state: 'active' },
        { name: 'Inactive One', email, state: 'inactive' },
        { name: 'Deleted One', email, state: 'deleted' },
      ]);
      const found = await client.findUsersByEmail(email);
      expect(found.map((user) => user.state).sort()).toEqual(['active', 'inactive']);
    });

    it('gets a user, undefined on 404, and a deleted one with state=deleted', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu, 'deleted');
      expect(await client.getUser(person.id)).toBeUndefined();
      const deleted = await client.getUser(person.id, { state: 'deleted' });
      expect(deleted).toMatchObject({ id: person.id, state: 'deleted' });
      const gets = apiCalls(emu, 'GET', `/api/v2/users/${person.id}`);
      expect(gets.map((call) => call.query.state)).toEqual([undefined, 'deleted']);
      expect(gets).toHaveLength(2);
    });

    it('revokes the tokens of a user', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      await client.revokeTokens(person.id);
      expect(emu.user(person.id)?.tokenRevocations).toHaveLength(1);
      expect(apiCalls(emu, 'DELETE', `/api/v2/tokens/${person.id}`)).toHaveLength(1);
    });

    it('soft deletes then restores a user with its current version', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      await client.softDeleteUser(person.id);
      expect(emu.user(person.id)?.state).toBe('deleted');
      const version = emu.user(person.id)?.version;

      const restored = await client.restoreUser(person.id);
      expect(restored).toMatchObject({ id: person.id, state: 'active' });
      expect(emu.user(person.id)?.state).toBe('active');
      const [patch] = apiCalls(emu, 'PATCH', `/api/v2/users/${person.id}`);
      expect(patch?.body).toEqual({ state: 'active', version });
      expect(
        apiCalls(emu, 'GET', `/api/v2/users/${person.id}`).map((call) => call.query.state),
      ).toEqual(['deleted']);
    });

    it('restoring an already active user answers it without a PATCH', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      expect(await client.restoreUser(person.id)).toMatchObject({ id: person.id, state: 'active' });
      expect(apiCalls(emu, 'PATCH')).toHaveLength(0);
    });

    it('fails to restore an unknown user with not.found', async () => {
      const { client } = harness(emu);
      const error = await rejection(client.restoreUser(randomUUID()));
      expect(error).toMatchObject({ code: 'not.found', status: 404, retryable: false });
    });
  });

  describe('GDPR requests', () => {
    it('files a GDPR_DELETE for the user id only, confirmed', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      const request = await client.createGdprRequest(
        { userId: person.id, name: person.name, email: person.email },
        'delete',
      );
      expect(request).toMatchObject({
        requestType: 'GDPR_DELETE',
        status: 'INITIATED',
        subject: { userId: person.id },
      });
      const [post] = apiCalls(emu, 'POST', '/api/v2/gdpr/requests');
      expect(post?.query).toEqual({ deleteConfirmed: 'true' });
      expect(post?.body).toEqual({ requestType: 'GDPR_DELETE', subject: { userId: person.id } });
      const stored = emu.gdprRequests().find((entry) => entry.id === request.id);
      expect(stored?.deleteConfirmed).toBe(true);
    });

    it('adds the email to a GDPR_DELETE subject when configured', async () => {
      const { client } = harness(emu, { gdprIncludeEmail: true });
      const person = seedOne(emu);
      await client.createGdprRequest(
        { userId: person.id, name: person.name, email: person.email },
        'delete',
      );
      const [post] = apiCalls(emu, 'POST', '/api/v2/gdpr/requests');
      expect(post?.body).toEqual({
        requestType: 'GDPR_DELETE',
        subject: { userId: person.id, emailAddresses: [person.email] },
      });
    });

    it('files a GDPR_UPDATE replacing name and email with a stable pseudonym', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      const pseudonym = pseudonymFor(person.id);
      const request = await client.createGdprRequest(
        { userId: person.id, name: person.name, email: person.email },
        'anonymize',
      );
      expect(request.requestType).toBe('GDPR_UPDATE');
      const [post] = apiCalls(emu, 'POST', '/api/v2/gdpr/requests');
      expect(post?.query).toEqual({});
      expect(post?.body).toEqual({
        requestType: 'GDPR_UPDATE',
        subject: { userId: person.id },
        replacementTerms: [
          { type: 'NAME', existingValue: person.name, updatedValue: pseudonym.name },
          { type: 'EMAIL', existingValue: person.email, updatedValue: pseudonym.email },
        ],
      });
    });

    it('follows a request to COMPLETED and lists it', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      const created = await client.createGdprRequest(
        { userId: person.id, name: person.name, email: person.email },
        'delete',
      );
      const seen: GdprStatus[] = [created.status];
      for (let poll = 0; poll < 20 && seen.at(-1) !== 'COMPLETED'; poll++) {
        seen.push((await client.getGdprRequest(created.id)).status);
      }
      expect(seen[0]).toBe('INITIATED');
      expect(seen.at(-1)).toBe('COMPLETED');
      expect(seen).not.toContain('ERROR');

      const page = await client.listGdprRequests({ pageSize: 100 });
      expect(page.entities.find((entry) => entry.id === created.id)?.status).toBe('COMPLETED');
      expect(page).toMatchObject({ pageNumber: 1, pageSize: 100 });
      expect(page.total).toBeGreaterThanOrEqual(1);
    });

    it('reports ERROR when Genesys fails the request', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      emu.failNextGdprRequests(1);
      const created = await client.createGdprRequest(
        { userId: person.id, name: person.name, email: person.email },
        'anonymize',
      );
      let status: GdprStatus = created.status;
      for (let poll = 0; poll < 20 && status !== 'COMPLETED' && status !== 'ERROR'; poll++) {
        status = (await client.getGdprRequest(created.id)).status;
      }
      expect(status).toBe('ERROR');
    });

    // Changed with issue 11: the client used to look for the request itself and resend. That
    // look-up now lives once, in the workflow's GDPR step (workflow/gdpr-lookup.ts), which runs
    // it before any new try; the client never resends an irreversible POST after an ambiguous
    // answer.
    it('does not resend the POST when it timed out (Genesys may have taken it)', async () => {
      const { client } = harness(emu, { timeoutMs: 100 });
      const person = seedOne(emu);
      emu.injectFault({
        method: 'POST',
        path: '/api/v2/gdpr/requests',
        kind: 'latency',
        ms: 250,
        times: 1,
      });
      const error = await rejection(
        client.createGdprRequest(
          { userId: person.id, name: person.name, email: person.email },
          'delete',
        ),
      );
      expect(error).toMatchObject({ code: 'timeout', retryable: true, attempts: 1 });
      await delay(300);
      expect(apiCalls(emu, 'POST', '/api/v2/gdpr/requests')).toHaveLength(1);
      expect(emu.gdprRequests().filter((entry) => entry.subject.userId === person.id)).toHaveLength(
        1,
      );
    });

    it('does not resend the POST after a 5xx either; a 429 is resent', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      const target = { userId: person.id, name: person.name, email: person.email };
      const post = { method: 'POST', path: '/api/v2/gdpr/requests', times: 1 } as const;
      emu.injectFault({ ...post, kind: 'status', status: 502 });
      const error = await rejection(client.createGdprRequest(target, 'delete'));
      expect(error).toMatchObject({ status: 502, retryable: true, attempts: 1 });
      const mine = () => emu.gdprRequests().filter((entry) => entry.subject.userId === person.id);
      expect(mine()).toHaveLength(0);

      emu.injectFault({ ...post, kind: 'status', status: 429 });
      const request = await client.createGdprRequest(target, 'delete');
      expect(apiCalls(emu, 'POST', '/api/v2/gdpr/requests').map((call) => call.status)).toEqual([
        502, 429, 202,
      ]);
      expect(mine().map((entry) => entry.id)).toEqual([request.id]);
    });

    it('runs beforeSend before every send of the POST, and a throw stops it unsent', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      const target = { userId: person.id, name: person.name, email: person.email };
      emu.injectFault({
        method: 'POST',
        path: '/api/v2/gdpr/requests',
        kind: 'status',
        status: 429,
        times: 1,
      });
      let checks = 0;
      await client.createGdprRequest(target, 'delete', {
        beforeSend: async () => {
          checks += 1;
        },
      });
      expect(checks).toBe(2);
      const refused = client.createGdprRequest(target, 'delete', {
        beforeSend: async () => {
          throw new Error('lease lost');
        },
      });
      await expect(refused).rejects.toThrow('lease lost');
      expect(apiCalls(emu, 'POST', '/api/v2/gdpr/requests')).toHaveLength(2);
      expect(emu.gdprRequests().filter((entry) => entry.subject.userId === person.id)).toHaveLength(
        1,
      );
    });
  });

  describe('retries and errors', () => {
    it('honours Retry-After on a 429', async () => {
      const { client, waits, logs } = harness(emu);
      const person = seedOne(emu);
      emu.injectFault({
        path: `/api/v2/users/${person.id}`,
        kind: 'status',
        status: 429,
        times: 1,
      });
      expect((await client.getUser(person.id))?.id).toBe(person.id);
      // The emulator sends Retry-After: 1 with injected 429s.
      expect(waits).toEqual([1000]);
      const [limited] = apiCalls(emu, 'GET');
      const warn = logs.find((entry) => entry.level === 'warn');
      expect(warn?.fields).toMatchObject({
        operation: 'getUser',
        status: 429,
        waitMs: 1000,
        correlationId: limited?.correlationId,
      });
    });

    it('waits as long as the rate limiter asks before calling again', async () => {
      const waits: number[] = [];
      // Really sleeps, or the emulator's bucket never refills.
      const { client } = harness(emu, {
        sleep: async (ms) => {
          waits.push(ms);
          await delay(ms);
        },
      });
      const person = seedOne(emu);
      emu.setRateLimit({ requestsPerSecond: 1, burst: 1 });
      await client.getUser(person.id);
      await client.getUser(person.id);
      const gets = apiCalls(emu, 'GET');
      // Usually [200, 429, 200]; a timer firing a hair early on a busy machine adds a 429.
      expect(gets[0]?.status).toBe(200);
      expect(gets[1]?.status).toBe(429);
      expect(gets.at(-1)?.status).toBe(200);
      // 1 request per second with an empty bucket: the emulator says Retry-After: 1.
      expect(waits.length).toBe(gets.length - 2);
      expect(waits.every((ms) => ms === 1000)).toBe(true);
      gets.slice(1, -1).forEach((limited, index) => {
        const next = gets[index + 2];
        expect((next?.at ?? 0) - limited.at).toBeGreaterThanOrEqual(999);
      });
    }, 10_000);

    it('hands a long Retry-After back to the caller instead of sleeping it', async () => {
      const { client, waits } = harness(emu, { retry: { maxRetryAfterMs: 500 } });
      const person = seedOne(emu);
      emu.injectFault({ path: `/api/v2/users/${person.id}`, kind: 'status', status: 429 });
      const error = await rejection(client.getUser(person.id));
      expect(error).toMatchObject({
        status: 429,
        code: 'too.many.requests.retry.after',
        retryable: true,
        retryAfterMs: 1000,
      });
      expect(waits).toEqual([]);
      expect(apiCalls(emu)).toHaveLength(1);
    });

    it('does not park other calls for a long pause another call was told to wait', async () => {
      const { client, waits } = harness(emu, { retry: { maxRetryAfterMs: 500 } });
      const person = seedOne(emu);
      emu.injectFault({
        path: `/api/v2/users/${person.id}`,
        kind: 'status',
        status: 429,
        times: 1,
      });
      // Retry-After 1 s is longer than this client waits in-process (500 ms).
      await rejection(client.getUser(person.id));
      const error = await rejection(client.revokeTokens(person.id));
      expect(error).toMatchObject({ status: 429, retryable: true, operation: 'revokeTokens' });
      expect(error.retryAfterMs).toBeGreaterThan(500);
      expect(error.retryAfterMs).toBeLessThanOrEqual(1000);
      // Neither slept the pause; the second was not even sent.
      expect(waits).toEqual([]);
      expect(apiCalls(emu)).toHaveLength(1);
    });

    it('retries 400 general.conflict on DELETE and PATCH user, as a version conflict', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      emu.injectFault(directoryConflictFault('DELETE', person.id));
      await client.softDeleteUser(person.id);
      expect(apiCalls(emu, 'DELETE').map((call) => call.status)).toEqual([400, 200]);
      expect(emu.user(person.id)?.state).toBe('deleted');

      emu.injectFault(directoryConflictFault('PATCH', person.id, 2));
      const restored = await client.restoreUser(person.id);
      expect(restored.state).toBe('active');
      expect(apiCalls(emu, 'PATCH').map((call) => call.status)).toEqual([400, 400, 200]);
    });

    it('does not retry any other 400 on DELETE user', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      emu.injectFault({
        method: 'DELETE',
        path: `/api/v2/users/${person.id}`,
        kind: 'status',
        status: 400,
        code: 'bad.request',
        times: 1,
      });
      const error = await rejection(client.softDeleteUser(person.id));
      expect(error).toMatchObject({ status: 400, retryable: false });
      expect(apiCalls(emu, 'DELETE')).toHaveLength(1);
    });

    it('retries a 5xx with capped backoff until it succeeds', async () => {
      const { client, waits } = harness(emu);
      const person = seedOne(emu);
      emu.injectFault({
        method: 'DELETE',
        path: `/api/v2/users/${person.id}`,
        kind: 'status',
        status: 503,
        times: 2,
      });
      await client.softDeleteUser(person.id);
      expect(apiCalls(emu, 'DELETE').map((call) => call.status)).toEqual([503, 503, 200]);
      expect(waits).toHaveLength(2);
      expect(waits.every((ms) => ms >= 0 && ms <= 5)).toBe(true);
      expect(emu.user(person.id)?.state).toBe('deleted');
    });

    it('gives up after maxAttempts with a retryable error', async () => {
      const { client } = harness(emu, { retry: { maxAttempts: 3, baseDelayMs: 1 } });
      const person = seedOne(emu);
      emu.injectFault({ path: `/api/v2/users/${person.id}`, kind: 'status', status: 500 });
      const error = await rejection(client.softDeleteUser(person.id));
      expect(error).toMatchObject({
        status: 500,
        code: 'internal.server.error',
        retryable: true,
        attempts: 3,
        operation: 'softDeleteUser',
      });
      expect(error.message).toContain('gave up after 3 attempts');
      expect(apiCalls(emu)).toHaveLength(3);
      expect(error.correlationId).toBe(apiCalls(emu)[2]?.correlationId);
    });

    it('does not retry a 404 and types the error', async () => {
      const { client, waits } = harness(emu);
      const id = randomUUID();
      const error = await rejection(client.softDeleteUser(id));
      const calls = apiCalls(emu);
      expect(calls).toHaveLength(1);
      expect(waits).toEqual([]);
      expect(error).toMatchObject({
        name: 'GenesysError',
        code: 'not.found',
        status: 404,
        retryable: false,
        operation: 'softDeleteUser',
        correlationId: calls[0]?.correlationId,
        genesysMessage: 'Unable to find a user with that userId',
      });
      expect(error.message).toBe(
        `Genesys refused DELETE /api/v2/users/${id}: 404 not.found: Unable to find a user with that userId`,
      );
      expect(error.cause).toBeInstanceOf(Error);
      // The SDK's AxiosError holds the request config with the bearer token: it must be gone.
      expect(inspect(error, { depth: 20 })).not.toMatch(/bearer|authorization/i);
    });

    it('does not retry a 400', async () => {
      const { client } = harness(emu);
      emu.injectFault({ path: '/api/v2/users/search', kind: 'status', status: 400 });
      const error = await rejection(client.findUsersByEmail('someone@example.com'));
      expect(error).toMatchObject({ status: 400, code: 'bad.request', retryable: false });
      expect(apiCalls(emu)).toHaveLength(1);
    });

    it('retries a version conflict on DELETE user but not on PATCH', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu);
      emu.injectFault({
        method: 'DELETE',
        path: `/api/v2/users/${person.id}`,
        kind: 'status',
        status: 409,
        times: 1,
      });
      await client.softDeleteUser(person.id);
      expect(apiCalls(emu, 'DELETE').map((call) => call.status)).toEqual([409, 200]);

      emu.injectFault({
        method: 'PATCH',
        path: `/api/v2/users/${person.id}`,
        kind: 'status',
        status: 409,
        times: 1,
      });
      const error = await rejection(client.restoreUser(person.id));
      expect(error).toMatchObject({ status: 409, retryable: false, operation: 'restoreUser' });
      expect(apiCalls(emu, 'PATCH')).toHaveLength(1);
    });

    it('treats a retried DELETE answered 404 as done when the first attempt went through', async () => {
      const { client } = harness(emu, { timeoutMs: 100, sleep: () => delay(300) });
      const person = seedOne(emu);
      emu.injectFault({
        method: 'DELETE',
        path: `/api/v2/users/${person.id}`,
        kind: 'latency',
        ms: 200,
        times: 1,
      });
      await client.softDeleteUser(person.id);
      // The first answer never reached the client (recorded as 0), but Genesys had acted.
      expect(apiCalls(emu, 'DELETE').map((call) => call.status)).toEqual([0, 404]);
      expect(emu.user(person.id)?.state).toBe('deleted');
    });

    it('still refuses to delete a user that was already deleted', async () => {
      const { client } = harness(emu);
      const person = seedOne(emu, 'deleted');
      const error = await rejection(client.softDeleteUser(person.id));
      expect(error).toMatchObject({ status: 404, attempts: 1 });
    });

    it('treats a retried restore answered 409 as done when the first PATCH went through', async () => {
      const { client } = harness(emu, { timeoutMs: 100, sleep: () => delay(300) });
      const person = seedOne(emu, 'deleted');
      emu.injectFault({
        method: 'PATCH',
        path: `/api/v2/users/${person.id}`,
        kind: 'latency',
        ms: 200,
        times: 1,
      });
      expect(await client.restoreUser(person.id)).toMatchObject({ id: person.id, state: 'active' });
      // The first answer never reached the client (recorded as 0), but Genesys had acted.
      expect(apiCalls(emu, 'PATCH').map((call) => call.status)).toEqual([0, 409]);
    });

    it('retries a connection reset', async () => {
      const { client, waits } = harness(emu);
      const person = seedOne(emu);
      emu.injectFault({ path: `/api/v2/users/${person.id}`, kind: 'reset', times: 1 });
      expect((await client.getUser(person.id))?.id).toBe(person.id);
      expect(apiCalls(emu).map((call) => call.status)).toEqual([0, 200]);
      expect(waits).toHaveLength(1);
    });

    it('types a persistent reset as a retryable network error', async () => {
      const { client } = harness(emu, { retry: { maxAttempts: 2, baseDelayMs: 1 } });
      const person = seedOne(emu);
      emu.injectFault({ path: `/api/v2/users/${person.id}`, kind: 'reset' });
      const error = await rejection(client.getUser(person.id));
      expect(error).toMatchObject({
        code: 'network.error',
        status: undefined,
        retryable: true,
        correlationId: undefined,
      });
      expect(error.message).toMatch(/socket hang up|ECONNRESET/);
    });

    it('turns a hung call into a retryable timeout', async () => {
      const { client } = harness(emu, { timeoutMs: 100, retry: { maxAttempts: 2 } });
      const person = seedOne(emu);
      emu.injectFault({ path: `/api/v2/users/${person.id}`, kind: 'latency', ms: 1_000 });
      const error = await rejection(client.getUser(person.id));
      expect(error).toMatchObject({ code: 'timeout', retryable: true, attempts: 2 });
    });

    it('logs every call at debug with the correlation id, never the secret or a token', async () => {
      const { client, logs } = harness(emu);
      const person = seedOne(emu);
      await client.getUser(person.id);
      const [get] = apiCalls(emu, 'GET');
      const entry = logs.find((log) => log.fields.operation === 'getUser');
      expect(entry?.level).toBe('debug');
      expect(entry?.fields).toMatchObject({
        method: 'GET',
        path: `/api/v2/users/${person.id}`,
        status: 200,
        correlationId: get?.correlationId,
        durationMs: expect.any(Number),
      });
      const dump = JSON.stringify(logs);
      expect(dump).not.toContain(CLIENT_SECRET);
      expect(dump).not.toMatch(/bearer|access_token|authorization/i);
    });

    it('rejects an empty id without calling Genesys', async () => {
      const { client } = harness(emu);
      const error = await rejection(client.softDeleteUser(''));
      expect(error).toMatchObject({ code: 'invalid.argument', retryable: false });
      expect(emu.calls()).toHaveLength(0);
    });
  });
});

describe('retry helpers', () => {
  const policy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('42')).toBe(42);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
  });

  it('validates the retry options', () => {
    expect(resolveRetryPolicy({ maxAttempts: 2 })).toEqual({ ...policy, maxAttempts: 2 });
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow(/retry.baseDelayMs/);
  });
});

describe('Genesys client with a pino logger', () => {
  it('writes call logs and errors without secrets', async () => {
    const emu = await startGenesysEmulator({});
    try {
      const lines: string[] = [];
      const logger = pino(
        { level: 'debug' },
        {
          write: (line: string) => {
            lines.push(line);
          },
        },
      );
      const client = createGenesysClient({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        apiUrl: emu.url,
        logger,
        retry: { baseDelayMs: 1 },
      });
      emu.injectFault({ path: '/api/v2/users/search', kind: 'status', status: 503, times: 1 });
      await client.findUsersByEmail('seed@example.com');
      const error = await rejection(client.softDeleteUser(randomUUID()));
      logger.error({ err: error }, 'step failed');
      const output = lines.join('');
      expect(output).toContain('"correlationId"');
      expect(output).toContain('"level":40');
      expect(output).toContain('not.found');
      expect(output).not.toContain(CLIENT_SECRET);
      expect(output).not.toMatch(/bearer|authorization|access_token/i);
    } finally {
      await emu.close();
    }
  });
});

describe('Genesys client configuration', () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  it('reaches an apiUrl with a path prefix through the SDK gateway', async () => {
    emu = await startGenesysEmulator({});
    // The emulator serves at its root, so a prefix must make both login and API calls miss.
    const { client } = harness(emu, { apiUrl: `${emu.url}/prefix/`, retry: { maxAttempts: 1 } });
    const error = await rejection(client.findUsersByEmail('x@example.com'));
    expect(error.operation).toBe('login');
    expect(emu.calls()[0]?.path).toBe('/prefix/oauth/token');
  });

  it('resolves regions given as host or SDK key', () => {
    expect(resolveRegionHost('mypurecloud.ie')).toBe('mypurecloud.ie');
    expect(resolveRegionHost('eu_west_1')).toBe('mypurecloud.ie');
    expect(resolveRegionHost('eu-central-1')).toBe('mypurecloud.de');
    expect(resolveRegionHost(' USW2.pure.cloud ')).toBe('usw2.pure.cloud');
    expect(resolveRegionHost('mars_north_1')).toBeUndefined();
  });

  it('refuses an unknown region at construction', () => {
    expect(() =>
      createGenesysClient({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        region: 'mars_north_1',
      }),
    ).toThrow(/Unknown Genesys Cloud region "mars_north_1".*mypurecloud\.ie \(eu_west_1\)/);
  });

  it('derives a stable pseudonym from the user id', () => {
    const a = pseudonymFor('3f2a9c00-0000-4000-8000-000000000000');
    expect(a).toEqual(pseudonymFor('3f2a9c00-0000-4000-8000-000000000000'));
    expect(a.name).toMatch(/^Former employee [0-9a-f]{8}$/);
    expect(a.email).toMatch(/^former-employee-[0-9a-f]{8}@invalid\.example$/);
    expect(a.email).toContain(a.name.slice('Former employee '.length));
    expect(pseudonymFor('another-user')).not.toEqual(a);
  });
});
