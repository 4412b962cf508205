import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGenesysClient } from '../../src/genesys/client.js';
import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type { RunningEmulator } from '../../src/genesys/emulator/types.js';
import { insertRequest } from '../../src/offboarding/request.repository.js';
import { stepsFor } from '../../src/offboarding/steps.js';
import { type JobQueue, startJobQueue } from '../../src/workflow/queue.js';
import { WorkflowRunner } from '../../src/workflow/runner.js';
import { createPendingSteps } from '../../src/workflow/step.repository.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait.js';

// The GDPR step after an interruption, on the embedded database (what a trial or a single
// instance runs on) with the emulator behind the real SDK: the attempt after the one whose answer
// was lost looks in Genesys first, finds the request that attempt filed, and adopts it.

const TARGET = { name: 'Adopted Target', email: 'adopted.target@example.com' };
const silent = pino({ level: 'silent' });

interface World {
  database: TestDatabase;
  emulator: RunningEmulator;
  queue: JobQueue;
}
let world: World | undefined;

afterEach(async () => {
  if (!world) return;
  await world.queue.stop({ graceful: false, wait: true });
  await world.emulator.close();
  await world.database.drop();
  world = undefined;
});

function runner(w: World, timeoutMs: number): WorkflowRunner {
  const genesys = createGenesysClient({
    clientId: 'emulator-client',
    clientSecret: 'emulator-secret',
    apiUrl: w.emulator.url,
    timeoutMs,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 },
  });
  return new WorkflowRunner({
    locks: w.database.locks,
    queue: w.queue,
    genesys,
    logger: silent,
    gdprPollIntervalSeconds: 1,
    retryBackoff: { baseSeconds: 1, maxSeconds: 1 },
    stepLeaseSeconds: 60,
  });
}

const fileStep = (w: World, requestId: number) =>
  w.database.db
    .selectFrom('workflow_steps')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('step', '=', 'file_gdpr')
    .executeTakeFirstOrThrow();

/** The first step not yet succeeded: the one the next job runs. */
const nextStep = async (w: World, requestId: number) =>
  (
    await w.database.db
      .selectFrom('workflow_steps')
      .select(['step', 'status'])
      .where('request_id', '=', requestId)
      .orderBy('id')
      .execute()
  ).find((row) => row.status !== 'succeeded')?.step;

const requestRow = (w: World, requestId: number) =>
  w.database.db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();

describe('adopting a GDPR request filed by an interrupted attempt (embedded database)', () => {
  it('the next attempt finds the request and adopts it instead of filing again', {
    timeout: 90_000,
  }, async () => {
    const database = await createTestDatabase({ backend: 'embedded' });
    const emulator = await startGenesysEmulator({});
    const queue = await startJobQueue({ ...database.queueConnection, logger: silent });
    const w: World = { database, emulator, queue };
    world = w;
    const [target] = emulator.seedUsers([TARGET]);
    if (!target) throw new Error('target not seeded');
    // A request for the same person from a month ago is someone else's business: not ours.
    const monthAgo = emulator.seedGdprRequests([
      {
        requestType: 'GDPR_DELETE',
        subject: { userId: target.id },
        createdDate: new Date(Date.now() - 30 * 86_400_000).toISOString(),
        status: 'COMPLETED',
      },
    ]);

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

    // First attempt: the steps before GDPR succeed; the POST reaches Genesys but its answer is
    // lost (the client gives up at 500 ms while Genesys is slow): as after a crash, the step
    // has started and has no result.
    const first = runner(w, 500);
    for (let i = 0; i < 10 && (await nextStep(w, request.id)) !== 'file_gdpr'; i++) {
      await first.runNextStep(request.id);
    }
    emulator.injectFault({
      method: 'POST',
      path: '/api/v2/gdpr/requests',
      kind: 'latency',
      ms: 1_000,
      times: 1,
    });
    await first.runNextStep(request.id);
    const interrupted = await fileStep(w, request.id);
    expect(interrupted.status).toBe('running');
    expect(interrupted.result).toBeNull();
    const filedBeforeTheCrash = await waitForFiled(w, target.id, monthAgo[0]?.id);
    expect((await requestRow(w, request.id)).gdpr_request_id).toBeNull();

    // Next attempt, by a fresh runner and client: it looks first, and adopts.
    const next = runner(w, 5_000);
    for (let i = 0; i < 100; i++) {
      const { state } = await requestRow(w, request.id);
      if (state === 'completed' || state === 'failed') break;
      await next.runNextStep(request.id);
    }
    const posts = emulator
      .calls()
      .filter((call) => call.method === 'POST' && call.path === '/api/v2/gdpr/requests');
    expect(posts).toHaveLength(1);
    const step = await fileStep(w, request.id);
    expect(step.status).toBe('succeeded');
    expect(step.result).toMatchObject({ adopted: true, gdprRequestId: filedBeforeTheCrash });
    const done = await requestRow(w, request.id);
    expect(done.gdpr_request_id).toBe(filedBeforeTheCrash);
    expect(done.state).toBe('completed');
  });
});

/** Waits until Genesys has the request whose answer the interrupted attempt never heard. */
function waitForFiled(w: World, userId: string, olderId: string | undefined) {
  return waitFor(
    'Genesys to file the request whose answer was lost',
    () =>
      w.emulator.gdprRequests().find((r) => r.subject.userId === userId && r.id !== olderId)?.id,
  );
}
