import { Writable } from 'node:stream';
import { type RunningBot, startBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type {
  EmulatorOptions,
  RunningEmulator,
  SeedUser,
} from '../../src/genesys/emulator/types.js';
import type { GdprMode } from '../../src/genesys/types.js';
import { createLogger } from '../../src/logger.js';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import { TEST_RECORD_HASH_KEY } from './bot-harness.js';
import {
  type FakeBotConnector,
  type FakeTeamsMember,
  type RecordedActivity,
  startFakeBotConnector,
} from './fake-bot-connector.js';
import {
  type Activity,
  type DecisionClick,
  executeActivity,
  messageActivity,
  submitActivity,
  type TeamsPlace,
} from './teams-activities.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { type Check, waitFor } from './wait.js';

export const MARIA: FakeTeamsMember = {
  id: '29:maria-manager',
  name: 'Maria Manager',
  aadObjectId: '0a000000-0000-4000-8000-000000000001',
  userPrincipalName: 'maria.manager@example.com',
};
/** An approver listed by Entra object id. */
export const ADAM: FakeTeamsMember = {
  id: '29:adam-approver',
  name: 'Adam Approver',
  aadObjectId: '0a000000-0000-4000-8000-000000000002',
  userPrincipalName: 'adam.approver@example.com',
};
/** An approver listed by user principal name (in another case than Entra reports it). */
export const UMA: FakeTeamsMember = {
  id: '29:uma-upn',
  name: 'Uma Upn',
  aadObjectId: '0a000000-0000-4000-8000-000000000003',
  userPrincipalName: 'Uma.Upn@example.com',
};
export const OSCAR: FakeTeamsMember = {
  id: '29:oscar-outsider',
  name: 'Oscar Outsider',
  aadObjectId: '0a000000-0000-4000-8000-000000000004',
  userPrincipalName: 'oscar@example.com',
};

export const CHANNEL = '19:offboarding-requests@thread.tacv2';
export const NOTICES_CHANNEL = '19:offboarding-notices@thread.tacv2';

export const JANE: SeedUser = {
  name: 'Jane Doe',
  email: 'jane.doe@example.com',
  department: 'Support',
  title: 'Agent',
  division: { id: 'd1', name: 'Home' },
};

export const APP_ID = '00000000-1111-4222-8333-444444444444';

export interface TeamsHarnessOptions {
  gdprMode?: GdprMode;
  users?: SeedUser[];
  emulator?: EmulatorOptions;
  /** TEAMS_APPROVERS; default Adam by object id and Uma by UPN. */
  approvers?: string[];
  notifyConversationId?: string;
  /** Runs with MICROSOFT_APP_ID (and a password) instead of TEAMS_ALLOW_UNAUTHENTICATED. */
  authenticated?: boolean;
  /** MICROSOFT_APP_TENANT_ID. */
  tenantId?: string;
  /** GENESYS_SANDBOX=true: the bot runs its own emulator (the demo org), not the harness's. */
  sandbox?: boolean;
  /** ERASURE_DELAY_HOURS; default 0 (no grace period). */
  erasureDelayHours?: number;
  /** APPROVAL_REMINDER_HOURS; default 24. */
  approvalReminderHours?: number;
  /** REQUEST_EXPIRY_HOURS; default 168. */
  requestExpiryHours?: number;
}

export interface TeamsHarness {
  bot: RunningBot;
  emulator: RunningEmulator;
  connector: FakeBotConnector;
  database: TestDatabase;
  logs: string[];
  /** POSTs an activity to /api/messages; resolves when the bot answered the HTTP request. */
  post(
    activity: Activity,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown; answeredAt: number }>;
  say(
    text: string,
    from?: FakeTeamsMember,
    place?: TeamsPlace,
  ): Promise<{ status: number; activity: Activity; answeredAt: number }>;
  execute(
    click: DecisionClick,
    from: FakeTeamsMember,
    place?: TeamsPlace,
  ): Promise<{ status: number; body: InvokeAnswer; answeredAt: number }>;
  submit(
    click: DecisionClick,
    from: FakeTeamsMember,
    place?: TeamsPlace,
  ): Promise<{ status: number; answeredAt: number }>;
  /** Asks for an offboarding in the channel and waits for its card. */
  requestInChannel(
    email: string,
    reason?: string,
  ): Promise<{
    request: OffboardingRequest;
    card: RecordedActivity;
    /** The card's thread, where clicks on it come from. */
    place: TeamsPlace;
    said: { status: number; activity: Activity; answeredAt: number };
  }>;
  waitFor<T>(what: string, check: Check<T>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export interface InvokeAnswer {
  statusCode: number;
  type: string;
  value: unknown;
}

export async function startTeamsHarness(options: TeamsHarnessOptions = {}): Promise<TeamsHarness> {
  const database = await createTestDatabase();
  const emulator = await startGenesysEmulator({
    users: options.users ?? [JANE],
    gdpr: { pollsPerStage: 1 },
    ...options.emulator,
  });
  const connector = await startFakeBotConnector();
  for (const member of [MARIA, ADAM, UMA, OSCAR]) connector.addMember(member);

  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      if (process.env.TEST_LOG) process.stdout.write(chunk);
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination: sink });

  // Built from variables, as in production: a Teams-only organisation sets no Slack variable.
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: database.url,
    RECORD_HASH_KEY: TEST_RECORD_HASH_KEY,
    LOG_LEVEL: 'debug',
    NODE_ENV: 'test',
    ...(options.sandbox
      ? { GENESYS_SANDBOX: 'true' }
      : {
          GENESYS_CLIENT_ID: 'emulator-client',
          GENESYS_CLIENT_SECRET: 'emulator-secret',
          GENESYS_API_URL: emulator.url,
        }),
    GDPR_MODE: options.gdprMode ?? 'delete',
    GDPR_POLL_INTERVAL_SECONDS: '1',
    ...(options.erasureDelayHours === undefined
      ? {}
      : { ERASURE_DELAY_HOURS: String(options.erasureDelayHours) }),
    ...(options.approvalReminderHours === undefined
      ? {}
      : { APPROVAL_REMINDER_HOURS: String(options.approvalReminderHours) }),
    ...(options.requestExpiryHours === undefined
      ? {}
      : { REQUEST_EXPIRY_HOURS: String(options.requestExpiryHours) }),
    WORKFLOW_RETRY_BASE_SECONDS: '1',
    WORKFLOW_RETRY_MAX_SECONDS: '2',
    TEAMS_APPROVERS: (options.approvers ?? [ADAM.aadObjectId, UMA.userPrincipalName]).join(','),
    ...(options.notifyConversationId
      ? { TEAMS_NOTIFY_CONVERSATION_ID: options.notifyConversationId }
      : {}),
    ...(options.tenantId ? { MICROSOFT_APP_TENANT_ID: options.tenantId } : {}),
    ...(options.authenticated
      ? { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'test-app-password-secret' }
      : { TEAMS_ALLOW_UNAUTHENTICATED: 'true' }),
  });
  const bot = await startBot(config, logger, {
    database,
    workerPollingIntervalSeconds: 0.5,
    genesysRetry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 50 },
  });
  // The start-up check of the Genesys organization is not what the tests look at.
  emulator.clearCalls();
  const messagesUrl = `${bot.url}/api/messages`;
  /** A click carries what the card's button carries: the token in the card as first posted. */
  const withCardToken = async (click: DecisionClick): Promise<DecisionClick> => {
    if (click.token !== undefined) return click;
    const row = await database.db
      .selectFrom('offboarding_requests')
      .select(['chat_message_id', 'decision_token'])
      .where('id', '=', click.requestId)
      .executeTakeFirst();
    const cardId = click.cardActivityId ?? row?.chat_message_id ?? undefined;
    const posted = cardId ? connector.activity(cardId)?.versions[0] : undefined;
    const data = posted ? executeActions(cardOf(posted))[0]?.data : undefined;
    const token = (data as { offboardingToken?: unknown } | undefined)?.offboardingToken;
    return { ...click, token: typeof token === 'string' ? token : (row?.decision_token ?? null) };
  };
  const channel: TeamsPlace = { kind: 'channel', channelId: CHANNEL };

  const harness: TeamsHarness = {
    bot,
    emulator,
    connector,
    database,
    logs,
    async post(activity, headers = {}) {
      const response = await fetch(messagesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON (an error message): keep the text.
      }
      return { status: response.status, body, answeredAt: Date.now() };
    },
    async say(text, from = MARIA, place = channel) {
      const activity = messageActivity(connector.serviceUrl, from, text, place);
      const { status, answeredAt } = await harness.post(activity);
      return { status, activity, answeredAt };
    },
    async execute(click, from, place = channel) {
      const { status, body, answeredAt } = await harness.post(
        executeActivity(connector.serviceUrl, from, await withCardToken(click), place),
      );
      return { status, body: body as InvokeAnswer, answeredAt };
    },
    async submit(click, from, place = channel) {
      const { status, answeredAt } = await harness.post(
        submitActivity(connector.serviceUrl, from, await withCardToken(click), place),
      );
      return { status, answeredAt };
    },
    async requestInChannel(email, reason) {
      const said = await harness.say(`offboard ${email}${reason ? ` ${reason}` : ''}`);
      const { activity } = said;
      const conversationId = (activity.conversation as { id: string }).id;
      const card = await connector.waitForActivity(
        'the request card',
        (a) => a.conversationId === conversationId && Array.isArray(a.activity.attachments),
      );
      const request = await harness.waitFor('the request, attached to its card', async () => {
        const row = await database.db
          .selectFrom('offboarding_requests')
          .selectAll()
          .where('chat_message_id', '=', card.id)
          .executeTakeFirst();
        return row;
      });
      return {
        request,
        card,
        place: { kind: 'channel', channelId: CHANNEL, threadRootId: activity.id as string },
        said,
      };
    },
    waitFor: (what, check, timeoutMs = 20_000) => waitFor(what, check, { timeoutMs }),
    async close() {
      await bot.stop();
      await emulator.close();
      await connector.close();
      await database.drop();
    },
  };
  return harness;
}

/** Every string in a card that Teams would read as markdown (TextBlock text, fact values). */
export function markdownTexts(card: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const element = node as Record<string, unknown>;
    if (element.type === 'TextBlock' && typeof element.text === 'string') found.push(element.text);
    if (element.type === 'Fact' || ('title' in element && 'value' in element)) {
      found.push(String(element.value));
    }
    for (const value of Object.values(element)) visit(value);
  };
  visit(card);
  return found;
}

/** Every TextRun text of a card, in order: what a reader sees, literally. */
export function cardText(card: unknown): string {
  const runs: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const element = node as Record<string, unknown>;
    if (element.type === 'TextRun' && typeof element.text === 'string') runs.push(element.text);
    if (element.type === 'RichTextBlock') runs.push('\n');
    for (const value of Object.values(element)) visit(value);
  };
  visit(card);
  return runs.join('');
}

/** The Adaptive Card of a recorded activity (its first attachment). */
export function cardOf(activity: Record<string, unknown> | undefined): Record<string, unknown> {
  const attachments = activity?.attachments as Array<{ contentType: string; content: unknown }>;
  const card = attachments?.[0];
  if (card?.contentType !== 'application/vnd.microsoft.card.adaptive') {
    throw new Error(`not an Adaptive Card message: ${JSON.stringify(activity).slice(0, 300)}`);
  }
  return card.content as Record<string, unknown>;
}

/** The Action.Execute buttons of a card, wherever they sit (Approve is inside a ShowCard). */
export function executeActions(card: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const element = node as Record<string, unknown>;
    if (element.type === 'Action.Execute') found.push(element);
    for (const value of Object.values(element)) visit(value);
  };
  visit(card);
  return found;
}
