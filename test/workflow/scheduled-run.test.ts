import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { BotProcess } from '../helpers/bot-process.js';
import {
  type ProcessWorld,
  startProcessWorld,
  until,
  WORLD_REQUESTER,
} from '../helpers/process-world.js';
import { hasPostgres } from '../helpers/test-database.js';

// A scheduled run is one durable job in PostgreSQL: it survives the death of the bot that
// queued it, and of two instances (and two deliveries of the job) only one starts the run.
// The time coming is simulated by moving the request's run time and its job to now.

const CHANNEL = 'C0SCHED';
const TARGET = { name: 'Scheduled Target', email: 'scheduled.target@example.com' };

let world: ProcessWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function startWorld(): Promise<ProcessWorld> {
  world = await startProcessWorld({
    target: TARGET,
    channel: CHANNEL,
    gdpr: { pollsPerStage: 1 },
    requester: { ...WORLD_REQUESTER, tz: 'Europe/Paris' },
    startTimeoutMs: 90_000,
    env: {
      // Fractions of an hour: 0.01 h is 36 s.
      REQUEST_EXPIRY_HOURS: '0.01',
      OFFBOARD_DEFAULT_TIME: '07:30',
    },
  });
  return world;
}

async function requestRow(w: ProcessWorld) {
  return w.database.db.selectFrom('offboarding_requests').selectAll().executeTakeFirst();
}

/** `/offboard … on 2030-01-02` through `bot`, approved there; resolves once it is scheduled. */
async function scheduleAndApprove(w: ProcessWorld, bot: BotProcess): Promise<number> {
  const request = await w.offboard(bot, 'on 2030-01-02 Last day');
  // OFFBOARD_DEFAULT_TIME in the requester's zone; the expiry counts from the run time.
  expect(request.run_at).toEqual(new Date('2030-01-02T06:30:00Z'));
  expect(request.expires_at).toEqual(new Date('2030-01-02T06:30:36Z'));
  await w.approve(bot, request);
  await until('scheduled', async () =>
    (await requestRow(w))?.state === 'scheduled' ? true : undefined,
  );
  return request.id;
}

async function waitingRunJobs(w: ProcessWorld, requestId: number) {
  const { rows } = await sql<{ id: string; start_after: Date }>`
    select id, start_after from pgboss.job
    where name = 'offboarding-step' and data->>'requestId' = ${String(requestId)}
      and state = 'created'`.execute(w.database.db);
  return rows;
}

/** The run time comes in `seconds`: the request and its queued job say so. */
async function timeComesIn(w: ProcessWorld, requestId: number, seconds: number): Promise<void> {
  const at = sql`now() + make_interval(secs => ${seconds})`;
  await sql`update offboarding_requests set run_at = ${at} where id = ${requestId}`.execute(
    w.database.db,
  );
  await sql`update pgboss.job set start_after = ${at}
    where name = 'offboarding-step' and data->>'requestId' = ${String(requestId)}
      and state = 'created'`.execute(w.database.db);
}

async function expectRanOnce(w: ProcessWorld, requestId: number): Promise<void> {
  await until(
    'completed',
    async () => ((await requestRow(w))?.state === 'completed' ? true : undefined),
    60_000,
  );
  const events = await w.database.db
    .selectFrom('audit_events')
    .select(['event', 'details'])
    .where('request_id', '=', requestId)
    .execute();
  expect(events.filter((e) => e.event === 'run_started')).toHaveLength(1);
  expect(events.filter((e) => e.event === 'scheduled')).toHaveLength(1);
  const started = events
    .filter((e) => e.event === 'step_started')
    .map((e) => (e.details as { step: string }).step);
  expect(started).toEqual([...new Set(started)]);
  const calls = w.emulator.calls().map((c) => `${c.method} ${c.path}`);
  expect(calls.filter((c) => c === 'POST /api/v2/gdpr/requests')).toHaveLength(1);
  expect(calls.filter((c) => c.startsWith('DELETE /api/v2/users/'))).toHaveLength(1);
  const thread = w.slack
    .messages(CHANNEL)
    .filter((m) => m.threadTs !== undefined)
    .map((m) => m.text ?? '');
  expect(
    thread.filter((t) => t.includes('It is the scheduled time: starting the offboarding')),
  ).toHaveLength(1);
}

describe.skipIf(!hasPostgres)('a scheduled run', () => {
  it('survives a SIGKILL between being scheduled and firing, and fires once', {
    timeout: 240_000,
  }, async () => {
    const w = await startWorld();
    const first = await w.startBot('bot-a');
    const requestId = await scheduleAndApprove(w, first);
    expect(await waitingRunJobs(w, requestId)).toHaveLength(1);
    await first.kill('SIGKILL');

    // Nothing touched the person in Genesys before the run time: only the look-up.
    const targetId = (await requestRow(w))?.target_genesys_id ?? 'unknown';
    expect(
      w.emulator.calls().filter((c) => c.path.includes(targetId) || c.path.includes('/gdpr/')),
    ).toEqual([]);

    await timeComesIn(w, requestId, 2);
    await w.startBot('bot-b');
    await expectRanOnce(w, requestId);
  });

  it('fires once with two instances, even when its job is delivered twice', {
    timeout: 240_000,
  }, async () => {
    const w = await startWorld();
    const a = await w.startBot('bot-a');
    const b = await w.startBot('bot-b');
    const requestId = await scheduleAndApprove(w, a);
    expect(await waitingRunJobs(w, requestId)).toHaveLength(1);

    await timeComesIn(w, requestId, 2);
    // A second delivery of the same run, due at the same moment (a duplicate the singleton key
    // would normally prevent): each instance may take one.
    await sql`insert into pgboss.job (name, data, start_after)
      select name, data, start_after from pgboss.job
      where name = 'offboarding-step' and data->>'requestId' = ${String(requestId)}
        and state = 'created'`.execute(w.database.db);
    expect(await waitingRunJobs(w, requestId)).toHaveLength(2);
    await expectRanOnce(w, requestId);
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
  });
});
