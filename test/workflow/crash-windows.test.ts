import { afterEach, describe, expect, it } from 'vitest';
import type { StepName } from '../../src/offboarding/steps.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { type ProcessWorld, startProcessWorld, until } from '../helpers/process-world.js';
import { hasPostgres } from '../helpers/test-database.js';

/** The crash points the design must survive, each hit on purpose rather than by chance. */

const CHANNEL = 'C0CRASH';
const TARGET = { name: 'Crash Target', email: 'crash.target@example.com' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let world: ProcessWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function startWorld(): Promise<ProcessWorld> {
  world = await startProcessWorld({ target: TARGET, channel: CHANNEL, gdpr: { pollsPerStage: 1 } });
  return world;
}

/** Files the request and approves it through `bot`; resolves once the click is answered. */
async function requestAndApprove(w: ProcessWorld, bot: BotProcess): Promise<number> {
  const request = await w.offboard(bot);
  await w.approve(bot, request);
  return request.id;
}

async function stepStatus(
  w: ProcessWorld,
  requestId: number,
  step: StepName,
): Promise<string | undefined> {
  const row = await w.database.db
    .selectFrom('workflow_steps')
    .select('status')
    .where('request_id', '=', requestId)
    .where('step', '=', step)
    .executeTakeFirst();
  return row?.status;
}

async function expectCompletedOnce(w: ProcessWorld, requestId: number): Promise<void> {
  await until(
    'completed',
    async () => {
      const row = await w.database.db
        .selectFrom('offboarding_requests')
        .select('state')
        .where('id', '=', requestId)
        .executeTakeFirst();
      return row?.state === 'completed' ? true : undefined;
    },
    60_000,
  );
  const userId = (w.emulator.gdprRequests()[0] as { subject: { userId: string } } | undefined)
    ?.subject.userId;
  expect(w.emulator.gdprRequests()).toHaveLength(1);
  const deletes = w.emulator
    .calls()
    .filter(
      (c) => c.method === 'DELETE' && c.path === `/api/v2/users/${userId}` && c.status === 200,
    );
  // A delete whose answer was lost to the kill is recorded without a status; the retry then
  // finds the user already deleted (404). Genesys applied it once either way.
  expect(deletes.length).toBeLessThanOrEqual(1);
  expect(userId && w.emulator.user(userId)?.state).toBe('deleted');
}

describe.skipIf(!hasPostgres)('SIGKILL at the dangerous moments, then a restart', () => {
  it('after the GDPR request reached Genesys but before its id was stored: no second request', {
    timeout: 120_000,
  }, async () => {
    const w = await startWorld();
    // Genesys takes its time to answer; the bot dies while waiting, after Genesys has acted.
    w.emulator.injectFault({
      method: 'POST',
      path: '/api/v2/gdpr/requests',
      kind: 'latency',
      ms: 1500,
      times: 1,
    });
    const first = await w.startBot('first');
    const requestId = await requestAndApprove(w, first);
    await until('GDPR step in flight', async () =>
      (await stepStatus(w, requestId, 'file_gdpr')) === 'running' ? true : undefined,
    );
    await sleep(300);
    await first.kill('SIGKILL');
    await until('Genesys filed it anyway', async () =>
      w.emulator.gdprRequests().length === 1 ? true : undefined,
    );
    const stored = await w.database.db
      .selectFrom('offboarding_requests')
      .select('gdpr_request_id')
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(stored.gdpr_request_id).toBeNull();

    await w.startBot('second');
    await expectCompletedOnce(w, requestId);
  });

  it('right after the approval is recorded', { timeout: 120_000 }, async () => {
    const w = await startWorld();
    w.emulator.injectFault({
      method: 'DELETE',
      path: /^\/api\/v2\/tokens\//,
      kind: 'latency',
      ms: 2000,
      times: 1,
    });
    const first = await w.startBot('first');
    const requestId = await requestAndApprove(w, first);
    await until(
      'approval recorded',
      async () =>
        (await w.database.db.selectFrom('decisions').select('id').executeTakeFirst()) ?? undefined,
    );
    await first.kill('SIGKILL');
    await w.startBot('second');
    await expectCompletedOnce(w, requestId);
  });

  it('between two steps', { timeout: 120_000 }, async () => {
    const w = await startWorld();
    w.emulator.injectFault({
      method: 'DELETE',
      path: /^\/api\/v2\/users\//,
      kind: 'latency',
      ms: 2000,
      times: 1,
    });
    const first = await w.startBot('first');
    const requestId = await requestAndApprove(w, first);
    await until('first step done', async () =>
      (await stepStatus(w, requestId, 'revoke_tokens')) === 'succeeded' ? true : undefined,
    );
    await first.kill('SIGKILL');
    await w.startBot('second');
    await expectCompletedOnce(w, requestId);
  });
});

describe.skipIf(!hasPostgres)('SIGTERM', () => {
  it('finishes the step in flight, closes the pool and exits within 10 s; the request then completes', {
    timeout: 120_000,
  }, async () => {
    const w = await startWorld();
    w.emulator.injectFault({
      method: 'DELETE',
      path: /^\/api\/v2\/users\//,
      kind: 'latency',
      ms: 3000,
      times: 1,
    });
    const first = await w.startBot('first');
    const requestId = await requestAndApprove(w, first);
    await until('soft delete in flight', async () =>
      (await stepStatus(w, requestId, 'soft_delete')) === 'running' ? true : undefined,
    );
    const started = Date.now();
    const exit = await first.kill('SIGTERM');
    const tookMs = Date.now() - started;
    expect(exit.code).toBe(0);
    expect(tookMs).toBeLessThan(10_000);
    expect(first.output.join('')).toContain('shutting down');
    // The step in flight was finished, not abandoned.
    expect(await stepStatus(w, requestId, 'soft_delete')).toBe('succeeded');

    await w.startBot('second');
    await expectCompletedOnce(w, requestId);
  });
});
