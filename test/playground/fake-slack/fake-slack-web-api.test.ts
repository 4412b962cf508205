// Proves the Slack harness speaks the protocol the real Bolt app verifies: signed requests reach
// listeners, forged or stale ones are refused, and Bolt's WebClient talks to the fake API.

import type { AddressInfo } from 'node:net';
import { App, LogLevel, webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionBody,
  nowInSeconds,
  postToSlackEndpoint,
  slackSignature,
  slashCommandBody,
} from '../../../src/playground/slack-requests.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../helpers/fake-slack-api.js';

const SIGNING_SECRET = 'test-signing-secret';
const BOT_TOKEN = 'xoxb-test-bot-token';
const REQUESTER = 'U0REQUESTER';
const APPROVER = 'U0APPROVER';
const CHANNEL = 'C0OFFBOARD';

let fake: FakeSlackApi;
let app: App;
let endpoint: string;

beforeAll(async () => {
  fake = await startFakeSlackApi({ botToken: BOT_TOKEN, botUserId: 'U_BOT', botId: 'B1' });
  app = new App({
    token: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    // botId + botUserId spare the auth.test call Bolt otherwise makes before the first event.
    botId: 'B1',
    botUserId: 'U_BOT',
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    logLevel: LogLevel.ERROR,
  });
  app.command('/offboard', async ({ ack, command, client }) => {
    await ack();
    await client.chat.postMessage({
      channel: command.channel_id,
      text: `Offboarding request for ${command.text}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `Offboard *${command.text}*?` } },
        {
          type: 'actions',
          block_id: 'decision',
          elements: [
            {
              type: 'button',
              action_id: 'approve',
              text: { type: 'plain_text', text: 'Approve' },
              style: 'primary',
              value: command.text,
            },
          ],
        },
      ],
    });
  });
  app.action('approve', async ({ ack, body, action, client, respond }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    const channel = body.channel?.id ?? body.container.channel_id;
    await client.chat.update({
      channel,
      ts: body.container.message_ts,
      text: `Approved by <@${body.user.id}>: ${action.value}`,
    });
    await respond({ text: 'Recorded your approval', replace_original: false });
  });
  // Bolt's HTTPReceiver listens where start() says: ListenOptions go straight to server.listen().
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

afterEach(() => {
  fake.clearCalls();
  fake.clearFailures();
  fake.setLatency(0);
});

function offboardCommand(text = 'ada@example.com'): string {
  return slashCommandBody({
    text,
    userId: REQUESTER,
    channelId: CHANNEL,
    responseUrl: fake.responseUrl('command'),
  });
}

describe('signed requests to the real Bolt receiver', () => {
  it('delivers a signed slash command and the listener reaches the fake API', async () => {
    const response = await postToSlackEndpoint(endpoint, SIGNING_SECRET, offboardCommand());
    expect(response.status).toBe(200);
    const call = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL);
    expect(call.token).toBe(BOT_TOKEN);
    expect(call.error).toBeUndefined();
    expect(call.args.text).toBe('Offboarding request for ada@example.com');
    // Blocks arrive as a JSON string inside the form body; the fake decodes them as Slack does.
    expect(call.args.blocks).toMatchObject([
      { type: 'section' },
      { type: 'actions', elements: [{ action_id: 'approve', value: 'ada@example.com' }] },
    ]);
    expect(fake.messages(CHANNEL)).toHaveLength(1);
  });

  it('refuses a forged signature with 401 and runs no listener', async () => {
    const body = offboardCommand();
    const response = await postToSlackEndpoint(endpoint, SIGNING_SECRET, body, {
      signature: slackSignature('someone-elses-secret', body, nowInSeconds()),
    });
    expect(response.status).toBe(401);
    await sleep(100);
    expect(fake.calls()).toEqual([]);
  });

  it('refuses a request signed with the right secret but a stale timestamp', async () => {
    const sixMinutesAgo = nowInSeconds() - 6 * 60;
    const response = await postToSlackEndpoint(endpoint, SIGNING_SECRET, offboardCommand(), {
      timestamp: sixMinutesAgo,
    });
    expect(response.status).toBe(401);
  });

  it('accepts a timestamp just inside the 5 minute window', async () => {
    const response = await postToSlackEndpoint(endpoint, SIGNING_SECRET, offboardCommand(), {
      timestamp: nowInSeconds() - 4 * 60,
    });
    expect(response.status).toBe(200);
  });

  it('round-trips a button click: chat.update on the clicked message and a response_url post', async () => {
    await postToSlackEndpoint(endpoint, SIGNING_SECRET, offboardCommand('grace@example.com'));
    const posted = await fake.waitForCall('chat.postMessage');
    const [message] = fake.messages(CHANNEL);
    if (message === undefined) throw new Error('the command posted no message');

    const click = blockActionBody({
      actionId: 'approve',
      blockId: 'decision',
      value: 'grace@example.com',
      userId: APPROVER,
      channelId: CHANNEL,
      messageTs: message.ts,
      responseUrl: fake.responseUrl('click'),
      message: { text: String(posted.args.text), blocks: message.blocks ?? [] },
    });
    const response = await postToSlackEndpoint(endpoint, SIGNING_SECRET, click);
    expect(response.status).toBe(200);

    const update = await fake.waitForCall('chat.update');
    expect(update.args).toMatchObject({ channel: CHANNEL, ts: message.ts });
    expect(update.error).toBeUndefined();
    expect(fake.message(CHANNEL, message.ts)).toMatchObject({
      text: `Approved by <@${APPROVER}>: grace@example.com`,
      updateCount: 1,
    });
    const reply = await fake.waitForResponse('click');
    expect(reply.body).toEqual({ text: 'Recorded your approval', replace_original: false });
  });
});

describe('fake Web API', () => {
  it('answers auth.test with the configured bot identity', async () => {
    const result = await app.client.auth.test();
    expect(result).toMatchObject({ ok: true, user_id: 'U_BOT', bot_id: 'B1', team_id: 'T0TEST' });
  });

  it('refuses a missing or wrong token', async () => {
    const stranger = new webApi.WebClient('xoxb-wrong', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    const response = await fetch(`${fake.apiUrl}auth.test`, { method: 'POST' });
    expect(await response.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('accepts JSON bodies with a bearer token', async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: CHANNEL, text: 'json body' }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: CHANNEL });
  });

  it('answers unknown_method for methods it does not implement', async () => {
    for (const method of ['admin.users.remove', 'toString']) {
      await expect(app.client.apiCall(method)).rejects.toMatchObject({
        data: { error: 'unknown_method' },
      });
    }
  });

  it('gives unique, increasing message timestamps in Slack format', async () => {
    const first = await app.client.chat.postMessage({ channel: CHANNEL, text: 'one' });
    const second = await app.client.chat.postMessage({ channel: CHANNEL, text: 'two' });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message).toMatchObject({ text: 'one', user: 'U_BOT', bot_id: 'B1' });
  });

  it('with tsFromClock, gives each message the instant it was posted as its ts, still unique', async () => {
    const timed = await startFakeSlackApi({ tsFromClock: true });
    try {
      const client = new webApi.WebClient(BOT_TOKEN, {
        slackApiUrl: timed.apiUrl,
        retryConfig: { retries: 0 },
      });
      const before = Date.now();
      const posted = await Promise.all(
        ['one', 'two', 'three'].map((text) => client.chat.postMessage({ channel: CHANNEL, text })),
      );
      const after = Date.now();
      const stamps = posted.map((answer) => answer.ts ?? '');
      for (const ts of stamps) {
        expect(ts).toMatch(/^\d{10}\.\d{6}$/);
        expect(Number(ts) * 1000).toBeGreaterThanOrEqual(before - 1);
        expect(Number(ts) * 1000).toBeLessThanOrEqual(after + 1);
      }
      expect(new Set(stamps).size).toBe(3);
    } finally {
      await timed.close();
    }
  });

  it('opens a DM when posting to a user ID, and chat.update needs the DM channel', async () => {
    const posted = await app.client.chat.postMessage({ channel: REQUESTER, text: 'hi' });
    expect(posted.channel).toBe('D0REQUESTER');
    await expect(
      app.client.chat.update({ channel: REQUESTER, ts: String(posted.ts), text: 'edited' }),
    ).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    await expect(
      app.client.chat.update({ channel: 'D0REQUESTER', ts: String(posted.ts), text: 'edited' }),
    ).resolves.toMatchObject({ ok: true });
    const info = await app.client.conversations.info({ channel: 'D0REQUESTER' });
    expect(info.channel).toMatchObject({ is_im: true, user: REQUESTER });
  });

  it('answers chat.postEphemeral with a message_ts', async () => {
    const result = await app.client.chat.postEphemeral({
      channel: CHANNEL,
      user: REQUESTER,
      text: 'only you',
    });
    expect(result.message_ts).toMatch(/^\d{10}\.\d{6}$/);
  });

  it('rejects a message Slack would reject: no text, or invalid blocks', async () => {
    // apiCall: the typed method refuses, at compile time, a message without text or blocks.
    await expect(
      app.client.apiCall('chat.postMessage', { channel: CHANNEL }),
    ).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
    await expect(
      app.client.chat.postMessage({
        channel: CHANNEL,
        text: 'fallback',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
      }),
    ).rejects.toMatchObject({
      data: {
        error: 'invalid_blocks',
        errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      },
    });
  });

  it('looks users up in the seeded directory', async () => {
    fake.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace', email: 'ada@example.com' });
    const info = await app.client.users.info({ user: 'U0ADA' });
    expect(info.user).toMatchObject({
      id: 'U0ADA',
      name: 'ada',
      real_name: 'Ada Lovelace',
      profile: { email: 'ada@example.com', real_name: 'Ada Lovelace' },
    });
    const byEmail = await app.client.users.lookupByEmail({ email: 'ADA@example.com' });
    expect(byEmail.user?.id).toBe('U0ADA');
    await expect(app.client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'user_not_found' },
    });
  });

  it('lists user group members', async () => {
    fake.addUserGroup('S0APPROVERS', ['U0ADA', 'U0GRACE']);
    const result = await app.client.usergroups.users.list({ usergroup: 'S0APPROVERS' });
    expect(result.users).toEqual(['U0ADA', 'U0GRACE']);
    await expect(app.client.usergroups.users.list({ usergroup: 'S0NONE' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
  });

  it('describes channels, strict only when asked', async () => {
    fake.addChannel({ id: 'G0PRIVATE', name: 'hr-private', isPrivate: true });
    const info = await app.client.conversations.info({ channel: 'G0PRIVATE' });
    expect(info.channel).toMatchObject({ id: 'G0PRIVATE', name: 'hr-private', is_private: true });
    await expect(app.client.conversations.info({ channel: 'not-an-id' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });

    const strict = await startFakeSlackApi({ strictChannels: true });
    try {
      const client = new webApi.WebClient(BOT_TOKEN, {
        slackApiUrl: strict.apiUrl,
        retryConfig: { retries: 0 },
      });
      await expect(client.chat.postMessage({ channel: CHANNEL, text: 'x' })).rejects.toMatchObject({
        data: { error: 'channel_not_found' },
      });
    } finally {
      await strict.close();
    }
  });

  it('injects failures: a number of times, and only for one channel', async () => {
    fake.failMethod('chat.postMessage', 'not_in_channel', { times: 1, channel: 'C0LOCKED' });
    await expect(
      app.client.chat.postMessage({ channel: 'C0LOCKED', text: 'x' }),
    ).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    await expect(
      app.client.chat.postMessage({ channel: CHANNEL, text: 'other channel' }),
    ).resolves.toMatchObject({ ok: true });
    await expect(
      app.client.chat.postMessage({ channel: 'C0LOCKED', text: 'second try' }),
    ).resolves.toMatchObject({ ok: true });
    expect(fake.calls('chat.postMessage').map((call) => call.error)).toEqual([
      'not_in_channel',
      undefined,
      undefined,
    ]);
  });

  it('rate-limits with HTTP 429 and Retry-After', async () => {
    fake.failMethod('chat.update', 'ratelimited', { retryAfterSeconds: 7 });
    const raw = await fetch(`${fake.apiUrl}chat.update`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT_TOKEN}` },
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('7');
    const client = new webApi.WebClient(BOT_TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    await expect(
      client.chat.update({ channel: CHANNEL, ts: '1.000100', text: 'x' }),
    ).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
  });

  it('adds latency', async () => {
    fake.setLatency(150);
    const started = Date.now();
    await app.client.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('accepts 5 posts per response_url, like Slack', async () => {
    const url = fake.responseUrl('busy');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `reply ${i}` }),
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(fake.responses('busy')).toHaveLength(5);
  });

  it('explains a waitForCall timeout with the calls it saw', async () => {
    await app.client.auth.test();
    await expect(fake.waitForCall('chat.update', () => true, 50)).rejects.toThrow(
      /No chat\.update call matched within 50 ms\. Calls seen:\n {2}- auth\.test \{\} → ok/,
    );
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
