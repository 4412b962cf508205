import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGenesysClient } from '../../src/genesys/client.js';
import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type { RunningEmulator } from '../../src/genesys/emulator/types.js';
import { insertRequest } from '../../src/offboarding/request.repository.js';
import { stepsFor } from '../../src/offboarding/steps.js';
import { type JobQueue, startJobQueue } from '../../src/workflow/queue.js';
import { CHAINED_STEPS_PER_JOB, WorkflowRunner } from '../../src/workflow/runner.js';
import { createPendingSteps } from '../../src/workflow/step.repository.js';
import {
  createPostgresTestDatabase,
  hasPostgres,
  type TestDatabase,
} from '../helpers/test-database.js';

// The bot's runner takes a request's steps back to back in one job while each is due at once,
// instead of one queue hop per step. Driven by calling the job handler directly.

const TARGET = { name: 'Chain Target', email: 'chain.target@example.com' };
const silent = pino({ level: 'silent' });

interface World {
  database: TestDatabase & { url: string };
  emulator: RunningEmulator;
  queue: JobQueue;
  runner: WorkflowRunner;
  requestId: number;
}
let world: World | undefined;

afterEach(async () => {
  if (!world) return;
  await world.queue.stop({ graceful: false, wait: true });
  await world.emulator.close();
  await world.database.drop();
  world = undefined;
});

async function startWorld(): Promise<World> {
  const database = await createPostgresTestDatabase();
  const emulator = await startGenesysEmulator({ users: [TARGET], gdpr: { pollsPerStage: 1 } });
  const queue = await startJobQueue({ connectionString: database.url, logger: silent });
  const stored = await fetch(`${emulator.url}/__emulator/state`).then(
    (r) => r.json() as Promise<{ users: Array<{ id: string; email: string }> }>,
  );
  const target = stored.users.find((user) => user.email === TARGET.email);
  if (!target) throw new Error('target not seeded');
  const runner = new WorkflowRunner({
    locks: database.locks,
    queue,
    genesys: createGenesysClient({
      clientId: 'emulator-client',
      clientSecret: 'emulator-secret',
      apiUrl: emulator.url,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    }),
    logger: silent,
    gdprPollIntervalSeconds: 60,
    stepsPerJob: CHAINED_STEPS_PER_JOB,
  });
  const request = await insertRequest(database.db, {
    state: 'approved',
    target_genesys_id: target.id,
    target_name: TARGET.name,
    target_email: TARGET.email,
    target_state: 'active',
    requester_platform: 'slack',
    requester_id: 'U0REQ',
    gdpr_mode: 'delete',
    expires_at: new Date(Date.now() + 86_400_000),
  });
  await createPendingSteps(database.db, request.id, stepsFor(request.gdpr_mode));
  world = { database, emulator, queue, runner, requestId: request.id };
  return world;
}

async function stepStatuses(w: World): Promise<Record<string, string>> {
  const rows = await w.database.db
    .selectFrom('workflow_steps')
    .select(['step', 'status'])
    .where('request_id', '=', w.requestId)
    .execute();
  return Object.fromEntries(rows.map((row) => [row.step, row.status]));
}

/** Step jobs waiting in pg-boss, with the seconds until each is due. */
async function queuedStepJobs(w: World): Promise<Array<{ dueInSeconds: number }>> {
  const { rows } = await sql<{ due_in_seconds: number }>`
    select extract(epoch from (start_after - now()))::float8 as due_in_seconds
    from pgboss.job where name = 'offboarding-step' and state = 'created'`.execute(w.database.db);
  return rows.map((row) => ({ dueInSeconds: row.due_in_seconds }));
}

const apiCalls = (w: World) =>
  w.emulator
    .calls()
    .filter((c) => c.path.startsWith('/api/v2/') && !c.path.startsWith('/api/v2/organizations'))
    .map((c) => `${c.method} ${c.path.replace(/\/[0-9a-f-]{36}$/, '/{id}')}`);

describe.skipIf(!hasPostgres)('steps back to back in one job', () => {
  it('runs every step that is due at once, in order, and queues only the wait for GDPR', {
    timeout: 30_000,
  }, async () => {
    const w = await startWorld();
    await w.runner.runNextStep(w.requestId);

    expect(await stepStatuses(w)).toEqual({
      revoke_tokens: 'succeeded',
      soft_delete: 'succeeded',
      revoke_tokens_again: 'succeeded',
      file_gdpr: 'succeeded',
      // Filed and polled once; the request is still being processed at Genesys.
      poll_gdpr: 'running',
    });
    expect(apiCalls(w)).toEqual([
      'DELETE /api/v2/tokens/{id}',
      'DELETE /api/v2/users/{id}',
      'DELETE /api/v2/tokens/{id}',
      'POST /api/v2/gdpr/requests',
      'GET /api/v2/gdpr/requests/{id}',
    ]);
    // One job: the next poll, a poll interval away; no job was queued for the steps run here.
    const jobs = await queuedStepJobs(w);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.dueInSeconds).toBeGreaterThan(50);
    const { state } = await w.database.db
      .selectFrom('offboarding_requests')
      .select('state')
      .where('id', '=', w.requestId)
      .executeTakeFirstOrThrow();
    expect(state).toBe('running');
  });

  it('once stopping, runs one step and queues the next for whichever instance is up', {
    timeout: 30_000,
  }, async () => {
    const w = await startWorld();
    w.runner.stopChaining();
    await w.runner.runNextStep(w.requestId);

    expect(await stepStatuses(w)).toMatchObject({
      revoke_tokens: 'succeeded',
      soft_delete: 'pending',
    });
    expect(apiCalls(w)).toEqual(['DELETE /api/v2/tokens/{id}']);
    const jobs = await queuedStepJobs(w);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.dueInSeconds).toBeLessThanOrEqual(0);
  });
});
