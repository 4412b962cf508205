import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADAM,
  CHANNEL,
  cardOf,
  cardText,
  executeActions,
  MARIA,
  OSCAR,
  startTeamsHarness,
  type TeamsHarness,
  UMA,
} from '../helpers/teams-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

let h: TeamsHarness;
let counter = 0;
beforeAll(async () => {
  h = await startTeamsHarness({
    users: Array.from({ length: 8 }, (_, i) => ({
      name: `Agent ${i}`,
      email: `agent${i}@example.com`,
    })),
    // Maria is an approver too: she still may not approve her own request.
    approvers: [MARIA.aadObjectId, ADAM.aadObjectId, UMA.userPrincipalName.toLowerCase()],
  });
});
afterAll(async () => {
  await h?.close();
});

const newRequest = () => h.requestInChannel(`agent${counter++}@example.com`, 'leaving');

async function state(requestId: number): Promise<string | undefined> {
  return (await h.bot.service.findRequest(requestId))?.state;
}

describe('decisions on the card', () => {
  it('reject: the card shows who rejected, loses its buttons, and nothing reaches Genesys', async () => {
    const { request, card, place } = await newRequest();
    h.emulator.clearCalls();
    const click = await h.execute(
      { requestId: request.id, decision: 'rejected', cardActivityId: card.id },
      ADAM,
      place,
    );
    expect(click.status).toBe(200);
    expect(cardText(click.body.value)).toContain('Rejected by Adam Approver');
    expect(await state(request.id)).toBe('rejected');
    // Everyone else's card is updated after the click's turn.
    const shared = await h.waitFor('the shared card updated', () => {
      const current = cardOf(h.connector.activity(card.id)?.activity);
      return cardText(current).includes('Rejected by Adam Approver') ? current : undefined;
    });
    expect(cardText(shared)).not.toContain('Only you see this');
    expect(executeActions(shared)).toEqual([]);
    await waitForQuiet(h.database.db);
    expect(
      h.emulator.calls().filter((c) => c.method === 'DELETE' || c.path.includes('gdpr')),
    ).toEqual([]);
  });

  it('the requester cannot approve their own request, even as an approver', async () => {
    const { request, card, place } = await newRequest();
    const click = await h.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: card.id },
      MARIA,
      place,
    );
    // Only Maria's view changes: the card refreshed for her, with the reason and the buttons.
    expect(click.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(click.body.value)).toContain(
      'Only you see this: You requested this offboarding, so another approver must decide it.',
    );
    expect(executeActions(click.body.value)).toHaveLength(3);
    expect(await state(request.id)).toBe('pending');
    expect(await h.bot.service.decisionFor(request.id)).toBeUndefined();
    expect(h.connector.updates(card.id)).toEqual([]);
  });

  it('someone who is not an approver is told so, privately, and nothing changes', async () => {
    const { request, card, place } = await newRequest();
    const click = await h.execute(
      { requestId: request.id, decision: 'rejected', cardActivityId: card.id },
      OSCAR,
      place,
    );
    expect(cardText(click.body.value)).toContain(
      'Only you see this: Only an approver can approve or reject offboarding requests. Nothing was changed.',
    );
    expect(await state(request.id)).toBe('pending');
    expect(h.connector.updates(card.id)).toEqual([]);
    expect(executeActions(cardOf(h.connector.activity(card.id)?.activity))).toHaveLength(3);
  });

  it('an approver listed by user principal name is recognised through TeamsInfo.getMember', async () => {
    const { request, card, place } = await newRequest();
    // The activity carries Uma's object id only; her UPN comes from the connector's member API.
    const click = await h.execute(
      { requestId: request.id, decision: 'rejected', cardActivityId: card.id },
      UMA,
      place,
    );
    expect(cardText(click.body.value)).toContain('Rejected by Uma Upn');
    expect(await h.bot.service.decisionFor(request.id)).toMatchObject({
      decider_id: UMA.aadObjectId,
    });
    expect(
      h.connector
        .requests()
        .some(
          (r) => r.method === 'GET' && decodeURIComponent(r.path).endsWith(`/members/${UMA.id}`),
        ),
    ).toBe(true);
  });

  it('double clicks and two approvers at once make one decision, one run, one GDPR request', async () => {
    const { request, card, place } = await newRequest();
    const click = (from: typeof ADAM, decision: 'approved' | 'rejected') =>
      h.execute({ requestId: request.id, decision, cardActivityId: card.id }, from, place);
    const clicks = await Promise.all([
      click(ADAM, 'approved'),
      click(ADAM, 'approved'),
      click(UMA, 'approved'),
      click(UMA, 'rejected'),
    ]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200, 200, 200]);
    await h.waitFor('completion', async () => (await state(request.id)) === 'completed');

    const decisions = await h.database.db
      .selectFrom('decisions')
      .selectAll()
      .where('request_id', '=', request.id)
      .execute();
    expect(decisions).toHaveLength(1);
    const notes = clicks.map((c) => cardText(c.body.value));
    expect(notes.filter((n) => n.includes('was already approved by'))).toHaveLength(3);
    for (const answer of clicks) expect(executeActions(answer.body.value)).toEqual([]);

    const userId = request.target_genesys_id;
    const calls = h.emulator.calls().map((c) => `${c.method} ${c.path}`);
    expect(calls.filter((c) => c === `DELETE /api/v2/users/${userId}`)).toHaveLength(1);
    const filed = h.emulator
      .gdprRequests()
      .filter((g) => (g as { subject?: { userId?: string } }).subject?.userId === userId);
    expect(filed).toHaveLength(1);
  });

  it('a click with the Action.Submit fallback decides the same way, and refusals mention the clicker', async () => {
    const { request, card, place } = await newRequest();
    const thread = `${CHANNEL};messageid=${(place as { threadRootId: string }).threadRootId}`;
    const refused = await h.submit(
      { requestId: request.id, decision: 'approved', cardActivityId: card.id },
      OSCAR,
      place,
    );
    expect(refused.status).toBe(200);
    const reply = await h.connector.waitForActivity(
      'the reply to Oscar',
      (a) => a.conversationId === thread && String(a.activity.text).includes('Only an approver'),
    );
    expect(reply.activity.textFormat).toBe('xml');
    expect(reply.activity.text).toBe(
      '<at>Oscar Outsider</at> (only for you) Only an approver can approve or reject offboarding requests. Nothing was changed.',
    );
    expect(reply.activity.entities).toEqual([
      expect.objectContaining({ type: 'mention', text: '<at>Oscar Outsider</at>' }),
    ]);
    expect(await state(request.id)).toBe('pending');

    await h.submit(
      { requestId: request.id, decision: 'rejected', cardActivityId: card.id },
      ADAM,
      place,
    );
    await h.waitFor('rejected', async () => (await state(request.id)) === 'rejected');
    await h.waitFor('the card updated', () =>
      cardText(cardOf(h.connector.activity(card.id)?.activity)).includes(
        'Rejected by Adam Approver',
      ),
    );
  });

  it('a click on a button that names no known request is answered, not crashed on', async () => {
    const click = await h.execute({ requestId: 999_999, decision: 'approved' }, ADAM);
    expect(click.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'This request no longer exists.',
    });
  });

  it('an expired request: the card says so and the thread is told', async () => {
    const { request, card } = await newRequest();
    await h.database.db
      .updateTable('offboarding_requests')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', request.id)
      .execute();
    await h.bot.sweep();
    await h.waitFor('the expired card', () =>
      cardText(cardOf(h.connector.activity(card.id)?.activity)).includes('without a decision'),
    );
    await h.connector.waitForActivity('the expiry reply', (a) =>
      String(a.activity.text).includes('This request expired without a decision. Maria Manager'),
    );
  });
});
