import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADAM,
  cardOf,
  cardText,
  executeActions,
  NOTICES_CHANNEL,
  OSCAR,
  startTeamsHarness,
  type TeamsHarness,
} from '../helpers/teams-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

let h: TeamsHarness;
let counter = 0;
beforeAll(async () => {
  h = await startTeamsHarness({
    users: Array.from({ length: 4 }, (_, i) => ({
      name: `Agent ${i}`,
      email: `agent${i}@example.com`,
    })),
    notifyConversationId: NOTICES_CHANNEL,
  });
});
afterAll(async () => {
  await h?.close();
});

const newRequest = () => h.requestInChannel(`agent${counter++}@example.com`, 'leaving');

function textsIn(conversationId: string): string[] {
  return h.connector
    .activities(conversationId)
    .map((a) => a.activity.text)
    .filter((text): text is string => typeof text === 'string');
}

async function auditOf(requestId: number) {
  return h.database.db
    .selectFrom('audit_events')
    .select(['event', 'details'])
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}

describe('Reject (Teams): confirmed on the card, with an optional reason', () => {
  it('the card asks before rejecting, with a reason input, in a card shown on Reject…', async () => {
    const { request, card } = await newRequest();
    const content = cardOf(card.activity);
    const showCards = (content.actions as Array<Record<string, unknown>>).filter(
      (action) => action.type === 'Action.ShowCard',
    );
    const reject = showCards.find((action) => action.title === 'Reject…');
    expect(reject).toBeDefined();
    const inner = JSON.stringify(reject?.card);
    expect(inner).toContain(`"id":"offboardingRejectReason_${request.id}"`);
    expect(inner).toContain('"type":"Input.Text"');
    expect(inner).toContain('"maxLength":500');
    expect(executeActions(reject?.card).map((action) => action.title)).toEqual(['Yes, reject']);
  });

  it('with a reason: the card, the thread and the notices say it; the audit does not', async () => {
    const { request, card, place } = await newRequest();
    h.emulator.clearCalls();
    const reason = 'Wrong person **bold** <at>Everyone</at>';
    const click = await h.execute(
      { requestId: request.id, decision: 'rejected', cardActivityId: card.id, reason },
      ADAM,
      place,
    );
    expect(click.status).toBe(200);
    expect(cardText(click.body.value)).toContain(`Rejected by Adam Approver: ${reason}`);
    const shared = await h.waitFor('the shared card updated', () => {
      const current = cardOf(h.connector.activity(card.id)?.activity);
      return cardText(current).includes(`: ${reason}`) ? current : undefined;
    });
    expect(executeActions(shared)).toEqual([]);

    const reply = await h.waitFor('the thread is told', () =>
      textsIn(card.conversationId).find((text) => text.includes('this request was rejected by')),
    );
    expect(reply).toContain(`Maria Manager, this request was rejected by Adam Approver: ${reason}`);
    const notice = await h.waitFor('the notice', () =>
      textsIn(NOTICES_CHANNEL).find((text) => text.includes(`Request #${request.id}`)),
    );
    expect(notice).toContain(`was rejected by Adam Approver: ${reason}`);

    expect(await h.bot.service.decisionFor(request.id)).toMatchObject({
      decision: 'rejected',
      reason,
    });
    const audit = await auditOf(request.id);
    expect(audit.find((a) => a.event === 'rejected')?.details).toEqual({ reasonGiven: true });
    expect(JSON.stringify(audit)).not.toContain('Wrong person');
    await waitForQuiet(h.database.db);
    expect(h.emulator.calls().filter((c) => c.path.startsWith('/api/v2/users/'))).toEqual([]);
  });

  it('without a reason, and a refused reject that sets nothing in motion', async () => {
    const { request, card, place } = await newRequest();
    const refused = await h.execute(
      { requestId: request.id, decision: 'rejected', cardActivityId: card.id, reason: 'mine' },
      OSCAR,
      place,
    );
    expect(cardText(refused.body.value)).toContain('Only an approver can approve or reject');
    const forged = await h.execute(
      {
        requestId: request.id,
        decision: 'rejected',
        cardActivityId: card.id,
        token: 'forged-token',
        reason: 'forged',
      },
      ADAM,
      place,
    );
    expect(forged.status).toBe(200);
    await waitForQuiet(h.database.db);
    expect((await h.bot.service.findRequest(request.id))?.state).toBe('pending');
    expect(await h.bot.service.decisionFor(request.id)).toBeUndefined();
    const audit = await auditOf(request.id);
    expect(audit.filter((a) => a.event === 'decision_refused').map((a) => a.details)).toMatchObject(
      [
        { reason: 'not_approver', decision: 'rejected' },
        { reason: 'stale_card', mismatch: 'token', decision: 'rejected' },
      ],
    );
    expect(JSON.stringify(audit)).not.toContain('forged');
    expect(h.connector.updates(card.id)).toEqual([]);

    await h.execute(
      { requestId: request.id, decision: 'rejected', cardActivityId: card.id, reason: '   ' },
      ADAM,
      place,
    );
    expect(await h.bot.service.decisionFor(request.id)).toMatchObject({
      decision: 'rejected',
      reason: null,
    });
    const reply = await h.waitFor('the thread is told', () =>
      textsIn(card.conversationId).find((text) => text.includes('this request was rejected by')),
    );
    expect(reply).toContain('rejected by Adam Approver. Nothing was changed in Genesys Cloud.');
  });
});
