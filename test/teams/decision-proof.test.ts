import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import type { FakeTeamsMember } from '../helpers/fake-bot-connector.js';
import { executeActivity, messageActivity, TENANT_ID } from '../helpers/teams-activities.js';
import {
  ADAM,
  CHANNEL,
  cardOf,
  cardText,
  executeActions,
  MARIA,
  startTeamsHarness,
  type TeamsHarness,
  UMA,
} from '../helpers/teams-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

const OUT_OF_DATE =
  'This card is out of date: it does not belong to the current request with this number. Nothing was changed.';

/** A B2B guest of the tenant, listed as an approver by mistake. */
const GUEST: FakeTeamsMember = {
  id: '29:gina-guest',
  name: 'Gina Guest',
  aadObjectId: '0a000000-0000-4000-8000-0000000000a1',
  userPrincipalName: 'gina_partner.example#EXT#@contoso.onmicrosoft.com',
  email: 'gina@partner.example',
  userRole: 'guest',
};
/** Maria under a second Teams account: the same email, so the same person. */
const MARIA_AGAIN: FakeTeamsMember = {
  id: '29:maria-second',
  name: 'Maria Again',
  aadObjectId: '0a000000-0000-4000-8000-0000000000a2',
  userPrincipalName: 'MARIA.MANAGER@example.com',
};

/** An approver whose UPN is not their mail address; Genesys knows them by the mail address. */
const THEO: FakeTeamsMember = {
  id: '29:theo-upn',
  name: 'Theo Upn',
  aadObjectId: '0a000000-0000-4000-8000-0000000000a3',
  userPrincipalName: 'theo@contoso.onmicrosoft.com',
  email: 'Theo.Approver@example.com',
};

/** The click's private answer: words only, no card (which would carry the current buttons). */
function expectMessageOnly(body: unknown, text: string) {
  expect(body).toEqual({
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text,
  });
}

/** Nothing set in motion: no decision, no step, no job, no Genesys call, the card untouched. */
async function expectUntouched(h: TeamsHarness, request: OffboardingRequest, cardId: string) {
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
  expect(h.connector.updates(cardId)).toEqual([]);
  // Approve, Reject and Cancel, as posted.
  expect(executeActions(cardOf(h.connector.activity(cardId)?.activity))).toHaveLength(3);
}

async function refusals(h: TeamsHarness, requestId: number) {
  const rows = await h.database.db
    .selectFrom('audit_events')
    .select(['actor', 'details'])
    .where('request_id', '=', requestId)
    .where('event', '=', 'decision_refused')
    .orderBy('id')
    .execute();
  return rows;
}

function tokenOf(posted: Record<string, unknown> | undefined): string {
  const data = executeActions(cardOf(posted))[0]?.data as { offboardingToken?: string };
  return data.offboardingToken ?? '';
}

describe('a card from before a database reset', () => {
  it('does not decide the new request with the same number', async () => {
    const a = await startTeamsHarness({
      users: [{ name: 'Jane Doe', email: 'jane.doe@example.com' }],
    });
    let old: { token: string; cardId: string };
    try {
      const { request, card: posted } = await a.requestInChannel('jane.doe@example.com');
      expect(request.id).toBe(1);
      old = { token: tokenOf(posted.activity), cardId: posted.id };
      expect(old.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    } finally {
      await a.close();
    }

    const b = await startTeamsHarness({
      users: [{ name: 'Bob Roe', email: 'bob.roe@example.com' }],
    });
    try {
      const { request, card: posted, place } = await b.requestInChannel('bob.roe@example.com');
      expect(request.id).toBe(1);
      b.emulator.clearCalls();
      // Jane's card, clicked as Teams sends it: her card's id as replyToId, her button's data.
      const fromOldCard = await b.execute(
        { requestId: 1, decision: 'approved', cardActivityId: old.cardId, token: old.token },
        ADAM,
        place,
      );
      expectMessageOnly(fromOldCard.body, OUT_OF_DATE);
      // Without replyToId (a client that leaves it out) the token alone still tells them apart.
      const noReplyTo = await b.execute(
        { requestId: 1, decision: 'approved', token: old.token },
        ADAM,
        place,
      );
      expectMessageOnly(noReplyTo.body, OUT_OF_DATE);
      // The Action.Submit fallback: refused, and told to the clicker only.
      await b.submit({ requestId: 1, decision: 'rejected', token: old.token }, ADAM, place);
      const reply = await b.connector.waitForActivity('the reply to Adam', (x) =>
        String(x.activity.text).includes('out of date'),
      );
      expect(reply.activity.text).toBe(`<at>Adam Approver</at> (only for you) ${OUT_OF_DATE}`);
      await expectUntouched(b, request, posted.id);
      expect((await refusals(b, request.id)).map((r) => r.details)).toMatchObject([
        { reason: 'stale_card', mismatch: 'token' },
        { reason: 'stale_card', mismatch: 'token' },
        { reason: 'stale_card', mismatch: 'token' },
      ]);

      // Bob's own card still decides it.
      await b.execute(
        { requestId: 1, decision: 'rejected', cardActivityId: posted.id },
        ADAM,
        place,
      );
      expect((await b.bot.service.findRequest(request.id))?.state).toBe('rejected');
    } finally {
      await b.close();
    }
  }, 90_000);
});

describe('decisions on this database', () => {
  let h: TeamsHarness;
  let counter = 0;
  beforeAll(async () => {
    h = await startTeamsHarness({
      users: [
        ...Array.from({ length: 6 }, (_, i) => ({
          name: `Agent ${i}`,
          email: `agent${i}@example.com`,
        })),
        { name: 'Adam Approver', email: 'ADAM.Approver@example.com' },
        { name: 'Theo Approver', email: 'theo.approver@example.com' },
      ],
      approvers: [
        ADAM.aadObjectId,
        UMA.userPrincipalName,
        GUEST.aadObjectId,
        MARIA_AGAIN.aadObjectId,
        THEO.aadObjectId,
      ],
    });
    h.connector.addMember(GUEST);
    h.connector.addMember(MARIA_AGAIN);
    h.connector.addMember(THEO);
  });
  afterAll(async () => {
    await h?.close();
  });
  const newRequest = () => h.requestInChannel(`agent${counter++}@example.com`, 'leaving');

  it('a card without a token, or the token on another card, decides nothing', async () => {
    const { request, card: posted, place } = await newRequest();
    const other = await newRequest();
    h.emulator.clearCalls();
    const legacy = await h.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: posted.id, token: null },
      ADAM,
      place,
    );
    expectMessageOnly(legacy.body, OUT_OF_DATE);
    const elsewhere = await h.execute(
      {
        requestId: request.id,
        decision: 'approved',
        cardActivityId: other.card.id,
        token: tokenOf(posted.activity),
      },
      ADAM,
      place,
    );
    expectMessageOnly(elsewhere.body, OUT_OF_DATE);
    await expectUntouched(h, request, posted.id);
    expect((await refusals(h, request.id)).map((r) => r.details)).toMatchObject([
      { mismatch: 'no_token' },
      { mismatch: 'message' },
    ]);
  });

  it('the person being offboarded can neither approve nor reject', async () => {
    const { request, card: posted, place } = await h.requestInChannel('adam.approver@example.com');
    h.emulator.clearCalls();
    for (const decision of ['approved', 'rejected'] as const) {
      const click = await h.execute(
        { requestId: request.id, decision, cardActivityId: posted.id },
        ADAM,
        place,
      );
      expect(cardText(click.body.value)).toContain(
        'Only you see this: This request is about you, so you cannot approve or reject it. Nothing was changed.',
      );
    }
    await expectUntouched(h, request, posted.id);
    expect((await refusals(h, request.id)).map((r) => r.details)).toMatchObject([
      { reason: 'own_offboarding', decision: 'approved' },
      { reason: 'own_offboarding', decision: 'rejected' },
    ]);
  });

  it('the leaver is recognised by their mail address when their UPN differs', async () => {
    const { request, card: posted, place } = await h.requestInChannel('theo.approver@example.com');
    h.emulator.clearCalls();
    const click = await h.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: posted.id },
      THEO,
      place,
    );
    expect(cardText(click.body.value)).toContain('This request is about you');
    await expectUntouched(h, request, posted.id);
  });

  it('the requester under another account with the same email is still the requester', async () => {
    const { request, card: posted, place } = await newRequest();
    expect(request.requester_email).toBe(MARIA.userPrincipalName);
    h.emulator.clearCalls();
    const click = await h.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: posted.id },
      MARIA_AGAIN,
      place,
    );
    expect(cardText(click.body.value)).toContain('another approver must decide it');
    await expectUntouched(h, request, posted.id);
  });

  it('a guest cannot decide, even when listed as an approver, nor request', async () => {
    const { request, card: posted, place } = await newRequest();
    h.emulator.clearCalls();
    const click = await h.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: posted.id },
      GUEST,
      place,
    );
    expect(cardText(click.body.value)).toContain(
      'Guest accounts cannot approve or reject offboarding requests. Nothing was changed.',
    );
    await expectUntouched(h, request, posted.id);
    expect((await refusals(h, request.id))[0]).toMatchObject({
      actor: `teams:${GUEST.aadObjectId}`,
      details: { reason: 'guest' },
    });

    const said = await h.say('offboard agent5@example.com leaving', GUEST, { kind: 'personal' });
    await h.connector.waitForActivity('the refusal to the guest', (a) =>
      String(a.activity.text).includes('Guest accounts cannot request offboardings'),
    );
    expect(said.status).toBe(200);
    const rows = await h.database.db
      .selectFrom('offboarding_requests')
      .select('id')
      .where('target_email', '=', 'agent5@example.com')
      .execute();
    expect(rows).toEqual([]);
  });

  it('an activity from another channel than msteams is refused and logged', async () => {
    const activity = {
      ...messageActivity(h.connector.serviceUrl, MARIA, 'offboard agent4@example.com', {
        kind: 'personal',
      }),
      channelId: 'webchat',
    };
    const before = h.connector.activities().length;
    await h.post(activity);
    await waitForQuiet(h.database.db);
    expect(h.connector.activities().length).toBe(before);
    const rows = await h.database.db
      .selectFrom('offboarding_requests')
      .select('id')
      .where('target_email', '=', 'agent4@example.com')
      .execute();
    expect(rows).toEqual([]);
    expect(h.logs.join('')).toContain('channel \\"webchat\\" is not msteams');
  });
});

describe('MICROSOFT_APP_TENANT_ID', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({
      users: [
        { name: 'Agent T', email: 'agent.t@example.com' },
        { name: 'Agent U', email: 'agent.u@example.com' },
      ],
      tenantId: TENANT_ID.toUpperCase(),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const fromTenant = (activity: Record<string, unknown>, tenant: string) => ({
    ...activity,
    conversation: { ...(activity.conversation as object), tenantId: tenant },
    channelData: { ...(activity.channelData as object), tenant: { id: tenant } },
  });

  it('serves its own tenant and refuses commands and clicks from any other', async () => {
    const { request, card: posted, place } = await h.requestInChannel('agent.t@example.com');
    h.emulator.clearCalls();

    const other = '11111111-2222-4333-8444-555555555555';
    const before = h.connector.activities().length;
    await h.post(
      fromTenant(
        messageActivity(h.connector.serviceUrl, MARIA, 'offboard agent.u@example.com', {
          kind: 'channel',
          channelId: CHANNEL,
        }),
        other,
      ),
    );
    await h.post(
      fromTenant(
        executeActivity(
          h.connector.serviceUrl,
          ADAM,
          {
            requestId: request.id,
            decision: 'approved',
            cardActivityId: posted.id,
            token: tokenOf(posted.activity),
          },
          place,
        ),
        other,
      ),
    );
    await expectUntouched(h, request, posted.id);
    expect(h.connector.activities().length).toBe(before);
    const rows = await h.database.db
      .selectFrom('offboarding_requests')
      .select('id')
      .where('target_email', '=', 'agent.u@example.com')
      .execute();
    expect(rows).toEqual([]);
    expect(h.logs.join('')).toContain(`tenant ${other} is not ${TENANT_ID.toUpperCase()}`);
  });
});
