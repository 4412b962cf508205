// Requests exactly as Slack sends them to an app's Request URL, signed the way Bolt verifies
// (https://api.slack.com/authentication/verifying-requests-from-slack), so the playground and the
// tests drive the real Bolt receiver instead of calling listeners directly.
//
// Starting Bolt 5's own HTTP receiver on a free port: `new App({ signingSecret, token, ... })`
// builds an HTTPReceiver whose constructor port defaults to 3000, but `app.start(arg)` passes
// `arg` straight to `server.listen()` when it is given (number, numeric string or ListenOptions),
// and resolves with the node `http.Server`. So:
//   const server = await app.start({ port: 0, host: '127.0.0.1' });
//   const { port } = server.address() as AddressInfo;
//   ... POST to `http://127.0.0.1:${port}/slack/events` ...
//   await app.stop();
// `app.start()` throws unless the App is initialised, which it is at construction when given a
// `token` (or after `await app.init()` with `deferInitialization: true`).

import { createHmac } from 'node:crypto';

export const DEFAULT_TEAM_ID = 'T0TEST';
export const DEFAULT_TEAM_DOMAIN = 'offboarding-test';
export const DEFAULT_API_APP_ID = 'A0TEST';
/** The deprecated verification token Slack still includes in payloads; Bolt ignores it. */
export const LEGACY_VERIFICATION_TOKEN = 'legacy-verification-token';
/** Bolt compares this header value exactly: no charset suffix. */
export const SLACK_FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The v0 signature Slack puts in `x-slack-signature`. */
export function slackSignature(signingSecret: string, body: string, timestamp: number): string {
  const digest = createHmac('sha256', signingSecret)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex');
  return `v0=${digest}`;
}

/** Headers of a request Slack signed; `timestamp` is in seconds like Slack's. */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestamp: number = nowInSeconds(),
): Record<string, string> {
  return {
    // Events API callbacks are JSON; commands and interactivity are form-encoded.
    'content-type': body.startsWith('{') ? 'application/json' : SLACK_FORM_CONTENT_TYPE,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(signingSecret, body, timestamp),
  };
}

let triggerSequence = 0;

/** Unique, shaped like Slack's (`<digits>.<digits>.<hex>`). */
export function fakeTriggerId(): string {
  triggerSequence += 1;
  return `${Date.now()}.${triggerSequence}.${triggerSequence.toString(16).padStart(32, '0')}`;
}

/** A message or action timestamp like `1732800000.000100`. */
export function slackTimestamp(date: Date = new Date()): string {
  const millis = String(date.getTime() % 1000).padStart(3, '0');
  return `${Math.floor(date.getTime() / 1000)}.${millis}000`;
}

export interface SlashCommandOptions {
  command?: string;
  text: string;
  userId: string;
  userName?: string;
  channelId: string;
  channelName?: string;
  teamId?: string;
  responseUrl: string;
  triggerId?: string;
}

/** A slash command body, form-encoded with the fields and order Slack uses. */
export function slashCommandBody(options: SlashCommandOptions): string {
  const teamId = options.teamId ?? DEFAULT_TEAM_ID;
  return new URLSearchParams({
    token: LEGACY_VERIFICATION_TOKEN,
    team_id: teamId,
    team_domain: DEFAULT_TEAM_DOMAIN,
    channel_id: options.channelId,
    channel_name: options.channelName ?? channelNameFor(options.channelId),
    user_id: options.userId,
    user_name: options.userName ?? options.userId.toLowerCase(),
    command: options.command ?? '/offboard',
    text: options.text,
    api_app_id: DEFAULT_API_APP_ID,
    is_enterprise_install: 'false',
    response_url: options.responseUrl,
    trigger_id: options.triggerId ?? fakeTriggerId(),
  }).toString();
}

function channelNameFor(channelId: string): string {
  return channelId.startsWith('D') ? 'directmessage' : channelId.toLowerCase();
}

/**
 * A command's text as Slack sends it with `should_escape` on (the manifest's setting): `@handle`
 * of a workspace member becomes `<@U123|handle>`. Unknown handles stay as typed, as in Slack.
 * `handles`: handle → member id.
 */
export function escapeMentions(text: string, handles: ReadonlyMap<string, string>): string {
  return text.replace(/(^|[\s(])@([a-z0-9._-]+)/gi, (whole, before: string, typed: string) => {
    // A sentence may end right after the handle: `@jane.` names jane.
    const handle = typed.toLowerCase().replace(/[._-]+$/, '');
    const id = handles.get(handle);
    return id === undefined ? whole : `${before}<@${id}|${handle}>${typed.slice(handle.length)}`;
  });
}

export interface BlockActionOptions {
  actionId: string;
  value: string;
  userId: string;
  userName?: string;
  channelId: string;
  channelName?: string;
  /** ts of the message holding the button. */
  messageTs: string;
  /** The thread the message holding the button is in, when it is a reply. */
  threadTs?: string;
  responseUrl: string;
  blockId?: string;
  teamId?: string;
  triggerId?: string;
  /** Text and blocks of the message holding the button, as the bot posted it. */
  message?: { text?: string; blocks?: unknown[] };
  /** The state of inputs in the message, keyed block_id → action_id. */
  stateValues?: Record<string, Record<string, unknown>>;
}

/** The `block_actions` payload of a button click, as JSON (before form encoding). */
export function blockActionPayload(options: BlockActionOptions): Record<string, unknown> {
  const teamId = options.teamId ?? DEFAULT_TEAM_ID;
  const userName = options.userName ?? options.userId.toLowerCase();
  const blockId = options.blockId ?? 'actions';
  return {
    type: 'block_actions',
    user: { id: options.userId, username: userName, name: userName, team_id: teamId },
    api_app_id: DEFAULT_API_APP_ID,
    token: LEGACY_VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: options.messageTs,
      channel_id: options.channelId,
      is_ephemeral: false,
    },
    trigger_id: options.triggerId ?? fakeTriggerId(),
    team: { id: teamId, domain: DEFAULT_TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    channel: {
      id: options.channelId,
      name: options.channelName ?? channelNameFor(options.channelId),
    },
    message: {
      type: 'message',
      subtype: 'bot_message',
      text: options.message?.text ?? '',
      ts: options.messageTs,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
      bot_id: 'B0BOT',
      blocks: options.message?.blocks ?? [],
    },
    state: { values: options.stateValues ?? {} },
    response_url: options.responseUrl,
    actions: [
      {
        action_id: options.actionId,
        block_id: blockId,
        text: { type: 'plain_text', text: options.actionId, emoji: true },
        value: options.value,
        type: 'button',
        action_ts: slackTimestamp(),
      },
    ],
  };
}

/** A button click body: form-encoded `payload=<json>` as Slack sends interactivity. */
export function blockActionBody(options: BlockActionOptions): string {
  return interactivityBody(blockActionPayload(options));
}

/** Any interactivity payload (view_submission, shortcut, …) encoded as Slack sends it. */
export function interactivityBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SlackEndpointResponse {
  status: number;
  body: string;
  /** The body parsed, when it was JSON. */
  json?: unknown;
}

export interface PostToSlackEndpointOptions {
  /** Seconds; a value more than 5 minutes old makes Bolt answer 401. */
  timestamp?: number;
  /** Sent instead of the correct signature, to test forged requests. */
  signature?: string;
  /** Sets `x-slack-retry-num`, as Slack does when it redelivers an event. */
  retryNum?: number;
  retryReason?: string;
}

/** POSTs a signed body to a Slack Request URL (e.g. `http://127.0.0.1:<port>/slack/events`). */
export async function postToSlackEndpoint(
  url: string,
  signingSecret: string,
  body: string,
  options: PostToSlackEndpointOptions = {},
): Promise<SlackEndpointResponse> {
  const headers = signSlackRequest(signingSecret, body, options.timestamp);
  if (options.signature !== undefined) headers['x-slack-signature'] = options.signature;
  if (options.retryNum !== undefined) headers['x-slack-retry-num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['x-slack-retry-reason'] = options.retryReason;
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  const result: SlackEndpointResponse = { status: response.status, body: text };
  if (text !== '') {
    try {
      result.json = JSON.parse(text);
    } catch {
      // Not JSON (an empty ack or a plain-text reply): `body` has it.
    }
  }
  return result;
}

/** The user part of interactivity payloads. */
function payloadUser(userId: string, userName: string | undefined, teamId: string) {
  const name = userName ?? userId.toLowerCase();
  return { id: userId, username: name, name, team_id: teamId };
}

/** A global shortcut's payload (`type: shortcut`), as JSON before form encoding. */
export function globalShortcutPayload(options: {
  callbackId: string;
  userId: string;
  userName?: string;
  teamId?: string;
  triggerId?: string;
}): Record<string, unknown> {
  const teamId = options.teamId ?? DEFAULT_TEAM_ID;
  return {
    type: 'shortcut',
    token: LEGACY_VERIFICATION_TOKEN,
    action_ts: slackTimestamp(),
    team: { id: teamId, domain: DEFAULT_TEAM_DOMAIN },
    user: payloadUser(options.userId, options.userName, teamId),
    is_enterprise_install: false,
    enterprise: null,
    callback_id: options.callbackId,
    trigger_id: options.triggerId ?? fakeTriggerId(),
  };
}

/** What Slack sends to load an external_select's options as someone types in a view. */
export function blockSuggestionPayload(options: {
  actionId: string;
  blockId: string;
  value: string;
  userId: string;
  userName?: string;
  teamId?: string;
  viewId?: string;
  callbackId?: string;
}): Record<string, unknown> {
  const teamId = options.teamId ?? DEFAULT_TEAM_ID;
  return {
    type: 'block_suggestion',
    user: payloadUser(options.userId, options.userName, teamId),
    container: { type: 'view', view_id: options.viewId ?? 'V0VIEW' },
    api_app_id: DEFAULT_API_APP_ID,
    token: LEGACY_VERIFICATION_TOKEN,
    action_id: options.actionId,
    block_id: options.blockId,
    value: options.value,
    team: { id: teamId, domain: DEFAULT_TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: options.viewId ?? 'V0VIEW',
      type: 'modal',
      callback_id: options.callbackId ?? '',
      team_id: teamId,
      state: { values: {} },
    },
  };
}

/** A modal's submission (`view_submission`), with its input values keyed block_id → action_id. */
export function viewSubmissionPayload(options: {
  callbackId: string;
  userId: string;
  userName?: string;
  teamId?: string;
  viewId?: string;
  privateMetadata?: string;
  values: Record<string, Record<string, unknown>>;
  /** Present when the view has an input with `response_url_enabled`, as Slack adds them. */
  responseUrls?: Array<{
    block_id: string;
    action_id: string;
    channel_id: string;
    response_url: string;
  }>;
}): Record<string, unknown> {
  const teamId = options.teamId ?? DEFAULT_TEAM_ID;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: DEFAULT_TEAM_DOMAIN },
    user: payloadUser(options.userId, options.userName, teamId),
    api_app_id: DEFAULT_API_APP_ID,
    token: LEGACY_VERIFICATION_TOKEN,
    trigger_id: fakeTriggerId(),
    view: {
      id: options.viewId ?? 'V0VIEW',
      team_id: teamId,
      type: 'modal',
      blocks: [],
      private_metadata: options.privateMetadata ?? '',
      callback_id: options.callbackId,
      state: { values: options.values },
      hash: '1.abc',
      title: { type: 'plain_text', text: 'Offboard someone' },
      app_id: DEFAULT_API_APP_ID,
      bot_id: 'B0BOT',
    },
    response_urls: options.responseUrls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** An Events API callback (`event_callback`) carrying `event`; sent as JSON, not a form. */
export function eventCallbackBody(
  event: Record<string, unknown>,
  teamId = DEFAULT_TEAM_ID,
): string {
  return JSON.stringify({
    token: LEGACY_VERIFICATION_TOKEN,
    team_id: teamId,
    api_app_id: DEFAULT_API_APP_ID,
    event,
    type: 'event_callback',
    event_id: `Ev${Date.now().toString(36).toUpperCase()}${++triggerSequence}`,
    event_time: nowInSeconds(),
    authorizations: [
      { team_id: teamId, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false },
    ],
  });
}

/** The Home-tab click's `block_actions` payload: its container is the Home view, not a message. */
export function homeBlockActionPayload(options: {
  actionId: string;
  value: string;
  userId: string;
  userName?: string;
  teamId?: string;
  viewId?: string;
  triggerId?: string;
}): Record<string, unknown> {
  const teamId = options.teamId ?? DEFAULT_TEAM_ID;
  return {
    type: 'block_actions',
    user: payloadUser(options.userId, options.userName, teamId),
    api_app_id: DEFAULT_API_APP_ID,
    token: LEGACY_VERIFICATION_TOKEN,
    container: { type: 'view', view_id: options.viewId ?? 'V0HOME' },
    trigger_id: options.triggerId ?? fakeTriggerId(),
    team: { id: teamId, domain: DEFAULT_TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    view: { id: options.viewId ?? 'V0HOME', type: 'home', team_id: teamId, state: { values: {} } },
    actions: [
      {
        action_id: options.actionId,
        block_id: 'home',
        text: { type: 'plain_text', text: options.actionId, emoji: true },
        value: options.value,
        type: 'button',
        action_ts: slackTimestamp(),
      },
    ],
  };
}
