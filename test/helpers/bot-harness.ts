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
import {
  blockActionBody,
  eventCallbackBody,
  fakeTriggerId,
  interactivityBody,
  postToSlackEndpoint,
  type SlackEndpointResponse,
  slashCommandBody,
  viewSubmissionPayload,
} from '../../src/playground/slack-requests.js';
import {
  REJECT_MODAL_CALLBACK,
  REJECT_REASON_ACTION,
  REJECT_REASON_BLOCK,
} from '../../src/slack/reject-modal.js';
import {
  type FakeSlackApi,
  type FakeSlackApiOptions,
  startFakeSlackApi,
} from './fake-slack-api.js';
import { createTestDatabase, type TestBackend, type TestDatabase } from './test-database.js';
import { type Check, waitFor } from './wait.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token-secret';
export const TEST_RECORD_HASH_KEY = 'test-record-hash-key-0123456789abcdef';
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
  /** How the fake Slack describes the bot token's workspace (auth.test). */
  slackApi?: Pick<FakeSlackApiOptions, 'teamId' | 'enterpriseId' | 'enterpriseInstall'>;
  /**
   * GENESYS_SANDBOX=true: the bot runs its own built-in emulator (the demo org) instead of the
   * harness's, and `emulator` is then unused by the bot.
   */
  sandbox?: boolean;
  /**
   * Connects the bot with another URL than the test's own (a restricted role): called with the
   * migrated test database before the bot starts.
   */
  botDatabaseUrl?: (database: TestDatabase) => Promise<string>;
  /** METRICS_TOKEN: GET /metrics then needs it as a bearer token. */
  metricsToken?: string;
  /** ERASURE_DELAY_HOURS; default 0 (no grace period). */
  erasureDelayHours?: number;
  /** APPROVALS_REQUIRED; default 1. */
  approvalsRequired?: number;
  /** APPROVAL_REMINDER_HOURS; default 24. */
  approvalReminderHours?: number;
  /** REQUEST_EXPIRY_HOURS; default 168. */
  requestExpiryHours?: number;
  /** RECORD_RETENTION_DAYS (default 30). */
  retentionDays?: number;
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
  /**
   * Clicks a button of the card at `messageTs`, sending the value the card's button carries
   * (`options.value` sends another, as an old or forged card would).
   */
  click(
    action: 'approve' | 'reject' | 'undo' | 'cancel' | 'evidence',
    requestId: number,
    messageTs: string,
    user?: { id: string; name: string },
    options?: { value?: string; channel?: string; teamId?: string },
  ): Promise<{ status: number; responseName: string }>;
  /**
   * Reject as a person does it: a click on the card's Reject (which opens the modal), then the
   * modal's submission with `reason`. `metadata` replaces the modal's private_metadata, as a
   * forged submission would. `answer` is what the modal then says, when it stays open (a refusal).
   */
  reject(
    requestId: number,
    messageTs: string,
    user?: { id: string; name: string },
    options?: { reason?: string; value?: string; metadata?: string },
  ): Promise<{ status: number; answer: string | undefined }>;
  /** Posts an interactivity payload (shortcut, block_suggestion, view_submission, …) as Slack does. */
  interact(payload: Record<string, unknown>): Promise<SlackEndpointResponse>;
  /** Posts an Events API callback (app_home_opened, …) as Slack does. */
  event(event: Record<string, unknown>): Promise<SlackEndpointResponse>;
  /** Polls until `check` returns a value (not undefined/false), or fails with `what`. */
  waitFor<T>(what: string, check: Check<T>, timeoutMs?: number): Promise<T>;
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
  const slack = await startFakeSlackApi({ botToken: BOT_TOKEN, ...options.slackApi });
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
    ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
    erasureDelayHours: options.erasureDelayHours ?? 0,
    requestExpiryHours: options.requestExpiryHours ?? 168,
    approvals: {
      required: options.approvalsRequired ?? 1,
      reminderHours: options.approvalReminderHours ?? 24,
    },
    privacy: {
      retentionDays: options.retentionDays ?? 30,
      recordHashKey: TEST_RECORD_HASH_KEY,
    },
    offboardDefaultTime: '18:00',
    workflow: {
      retryBaseSeconds: 1,
      retryMaxSeconds: 2,
      genesysTimeoutSeconds: 30,
      concurrency: 4,
      // Far above what tests send: pacing has its own tests (test/genesys/rate-limiter.test.ts).
      genesysRateLimitPerMinute: 60_000,
    },
    genesys: options.sandbox
      ? undefined
      : {
          clientId: 'emulator-client',
          clientSecret: 'emulator-secret',
          region: undefined,
          apiUrl: emulator.url,
        },
    genesysSandbox: options.sandbox === true,
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
  // The start-up check of the Genesys organization is not what the tests look at.
  emulator.clearCalls();
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
    async click(action, requestId, messageTs, user = APPROVER, options = {}) {
      const responseName = `click-${++responseCounter}`;
      const actionId = `offboarding_${action}`;
      const channel = options.channel ?? CHANNEL;
      const body = blockActionBody({
        actionId,
        value:
          options.value ??
          buttonValue(slack.message(channel, messageTs)?.blocks, actionId) ??
          String(requestId),
        userId: user.id,
        userName: user.name,
        channelId: channel,
        ...(options.teamId ? { teamId: options.teamId } : {}),
        messageTs,
        responseUrl: slack.responseUrl(responseName),
      });
      const response = await postToSlackEndpoint(eventsUrl, SIGNING_SECRET, body);
      return { status: response.status, responseName };
    },
    async reject(requestId, messageTs, user = APPROVER, options = {}) {
      const triggerId = fakeTriggerId();
      const body = blockActionBody({
        actionId: 'offboarding_reject',
        value:
          options.value ??
          buttonValue(slack.message(CHANNEL, messageTs)?.blocks, 'offboarding_reject') ??
          String(requestId),
        userId: user.id,
        userName: user.name,
        channelId: CHANNEL,
        messageTs,
        triggerId,
        responseUrl: slack.responseUrl(`click-${++responseCounter}`),
      });
      const clicked = await postToSlackEndpoint(eventsUrl, SIGNING_SECRET, body);
      if (clicked.status !== 200) return { status: clicked.status, answer: undefined };
      const modal = await waitFor('the Reject modal', () =>
        slack.modals().find((view) => view.triggerId === triggerId),
      );
      const response = await postToSlackEndpoint(
        eventsUrl,
        SIGNING_SECRET,
        interactivityBody(
          viewSubmissionPayload({
            callbackId: REJECT_MODAL_CALLBACK,
            userId: user.id,
            userName: user.name,
            viewId: modal.id,
            privateMetadata: options.metadata ?? String(modal.view.private_metadata ?? ''),
            values: {
              [REJECT_REASON_BLOCK]: {
                [REJECT_REASON_ACTION]: { type: 'plain_text_input', value: options.reason ?? null },
              },
            },
          }),
        ),
      );
      const answer = response.json as
        | { response_action?: string; view?: { blocks?: Array<{ text?: { text?: string } }> } }
        | undefined;
      return {
        status: response.status,
        answer:
          answer?.response_action === 'update' ? answer.view?.blocks?.[0]?.text?.text : undefined,
      };
    },
    interact: (payload) =>
      postToSlackEndpoint(eventsUrl, SIGNING_SECRET, interactivityBody(payload)),
    event: (event) => postToSlackEndpoint(eventsUrl, SIGNING_SECRET, eventCallbackBody(event)),
    waitFor: (what, check, timeoutMs = 20_000) => waitFor(what, check, { timeoutMs }),
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

/** The value of the card's button with this action id, as Slack would send it on a click. */
export function buttonValue(blocks: unknown[] | undefined, actionId: string): string | undefined {
  for (const block of blocks ?? []) {
    const elements = (block as { elements?: unknown[] }).elements ?? [];
    for (const element of elements) {
      const button = element as { action_id?: string; value?: string };
      if (button.action_id === actionId) return button.value;
    }
  }
  return undefined;
}
