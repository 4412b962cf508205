import { Writable } from 'node:stream';
import { type RunningBot, startBot } from '../../src/bot.js';
import type { Config } from '../../src/config.js';
import { createDatabase } from '../../src/db/database.js';
import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type {
  EmulatorOptions,
  RunningEmulator,
  SeedUser,
} from '../../src/genesys/emulator/types.js';
import type { GdprMode } from '../../src/genesys/types.js';
import { createLogger } from '../../src/logger.js';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.js';
import { blockActionBody, postToSlackEndpoint, slashCommandBody } from './slack.js';
import { createTestDatabase, type TestBackend, type TestDatabase } from './test-database.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token-secret';
export const CHANNEL = 'C0OFFBOARD';
export const NOTIFY_CHANNEL = 'C0NOTICES';
export const REQUESTER = { id: 'U0MANAGER', name: 'maria', email: 'maria.manager@example.com' };
export const APPROVER = { id: 'U0APPROVER', name: 'adam', email: 'adam.approver@example.com' };
export const SECOND_APPROVER = {
  id: 'U0APPROVER2',
  name: 'ann',
  email: 'ann.approver@example.com',
};
export const OUTSIDER = { id: 'U0OUTSIDER', name: 'oscar', email: 'oscar@example.com' };

export const JANE: SeedUser = {
  name: 'Jane Doe',
  email: 'jane.doe@example.com',
  department: 'Support',
  title: 'Agent',
  division: { id: 'd1', name: 'Home' },
};

export interface HarnessOptions {
  gdprMode?: GdprMode;
  users?: SeedUser[];
  emulator?: EmulatorOptions;
  approvers?: string[];
  requesters?: string[];
  /** Defaults to PostgreSQL when it answers, else the embedded database. */
  backend?: TestBackend;
  /**
   * Connects the bot with another URL than the test's own (a restricted role): called with the
   * migrated test database before the bot starts.
   */
  botDatabaseUrl?: (database: TestDatabase) => Promise<string>;
}

export interface Harness {
  bot: RunningBot;
  emulator: RunningEmulator;
  slack: FakeSlackApi;
  database: TestDatabase;
  /** Every log line the bot wrote, for checks that no secret leaks. */
  logs: string[];
  command(
    text: string,
    user?: { id: string; name: string },
    channel?: string,
  ): Promise<{ status: number; responseName: string }>;
  click(
    action: 'approve' | 'reject',
    requestId: number,
    messageTs: string,
    user?: { id: string; name: string },
  ): Promise<{ status: number; responseName: string }>;
  /** Polls until `check` returns a value (not undefined/false), or fails with `what`. */
  waitFor<T>(
    what: string,
    check: () => Promise<T | undefined | false> | T | undefined | false,
    timeoutMs?: number,
  ): Promise<T>;
  close(): Promise<void>;
}

let responseCounter = 0;

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const database = await createTestDatabase(options.backend ? { backend: options.backend } : {});
  const emulator = await startGenesysEmulator({
    users: options.users ?? [JANE],
    gdpr: { pollsPerStage: 1 },
    ...options.emulator,
  });
  const slack = await startFakeSlackApi({ botToken: BOT_TOKEN });
  for (const user of [REQUESTER, APPROVER, SECOND_APPROVER, OUTSIDER]) {
    slack.addUser({ id: user.id, name: user.name, realName: user.name, email: user.email });
  }
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      if (process.env.TEST_LOG) process.stdout.write(chunk);
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination: sink });

  const botUrl = options.botDatabaseUrl ? await options.botDatabaseUrl(database) : undefined;
  const botDatabase = botUrl ? createDatabase(botUrl, { max: 5 }) : database;
  const config: Config = {
    port: 0,
    databaseUrl: botUrl ?? database.url,
    embeddedDataDir: '.data/test-unused',
    logLevel: 'debug',
    nodeEnv: 'test',
    migrateOnStart: true,
    requestExpiryHours: 168,
    workflow: { retryBaseSeconds: 1, retryMaxSeconds: 2 },
    genesys: {
      clientId: 'emulator-client',
      clientSecret: 'emulator-secret',
      region: undefined,
      apiUrl: emulator.url,
    },
    gdpr: { mode: options.gdprMode ?? 'delete', pollIntervalSeconds: 1, includeEmail: false },
    slack: {
      signingSecret: SIGNING_SECRET,
      botToken: BOT_TOKEN,
      apiUrl: slack.apiUrl,
      approvers: options.approvers ?? [APPROVER.id, SECOND_APPROVER.id],
      requesters: options.requesters,
      notifyChannel: NOTIFY_CHANNEL,
    },
    teams: undefined,
  };
  const bot = await startBot(config, logger, {
    database: botDatabase,
    slackWebApiRetries: 0,
    workerPollingIntervalSeconds: 0.5,
    genesysRetry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 50 },
  });
  const eventsUrl = `${bot.url}/slack/events`;

  const harness: Harness = {
    bot,
    emulator,
    slack,
    database,
    logs,
    async command(text, user = REQUESTER, channel = CHANNEL) {
      const responseName = `command-${++responseCounter}`;
      const body = slashCommandBody({
        text,
        userId: user.id,
        userName: user.name,
        channelId: channel,
        responseUrl: slack.responseUrl(responseName),
      });
      const response = await postToSlackEndpoint(eventsUrl, SIGNING_SECRET, body);
      return { status: response.status, responseName };
    },
    async click(action, requestId, messageTs, user = APPROVER) {
      const responseName = `click-${++responseCounter}`;
      const body = blockActionBody({
        actionId: action === 'approve' ? 'offboarding_approve' : 'offboarding_reject',
        value: String(requestId),
        userId: user.id,
        userName: user.name,
        channelId: CHANNEL,
        messageTs,
        responseUrl: slack.responseUrl(responseName),
      });
      const response = await postToSlackEndpoint(eventsUrl, SIGNING_SECRET, body);
      return { status: response.status, responseName };
    },
    async waitFor(what, check, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value !== undefined && value !== false) return value as never;
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await bot.stop();
      if (botDatabase !== database) await botDatabase.close();
      await emulator.close();
      await slack.close();
      await database.drop();
    },
  };
  return harness;
}
