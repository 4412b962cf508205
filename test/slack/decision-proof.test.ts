import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import {
  blockActionBody,
  postToSlackEndpoint,
  slashCommandBody,
} from '../../src/playground/slack-requests.js';
import { foreignWorkspace } from '../../src/slack/workspace.js';
import {
  APPROVER,
  buttonValue,
  CHANNEL,
  type Harness,
  REQUESTER,
  SECOND_APPROVER,
  SIGNING_SECRET,
  startHarness,
} from '../helpers/bot-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

/** Someone on the approvers list who is a guest in the workspace. */
const GUEST = { id: 'U0GUEST', name: 'gus', email: 'gus@partner.example' };
const SINGLE_GUEST = { id: 'U0GUEST1', name: 'sigrid', email: 'sigrid@partner.example' };
/** Maria again, under a second account (as on the other chat platform): the same email. */
const MARIA_AGAIN = { id: 'U0MARIA2', name: 'maria2', email: 'Maria.Manager@Example.com' };

async function requestRow(h: Harness, email: string): Promise<OffboardingRequest> {
  return h.waitFor('the posted request', async () => {
    const row = await h.database.db
      .selectFrom('offboarding_requests')
      .selectAll()
      .where('target_email', '=', email)
      .executeTakeFirst();
    return row?.chat_message_id ? row : undefined;
  });
}

async function fileRequest(h: Harness, email: string) {
  await h.command(`${email} leaving`);
  const request = await requestRow(h, email);
  return { request, ts: request.chat_message_id as string };
}

/** The private answer to a click: ephemeral, never replacing the shared card. */
async function answerTo(h: Harness, click: { responseName: string }): Promise<string> {
  const post = await h.slack.waitForResponse(click.responseName, () => true, 10_000);
  const body = post.body as { response_type?: string; replace_original?: boolean; text?: string };
  expect(body.response_type).toBe('ephemeral');
  expect(body.replace_original).toBe(false);
  return body.text ?? '';
}

/** Nothing was set in motion for the request: no decision, no step, no job, no Genesys call. */
async function expectUntouched(h: Harness, request: OffboardingRequest, ts: string) {
  // Whatever a wrongly accepted click set in motion has run by then.
  await waitForQuiet(h.database.db);
  expect((await h.bot.service.findRequest(request.id))?.state).toBe('pending');
  expect(await h.bot.service.decisionFor(request.id)).toBeUndefined();
  const steps = await h.database.db
    .selectFrom('workflow_steps')
    .select('id')
    .where('request_id', '=', request.id)
    .execute();
  expect(steps).toEqual([]);
  const jobs = await sql<{ count: string }>`
    select count(*)::text as count from pgboss.job
    where name = 'offboarding-step' and data->>'requestId' = ${String(request.id)}`.execute(
    h.database.db,
  );
  expect(jobs.rows[0]?.count).toBe('0');
  expect(
    h.emulator
      .calls()
      .filter((c) => c.path.includes(request.target_genesys_id) || c.path.includes('gdpr')),
  ).toEqual([]);
  expect(h.slack.message(CHANNEL, ts)?.updateCount).toBe(0);
  expect(h.slack.messages(CHANNEL).filter((m) => m.threadTs === ts)).toEqual([]);
}

async function refusals(h: Harness, requestId: number) {
  return h.database.db
    .selectFrom('audit_events')
    .select(['actor', 'details'])
    .where('request_id', '=', requestId)
    .where('event', '=', 'decision_refused')
    .orderBy('id')
    .execute();
}

describe('a card from before a database reset', () => {
  it('does not decide the new request with the same number', async () => {
    // Database A: request #1 is for Jane.
    const a = await startHarness({
      users: [{ name: 'Jane Doe', email: 'jane.doe@example.com' }],
    });
    let oldCard: { value: string; ts: string };
    try {
      const { request, ts } = await fileRequest(a, 'jane.doe@example.com');
      expect(request.id).toBe(1);
      oldCard = {
        value: buttonValue(a.slack.message(CHANNEL, ts)?.blocks, 'offboarding_approve') ?? '',
        ts,
      };
      expect(oldCard.value).toMatch(/^1\.[A-Za-z0-9_-]{32}$/);
    } finally {
      await a.close();
    }

    // The bot restarts on an empty database B: request #1 is now for Bob.
    const b = await startHarness({ users: [{ name: 'Bob Roe', email: 'bob.roe@example.com' }] });
    try {
      const { request, ts } = await fileRequest(b, 'bob.roe@example.com');
      expect(request.id).toBe(1);
      b.emulator.clearCalls();

      // Jane's card clicked, as Slack sends it: from Jane's message, with its button's value.
      const fromOldMessage = await b.click('approve', 1, oldCard.ts, APPROVER, {
        value: oldCard.value,
      });
      expect(await answerTo(b, fromOldMessage)).toBe(
        'This card is out of date: it does not belong to the current request with this number. Nothing was changed.',
      );
      // Even where the old message and the new one share a ts, the old button cannot decide.
      const onNewMessage = await b.reject(1, ts, APPROVER, { value: oldCard.value });
      expect(onNewMessage.answer).toContain('This card is out of date');
      await expectUntouched(b, request, ts);
      const audit = await refusals(b, request.id);
      expect(audit).toHaveLength(2);
      expect(audit[0]).toMatchObject({
        actor: `slack:${APPROVER.id}`,
        details: { reason: 'stale_card', mismatch: 'token', decision: 'approved' },
      });
      expect(b.logs.join('')).toContain('"reason":"stale_card"');
      // The audit keeps why, never the tokens (the buttons of a live card carry them).
      const token = (await b.bot.service.findRequest(request.id))?.decision_token ?? '';
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(JSON.stringify(audit)).not.toContain(token);
      expect(JSON.stringify(audit)).not.toContain(oldCard.value.slice(2));

      // The card of request #1 on database B still decides it.
      await b.click('approve', 1, ts, APPROVER);
      await b.waitFor('approval', async () =>
        ['approved', 'running', 'completed'].includes(
          (await b.bot.service.findRequest(request.id))?.state ?? '',
        ),
      );
    } finally {
      await b.close();
    }
  }, 90_000);
});

describe('decisions on this database', () => {
  let h: Harness;
  let counter = 0;
  beforeAll(async () => {
    h = await startHarness({
      users: [
        ...Array.from({ length: 8 }, (_, i) => ({
          name: `Agent ${i}`,
          email: `agent${i}@example.com`,
        })),
        // The approver Adam himself, with his email in another case than Slack has it.
        { name: 'Adam Approver', email: 'Adam.Approver@EXAMPLE.com' },
      ],
      approvers: [APPROVER.id, SECOND_APPROVER.id, GUEST.id, SINGLE_GUEST.id, MARIA_AGAIN.id],
    });
    h.slack.addUser({ ...GUEST, realName: 'Gus Guest', isRestricted: true });
    h.slack.addUser({ ...SINGLE_GUEST, realName: 'Sigrid Guest', isUltraRestricted: true });
    h.slack.addUser({ ...MARIA_AGAIN, realName: 'Maria Manager' });
  });
  afterAll(async () => {
    await h?.close();
  });
  const newRequest = () => fileRequest(h, `agent${counter++}@example.com`);

  it('a button whose value lacks the token (a card from before tokens) decides nothing', async () => {
    const { request, ts } = await newRequest();
    h.emulator.clearCalls();
    const click = await h.click('approve', request.id, ts, APPROVER, { value: String(request.id) });
    expect(await answerTo(h, click)).toContain('This card is out of date');
    await expectUntouched(h, request, ts);
    expect((await refusals(h, request.id))[0]?.details).toMatchObject({ mismatch: 'no_token' });
  });

  it('the right button on another message decides nothing', async () => {
    const { request, ts } = await newRequest();
    const other = await newRequest();
    h.emulator.clearCalls();
    const value = buttonValue(h.slack.message(CHANNEL, ts)?.blocks, 'offboarding_approve');
    const click = await h.click('approve', request.id, other.ts, APPROVER, { value });
    expect(await answerTo(h, click)).toContain('This card is out of date');
    const inAnotherChannel = await h.click('approve', request.id, ts, APPROVER, {
      value,
      channel: 'C0ELSEWHERE',
    });
    expect(await answerTo(h, inAnotherChannel)).toContain('This card is out of date');
    await expectUntouched(h, request, ts);
    expect((await refusals(h, request.id)).map((r) => r.details)).toMatchObject([
      { mismatch: 'message' },
      { mismatch: 'channel' },
    ]);
  });

  it('the person being offboarded can neither approve nor reject, whatever the case of their email', async () => {
    await h.command('adam.approver@example.com moving on');
    const request = await requestRow(h, 'Adam.Approver@EXAMPLE.com');
    const ts = request.chat_message_id as string;
    h.emulator.clearCalls();
    const approval = await h.click('approve', request.id, ts, APPROVER);
    expect(await answerTo(h, approval)).toBe(
      'This request is about you, so you cannot approve or reject it. Nothing was changed.',
    );
    const rejection = await h.reject(request.id, ts, APPROVER, { reason: 'no' });
    expect(rejection.answer).toBe(
      'This request is about you, so you cannot approve or reject it. Nothing was changed.',
    );
    await expectUntouched(h, request, ts);
    expect((await refusals(h, request.id)).map((r) => r.details)).toMatchObject([
      { reason: 'own_offboarding', decision: 'approved' },
      { reason: 'own_offboarding', decision: 'rejected' },
    ]);
    // Another approver still decides it.
    await h.reject(request.id, ts, SECOND_APPROVER);
    await h.waitFor(
      'rejection',
      async () => (await h.bot.service.findRequest(request.id))?.state === 'rejected',
    );
  });

  it('the requester under another account with the same email is still the requester', async () => {
    const { request, ts } = await newRequest();
    expect(request.requester_email).toBe(REQUESTER.email);
    h.emulator.clearCalls();
    const click = await h.click('approve', request.id, ts, MARIA_AGAIN);
    expect(await answerTo(h, click)).toContain('another approver must decide it');
    await expectUntouched(h, request, ts);
    expect((await refusals(h, request.id))[0]).toMatchObject({
      actor: `slack:${MARIA_AGAIN.id}`,
      details: { reason: 'self_decision' },
    });
  });

  it('guests cannot decide, even when listed as approvers', async () => {
    const { request, ts } = await newRequest();
    h.emulator.clearCalls();
    for (const guest of [GUEST, SINGLE_GUEST]) {
      const click = await h.click('approve', request.id, ts, guest);
      expect(await answerTo(h, click)).toBe(
        'Guest accounts cannot approve or reject offboarding requests. Nothing was changed.',
      );
    }
    await expectUntouched(h, request, ts);
    expect((await refusals(h, request.id)).map((r) => r.details)).toMatchObject([
      { reason: 'guest' },
      { reason: 'guest' },
    ]);
  });

  it('guests cannot request', async () => {
    for (const guest of [GUEST, SINGLE_GUEST]) {
      const { responseName } = await h.command('agent7@example.com leaving', guest);
      const post = await h.slack.waitForResponse(responseName, () => true, 10_000);
      expect((post.body as { text?: string }).text).toBe(
        'Guest accounts cannot request offboardings. Ask a member of your organization.',
      );
    }
    const rows = await h.database.db
      .selectFrom('offboarding_requests')
      .select('id')
      .where('target_email', '=', 'agent7@example.com')
      .execute();
    expect(rows).toEqual([]);
    expect(h.logs.join('')).toContain('"reason":"guest"');
  });

  it('a command from another workspace is refused before it is queued', async () => {
    const body = slashCommandBody({
      text: 'agent6@example.com leaving',
      userId: REQUESTER.id,
      channelId: CHANNEL,
      teamId: 'T0OTHER',
      responseUrl: h.slack.responseUrl('foreign-command'),
    });
    const response = await postToSlackEndpoint(`${h.bot.url}/slack/events`, SIGNING_SECRET, body);
    expect(response.status).toBe(200);
    expect(response.body).toContain('serves only its own Slack workspace');
    await waitForQuiet(h.database.db);
    const rows = await h.database.db
      .selectFrom('offboarding_requests')
      .select('id')
      .where('target_email', '=', 'agent6@example.com')
      .execute();
    expect(rows).toEqual([]);
    const jobs = await sql<{ count: string }>`
      select count(*)::text as count from pgboss.job where name = 'slack-command'
      and data->>'text' like '%agent6@%'`.execute(h.database.db);
    expect(jobs.rows[0]?.count).toBe('0');
    expect(h.logs.join('')).toContain('the request comes from workspace T0OTHER');
  });

  it('a click from another workspace, or from a user of another team, decides nothing', async () => {
    const { request, ts } = await newRequest();
    h.emulator.clearCalls();
    const value = buttonValue(h.slack.message(CHANNEL, ts)?.blocks, 'offboarding_approve') ?? '';
    await h.click('approve', request.id, ts, APPROVER, { value, teamId: 'T0OTHER' });
    // Slack Connect: the channel's team is ours, the clicker belongs to another organisation.
    const payload = new URLSearchParams(
      blockActionBody({
        actionId: 'offboarding_approve',
        value,
        userId: APPROVER.id,
        channelId: CHANNEL,
        messageTs: ts,
        responseUrl: h.slack.responseUrl('connect-click'),
      }),
    ).get('payload');
    const parsed = JSON.parse(payload ?? '{}') as { user: { team_id: string } };
    parsed.user.team_id = 'T0PARTNER';
    await postToSlackEndpoint(
      `${h.bot.url}/slack/events`,
      SIGNING_SECRET,
      new URLSearchParams({ payload: JSON.stringify(parsed) }).toString(),
    );
    await expectUntouched(h, request, ts);
    const logs = h.logs.join('');
    expect(logs).toContain('the request comes from workspace T0OTHER');
    expect(logs).toContain('the request comes from workspace T0PARTNER');
  });
});

describe('an org-wide (Enterprise Grid) install', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      users: [{ name: 'Agent E', email: 'agent.e@example.com' }],
      slackApi: { enterpriseId: 'E0OURORG', enterpriseInstall: true },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('accepts the org and refuses a request that names another org or none', async () => {
    const post = (enterpriseId: string | undefined, email: string) => {
      const params = new URLSearchParams(
        slashCommandBody({
          text: `${email} leaving`,
          userId: REQUESTER.id,
          channelId: CHANNEL,
          responseUrl: h.slack.responseUrl(`org-${email}`),
        }),
      );
      if (enterpriseId) params.set('enterprise_id', enterpriseId);
      return postToSlackEndpoint(`${h.bot.url}/slack/events`, SIGNING_SECRET, params.toString());
    };
    expect((await post('E0OTHER', 'agent.e@example.com')).body).toContain(
      'serves only its own Slack workspace',
    );
    expect((await post(undefined, 'agent.e@example.com')).body).toContain(
      'serves only its own Slack workspace',
    );
    await post('E0OURORG', 'agent.e@example.com');
    const request = await requestRow(h, 'agent.e@example.com');
    expect(request.requester_id).toBe(REQUESTER.id);
    const logs = h.logs.join('');
    expect(logs).toContain('the request comes from org E0OTHER');
    expect(logs).toContain('the request names no Enterprise Grid org');
  });
});

describe('foreignWorkspace', () => {
  const ours = { teamId: 'T0OURS', enterpriseId: undefined, enterpriseInstall: false };
  it('wants every team the payload names to be ours', () => {
    expect(foreignWorkspace({ team_id: 'T0OURS' }, ours)).toBeUndefined();
    expect(foreignWorkspace({ team: { id: 'T0OURS' }, user: { team_id: 'T0OURS' } }, ours)).toBe(
      undefined,
    );
    expect(foreignWorkspace({ team: { id: 'T0OURS' }, user: { team_id: 'T0X' } }, ours)).toBe(
      'the request comes from workspace T0X',
    );
    expect(foreignWorkspace({}, ours)).toBe('the request names no workspace');
  });
});
