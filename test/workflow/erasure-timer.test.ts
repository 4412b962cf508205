import { afterEach, describe, expect, it } from 'vitest';
import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type { RunningEmulator } from '../../src/genesys/emulator/types.js';
import type { RequestState } from '../../src/offboarding/request.table.js';
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

/**
 * The grace period's timer (ERASURE_DELAY_HOURS) is a pg-boss job in PostgreSQL, not a timer in a
 * process: it survives the death of the instance that set it, and fires once however many
 * instances share the database.
 */

const SIGNING_SECRET = 'erasure-timer-signing-secret';
const BOT_TOKEN = 'xoxb-erasure-timer-token';
const CHANNEL = 'C0TIMER';
const REQUESTER = { id: 'U0REQ', name: 'req', email: 'req@example.com' };
const APPROVER = { id: 'U0APP', name: 'app', email: 'app@example.com' };
const TARGET = { name: 'Timer Target', email: 'timer.target@example.com' };
/** 10.8 s: the reminder halfway through, at 5.4 s. */
const DELAY_HOURS = '0.003';

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
      ERASURE_DELAY_HOURS: DELAY_HOURS,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SLACK_APPROVERS: APPROVER.id,
    },
  };
  return world;
}

async function startBot(w: World, name: string): Promise<BotProcess> {
  // Generous: on a loaded machine compiling and starting the bot takes a while.
  const bot = await startBotProcess(name, w.env, 120_000);
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

async function requestAndApprove(w: World, bot: BotProcess): Promise<number> {
  const command = slashCommandBody({
    text: `${TARGET.email} leaving`,
    userId: REQUESTER.id,
    channelId: CHANNEL,
    responseUrl: w.slack.responseUrl('command'),
  });
  await postToSlackEndpoint(`${bot.url}/slack/events`, SIGNING_SECRET, command);
  const request = await until('posted request', async () => {
    const row = await w.database.db
      .selectFrom('offboarding_requests')
      .selectAll()
      .executeTakeFirst();
    return row?.chat_message_id ? row : undefined;
  });
  const click = blockActionBody({
    actionId: 'offboarding_approve',
    value: `${request.id}.${request.decision_token}`,
    userId: APPROVER.id,
    channelId: CHANNEL,
    messageTs: request.chat_message_id as string,
    responseUrl: w.slack.responseUrl('click'),
  });
  await postToSlackEndpoint(`${bot.url}/slack/events`, SIGNING_SECRET, click);
  return request.id;
}

async function requestRow(w: World, requestId: number) {
  return w.database.db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
}

async function reachState(w: World, requestId: number, state: RequestState, timeoutMs = 60_000) {
  return until(
    state,
    async () => {
      const row = await requestRow(w, requestId);
      return row.state === state ? row : undefined;
    },
    timeoutMs,
  );
}

async function auditCount(w: World, requestId: number, event: string): Promise<number> {
  const rows = await w.database.db
    .selectFrom('audit_events')
    .select('id')
    .where('request_id', '=', requestId)
    .where('event', '=', event as never)
    .execute();
  return rows.length;
}

/**
 * The erasure was filed once, not before it was due, and the thread reminded as often as the
 * audit says: once, or not at all when no instance ran from the reminder's time to the erasure's
 * (a reminder the erasure has overtaken would give nobody time to Undo).
 */
async function expectErasedOnceAfterGrace(
  w: World,
  requestId: number,
  reminders: 0 | 1,
): Promise<void> {
  const completed = await reachState(w, requestId, 'completed');
  expect(w.emulator.gdprRequests()).toHaveLength(1);
  const filings = w.emulator
    .calls()
    .filter((c) => c.method === 'POST' && c.path === '/api/v2/gdpr/requests');
  expect(filings).toHaveLength(1);
  expect(filings[0]?.at).toBeGreaterThanOrEqual((completed.erasure_due_at as Date).getTime());
  expect(await auditCount(w, requestId, 'erasure_scheduled')).toBe(1);
  expect(await auditCount(w, requestId, 'erasure_reminder_sent')).toBe(reminders);
  const posted = w.slack
    .messages(CHANNEL)
    .filter((m) => m.text?.includes('Reminder: the GDPR request'));
  expect(posted).toHaveLength(reminders);
}

describe.skipIf(!hasPostgres)('the erasure timer (ERASURE_DELAY_HOURS)', () => {
  it('survives a SIGKILL between being scheduled and firing, and fires once', {
    timeout: 400_000,
  }, async () => {
    const w = await startWorld();
    const first = await startBot(w, 'first');
    const requestId = await requestAndApprove(w, first);
    const parked = await reachState(w, requestId, 'awaiting_erasure');
    await first.kill('SIGKILL');
    // Killed well before the reminder's time (halfway through the 10.8 s).
    expect(await auditCount(w, requestId, 'erasure_reminder_sent')).toBe(0);
    expect(w.emulator.gdprRequests()).toEqual([]);
    // Nobody runs while the erasure comes due: no process holds a timer for it.
    await until(
      'the erasure to come due with no bot running',
      async () => ((parked.erasure_due_at as Date).getTime() < Date.now() ? true : undefined),
      30_000,
    );
    expect(w.emulator.gdprRequests()).toEqual([]);
    await startBot(w, 'second');
    await expectErasedOnceAfterGrace(w, requestId, 0);
  });

  it('two instances share the timer: the reminder and the erasure happen once', {
    timeout: 400_000,
  }, async () => {
    const w = await startWorld();
    const [first] = await Promise.all([startBot(w, 'first'), startBot(w, 'second')]);
    const requestId = await requestAndApprove(w, first as BotProcess);
    await reachState(w, requestId, 'awaiting_erasure');
    expect(w.emulator.gdprRequests()).toEqual([]);
    await expectErasedOnceAfterGrace(w, requestId, 1);
  });
});
