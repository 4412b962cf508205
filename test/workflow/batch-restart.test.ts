import { afterEach, describe, expect, it } from 'vitest';
import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type { RunningEmulator, SeedUser } from '../../src/genesys/emulator/types.js';
import {
  blockActionBody,
  postToSlackEndpoint,
  viewSubmissionPayload,
} from '../../src/playground/slack-requests.js';
import { BATCH_APPROVE_ACTION } from '../../src/slack/batch-blocks.js';
import {
  MODAL_BLOCKS,
  PEOPLE_ACTION,
  REQUEST_MODAL_CALLBACK,
} from '../../src/slack/request-modal.js';
import { type BotProcess, startBotProcess } from '../helpers/bot-process.js';
import { type FakeSlackApi, startFakeSlackApi } from '../helpers/fake-slack-api.js';
import {
  createPostgresTestDatabase,
  hasPostgres,
  type TestDatabase,
} from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait.js';

/** A bulk run killed halfway resumes on another instance: each person once, one progress message. */

const SIGNING_SECRET = 'batch-restart-signing-secret';
const BOT_TOKEN = 'xoxb-batch-restart-token';
const CHANNEL = 'C0BATCH';
const REQUESTER = { id: 'U0REQ', name: 'req', email: 'req@example.com' };
const APPROVER = { id: 'U0APP', name: 'app', email: 'app@example.com' };
const PEOPLE: SeedUser[] = Array.from({ length: 10 }, (_, index) => ({
  name: `Restart Person ${index + 1}`,
  email: `restart.person${index + 1}@example.com`,
}));

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
  const emulator = await startGenesysEmulator({ users: PEOPLE, gdpr: { pollsPerStage: 2 } });
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
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SLACK_APPROVERS: APPROVER.id,
    },
  };
  return world;
}

async function startBot(w: World, name: string): Promise<BotProcess> {
  const bot = await startBotProcess(name, w.env);
  w.bots.push(bot);
  return bot;
}

async function states(w: World): Promise<string[]> {
  const rows = await w.database.db
    .selectFrom('offboarding_requests')
    .select('state')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.state);
}

describe.skipIf(!hasPostgres)('a bulk run and a crash', () => {
  it('killed mid-run, a new instance finishes every person once and the one progress message', {
    timeout: 180_000,
  }, async () => {
    const w = await startWorld();
    const first = await startBot(w, 'first');
    const submission = viewSubmissionPayload({
      callbackId: REQUEST_MODAL_CALLBACK,
      userId: REQUESTER.id,
      privateMetadata: JSON.stringify({ mode: 'several', origin: CHANNEL }),
      values: {
        [MODAL_BLOCKS.people]: {
          [PEOPLE_ACTION]: {
            type: 'plain_text_input',
            value: PEOPLE.map((p) => p.email).join('\n'),
          },
        },
        [MODAL_BLOCKS.reason]: {
          offboarding_reason: { type: 'plain_text_input', value: 'Closing the site' },
        },
        [MODAL_BLOCKS.channel]: {
          offboarding_channel: { type: 'conversations_select', selected_conversation: CHANNEL },
        },
      },
      responseUrls: [
        {
          block_id: MODAL_BLOCKS.channel,
          action_id: 'offboarding_channel',
          channel_id: CHANNEL,
          response_url: w.slack.responseUrl('modal'),
        },
      ],
    });
    const answer = await postToSlackEndpoint(
      `${first.url}/slack/events`,
      SIGNING_SECRET,
      new URLSearchParams({ payload: JSON.stringify(submission) }).toString(),
    );
    expect(answer.json ?? {}).toEqual({ response_action: 'clear' });
    const batch = await until('the batch card', async () => {
      const row = await w.database.db.selectFrom('batches').selectAll().executeTakeFirst();
      return row?.chat_message_id ? row : undefined;
    });
    await postToSlackEndpoint(
      `${first.url}/slack/events`,
      SIGNING_SECRET,
      blockActionBody({
        actionId: BATCH_APPROVE_ACTION,
        value: `${batch.id}.${batch.decision_token}`,
        userId: APPROVER.id,
        channelId: CHANNEL,
        messageTs: batch.chat_message_id as string,
        responseUrl: w.slack.responseUrl('click'),
      }),
    );
    // Halfway: some people done, some not.
    await until(
      'some people completed',
      async () =>
        (await states(w)).filter((s) => s === 'completed').length >= 1 ? true : undefined,
      60_000,
    );
    expect((await states(w)).some((s) => s !== 'completed')).toBe(true);
    await first.kill('SIGKILL');

    await startBot(w, 'second');
    await until(
      'every person completed and the report posted',
      async () =>
        (await states(w)).every((s) => s === 'completed') && w.slack.files(CHANNEL).length === 1
          ? true
          : undefined,
      120_000,
    );

    // Each person's GDPR request was filed once, across the kill.
    const gdpr = w.emulator.gdprRequests();
    expect(gdpr).toHaveLength(PEOPLE.length);
    expect(new Set(gdpr.map((r) => r.subject.userId)).size).toBe(PEOPLE.length);
    // One progress message, redrawn from the database by the new instance.
    const progress = await until('the final progress text', async () => {
      const replies = w.slack
        .messages(CHANNEL)
        .filter((m) => m.threadTs === batch.chat_message_id && m.blocks !== undefined);
      return replies.length === 1 && replies[0]?.text?.startsWith('Finished:')
        ? replies
        : undefined;
    });
    expect(progress[0]?.text).toBe(`Finished: 10 of 10 done, 0 failed. 10 offboarded.`);
    const report = w.slack.files(CHANNEL)[0]?.content?.toString('utf8') ?? '';
    expect(report.trim().split('\r\n')).toHaveLength(PEOPLE.length + 1);
  });
});
