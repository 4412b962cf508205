import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import {
  demoMembers,
  offboardedMark,
  type SandboxDirectory,
} from '../../src/playground/demo-targets.js';
import { startPlaygroundIfLocal } from '../../src/playground/playground.js';
import {
  escapeMentions,
  postToSlackEndpoint,
  slashCommandBody,
} from '../../src/playground/slack-requests.js';
import type { MessageView } from '../../src/playground/visible-state.js';
import { buttonValue } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/wait.js';
import { type PlaygroundBot, startPlaygroundBot } from './playground-bot.js';
import { ADAM, ANN, MARIA, playgroundClient } from './playground-client.js';

const REQUESTS = 'C0PLAYREQUESTS';
const NOTICES = 'C0PLAYNOTICES';

let running: PlaygroundBot;
let api: ReturnType<typeof playgroundClient>;

beforeAll(async () => {
  running = await startPlaygroundBot();
  api = playgroundClient(running.bot.url);
});
afterAll(async () => {
  await running?.close();
});

const cardOf = (message: MessageView) => JSON.stringify(message.blocks);

async function requestCard(userId: string): Promise<MessageView | undefined> {
  const state = await api.state(userId);
  return state.channels.find((channel) => channel.id === REQUESTS)?.messages[0];
}

describe('the playground API, driving the real Bolt app', () => {
  it('announces itself and serves a self-contained page', async () => {
    expect(running.logs.join('')).toContain(
      `PLAYGROUND: open http://localhost:${running.bot.port}/playground`,
    );
    const page = await fetch(`${running.bot.url}/playground`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toContain('innerHTML');
    const root = await fetch(`${running.bot.url}/`, { redirect: 'manual' });
    expect(root.headers.get('location')).toBe('/playground');
  });

  it('requests, refuses the requester’s own approval, then completes on an approver’s click', async () => {
    const typed = await api.command(MARIA, '/offboard zoe.angstrom@example.com Last day Friday');
    expect(typed).toEqual({ status: 200, json: { status: 200 } });

    const card = await waitFor('the request card', () => requestCard(MARIA));
    expect(cardOf(card)).toContain('Offboarding request #1: Zoë Ångström');
    expect(cardOf(card)).toContain('Reason: Last day Friday');
    expect(cardOf(card)).toContain('<@U0PLAYADAM>, <@U0PLAYANN>');
    const maria = await api.state(MARIA);
    expect(maria.onlyYou.map((note) => note.text)).toEqual([
      '/offboard zoe.angstrom@example.com Last day Friday',
    ]);
    expect(maria.names[ADAM]).toBe('Adam Approver');
    // What one person typed or was told privately is not shown to anyone else.
    expect((await api.state(ADAM)).onlyYou).toEqual([]);

    const approve = {
      channel: REQUESTS,
      messageTs: card.ts,
      actionId: 'offboarding_approve',
      // What the page sends: the button's value, the request number and its token.
      value: buttonValue(card.blocks, 'offboarding_approve') ?? '',
    };
    expect(approve.value).toMatch(/^1\.[A-Za-z0-9_-]{32}$/);
    expect((await api.click(MARIA, approve)).status).toBe(200);
    const refusal = await waitFor('the refusal to the requester', async () =>
      (await api.state(MARIA)).onlyYou.find((note) => note.kind === 'reply'),
    );
    expect(refusal.text).toContain('another approver must decide it');
    expect((await api.state(ADAM)).onlyYou).toEqual([]);

    expect((await api.click(ADAM, approve)).status).toBe(200);
    // The playground's grace period (36 s): the thread says when, and the card offers Undo.
    const parked = await waitFor('the grace period in the thread', async () => {
      const message = await requestCard(ADAM);
      return message?.replies.some((reply) =>
        reply.text.includes('The GDPR request will be filed on'),
      )
        ? message
        : undefined;
    });
    expect(buttonValue(parked.blocks, 'offboarding_undo')).toBe(approve.value);
    const finished = await waitFor(
      'the completion in the thread',
      async () => {
        const message = await requestCard(ADAM);
        return message?.replies.some((reply) => reply.text.includes('is complete'))
          ? message
          : undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(cardOf(finished)).not.toContain('offboarding_undo');
    expect(finished.edited).toBe(true);
    expect(cardOf(finished)).toContain('Approved by <@U0PLAYADAM>');
    expect(cardOf(finished)).not.toContain('offboarding_approve');
    const thread = finished.replies.map((reply) => reply.text).join('\n');
    expect(thread).toContain('Approved. Starting the offboarding');
    expect(thread).toContain('COMPLETED');
    // The notice is its own delivery job: it may land just after the thread's last reply.
    await waitFor('the completion notice', async () => {
      const notices = (await api.state(ANN)).channels.find((c) => c.id === NOTICES);
      return notices?.messages.some((m) => m.text?.includes('Offboarded Zoë Ångström'))
        ? true
        : undefined;
    });
  }, 150_000);

  it('schedules a request in the requester’s zone, and an approver cancels it from the card', async () => {
    await api.command(MARIA, '/offboard jane.doe@example.com on 2030-06-03 at 09:00 Trial');
    const card = await waitFor('the scheduled request card', async () => {
      const state = await api.state(MARIA);
      return state.channels
        .find((channel) => channel.id === REQUESTS)
        ?.messages.find((message) => cardOf(message).includes('Jane Doe'));
    });
    expect(cardOf(card)).toMatch(/Runs on Mon 3 Jun 2030, 09:00 /);
    const cancel = {
      channel: REQUESTS,
      messageTs: card.ts,
      actionId: 'offboarding_cancel',
      value: buttonValue(card.blocks, 'offboarding_cancel') ?? '',
    };
    expect((await api.click(ADAM, cancel)).status).toBe(200);
    const cancelled = await waitFor('the cancelled card and its thread', async () => {
      const state = await api.state(ADAM);
      const message = state.channels
        .find((channel) => channel.id === REQUESTS)
        ?.messages.find((m) => m.ts === card.ts);
      return message?.replies.some((reply) => reply.text.includes('Cancelled by Adam Approver'))
        ? message
        : undefined;
    });
    expect(cardOf(cancelled)).toContain('Cancelled. Nothing was changed in Genesys Cloud.');
    expect(cardOf(cancelled)).not.toContain('offboarding_cancel');
  }, 60_000);

  it('answers bad input with a clear error and sends nothing to the bot', async () => {
    expect((await api.command('U0NOBODY', '/offboard x@example.com')).status).toBe(400);
    const other = await api.command(MARIA, '/remind me later');
    expect(other.status).toBe(400);
    expect(other.json.error).toContain('Only /offboard');
    expect((await api.post('command', 'userId=U0PLAYMARIA', 'text/plain')).status).toBe(415);
    expect((await api.post('command', '{not json')).status).toBe(400);
    const click = { channel: REQUESTS, actionId: 'offboarding_approve', value: '1' };
    expect((await api.click(ADAM, { ...click, messageTs: '1.000000' })).status).toBe(404);
    const card = await requestCard(ADAM);
    // The card is decided: its buttons are gone, so a click on them is refused like Slack would.
    expect((await api.click(ADAM, { ...click, messageTs: card?.ts ?? '' })).status).toBe(409);
  });

  it('sends `@handle` as the mention Slack makes of it, which the bot resolves to that member’s email', async () => {
    const before = await api.state(MARIA);
    const bjorn = before.examples.find((example) => example.email === 'bjorn.thorsson@example.com');
    expect(bjorn?.handle).toBe('bjorn');
    expect(before.names[bjorn?.slackId ?? '']).toBe('Björn Þórsson');

    expect((await api.command(MARIA, '/offboard @bjorn Moving to Reykjavik')).status).toBe(200);
    const card = await waitFor('the card of the mentioned member', async () =>
      (await api.state(MARIA)).channels
        .find((channel) => channel.id === REQUESTS)
        ?.messages.find((message) => cardOf(message).includes('Björn Þórsson')),
    );
    expect(cardOf(card)).toContain('Email: bjorn.thorsson@example.com');
    expect(cardOf(card)).toContain('Reason: Moving to Reykjavik');
    // The person's own note keeps what they typed; only the bot got the mention form.
    expect((await api.state(MARIA)).onlyYou.map((note) => note.text)).toContain(
      '/offboard @bjorn Moving to Reykjavik',
    );
  });

  it('marks the demo users the sandbox has deleted or erased, from the emulator', async () => {
    const marks = async () =>
      Object.fromEntries(
        (await api.state(ANN)).examples.map((example) => [example.email, example.offboarded]),
      );
    // Seeded as deleted in the demo org.
    expect((await marks())['tomas.herrera@example.com']).toBe('deleted');
    // Zoë was offboarded to completion above; Jane's request was cancelled before it ran.
    await waitFor('Zoë marked as erased', async () =>
      (await marks())['zoe.angstrom@example.com'] === 'erased' ? true : undefined,
    );
    const now = await marks();
    expect(now['jane.doe@example.com']).toBeUndefined();
    expect(now['hannah.schaefer@example.com']).toBeUndefined();
  });

  it('dates every message by its Slack ts, so the page can place private notes among them', async () => {
    const state = await api.state(MARIA);
    const messages = state.channels.find((channel) => channel.id === REQUESTS)?.messages ?? [];
    expect(messages.length).toBeGreaterThan(1);
    const times = messages.map((message) => Date.parse(message.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Posted during this test run: the playground's fake Slack takes ts from the clock.
    expect(Date.now() - (times[0] ?? 0)).toBeLessThan(10 * 60_000);
    expect(Date.now() - (times[0] ?? 0)).toBeGreaterThanOrEqual(0);
  });

  it('keeps /slack/events closed to anyone without the generated signing secret', async () => {
    const body = slashCommandBody({
      text: 'jane.doe@example.com',
      userId: MARIA,
      channelId: REQUESTS,
      responseUrl: 'http://127.0.0.1:9/unused',
    });
    const forged = await postToSlackEndpoint(
      `${running.bot.url}/slack/events`,
      'test-signing-secret-0123456789',
      body,
    );
    expect(forged.status).toBe(401);
  });
});

describe('what the playground’s Slack does with what people type', () => {
  const handles = new Map([
    ['jane', 'U0DEMO002'],
    ['maria', 'U0PLAYMARIA'],
  ]);

  it('mentions workspace members by their handle, and leaves anything else as typed', () => {
    expect(escapeMentions('@jane Last day Friday', handles)).toBe(
      '<@U0DEMO002|jane> Last day Friday',
    );
    expect(escapeMentions('(@Jane) and @maria.', handles)).toBe(
      '(<@U0DEMO002|jane>) and <@U0PLAYMARIA|maria>.',
    );
    expect(escapeMentions('@nobody jane.doe@example.com @jane.doe', handles)).toBe(
      '@nobody jane.doe@example.com @jane.doe',
    );
  });

  it('gives every demo user a Slack handle of their own, never one of the cast’s', () => {
    const members = demoMembers([
      { name: 'Jane Doe', email: 'jane.doe@example.com' },
      { name: 'María José', email: 'maria.jose@example.com' },
      { name: 'Jane Roe', email: 'jane.roe@example.com' },
      { name: 'Zoë Ångström', email: 'zoë.ångström@example.com' },
    ]);
    expect(members.map((member) => member.handle)).toEqual([
      'jane',
      'maria.jose',
      'jane.roe',
      'zoe',
    ]);
    expect(new Set(members.map((member) => member.slackId)).size).toBe(4);
  });

  it('counts as offboarded a deleted user, or one with a GDPR erasure that did not fail', () => {
    const target = { id: 'u1', name: 'Jane Doe', email: 'Jane.Doe@example.com' };
    const directory = (
      state: 'active' | 'deleted',
      requests: ReturnType<SandboxDirectory['gdprRequests']>,
    ): SandboxDirectory => ({ user: () => ({ state }), gdprRequests: () => requests });
    const erasure = (status: 'DELETING' | 'COMPLETED' | 'ERROR', subject: object) => ({
      requestType: 'GDPR_DELETE' as const,
      status,
      subject,
    });
    expect(offboardedMark(target, directory('active', []))).toBeUndefined();
    expect(offboardedMark(target, directory('deleted', []))).toBe('deleted');
    expect(
      offboardedMark(target, directory('deleted', [erasure('DELETING', { userId: 'u1' })])),
    ).toBe('erasure_filed');
    expect(
      offboardedMark(
        target,
        directory('deleted', [erasure('COMPLETED', { emailAddresses: ['jane.doe@example.com'] })]),
      ),
    ).toBe('erased');
    expect(
      offboardedMark(target, directory('active', [erasure('ERROR', { userId: 'u1' })])),
    ).toBeUndefined();
    expect(
      offboardedMark(
        target,
        directory('active', [
          { requestType: 'GDPR_EXPORT', status: 'COMPLETED', subject: { userId: 'u1' } },
        ]),
      ),
    ).toBeUndefined();
    expect(
      offboardedMark(target, directory('active', [erasure('COMPLETED', { userId: 'u2' })])),
    ).toBeUndefined();
  });
});

describe('when the playground runs', () => {
  const logger = pino({ level: 'silent' });
  const local = { slack: undefined, teams: undefined } satisfies Pick<Config, 'slack' | 'teams'>;

  it('stays off with real Slack or Teams credentials, or against a real Genesys org', async () => {
    const slack = { approvers: ['U1'] } as NonNullable<Config['slack']>;
    const teams = { approvers: ['a@example.com'] } as NonNullable<Config['teams']>;
    const options = { logger, sandboxRunning: true };
    expect(await startPlaygroundIfLocal({ ...local, slack }, options)).toBeUndefined();
    expect(await startPlaygroundIfLocal({ ...local, teams }, options)).toBeUndefined();
    expect(await startPlaygroundIfLocal(local, { logger, sandboxRunning: false })).toBeUndefined();
  });

  it('points the bot at its own fake Slack with the playground approvers', async () => {
    const playground = await startPlaygroundIfLocal(local, { logger, sandboxRunning: true });
    try {
      expect(playground?.slackConfig).toMatchObject({
        botToken: 'xoxb-playground',
        approvers: [ADAM, ANN],
        notifyChannel: NOTICES,
      });
      expect(playground?.slackConfig.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
      expect(playground?.slackConfig.signingSecret).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await playground?.close();
    }
  });
});
