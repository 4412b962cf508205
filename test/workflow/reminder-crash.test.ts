import { afterEach, describe, expect, it } from 'vitest';
import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type { RunningEmulator } from '../../src/genesys/emulator/types.js';
import { postToSlackEndpoint, slashCommandBody } from '../../src/playground/slack-requests.js';
import { type BotProcess, startBotProcess } from '../helpers/bot-process.js';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.js';
import {
  createPostgresTestDatabase,
  hasPostgres,
  type TestDatabase,
} from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait.js';

// A reminder is a due time in the database, not a timer in a process: the bot that filed the
// request is killed (SIGKILL) before the reminder is due, and two fresh instances sharing the
// database then send each reminder once between them.

const SIGNING_SECRET = 'reminder-crash-signing-secret';
const BOT_TOKEN = 'xoxb-reminder-crash-token';
const CHANNEL = 'C0REMIND';
const REQUESTER = { id: 'U0REQ', name: 'req', email: 'req@example.com' };
const APPROVER = { id: 'U0APP', name: 'app', email: 'app@example.com' };
const TARGET = { name: 'Waiting Target', email: 'waiting.target@example.com' };
const REMINDER_HOURS = 0.005; // 18 s: longer than a bot takes to start on a busy machine
const PERIOD_MS = REMINDER_HOURS * 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface World {
  database: TestDatabase & { url: string };
  emulator: RunningEmulator;
  slack: FakeSlackApi;
  env: Record<string, string>;
  bots: BotProcess[];
}
let world: World | undefined;

afterEach(async () => {
  if (!world) return;
  await Promise.all(world.bots.map((b) => b.kill('SIGKILL')));
  await world.emulator.close();
  await world.slack.close();
  await world.database.drop();
  world = undefined;
});

async function startWorld(): Promise<World> {
  const database = await createPostgresTestDatabase();
  const emulator = await startGenesysEmulator({ users: [TARGET] });
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
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SLACK_APPROVERS: APPROVER.id,
      APPROVAL_REMINDER_HOURS: String(REMINDER_HOURS),
    },
  };
  return world;
}

async function startBot(w: World, name: string): Promise<BotProcess> {
  const bot = await startBotProcess(name, w.env, 90_000);
  w.bots.push(bot);
  return bot;
}

describe.skipIf(!hasPostgres)('reminders across a SIGKILL and two instances', () => {
  it('the reminder due after the crash is sent once, and the next one too', {
    timeout: 240_000,
  }, async () => {
    const w = await startWorld();
    const first = await startBot(w, 'first');
    const command = slashCommandBody({
      text: `${TARGET.email} leaving`,
      userId: REQUESTER.id,
      channelId: CHANNEL,
      responseUrl: w.slack.responseUrl('command'),
    });
    await postToSlackEndpoint(`${first.url}/slack/events`, SIGNING_SECRET, command);
    const request = await waitFor('posted request', async () => {
      const row = await w.database.db
        .selectFrom('offboarding_requests')
        .selectAll()
        .executeTakeFirst();
      return row?.chat_message_id ? row : undefined;
    });
    await first.kill('SIGKILL');
    expect(Date.now() - request.created_at.getTime()).toBeLessThan(PERIOD_MS);
    expect(request.reminders_sent).toBe(0);

    // Nobody runs while the first reminder falls due.
    await sleep(Math.max(0, request.created_at.getTime() + PERIOD_MS + 500 - Date.now()));
    await Promise.all([startBot(w, 'second'), startBot(w, 'third')]);

    const reminders = () =>
      w.slack
        .messages(CHANNEL)
        .filter(
          (m) => m.threadTs === request.chat_message_id && m.text?.includes('Reminder: this'),
        );
    const directMessages = () =>
      w.slack.messages(`D${APPROVER.id.slice(1)}`).filter((m) => m.text?.includes('Reminder'));
    await waitFor('first reminder', () => reminders().length === 1, { timeoutMs: 30_000 });
    await waitFor('second reminder', () => reminders().length === 2, { timeoutMs: 30_000 });
    // Half a period later still two: neither instance sent one twice.
    await sleep(PERIOD_MS / 2);
    expect(reminders()).toHaveLength(2);
    await waitFor('direct messages', () => directMessages().length === 2, { timeoutMs: 10_000 });
    const audited = await w.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('request_id', '=', request.id)
      .where('event', '=', 'approval_reminder')
      .execute();
    // Numbered by the period they belong to: when starting took longer than a period, the
    // missed ones are not sent in a burst.
    const [one, two] = audited.map((row) => (row.details as { reminder: number }).reminder);
    expect(audited).toHaveLength(2);
    expect(two).toBe((one ?? 0) + 1);
    expect(reminders()[0]?.text).toContain(`<@${APPROVER.id}>`);
  });
});
