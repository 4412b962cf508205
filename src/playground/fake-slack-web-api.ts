// A local stand-in for https://slack.com/api/ that speaks the Web API wire protocol, so the real
// `@slack/web-api` WebClient inside Bolt talks to it unchanged. The playground ships it (it is
// where the bot's messages go when no Slack credentials are set) and the tests drive it:
//   new App({ token, signingSecret, clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } } })
//
// Protocol, as Slack does it: every method is `POST /api/<method>` with a form-encoded body (the
// WebClient's default; nested values such as `blocks` arrive as JSON strings) or a JSON body, and
// the token in `Authorization: Bearer xoxb-…` (form bodies may carry `token=` instead). Answers are
// HTTP 200 with `{ ok: true, … }` or `{ ok: false, error }`, except rate limiting: HTTP 429 with
// `Retry-After` (the WebClient then sleeps that long before failing or retrying, unless created
// with `rejectRateLimitedCalls: true`).
//
// It also hosts response_url endpoints (`fake.responseUrl(name)`), which Bolt's `respond()` POSTs
// JSON to. Like Slack, each accepts 5 posts and then answers 404 `used_url`.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackApiOptions {
  /** When set, only this token is accepted; otherwise any `xoxb-` token is. */
  botToken?: string;
  teamId?: string;
  teamDomain?: string;
  /** An Enterprise Grid org id; with `enterpriseInstall`, auth.test reports an org-wide install. */
  enterpriseId?: string;
  enterpriseInstall?: boolean;
  botUserId?: string;
  botId?: string;
  /**
   * When true, only channels added with `addChannel` (and DMs opened by posting to a user) exist;
   * by default any well-formed channel ID (C…, G…, D…) is accepted and created on first use.
   */
  strictChannels?: boolean;
  /** Seconds part of the first message ts; later ones increase from it. */
  firstTs?: number;
}

export interface SlackApiCall {
  method: string;
  /** The arguments as Slack decodes them: form values are strings, JSON-valued ones are parsed. */
  args: Record<string, unknown>;
  token: string | undefined;
  at: Date;
  /** The error answered, or undefined for `ok: true`. */
  error: string | undefined;
}

export interface ResponseUrlPost {
  name: string;
  body: unknown;
  at: Date;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
  /** A multi-channel guest. */
  isRestricted?: boolean;
  /** A single-channel guest (Slack sets is_restricted too). */
  isUltraRestricted?: boolean;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
}

/** A message as it stands now (after any chat.update). */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: string | undefined;
  blocks: unknown[] | undefined;
  metadata: unknown;
  /** How many times chat.update changed it. */
  updateCount: number;
}

export interface FailMethodOptions {
  /** Fail this many calls, then answer normally. Default: every call until clearFailures(). */
  times?: number;
  /** Fail only calls whose `channel` argument is this ID. */
  channel?: string;
  /** Retry-After of a `ratelimited` failure. Default 1. */
  retryAfterSeconds?: number;
}

interface Failure {
  method: string;
  error: string;
  remaining: number;
  channel: string | undefined;
  retryAfterSeconds: number;
}

/** Thrown inside a method handler to answer `{ ok: false, error }` (plus any extra fields). */
class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

type MethodHandler = (args: Record<string, unknown>) => Record<string, unknown>;

const RESPONSE_URL_PATH = '/response-url/';
/** Slack accepts up to 5 posts to one response_url (within 30 minutes). */
const RESPONSE_URL_MAX_USES = 5;
/** Arguments the WebClient JSON-encodes inside a form body, decoded as Slack decodes them. */
const JSON_ARGUMENTS = new Set(['blocks', 'attachments', 'metadata', 'view', 'unfurls']);
const CHANNEL_ID = /^[CGD][A-Z0-9]+$/;
const USER_ID = /^[UW][A-Z0-9]+$/;

export class FakeSlackApi {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>/api/`: give it to Bolt as `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;

  private readonly recordedCalls: SlackApiCall[] = [];
  private readonly recordedResponses: ResponseUrlPost[] = [];
  private readonly responseUrlUses = new Map<string, number>();
  private readonly failures: Failure[] = [];
  private readonly users = new Map<string, FakeSlackUser>();
  private readonly userGroups = new Map<string, string[]>();
  private readonly channels = new Map<string, FakeSlackChannel & { isIm: boolean }>();
  private readonly messagesByKey = new Map<string, FakeSlackMessage>();
  private latencyMs = 0;
  private tsSequence = 0;
  private readonly handlers: Record<string, MethodHandler>;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeSlackApiOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.url}/api/`;
    this.handlers = {
      'auth.test': () => this.authTest(),
      'chat.postMessage': (args) => this.postMessage(args),
      'chat.update': (args) => this.updateMessage(args),
      'chat.postEphemeral': (args) => this.postEphemeral(args),
      'users.info': (args) => ({ user: this.userProfile(this.findUser(args.user)) }),
      'users.lookupByEmail': (args) => ({
        user: this.userProfile(this.findUserByEmail(args.email)),
      }),
      'usergroups.users.list': (args) => ({ users: this.findUserGroup(args.usergroup) }),
      'conversations.info': (args) => ({
        channel: this.channelInfo(this.findChannel(args.channel)),
      }),
    };
  }

  static async start(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
    let fake: FakeSlackApi | undefined;
    const server = createServer((request, response) => {
      // Requests cannot arrive before listen() resolved, so `fake` is set by then.
      fake?.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`fake Slack API failed: ${String(error)}`);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    fake = new FakeSlackApi(server, options);
    return fake;
  }

  get teamId(): string {
    return this.options.teamId ?? 'T0TEST';
  }

  get botUserId(): string {
    return this.options.botUserId ?? 'U0BOT';
  }

  get botId(): string {
    return this.options.botId ?? 'B0BOT';
  }

  // ---- seeding --------------------------------------------------------------------------------

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, { ...user });
  }

  addUserGroup(id: string, userIds: string[]): void {
    this.userGroups.set(id, [...userIds]);
  }

  addChannel(channel: FakeSlackChannel): void {
    this.channels.set(channel.id, { ...channel, isIm: channel.id.startsWith('D') });
  }

  // ---- behaviour ------------------------------------------------------------------------------

  /**
   * Makes `method` answer `{ ok: false, error }` (HTTP 429 + Retry-After for `ratelimited`).
   * Rules apply in the order added; the first that matches a call is used.
   */
  failMethod(method: string, error: string, options: FailMethodOptions = {}): void {
    this.failures.push({
      method,
      error,
      remaining: options.times ?? Number.POSITIVE_INFINITY,
      channel: options.channel,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
    });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Delays every answer (API and response_url) by `ms`. */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  // ---- response_url ---------------------------------------------------------------------------

  /** A response_url on this server; what is POSTed there shows in `responses(name)`. */
  responseUrl(name: string): string {
    return `${this.url}${RESPONSE_URL_PATH}${encodeURIComponent(name)}`;
  }

  responses(name?: string): ResponseUrlPost[] {
    return this.recordedResponses.filter((post) => name === undefined || post.name === name);
  }

  async waitForResponse(
    name: string,
    predicate: (post: ResponseUrlPost) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ResponseUrlPost> {
    return poll(
      () => this.responses(name).find(predicate),
      timeoutMs,
      () =>
        `No response_url post to "${name}" matched within ${timeoutMs} ms. Posts seen:\n${describeList(
          this.recordedResponses.map((post) => `${post.name} ${brief(post.body)}`),
        )}`,
    );
  }

  // ---- inspection -----------------------------------------------------------------------------

  calls(method?: string): SlackApiCall[] {
    return this.recordedCalls.filter((call) => method === undefined || call.method === method);
  }

  /** Forgets recorded calls and response_url posts (seeds, messages and failures stay). */
  clearCalls(): void {
    this.recordedCalls.length = 0;
    this.recordedResponses.length = 0;
  }

  /** Resolves with the first call (past or future) to `method` that satisfies `predicate`. */
  async waitForCall(
    method: string,
    predicate: (call: SlackApiCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<SlackApiCall> {
    return poll(
      () => this.calls(method).find(predicate),
      timeoutMs,
      () =>
        `No ${method} call matched within ${timeoutMs} ms. Calls seen:\n${describeList(
          this.recordedCalls.map(
            (call) => `${call.method} ${brief(call.args)} → ${call.error ?? 'ok'}`,
          ),
        )}`,
    );
  }

  /** Messages as they stand now, oldest first. */
  messages(channel?: string): FakeSlackMessage[] {
    return [...this.messagesByKey.values()].filter(
      (message) => channel === undefined || message.channel === channel,
    );
  }

  message(channel: string, ts: string): FakeSlackMessage | undefined {
    return this.messagesByKey.get(messageKey(channel, ts));
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
    // Keep-alive sockets from the WebClient's fetch would otherwise hold close() open.
    this.server.closeAllConnections();
    await closed;
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const body = await readBody(request);
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    if (request.method === 'POST' && url.pathname.startsWith('/api/')) {
      this.handleApiCall(url, request, body, response);
    } else if (request.method === 'POST' && url.pathname.startsWith(RESPONSE_URL_PATH)) {
      const name = decodeURIComponent(url.pathname.slice(RESPONSE_URL_PATH.length));
      this.handleResponseUrl(name, request, body, response);
    } else {
      sendJson(response, 404, { ok: false, error: 'not_found' });
    }
  }

  private handleApiCall(
    url: URL,
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
  ) {
    const method = url.pathname.slice('/api/'.length);
    const call: SlackApiCall = {
      method,
      args: {},
      token: undefined,
      at: new Date(),
      error: undefined,
    };
    this.recordedCalls.push(call);
    const answer = (status: number, payload: Record<string, unknown>, headers = {}) => {
      call.error = payload.ok === true ? undefined : String(payload.error);
      sendJson(response, status, payload, headers);
    };

    const contentType = request.headers['content-type'] ?? '';
    let args: Record<string, unknown>;
    try {
      args = { ...Object.fromEntries(url.searchParams), ...decodeArguments(contentType, body) };
    } catch (error) {
      if (error instanceof SlackApiError) return answer(200, { ok: false, error: error.error });
      throw error;
    }
    const headerToken = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const { token: argumentToken, ...argsWithoutToken } = args;
    call.args = argsWithoutToken;
    call.token = headerToken ?? (typeof argumentToken === 'string' ? argumentToken : undefined);

    if (call.token === undefined) return answer(200, { ok: false, error: 'not_authed' });
    const tokenValid = this.options.botToken
      ? call.token === this.options.botToken
      : call.token.startsWith('xoxb-');
    if (!tokenValid) return answer(200, { ok: false, error: 'invalid_auth' });

    const failure = this.takeFailure(method, call.args);
    if (failure?.error === 'ratelimited') {
      return answer(
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(failure.retryAfterSeconds) },
      );
    }
    if (failure) return answer(200, { ok: false, error: failure.error });

    // hasOwn: a method named like an Object.prototype member (toString) is unknown, not callable.
    const handler = Object.hasOwn(this.handlers, method) ? this.handlers[method] : undefined;
    if (handler === undefined) return answer(200, { ok: false, error: 'unknown_method' });
    try {
      return answer(200, { ok: true, ...handler(call.args) });
    } catch (error) {
      if (error instanceof SlackApiError) {
        return answer(200, { ok: false, error: error.error, ...error.extra });
      }
      throw error;
    }
  }

  private handleResponseUrl(
    name: string,
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
  ) {
    const uses = (this.responseUrlUses.get(name) ?? 0) + 1;
    this.responseUrlUses.set(name, uses);
    if (uses > RESPONSE_URL_MAX_USES) {
      return sendJson(response, 404, { ok: false, error: 'used_url' });
    }
    let parsed: unknown;
    try {
      parsed = decodeArguments(request.headers['content-type'] ?? 'application/json', body);
    } catch {
      return sendJson(response, 400, { ok: false, error: 'invalid_payload' });
    }
    this.recordedResponses.push({ name, body: parsed, at: new Date() });
    return sendJson(response, 200, { ok: true });
  }

  private takeFailure(method: string, args: Record<string, unknown>): Failure | undefined {
    const failure = this.failures.find(
      (rule) =>
        rule.method === method &&
        rule.remaining > 0 &&
        (rule.channel === undefined || rule.channel === args.channel),
    );
    if (failure) failure.remaining -= 1;
    return failure;
  }

  // ---- methods --------------------------------------------------------------------------------

  private authTest(): Record<string, unknown> {
    const domain = this.options.teamDomain ?? 'offboarding-test';
    return {
      url: `https://${domain}.slack.com/`,
      team: domain,
      user: 'offboarding-bot',
      team_id: this.options.enterpriseInstall ? '' : this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      ...(this.options.enterpriseId ? { enterprise_id: this.options.enterpriseId } : {}),
      is_enterprise_install: this.options.enterpriseInstall ?? false,
    };
  }

  private postMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = this.resolveChannel(args.channel);
    const content = validMessageContent(args);
    // No check that the parent exists: Slack accepts replies to messages this fake never saw.
    const threadTs = optionalString(args.thread_ts);
    const message: FakeSlackMessage = {
      channel,
      ts: this.nextTs(),
      threadTs,
      ...content,
      updateCount: 0,
    };
    this.messagesByKey.set(messageKey(channel, message.ts), message);
    return { channel, ts: message.ts, message: this.messagePayload(message) };
  }

  private updateMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = optionalString(args.channel);
    const ts = optionalString(args.ts);
    if (channel === undefined) throw new SlackApiError('channel_not_found');
    const message = ts === undefined ? undefined : this.messagesByKey.get(messageKey(channel, ts));
    if (message === undefined) throw new SlackApiError('message_not_found');
    const content = validMessageContent(args);
    message.text = content.text;
    message.blocks = content.blocks;
    if (args.metadata !== undefined) message.metadata = content.metadata;
    message.updateCount += 1;
    return {
      channel,
      ts: message.ts,
      text: message.text ?? '',
      message: this.messagePayload(message),
    };
  }

  private postEphemeral(args: Record<string, unknown>): Record<string, unknown> {
    this.resolveChannel(args.channel);
    if (!this.users.has(String(args.user)) && !USER_ID.test(String(args.user ?? ''))) {
      throw new SlackApiError('user_not_found');
    }
    validMessageContent(args);
    return { message_ts: this.nextTs() };
  }

  private messagePayload(message: FakeSlackMessage): Record<string, unknown> {
    return {
      type: 'message',
      subtype: 'bot_message',
      text: message.text ?? '',
      ts: message.ts,
      ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
      user: this.botUserId,
      bot_id: this.botId,
      team: this.teamId,
      ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
      ...(message.updateCount > 0 ? { edited: { user: this.botUserId, ts: message.ts } } : {}),
    };
  }

  /** Unique and increasing like Slack's: 1732800000.000100, 1732800000.000200, … */
  private nextTs(): string {
    this.tsSequence += 1;
    const micros = this.tsSequence * 100;
    const seconds = (this.options.firstTs ?? 1732800000) + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  /** The channel a message lands in; posting to a user ID opens (or reuses) a DM, as in Slack. */
  private resolveChannel(value: unknown): string {
    const id = optionalString(value);
    if (id !== undefined && USER_ID.test(id)) {
      const dmId = `D${id.slice(1)}`;
      if (!this.channels.has(dmId)) this.channels.set(dmId, { id: dmId, name: id, isIm: true });
      return dmId;
    }
    return this.findChannel(id).id;
  }

  private findChannel(value: unknown): FakeSlackChannel & { isIm: boolean } {
    const id = optionalString(value);
    const known = id === undefined ? undefined : this.channels.get(id);
    if (known) return known;
    if (id === undefined || this.options.strictChannels || !CHANNEL_ID.test(id)) {
      throw new SlackApiError('channel_not_found');
    }
    const created = {
      id,
      name: id.toLowerCase(),
      isPrivate: id.startsWith('G'),
      isIm: id.startsWith('D'),
    };
    this.channels.set(id, created);
    return created;
  }

  private channelInfo(channel: FakeSlackChannel & { isIm: boolean }): Record<string, unknown> {
    if (channel.isIm) {
      return { id: channel.id, is_im: true, user: channel.name, is_open: true };
    }
    return {
      id: channel.id,
      name: channel.name,
      is_channel: !channel.isPrivate,
      is_group: false,
      is_im: false,
      is_private: channel.isPrivate ?? false,
      is_archived: false,
      is_member: true,
    };
  }

  private findUser(value: unknown): FakeSlackUser {
    const user = this.users.get(String(value));
    if (user === undefined) throw new SlackApiError('user_not_found');
    return user;
  }

  private findUserByEmail(value: unknown): FakeSlackUser {
    const email = String(value).toLowerCase();
    const user = [...this.users.values()].find(
      (candidate) => candidate.email?.toLowerCase() === email,
    );
    if (user === undefined) throw new SlackApiError('users_not_found');
    return user;
  }

  private findUserGroup(value: unknown): string[] {
    const members = this.userGroups.get(String(value));
    if (members === undefined) throw new SlackApiError('no_such_subteam');
    return [...members];
  }

  private userProfile(user: FakeSlackUser): Record<string, unknown> {
    const realName = user.realName ?? user.name;
    return {
      id: user.id,
      team_id: this.teamId,
      name: user.name,
      deleted: user.deleted ?? false,
      real_name: realName,
      is_bot: user.isBot ?? false,
      is_admin: false,
      is_restricted: (user.isRestricted ?? false) || (user.isUltraRestricted ?? false),
      is_ultra_restricted: user.isUltraRestricted ?? false,
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: user.name,
        display_name_normalized: user.name,
        ...(user.email === undefined ? {} : { email: user.email }),
      },
    };
  }
}

export function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  return FakeSlackApi.start(options);
}

// ---- message validation (the subset of Slack's rules a renderer can break) ---------------------

const MAX_BLOCKS = 50;
const MAX_MESSAGE_TEXT = 40_000;
const TEXT_LIMITS = new Map([
  ['section', 3000],
  ['header', 150],
]);

function validMessageContent(args: Record<string, unknown>): {
  text: string | undefined;
  blocks: unknown[] | undefined;
  metadata: unknown;
} {
  const text = optionalString(args.text);
  const blocks = args.blocks;
  if (blocks !== undefined && !Array.isArray(blocks))
    throw new SlackApiError('invalid_blocks_format');
  if (text === undefined && blocks === undefined && args.attachments === undefined) {
    throw new SlackApiError('no_text');
  }
  if (text !== undefined && text.length > MAX_MESSAGE_TEXT) throw new SlackApiError('msg_too_long');
  if (blocks !== undefined) {
    const errors = blockErrors(blocks);
    if (errors.length > 0) {
      throw new SlackApiError('invalid_blocks', {
        errors,
        response_metadata: { messages: errors.map((error) => `[ERROR] ${error}`) },
      });
    }
  }
  return { text, blocks, metadata: args.metadata };
}

/** Slack's own error wording: `<problem> [json-pointer:/blocks/0/text/text]`. */
function blockErrors(blocks: unknown[]): string[] {
  const errors: string[] = [];
  const fail = (pointer: string, problem: string) =>
    errors.push(`${problem} [json-pointer:/blocks${pointer}]`);
  if (blocks.length > MAX_BLOCKS) fail('', `must contain at most ${MAX_BLOCKS} items`);
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const at = `/${index}`;
    if (!isRecord(block) || typeof block.type !== 'string') {
      fail(at, 'must be an object with a type');
      return;
    }
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > 255) fail(`${at}/block_id`, 'must be at most 255 characters');
      if (blockIds.has(block.block_id)) fail(`${at}/block_id`, 'must be unique in the message');
      blockIds.add(block.block_id);
    }
    const limit = TEXT_LIMITS.get(block.type) ?? 3000;
    if (block.text !== undefined) checkText(block.text, `${at}/text`, limit, fail);
    if (block.type === 'header' && isRecord(block.text) && block.text.type !== 'plain_text') {
      fail(`${at}/text/type`, 'must be plain_text');
    }
    if (block.type === 'section' && block.text === undefined && block.fields === undefined) {
      fail(at, 'must provide text or fields');
    }
    if (Array.isArray(block.fields)) {
      if (block.fields.length > 10) fail(`${at}/fields`, 'must contain at most 10 items');
      block.fields.forEach((field, i) => {
        checkText(field, `${at}/fields/${i}`, 2000, fail);
      });
    }
    if (Array.isArray(block.elements)) checkElements(block, at, fail);
  });
  return errors;
}

type Fail = (pointer: string, problem: string) => void;

function checkText(value: unknown, at: string, maxLength: number, fail: Fail): void {
  if (!isRecord(value) || (value.type !== 'plain_text' && value.type !== 'mrkdwn')) {
    fail(`${at}/type`, 'must be a text object of type plain_text or mrkdwn');
    return;
  }
  if (typeof value.text !== 'string' || value.text.length === 0) {
    fail(`${at}/text`, 'must be more than 0 characters');
  } else if (value.text.length > maxLength) {
    fail(`${at}/text`, `must be less than ${maxLength + 1} characters`);
  }
}

function checkElements(block: Record<string, unknown>, at: string, fail: Fail): void {
  const elements = block.elements as unknown[];
  const maxElements = block.type === 'actions' ? 25 : 10;
  if (elements.length > maxElements)
    fail(`${at}/elements`, `must contain at most ${maxElements} items`);
  const actionIds = new Set<string>();
  elements.forEach((element, i) => {
    const where = `${at}/elements/${i}`;
    if (!isRecord(element) || typeof element.type !== 'string') {
      fail(where, 'must be an object with a type');
      return;
    }
    if (block.type === 'context' && (element.type === 'plain_text' || element.type === 'mrkdwn')) {
      checkText(element, where, 2000, fail);
      return;
    }
    if (typeof element.action_id === 'string') {
      if (element.action_id.length > 255)
        fail(`${where}/action_id`, 'must be at most 255 characters');
      if (actionIds.has(element.action_id))
        fail(`${where}/action_id`, 'must be unique in the block');
      actionIds.add(element.action_id);
    }
    if (element.type === 'button') {
      checkText(element.text, `${where}/text`, 75, fail);
      if (isRecord(element.text) && element.text.type !== 'plain_text') {
        fail(`${where}/text/type`, 'must be plain_text');
      }
      if (typeof element.value === 'string' && element.value.length > 2000) {
        fail(`${where}/value`, 'must be less than 2001 characters');
      }
      if (
        element.style !== undefined &&
        element.style !== 'primary' &&
        element.style !== 'danger'
      ) {
        fail(`${where}/style`, 'must be primary or danger');
      }
    }
  });
}

// ---- small helpers --------------------------------------------------------------------------

function decodeArguments(contentType: string, body: string): Record<string, unknown> {
  if (body === '') return {};
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(body);
    if (!isRecord(parsed)) throw new SlackApiError('invalid_json');
    return parsed;
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const args: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(body)) {
      args[key] = JSON_ARGUMENTS.has(key) ? parseJsonArgument(key, value) : value;
    }
    return args;
  }
  throw new SlackApiError('invalid_form_data');
}

function parseJsonArgument(key: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new SlackApiError(key === 'blocks' ? 'invalid_blocks_format' : `invalid_${key}`);
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(
  response: ServerResponse,
  status: number,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(payload));
}

function messageKey(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function poll<T>(
  find: () => T | undefined,
  timeoutMs: number,
  describeFailure: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() >= deadline) throw new Error(describeFailure());
    await sleep(10);
  }
}

function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function describeList(lines: string[]): string {
  return lines.length === 0 ? '  (none)' : lines.map((line) => `  - ${line}`).join('\n');
}
