import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type {
  EmulatorOptions,
  RunningEmulator,
  SeedUser,
} from '../../src/genesys/emulator/types.js';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import {
  blockActionBody,
  postToSlackEndpoint,
  slashCommandBody,
} from '../../src/playground/slack-requests.js';
import { type BotProcess, startBotProcess } from './bot-process.js';
import { type FakeSlackApi, type FakeSlackUser, startFakeSlackApi } from './fake-slack-api.js';
import { createPostgresTestDatabase, type TestDatabase } from './test-database.js';
import { waitFor } from './wait.js';

// The fault suites' world: real bot processes (killed with SIGKILL on purpose) sharing one
// PostgreSQL database, one Genesys emulator and one fake Slack.

const SIGNING_SECRET = 'process-world-signing-secret';
const BOT_TOKEN = 'xoxb-process-world-token';
export const WORLD_REQUESTER = { id: 'U0REQ', name: 'req', email: 'req@example.com' };
export const WORLD_APPROVER = { id: 'U0APP', name: 'app', email: 'app@example.com' };

export const until = <T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number) =>
  waitFor(what, check, { timeoutMs, intervalMs: 50 });

export interface ProcessWorldOptions {
  /** The Genesys user the suite offboards with `offboard`. */
  target: SeedUser;
  /** Genesys users besides the target. */
  others?: readonly SeedUser[];
  channel: string;
  /** Settings on top of the world's: Genesys, Slack and quick retries are already there. */
  env?: Record<string, string>;
  gdpr?: EmulatorOptions['gdpr'];
  requester?: FakeSlackUser;
  /** How long one bot may take to compile and start on a busy machine. */
  startTimeoutMs?: number;
}

export interface ProcessWorld {
  database: TestDatabase & { url: string };
  emulator: RunningEmulator;
  slack: FakeSlackApi;
  env: Record<string, string>;
  startBot(name: string): Promise<BotProcess>;
  /** A Slack request (form-encoded body) to `bot`'s /slack/events, signed as Slack signs it. */
  post(bot: BotProcess, body: string): ReturnType<typeof postToSlackEndpoint>;
  /** `/offboard <target> <rest>` through `bot`; resolves with the request once its card is up. */
  offboard(bot: BotProcess, rest?: string): Promise<OffboardingRequest>;
  /** The approver's click on the request's card, through `bot`. */
  approve(bot: BotProcess, request: OffboardingRequest): Promise<void>;
  /** Every bot is killed (SIGKILL), then the emulator, the fake Slack and the database go. */
  close(): Promise<void>;
}

export async function startProcessWorld(options: ProcessWorldOptions): Promise<ProcessWorld> {
  const database = await createPostgresTestDatabase();
  const emulator = await startGenesysEmulator({
    users: [options.target, ...(options.others ?? [])],
    ...(options.gdpr ? { gdpr: options.gdpr } : {}),
  });
  const slack = await startFakeSlackApi({ botToken: BOT_TOKEN });
  const requester = options.requester ?? WORLD_REQUESTER;
  slack.addUser({ ...requester });
  slack.addUser({ ...WORLD_APPROVER });
  const bots: BotProcess[] = [];
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    GENESYS_CLIENT_ID: 'emulator-client',
    GENESYS_CLIENT_SECRET: 'emulator-secret',
    GENESYS_API_URL: emulator.url,
    // Sizes the step lease (2 x 3 + 10 s) a restarted bot waits out before it looks for the
    // GDPR request a killed attempt may have filed.
    GENESYS_TIMEOUT_SECONDS: '3',
    GDPR_POLL_INTERVAL_SECONDS: '1',
    WORKFLOW_RETRY_BASE_SECONDS: '1',
    WORKFLOW_RETRY_MAX_SECONDS: '2',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    SLACK_APPROVERS: WORLD_APPROVER.id,
    ...options.env,
  };
  const post = (bot: BotProcess, body: string) =>
    postToSlackEndpoint(`${bot.url}/slack/events`, SIGNING_SECRET, body);

  return {
    database,
    emulator,
    slack,
    env,
    post,
    async startBot(name) {
      const bot = await startBotProcess(name, env, options.startTimeoutMs ?? 120_000);
      bots.push(bot);
      return bot;
    },
    async offboard(bot, rest = 'leaving') {
      await post(
        bot,
        slashCommandBody({
          text: `${options.target.email} ${rest}`,
          userId: requester.id,
          channelId: options.channel,
          responseUrl: slack.responseUrl('command'),
        }),
      );
      return until('posted request', async () => {
        const row = await database.db
          .selectFrom('offboarding_requests')
          .selectAll()
          .executeTakeFirst();
        return row?.chat_message_id ? row : undefined;
      });
    },
    async approve(bot, request) {
      await post(
        bot,
        blockActionBody({
          actionId: 'offboarding_approve',
          value: `${request.id}.${request.decision_token}`,
          userId: WORLD_APPROVER.id,
          channelId: options.channel,
          messageTs: request.chat_message_id as string,
          responseUrl: slack.responseUrl('click'),
        }),
      );
    },
    async close() {
      await Promise.all(bots.map((bot) => bot.kill('SIGKILL')));
      await emulator.close();
      await slack.close();
      await database.drop();
    },
  };
}
