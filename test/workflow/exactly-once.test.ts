import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { createGenesysClient } from '../../src/genesys/client.js';
import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type {
  GdprListOrder,
  RunningEmulator,
  SeedGdprRequest,
} from '../../src/genesys/emulator/types.js';
import type { GenesysClient } from '../../src/genesys/types.js';
import { insertRequest } from '../../src/offboarding/request.repository.js';
import { type StepName, stepsFor } from '../../src/offboarding/steps.js';
import { type JobQueue, startJobQueue } from '../../src/workflow/queue.js';
import { retryFailedRequest } from '../../src/workflow/retry-failed-request.js';
import { LOCK_NAMESPACE, WorkflowRunner } from '../../src/workflow/runner.js';
import { createPendingSteps } from '../../src/workflow/step.repository.js';
import {
  createPostgresTestDatabase,
  hasPostgres,
  type TestDatabase,
} from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait.js';

// The workflow runner against the real database, the real job queue and the emulator behind the
// real SDK. Steps are driven by calling the job handler directly, so each test decides when a
// "worker" runs and the interleavings are exact.

const TARGET = { name: 'Lease Target', email: 'lease.target@example.com' };
const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface World {
  database: TestDatabase & { url: string };
  emulator: RunningEmulator;
  queue: JobQueue;
  extraPools: DatabaseHandle[];
  userId: string;
}
let world: World | undefined;

afterEach(async () => {
  if (!world) return;
  await world.queue.stop({ graceful: false, wait: true });
  for (const pool of world.extraPools) await pool.close().catch(() => undefined);
  await world.emulator.close();
  await world.database.drop();
  world = undefined;
});

async function startWorld(): Promise<World> {
  const database = await createPostgresTestDatabase();
  const emulator = await startGenesysEmulator({ users: [TARGET] });
  const queue = await startJobQueue({ connectionString: database.url, logger: silent });
  const stored = await fetch(`${emulator.url}/__emulator/state`).then(
    (r) => r.json() as Promise<{ users: Array<{ id: string; email: string }> }>,
  );
  const target = stored.users.find((user) => user.email === TARGET.email);
  if (!target) throw new Error('target not seeded');
  world = { database, emulator, queue, extraPools: [], userId: target.id };
  return world;
}

function genesysFor(
  w: World,
  options: { timeoutMs?: number; maxAttempts?: number; maxRetryAfterMs?: number } = {},
) {
  return createGenesysClient({
    clientId: 'emulator-client',
    clientSecret: 'emulator-secret',
    apiUrl: w.emulator.url,
    timeoutMs: options.timeoutMs ?? 5_000,
    retry: {
      maxAttempts: options.maxAttempts ?? 2,
      baseDelayMs: 1,
      maxDelayMs: 5,
      ...(options.maxRetryAfterMs === undefined
        ? {}
        : { maxRetryAfterMs: options.maxRetryAfterMs }),
    },
  });
}

/** A worker: its own pool (so its own lock connection), runner and Genesys client. */
function worker(
  w: World,
  genesys: GenesysClient,
  options: { leaseSeconds?: number; ownPool?: boolean } = {},
): WorkflowRunner {
  let locks = w.database.locks;
  if (options.ownPool) {
    const pool = createDatabase(w.database.url, { max: 3 });
    w.extraPools.push(pool);
    locks = pool.locks;
  }
  return new WorkflowRunner({
    locks,
    queue: w.queue,
    genesys,
    logger: silent,
    gdprPollIntervalSeconds: 1,
    retryBackoff: { baseSeconds: 1, maxSeconds: 1 },
    stepLeaseSeconds: options.leaseSeconds ?? 60,
  });
}

async function approvedRequest(w: World, targetId = w.userId): Promise<number> {
  const request = await insertRequest(w.database.db, {
    state: 'approved',
    target_genesys_id: targetId,
    target_name: TARGET.name,
    target_email: TARGET.email,
    target_state: 'active',
    requester_platform: 'slack',
    requester_id: 'U0REQ',
    gdpr_mode: 'delete',
    expires_at: new Date(Date.now() + 86_400_000),
  });
  await createPendingSteps(w.database.db, request.id, stepsFor(request.gdpr_mode));
  return request.id;
}

async function step(w: World, requestId: number, name: StepName) {
  return w.database.db
    .selectFrom('workflow_steps')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('step', '=', name)
    .executeTakeFirstOrThrow();
}

async function requestRow(w: World, requestId: number) {
  return w.database.db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
}

/** Runs the job handler until `name` is the next step to run. */
async function runUntil(w: World, runner: WorkflowRunner, requestId: number, name: StepName) {
  for (let i = 0; i < 20; i++) {
    if ((await step(w, requestId, name)).status !== 'pending') return;
    const steps = await w.database.db
      .selectFrom('workflow_steps')
      .select(['step', 'status'])
      .where('request_id', '=', requestId)
      .orderBy('id')
      .execute();
    if (steps.find((s) => s.status !== 'succeeded')?.step === name) return;
    await runner.runNextStep(requestId);
  }
  throw new Error(`never reached ${name}`);
}

async function runToEnd(w: World, runner: WorkflowRunner, requestId: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const { state } = await requestRow(w, requestId);
    if (state === 'completed' || state === 'failed') return state;
    await runner.runNextStep(requestId);
    // A step held by another attempt's lease makes no progress until the lease ends.
    await sleep(50);
  }
  throw new Error('request did not finish');
}

const gdprPosts = (w: World) =>
  w.emulator.calls().filter((c) => c.method === 'POST' && c.path === '/api/v2/gdpr/requests');
const listings = (w: World) =>
  w.emulator.calls().filter((c) => c.method === 'GET' && c.path === '/api/v2/gdpr/requests');
const requestsFor = (w: World) =>
  w.emulator.gdprRequests().filter((r) => r.subject.userId === w.userId);

/** 150 requests filed before this run: other people's, and this person's from long ago. */
function olderRequests(userId: string): SeedGdprRequest[] {
  const dayMs = 86_400_000;
  return Array.from({ length: 150 }, (_, i) => ({
    requestType: 'GDPR_DELETE' as const,
    subject: { userId: i % 10 === 0 ? userId : `someone-else-${i}` },
    createdDate: new Date(Date.now() - (200 - i) * dayMs).toISOString(),
  }));
}

const ORDERS: GdprListOrder[] = ['newest-first', 'oldest-first', 'shuffled'];

describe.skipIf(!hasPostgres)('exactly one GDPR request', () => {
  it.each(ORDERS)(
    'after an interrupted POST, with 150 older requests listed %s and the listing failing after the restart',
    { timeout: 60_000 },
    async (order) => {
      const w = await startWorld();
      w.emulator.seedGdprRequests(olderRequests(w.userId));
      w.emulator.setGdprListOrder(order);
      // The answer to the POST is lost (the client gives up at 500 ms), but Genesys files it.
      const runner = worker(w, genesysFor(w, { timeoutMs: 500 }));
      const requestId = await approvedRequest(w);
      await runUntil(w, runner, requestId, 'file_gdpr');
      w.emulator.injectFault({
        method: 'POST',
        path: '/api/v2/gdpr/requests',
        kind: 'latency',
        ms: 1_000,
        times: 1,
      });
      await runner.runNextStep(requestId);
      expect((await step(w, requestId, 'file_gdpr')).status).toBe('running');
      await waitFor('Genesys filed it anyway', async () =>
        requestsFor(w).length === 16 ? true : undefined,
      );
      expect(gdprPosts(w)).toHaveLength(1);

      // "Restart": a new client and runner. The listing fails three times (5xx, reset, timeout);
      // with two tries per call, the first look-up gives up, the next one succeeds.
      const restarted = worker(w, genesysFor(w, { timeoutMs: 2_000 }));
      const listing = { method: 'GET', path: '/api/v2/gdpr/requests', times: 1 } as const;
      w.emulator.injectFault({ ...listing, kind: 'status', status: 503 });
      w.emulator.injectFault({ ...listing, kind: 'reset' });
      w.emulator.injectFault({ ...listing, kind: 'status', status: 502 });
      await restarted.runNextStep(requestId);
      // The look-up failed: nothing filed, the step waits to look again.
      expect(gdprPosts(w)).toHaveLength(1);
      const waiting = await step(w, requestId, 'file_gdpr');
      expect(waiting.status).toBe('running');
      expect(waiting.error_code).not.toBeNull();

      expect(await runToEnd(w, restarted, requestId)).toBe('completed');
      expect(gdprPosts(w)).toHaveLength(1);
      const mine = requestsFor(w).filter((r) => Date.parse(r.createdDate) > Date.now() - 60_000);
      expect(mine).toHaveLength(1);
      expect((await requestRow(w, requestId)).gdpr_request_id).toBe(mine[0]?.id);
      // Every page was read: 151 requests are two pages of 100.
      expect(listings(w).filter((c) => c.status === 200).length).toBeGreaterThanOrEqual(2);
    },
  );

  it('a worker whose lock connection is terminated during a slow POST does not let a second worker file again', {
    timeout: 60_000,
  }, async () => {
    const w = await startWorld();
    const leaseSeconds = 4;
    const a = worker(w, genesysFor(w, { timeoutMs: 1_500 }), { leaseSeconds, ownPool: true });
    const b = worker(w, genesysFor(w), { leaseSeconds, ownPool: true });
    const requestId = await approvedRequest(w);
    await runUntil(w, a, requestId, 'file_gdpr');
    w.emulator.injectFault({
      method: 'POST',
      path: '/api/v2/gdpr/requests',
      kind: 'latency',
      ms: 1_000,
      times: 1,
    });
    const first = a.runNextStep(requestId).then(
      () => 'resolved',
      () => 'rejected',
    );
    await waitFor('A took the lease', async () =>
      (await step(w, requestId, 'file_gdpr')).lease_token ? true : undefined,
    );
    await sleep(200);
    // A's lock connection dies: PostgreSQL releases the advisory lock while A waits for Genesys.
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_locks
      where locktype = 'advisory' and classid = ${LOCK_NAMESPACE.step} and objid = ${requestId}
        and granted
        -- Other test files run in parallel on their own databases with the same request ids.
        and database = (select oid from pg_database where datname = current_database())`.execute(
      w.database.db,
    );
    expect(rows).toHaveLength(1);
    await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(w.database.db);

    // B gets the lock at once, but A's lease is alive: B neither files nor looks yet.
    await b.runNextStep(requestId);
    // (The emulator records a call once answered: A's POST is still in its latency.)
    expect(gdprPosts(w)).toHaveLength(0);
    expect(requestsFor(w)).toHaveLength(0);
    expect((await step(w, requestId, 'file_gdpr')).attempts).toBe(1);

    await first;
    await waitFor('A filed', async () => (requestsFor(w).length === 1 ? true : undefined));
    // Once the lease has run out B looks, finds A's request and adopts it.
    expect(await runToEnd(w, b, requestId)).toBe('completed');
    expect(requestsFor(w)).toHaveLength(1);
    expect(gdprPosts(w)).toHaveLength(1);
    const fileStep = await step(w, requestId, 'file_gdpr');
    expect(fileStep.result).toMatchObject({ adopted: true, gdprRequestId: requestsFor(w)[0]?.id });
    expect(fileStep.lease_token).toBeNull();
  });

  it('an attempt whose lease another took over neither files nor records a result', {
    timeout: 30_000,
  }, async () => {
    const w = await startWorld();
    const requestId = await approvedRequest(w);
    await runUntil(w, worker(w, genesysFor(w)), requestId, 'file_gdpr');
    // A fresh client logs in before the POST, slowly; meanwhile another attempt takes the lease.
    const runner = worker(w, genesysFor(w));
    w.emulator.injectFault({ path: '/oauth/token', kind: 'latency', ms: 800, times: 1 });
    const running = runner.runNextStep(requestId);
    await waitFor('attempt started', async () =>
      (await step(w, requestId, 'file_gdpr')).lease_token ? true : undefined,
    );
    await w.database.db
      .updateTable('workflow_steps')
      .set({ lease_token: '00000000-0000-4000-8000-000000000001' })
      .where('request_id', '=', requestId)
      .where('step', '=', 'file_gdpr')
      .execute();
    await running;
    expect(gdprPosts(w)).toHaveLength(0);
    expect(w.emulator.gdprRequests()).toHaveLength(0);
    const fileStep = await step(w, requestId, 'file_gdpr');
    expect(fileStep.status).toBe('running');
    expect(fileStep.lease_token).toBe('00000000-0000-4000-8000-000000000001');
  });

  it('after a GDPR ERROR, retry files a new request and follows it', {
    timeout: 30_000,
  }, async () => {
    const w = await startWorld();
    const runner = worker(w, genesysFor(w));
    const requestId = await approvedRequest(w);
    w.emulator.failNextGdprRequests(1);
    expect(await runToEnd(w, runner, requestId)).toBe('failed');
    const failed = await requestRow(w, requestId);
    expect(failed.gdpr_status).toBe('ERROR');
    const firstId = failed.gdpr_request_id;

    await retryFailedRequest(w.database.db, requestId, 'tester');
    expect(await runToEnd(w, runner, requestId)).toBe('completed');
    const done = await requestRow(w, requestId);
    expect(done.gdpr_status).toBe('COMPLETED');
    expect(done.gdpr_request_id).not.toBe(firstId);
    expect(gdprPosts(w)).toHaveLength(2);
    expect(
      requestsFor(w)
        .map((r) => r.status)
        .sort(),
    ).toEqual(['COMPLETED', 'ERROR']);
    const audit = await w.database.db
      .selectFrom('audit_events')
      .select(['event', 'details'])
      .where('request_id', '=', requestId)
      .where('event', '=', 'gdpr_request_abandoned')
      .execute();
    expect(audit).toEqual([
      { event: 'gdpr_request_abandoned', details: { gdprRequestId: firstId, status: 'ERROR' } },
    ]);
  });

  it('revokes sessions again after the soft delete, accepting 404', {
    timeout: 30_000,
  }, async () => {
    const w = await startWorld();
    const runner = worker(w, genesysFor(w));
    const requestId = await approvedRequest(w);
    await runUntil(w, runner, requestId, 'revoke_tokens_again');
    w.emulator.injectFault({
      method: 'DELETE',
      path: `/api/v2/tokens/${w.userId}`,
      kind: 'status',
      status: 404,
      code: 'not.found',
      times: 1,
    });
    await runner.runNextStep(requestId);
    expect((await step(w, requestId, 'revoke_tokens_again')).status).toBe('succeeded');
    const revokes = w.emulator
      .calls()
      .filter((c) => c.method === 'DELETE' && c.path === `/api/v2/tokens/${w.userId}`);
    const softDelete = w.emulator
      .calls()
      .find((c) => c.method === 'DELETE' && c.path === `/api/v2/users/${w.userId}`);
    expect(revokes.map((c) => c.status)).toEqual([204, 404]);
    expect(revokes[1]?.at).toBeGreaterThanOrEqual(softDelete?.at ?? Number.POSITIVE_INFINITY);
  });

  it('a long Retry-After reschedules the step job instead of parking this or other calls', {
    timeout: 30_000,
  }, async () => {
    const w = await startWorld();
    const [other] = w.emulator.seedUsers([{ name: 'Other Person', email: 'other@example.com' }]);
    const runner = worker(w, genesysFor(w, { maxRetryAfterMs: 2_000 }));
    const first = await approvedRequest(w);
    const second = await approvedRequest(w, other?.id);
    // One request per 100 s: the revoke passes, the delete is told to wait about 100 s.
    w.emulator.setRateLimit({ requestsPerSecond: 0.01, burst: 1 });
    await runner.runNextStep(first);
    // Jobs are run by hand here: drop the queued one, as a worker would have taken it.
    await sql`delete from pgboss.job where name = 'offboarding-step'`.execute(w.database.db);
    const started = Date.now();
    await runner.runNextStep(first);
    // The other request's call is not sent and not slept either: it waits in the job queue.
    await runner.runNextStep(second);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(
      w.emulator
        .calls()
        .filter((c) => c.path.startsWith('/api/v2/'))
        .map((c) => c.status),
    ).toEqual([204, 429]);
    expect((await step(w, first, 'soft_delete')).error_code).toBe('too.many.requests.retry.after');
    expect((await step(w, second, 'revoke_tokens')).error_code).toBe('too.many.requests');
    const jobs = await sql<{ singleton_key: string; wait_seconds: number }>`
      select singleton_key, extract(epoch from start_after - now()) as wait_seconds
      from pgboss.job where name = 'offboarding-step' and state = 'created'
      order by singleton_key`.execute(w.database.db);
    expect(jobs.rows).toHaveLength(2);
    for (const job of jobs.rows) expect(Number(job.wait_seconds)).toBeGreaterThan(80);
  });
});
