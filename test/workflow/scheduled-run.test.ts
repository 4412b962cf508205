import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type { RunningEmulator } from '../../src/genesys/emulator/types.js';
import {
  blockActionBody,
  postToSlackEndpoint,
  slashCommandBody,
} from '../../src/playground/slack-requests.js';
import { type BotProcess, startBotProcess } from '../helpers/bot-process.js';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.js';
import {
  createPostgresTestDatabase,
  hasPostgres,
  type TestDatabase,
} from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait.js';

// A scheduled run is one durable job in PostgreSQL: it survives the death of the bot that
// queued it, and of two instances (and two deliveries of the job) only one starts the run.
// The time coming is simulated by moving the request's run time and its job to now.

const SIGNING_SECRET = 'scheduled-run-signing-secret';
const BOT_TOKEN = 'xoxb-scheduled-run-token';
const CHANNEL = 'C0SCHED';
const REQUESTER = { id: 'U0REQ', name: 'req', email: 'req@example.com', tz: 'Europe/Paris' };
const APPROVER = { id: 'U0APP', name: 'app', email: 'app@example.com' };
const TARGET = { name: 'Scheduled Target', email: 'scheduled.target@example.com' };

const until = <T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number) =>
  waitFor(what, check, { timeoutMs, intervalMs: 50 });

interface World {
  database: TestDatabase & { url: string };
  emulator: RunningEmulator;
  slack: FakeSlackApi;
  env: Record<string, string>;
  bots: BotProcess[];
}
let world: World | undefined;

async function startWorld(): Promise<World> {
  const database = await createPostgresTestDatabase();
  const emulator = await startGenesysEmulator({ users: [TARGET], gdpr: { pollsPerStage: 1 } });
  const slack = await startFakeSlackApi({ botToken: BOT_TOKEN });
  slack.addUser({ ...REQUESTER });
  slack.addUser({ ...APPROVER });
  world = {
    database,
    emulator,
    slack,
    bots: [],
    env: {
      DATABASE_URL: database.url,
      GENESYS_CLIENT_ID: 'emulator-client',
      GENESYS_CLIENT_SECRET: 'emulator-secret',
      GENESYS_API_URL: emulator.url,
      GENESYS_TIMEOUT_SECONDS: '3',
      GDPR_POLL_INTERVAL_SECONDS: '1',
      WORKFLOW_RETRY_BASE_SECONDS: '1',
      WORKFLOW_RETRY_MAX_SECONDS: '2',
      // Fractions of an hour: 0.01 h is 36 s.
      REQUEST_EXPIRY_HOURS: '0.01',
      OFFBOARD_DEFAULT_TIME: '07:30',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SLACK_APPROVERS: APPROVER.id,
    },
  };
  return world;
}

async function startBot(w: World, name: string): Promise<BotProcess> {
  const bot = await startBotProcess(name, w.env, 90_000);
  w.bots.push(bot);
  return bot;
}

afterEach(async () => {
  if (!world) return;
  await Promise.all(world.bots.map((b) => b.kill('SIGKILL')));
  await world.emulator.close();
  await world.slack.close();
  await world.database.drop();
  world = undefined;
});

async function requestRow(w: World) {
  return w.database.db.selectFrom('offboarding_requests').selectAll().executeTakeFirst();
}

/** `/offboard … on 2030-01-02` through `bot`, approved there; resolves once it is scheduled. */
async function scheduleAndApprove(w: World, bot: BotProcess): Promise<number> {
  const command = slashCommandBody({
    text: `${TARGET.email} on 2030-01-02 Last day`,
    userId: REQUESTER.id,
    channelId: CHANNEL,
    responseUrl: w.slack.responseUrl('command'),
  });
  await postToSlackEndpoint(`${bot.url}/slack/events`, SIGNING_SECRET, command);
  const request = await until('posted request', async () => {
    const row = await requestRow(w);
    return row?.chat_message_id ? row : undefined;
  });
  // OFFBOARD_DEFAULT_TIME in the requester's zone; the expiry counts from the run time.
  expect(request.run_at).toEqual(new Date('2030-01-02T06:30:00Z'));
  expect(request.expires_at).toEqual(new Date('2030-01-02T06:30:36Z'));
  const click = blockActionBody({
    actionId: 'offboarding_approve',
    value: `${request.id}.${request.decision_token}`,
    userId: APPROVER.id,
    channelId: CHANNEL,
    messageTs: request.chat_message_id as string,
    responseUrl: w.slack.responseUrl('click'),
  });
  await postToSlackEndpoint(`${bot.url}/slack/events`, SIGNING_SECRET, click);
  await until('scheduled', async () =>
    (await requestRow(w))?.state === 'scheduled' ? true : undefined,
  );
  return request.id;
}

async function waitingRunJobs(w: World, requestId: number) {
  const { rows } = await sql<{ id: string; start_after: Date }>`
    select id, start_after from pgboss.job
    where name = 'offboarding-step' and data->>'requestId' = ${String(requestId)}
      and state = 'created'`.execute(w.database.db);
  return rows;
}

/** The run time comes in `seconds`: the request and its queued job say so. */
async function timeComesIn(w: World, requestId: number, seconds: number): Promise<void> {
  const at = sql`now() + make_interval(secs => ${seconds})`;
  await sql`update offboarding_requests set run_at = ${at} where id = ${requestId}`.execute(
    w.database.db,
  );
  await sql`update pgboss.job set start_after = ${at}
    where name = 'offboarding-step' and data->>'requestId' = ${String(requestId)}
      and state = 'created'`.execute(w.database.db);
}

async function expectRanOnce(w: World, requestId: number): Promise<void> {
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
    const first = await startBot(w, 'bot-a');
    const requestId = await scheduleAndApprove(w, first);
    expect(await waitingRunJobs(w, requestId)).toHaveLength(1);
    await first.kill('SIGKILL');

    // Nothing touched the person in Genesys before the run time: only the look-up.
    const targetId = (await requestRow(w))?.target_genesys_id ?? 'unknown';
    expect(
      w.emulator.calls().filter((c) => c.path.includes(targetId) || c.path.includes('/gdpr/')),
    ).toEqual([]);

    await timeComesIn(w, requestId, 2);
    await startBot(w, 'bot-b');
    await expectRanOnce(w, requestId);
  });

  it('fires once with two instances, even when its job is delivered twice', {
    timeout: 240_000,
  }, async () => {
    const w = await startWorld();
    const a = await startBot(w, 'bot-a');
    const b = await startBot(w, 'bot-b');
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
