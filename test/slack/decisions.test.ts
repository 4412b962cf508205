import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import {
  nowInSeconds,
  postToSlackEndpoint,
  slackSignature,
  slashCommandBody,
} from '../../src/playground/slack-requests.js';
import {
  APPROVER,
  buttonValue,
  CHANNEL,
  type Harness,
  OUTSIDER,
  REQUESTER,
  SECOND_APPROVER,
  SIGNING_SECRET,
  startHarness,
} from '../helpers/bot-harness.js';

let h: Harness;
let counter = 0;
beforeAll(async () => {
  h = await startHarness({
    users: Array.from({ length: 6 }, (_, i) => ({
      name: `Agent ${i}`,
      email: `agent${i}@example.com`,
    })),
    // The requester is an approver too: they still may not approve their own request.
    approvers: [REQUESTER.id, APPROVER.id, 'S0APPROVERS'],
  });
  h.slack.addUserGroup('S0APPROVERS', [SECOND_APPROVER.id]);
});
afterAll(async () => {
  await h?.close();
});

async function newRequest(): Promise<{ request: OffboardingRequest; ts: string }> {
  const email = `agent${counter++}@example.com`;
  await h.command(`${email} leaving`);
  const request = await h.waitFor('request', async () => {
    const row = await h.database.db
      .selectFrom('offboarding_requests')
      .selectAll()
      .where('target_email', '=', email)
      .executeTakeFirst();
    return row?.chat_message_id ? row : undefined;
  });
  return { request, ts: request.chat_message_id as string };
}

async function clickAnswer(
  action: 'approve' | 'reject',
  requestId: number,
  ts: string,
  user: { id: string; name: string },
  options: { value?: string; channel?: string } = {},
): Promise<string> {
  const { responseName } = await h.click(action, requestId, ts, user, options);
  const post = await h.slack.waitForResponse(responseName, () => true, 10_000);
  const body = post.body as { response_type?: string; replace_original?: boolean; text?: string };
  expect(body.response_type).toBe('ephemeral');
  expect(body.replace_original).toBe(false);
  return body.text ?? '';
}

describe('decisions', () => {
  it('the requester cannot approve their own request, even as an approver', async () => {
    const { request, ts } = await newRequest();
    expect(await clickAnswer('approve', request.id, ts, REQUESTER)).toContain(
      'another approver must decide it',
    );
    expect((await h.bot.service.findRequest(request.id))?.state).toBe('pending');
    expect(await h.bot.service.decisionFor(request.id)).toBeUndefined();
  });

  it('someone who is not an approver is told so, and nothing changes', async () => {
    const { request, ts } = await newRequest();
    expect((await h.reject(request.id, ts, OUTSIDER, { reason: 'nope' })).answer).toContain(
      'Only an approver can approve or reject',
    );
    expect((await h.bot.service.findRequest(request.id))?.state).toBe('pending');
    expect(JSON.stringify(h.slack.message(CHANNEL, ts)?.blocks)).toContain('offboarding_approve');
  });

  it('a member of an approver user group may approve', async () => {
    const { request, ts } = await newRequest();
    await h.click('approve', request.id, ts, SECOND_APPROVER);
    await h.waitFor('approved', async () =>
      ['approved', 'running', 'completed'].includes(
        (await h.bot.service.findRequest(request.id))?.state ?? '',
      ),
    );
    expect(await h.bot.service.decisionFor(request.id)).toMatchObject({
      decider_id: SECOND_APPROVER.id,
    });
  });

  it('two approvals at once make one decision and one run', async () => {
    const { request, ts } = await newRequest();
    const [clicks, rejection] = await Promise.all([
      Promise.all([
        h.click('approve', request.id, ts, APPROVER),
        h.click('approve', request.id, ts, APPROVER),
        h.click('approve', request.id, ts, SECOND_APPROVER),
      ]),
      h.reject(request.id, ts, SECOND_APPROVER),
    ]);
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    expect(rejection.status).toBe(200);
    await h.waitFor(
      'completion',
      async () => (await h.bot.service.findRequest(request.id))?.state === 'completed',
    );
    const decisions = await h.database.db
      .selectFrom('decisions')
      .selectAll()
      .where('request_id', '=', request.id)
      .execute();
    expect(decisions).toHaveLength(1);
    const losers = await Promise.all(
      clicks.map((c) =>
        h.slack.waitForResponse(c.responseName, () => true, 10_000).catch(() => undefined),
      ),
    );
    expect(
      losers.filter((p) => (p?.body as { text?: string })?.text?.includes('already')),
    ).toHaveLength(2);
    expect(rejection.answer).toContain('already');

    const userId = request.target_genesys_id;
    const calls = h.emulator.calls().map((c) => `${c.method} ${c.path}`);
    expect(calls.filter((c) => c === `DELETE /api/v2/users/${userId}`)).toHaveLength(1);
    // Revoked before the soft delete and again after it (issue 11): one run, two revokes.
    expect(calls.filter((c) => c === `DELETE /api/v2/tokens/${userId}`)).toHaveLength(2);
    const filed = h.emulator
      .gdprRequests()
      .filter((g) => (g as { subject?: { userId?: string } }).subject?.userId === userId);
    expect(filed).toHaveLength(1);
  });
});

describe('stale requests', () => {
  it('expire: the card says so, loses its buttons, the requester is told, and approving is refused', async () => {
    const { request, ts } = await newRequest();
    // Clicked on a copy of the card from before it expired (a client that had not refreshed).
    const value = buttonValue(h.slack.message(CHANNEL, ts)?.blocks, 'offboarding_approve');
    await h.database.db
      .updateTable('offboarding_requests')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', request.id)
      .execute();
    await h.bot.sweep();
    expect((await h.bot.service.findRequest(request.id))?.state).toBe('expired');
    await h.waitFor('expiry reply', () =>
      h.slack
        .messages(CHANNEL)
        .some(
          (m) =>
            m.threadTs === ts &&
            m.text?.includes(`<@${REQUESTER.id}>`) &&
            m.text.includes('expired'),
        ),
    );
    const card = JSON.stringify(h.slack.message(CHANNEL, ts)?.blocks);
    expect(card).toContain('Expired');
    expect(card).not.toContain('offboarding_approve');
    expect(await clickAnswer('approve', request.id, ts, APPROVER, { value })).toContain('expired');
    expect(h.emulator.calls().filter((c) => c.path.includes(request.target_genesys_id))).toEqual(
      [],
    );
  });
});

describe('request signatures', () => {
  const body = () =>
    slashCommandBody({
      text: 'agent5@example.com',
      userId: REQUESTER.id,
      channelId: CHANNEL,
      responseUrl: h.slack.responseUrl('forged'),
    });

  it('a forged signature gets 401 and does nothing', async () => {
    const response = await postToSlackEndpoint(
      `${h.bot.url}/slack/events`,
      SIGNING_SECRET,
      body(),
      {
        signature: slackSignature('not-the-secret', body(), nowInSeconds()),
      },
    );
    expect(response.status).toBe(401);
  });

  it('a stale timestamp gets 401', async () => {
    const response = await postToSlackEndpoint(
      `${h.bot.url}/slack/events`,
      SIGNING_SECRET,
      body(),
      {
        timestamp: nowInSeconds() - 10 * 60,
      },
    );
    expect(response.status).toBe(401);
    const rows = await h.database.db
      .selectFrom('offboarding_requests')
      .select('id')
      .where('target_email', '=', 'agent5@example.com')
      .execute();
    expect(rows).toEqual([]);
  });
});
