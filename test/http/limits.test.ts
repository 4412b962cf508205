import net from 'node:net';
import os from 'node:os';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/http/server.js';
import { postToSlackEndpoint, slashCommandBody } from '../../src/playground/slack-requests.js';
import { SLACK_COMMAND_QUEUE } from '../../src/slack/command-queue.js';
import {
  CHANNEL,
  type Harness,
  JANE,
  NOTIFY_CHANNEL,
  REQUESTER,
  SIGNING_SECRET,
  startHarness,
} from '../helpers/bot-harness.js';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.js';

let slackHarness: Harness | undefined;
let teamsHarness: TeamsHarness | undefined;
afterEach(async () => {
  await slackHarness?.close();
  await teamsHarness?.close();
  slackHarness = undefined;
  teamsHarness = undefined;
});

/**
 * Sends the head of a request by hand, then `firstBytes` bytes of body, and waits for the answer
 * without sending the rest. Resolves with the status line and whether the server hung up.
 */
async function sendPartially(
  url: string,
  headers: Record<string, string>,
  body: (socket: net.Socket) => void,
): Promise<{ statusLine: string; closed: boolean }> {
  const { hostname, port, pathname } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  const head = [
    `POST ${pathname} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  socket.write(head);
  body(socket);
  let received = '';
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  const statusLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer; got ${received}`)), 5000);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      const end = received.indexOf('\r\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(received.slice(0, end));
      }
    });
  });
  const hungUp = await Promise.race([
    closed,
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000)),
  ]);
  socket.destroy();
  return { statusLine, closed: hungUp };
}

async function queuedJobs(h: Harness, queue: string): Promise<number> {
  const result = await sql<{ n: string }>`
    select count(*)::text as n from pgboss.job where name = ${queue}`.execute(h.database.db);
  return Number(result.rows[0]?.n);
}

describe('request bodies are capped at 1 MB before any handler reads them', () => {
  it('answers 413 to a correctly signed Slack command over the limit, which Bolt never handles', async () => {
    slackHarness = await startHarness({ backend: 'postgres' });
    const h = slackHarness;
    const eventsUrl = `${h.bot.url}/slack/events`;
    const command = (text: string, responseUrl: string) =>
      slashCommandBody({
        text,
        userId: REQUESTER.id,
        userName: REQUESTER.name,
        channelId: CHANNEL,
        responseUrl,
      });
    const big = command(`${JANE.email} ${'x'.repeat(MAX_BODY_BYTES)}`, h.slack.responseUrl('big'));
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX_BODY_BYTES);
    h.slack.clearCalls();
    // Signed with the real secret: without the cap Bolt would verify it and ack with 200.
    const refused = await postToSlackEndpoint(eventsUrl, SIGNING_SECRET, big);
    expect(refused.status).toBe(413);
    expect(await queuedJobs(h, SLACK_COMMAND_QUEUE.name)).toBe(0);
    expect(h.slack.responses('big')).toEqual([]);
    expect(h.slack.calls()).toEqual([]);
    expect(h.logs.join('')).toContain('request body over the limit refused unread');

    // The same command at its normal size goes through the same server to Bolt.
    const small = command('help', h.slack.responseUrl('small'));
    expect((await postToSlackEndpoint(eventsUrl, SIGNING_SECRET, small)).status).toBe(200);
    await h.slack.waitForResponse('small');
  });

  it('answers a declared Content-Length over the limit before the body is sent, and hangs up', async () => {
    slackHarness = await startHarness();
    const h = slackHarness;
    const { statusLine, closed } = await sendPartially(
      `${h.bot.url}/slack/events`,
      {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(50 * MAX_BODY_BYTES),
      },
      (socket) => socket.write('x'.repeat(64 * 1024)),
    );
    expect(statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(closed).toBe(true);
  });

  it('stops a chunked body as soon as it passes the limit', async () => {
    slackHarness = await startHarness();
    const h = slackHarness;
    const chunk = 'y'.repeat(256 * 1024);
    const { statusLine, closed } = await sendPartially(
      `${h.bot.url}/slack/events`,
      { 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' },
      (socket) => {
        // Five chunks: 1.25 MB, and never the final zero-length chunk.
        for (let i = 0; i < 5; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      },
    );
    expect(statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(closed).toBe(true);
  });

  it('answers 413 on /api/messages too, and the Teams bot never sees the activity', async () => {
    teamsHarness = await startTeamsHarness();
    const h = teamsHarness;
    const activity = {
      type: 'message',
      text: `offboard ${JANE.email} ${'z'.repeat(MAX_BODY_BYTES)}`,
      serviceUrl: h.connector.serviceUrl,
    };
    const answer = await h.post(activity);
    expect(answer.status).toBe(413);
    expect(h.connector.activities()).toEqual([]);
    const { statusLine } = await sendPartially(
      `${h.bot.url}/api/messages`,
      { 'Content-Type': 'application/json', 'Content-Length': String(10 * MAX_BODY_BYTES) },
      (socket) => socket.write('{"type":"message","text":"'),
    );
    expect(statusLine).toBe('HTTP/1.1 413 Payload Too Large');
  });
});

describe('TEAMS_ALLOW_UNAUTHENTICATED keeps the bot on this machine', () => {
  it('binds 127.0.0.1 only and says so at start', async () => {
    teamsHarness = await startTeamsHarness();
    const h = teamsHarness;
    expect(h.bot.server.address()).toMatchObject({ address: '127.0.0.1' });
    const line = h.logs.find((l) => l.includes('listening on 127.0.0.1 only'));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? '{}')).toMatchObject({ host: '127.0.0.1', port: h.bot.port });

    // From another interface of this machine, the port is closed.
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i?.family === 'IPv4' && !i.internal)?.address;
    if (external) {
      const reached = await fetch(`http://${external}:${h.bot.port}/healthz`).then(
        () => true,
        () => false,
      );
      expect(reached).toBe(false);
    }
  });

  it('binds every interface when Teams authenticates (the binding follows the setting)', async () => {
    teamsHarness = await startTeamsHarness({ authenticated: true });
    const address = teamsHarness.bot.server.address();
    expect(address).not.toMatchObject({ address: '127.0.0.1' });
  });
});

describe('a Genesys login error in chat', () => {
  it('names neither the client id nor the login URL in the thread or the notice; the log has both', async () => {
    slackHarness = await startHarness();
    const h = slackHarness;
    await h.command(`${JANE.email} Last day`);
    await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL, 10_000);
    const request = await h.waitFor('request row', async () =>
      h.database.db.selectFrom('offboarding_requests').selectAll().executeTakeFirst(),
    );
    const ts = h.slack.messages(CHANNEL).find((m) => m.threadTs === undefined)?.ts ?? '';

    // The client's secret was rotated in Genesys: tokens die, and the next login is refused.
    h.emulator.injectFault({
      path: '/oauth/token',
      kind: 'status',
      status: 401,
      code: 'invalid_client',
      message: 'client not found',
    });
    h.emulator.revokeAllAccessTokens();
    await h.click('approve', request.id, ts);

    const failed = await h.waitFor('the failure', async () => {
      const row = await h.bot.service.findRequest(request.id);
      return row?.state === 'failed' ? row : undefined;
    });
    expect(failed.failure_reason).toContain('Genesys login refused');
    const notice = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === NOTIFY_CHANNEL,
      10_000,
    );
    await h.waitFor('the failure in the thread', () =>
      h.slack
        .messages(CHANNEL)
        .some((m) => m.threadTs === ts && /login refused/.test(m.text ?? '')),
    );
    const posted = JSON.stringify([
      h.slack.calls('chat.postMessage').map((c) => c.args),
      h.slack.calls('chat.update').map((c) => c.args),
      notice.args,
      failed.failure_reason,
    ]);
    expect(posted).toContain('Genesys login refused');
    expect(posted).not.toContain('emulator-client');
    expect(posted).not.toContain(h.emulator.url);
    expect(posted).not.toContain('/oauth/token');
    const refusal = h.logs.find((l) =>
      l.includes('Genesys login refused: check GENESYS_CLIENT_ID'),
    );
    expect(JSON.parse(refusal ?? '{}')).toMatchObject({
      clientId: 'emulator-client',
      loginUrl: `${h.emulator.url}/oauth/token`,
    });
  });
});
