import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createCloudAdapter, TEAMS_CALL_MAX_MS } from '../../src/teams/adapter.js';
import { TeamsSender } from '../../src/teams/sender.js';
import { NOTIFY_JOB_BUDGET_MS } from '../../src/workflow/notification-dispatcher.js';
import { NOTIFY_JOB_EXPIRE_SECONDS } from '../../src/workflow/queue.js';
import { type FakeBotConnector, startFakeBotConnector } from '../helpers/fake-bot-connector.js';
import { BOT_ACCOUNT } from '../helpers/teams-activities.js';
import { CHANNEL } from '../helpers/teams-harness.js';

let connector: FakeBotConnector | undefined;
afterEach(async () => {
  await connector?.close();
  connector = undefined;
});

const teamsConfig = () => {
  const config = loadConfig({
    TEAMS_ALLOW_UNAUTHENTICATED: 'true',
    TEAMS_APPROVERS: 'someone@example.com',
    NODE_ENV: 'test',
    // Never connected to: loadConfig requires both with a chat platform configured.
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    GENESYS_SANDBOX: 'true',
    RECORD_HASH_KEY: 'connector-bounds-record-hash-key-0123456789',
  }).teams;
  if (!config) throw new Error('Teams is not configured');
  return config;
};

/** The real CloudAdapter and sender, with bounds small enough for a test. */
async function boundedSend(fake: FakeBotConnector): Promise<{ error: unknown; elapsed: number }> {
  const adapter = createCloudAdapter(teamsConfig(), 300);
  const sender = new TeamsSender(adapter, '');
  const started = Date.now();
  const error = await sender
    .send(
      {
        serviceUrl: fake.serviceUrl,
        channelId: 'msteams',
        bot: BOT_ACCOUNT,
        conversation: { id: CHANNEL, isGroup: true, conversationType: 'channel', name: '' },
      },
      { type: 'message', text: 'Offboarding completed' },
    )
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  return { error, elapsed: Date.now() - started };
}

describe('Teams connector calls stay inside the notify job', () => {
  it('the worst case of a call plus a job budget is well inside the job expiry', () => {
    expect(TEAMS_CALL_MAX_MS + NOTIFY_JOB_BUDGET_MS).toBeLessThanOrEqual(
      (NOTIFY_JOB_EXPIRE_SECONDS * 1000) / 2,
    );
  });

  it('a connector that never answers fails the call by its deadline', async () => {
    connector = await startFakeBotConnector();
    connector.holdPosts();
    const { error, elapsed } = await boundedSend(connector);
    expect(error).toBeDefined();
    expect(elapsed).toBeLessThan(3_000);
    expect(connector.activities()).toEqual([]);
  });

  it('a connector that keeps answering 503 is not retried past the deadline', async () => {
    connector = await startFakeBotConnector();
    connector.failNext(100);
    const { error, elapsed } = await boundedSend(connector);
    expect(error).toBeDefined();
    // TEAMS_CALL_MAX_MS's formula with a 300 ms try: at most 4 tries and 3 waits.
    expect(elapsed).toBeLessThan(4 * 300 + 1.2 * 7_000);
    const posts = connector.requests().filter((r) => r.method === 'POST');
    expect(posts.length).toBeLessThanOrEqual(4);
  });
});
