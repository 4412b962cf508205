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
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import {
  createPostgresTestDatabase,
  hasPostgres,
  type TestDatabase,
} from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'outage-signing-secret';
const TOKEN = 'xoxb-outage-token';
const CHANNEL = 'C0OUTAGE';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

describe.skipIf(!hasPostgres)('a PostgreSQL restart', () => {
  it('while a step waits on Genesys: the bot stays up, /healthz says 503, then it finishes the request', {
    timeout: 120_000,
  }, async () => {
    const database: TestDatabase & { url: string } = await createPostgresTestDatabase();
    cleanup.push(() => database.drop());
    const target = new URL(database.url);
    const proxy: TcpProxy = await startTcpProxy({
      host: target.hostname,
      port: Number(target.port),
    });
    cleanup.push(() => proxy.close());
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    const emulator: RunningEmulator = await startGenesysEmulator({
      users: [{ name: 'Outage Target', email: 'outage@example.com' }],
      gdpr: { pollsPerStage: 1 },
    });
    cleanup.push(() => emulator.close());
    const slack: FakeSlackApi = await startFakeSlackApi({ botToken: TOKEN });
    cleanup.push(() => slack.close());
    slack.addUser({ id: 'U0REQ', name: 'req', email: 'req@example.com' });
    slack.addUser({ id: 'U0APP', name: 'app', email: 'app@example.com' });
    const bot: BotProcess = await startBotProcess('outage', {
      DATABASE_URL: proxied.toString(),
      GENESYS_CLIENT_ID: 'emulator-client',
      GENESYS_CLIENT_SECRET: 'emulator-secret',
      GENESYS_API_URL: emulator.url,
      GDPR_POLL_INTERVAL_SECONDS: '1',
      WORKFLOW_RETRY_BASE_SECONDS: '1',
      WORKFLOW_RETRY_MAX_SECONDS: '2',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SLACK_APPROVERS: 'U0APP',
    });
    cleanup.push(() => bot.kill('SIGKILL'));

    await postToSlackEndpoint(
      `${bot.url}/slack/events`,
      SECRET,
      slashCommandBody({
        text: 'outage@example.com',
        userId: 'U0REQ',
        channelId: CHANNEL,
        responseUrl: slack.responseUrl('c'),
      }),
    );
    const request = await waitFor(
      'posted request',
      async () => {
        const row = await database.db
          .selectFrom('offboarding_requests')
          .selectAll()
          .executeTakeFirst();
        return row?.chat_message_id ? row : undefined;
      },
      { retryErrors: true },
    );
    // Genesys is slow to delete: the worker holds the request's lock, its connection idle.
    emulator.injectFault({
      method: 'DELETE',
      path: /^\/api\/v2\/users\//,
      kind: 'latency',
      ms: 3000,
      times: 1,
    });
    await postToSlackEndpoint(
      `${bot.url}/slack/events`,
      SECRET,
      blockActionBody({
        actionId: 'offboarding_approve',
        value: `${request.id}.${request.decision_token}`,
        userId: 'U0APP',
        channelId: CHANNEL,
        messageTs: request.chat_message_id as string,
        responseUrl: slack.responseUrl('a'),
      }),
    );
    await waitFor(
      'soft delete in flight',
      async () => {
        const step = await database.db
          .selectFrom('workflow_steps')
          .select('status')
          .where('step', '=', 'soft_delete')
          .executeTakeFirst();
        return step?.status === 'running' ? true : undefined;
      },
      { retryErrors: true },
    );

    const outage = proxy.outage(3000);
    await sleep(1000);
    const during = await fetch(`${bot.url}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    expect(during, `the bot said:\n${bot.output.join('').slice(-2000)}`).toBe(503);
    await outage;
    await waitFor(
      'healthz 200',
      async () => ((await fetch(`${bot.url}/healthz`)).status === 200 ? true : undefined),
      { retryErrors: true },
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}; exit ${bot.child.exitCode} ${bot.child.signalCode}; the bot said:\n${bot.output.join('').slice(-1500)}`,
      );
    });

    // The job whose database vanished under it is picked up again by the sweep (every 15 s).
    await waitFor(
      'completed',
      async () => {
        const row = await database.db
          .selectFrom('offboarding_requests')
          .select('state')
          .where('id', '=', request.id)
          .executeTakeFirst();
        return row?.state === 'completed' ? true : undefined;
      },
      { timeoutMs: 120_000, retryErrors: true },
    );
    expect(bot.child.exitCode).toBeNull();
    expect(emulator.gdprRequests()).toHaveLength(1);
  });
});
