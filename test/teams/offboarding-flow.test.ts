import { afterEach, describe, expect, it } from 'vitest';
import {
  ADAM,
  CHANNEL,
  cardOf,
  cardText,
  executeActions,
  JANE,
  MARIA,
  markdownTexts,
  NOTICES_CHANNEL,
  startTeamsHarness,
  type TeamsHarness,
} from '../helpers/teams-harness.js';

let harness: TeamsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('offboard in Teams, end to end', () => {
  it('requests in a channel, is approved by another person, and reports every step in the thread', async () => {
    harness = await startTeamsHarness({ notifyConversationId: NOTICES_CHANNEL });
    const h = harness;
    const { request, card, place, said } = await h.requestInChannel(JANE.email, 'Last day Friday');
    expect(said.status).toBe(200);
    // The card answers the command in its thread, once the command's turn has been answered.
    const thread = `${CHANNEL};messageid=${said.activity.id as string}`;
    expect(card.conversationId).toBe(thread);
    expect(card.replyToId).toBe(said.activity.id);
    expect(request.state).toBe('pending');
    expect(request.requester_id).toBe(MARIA.aadObjectId);

    const content = cardOf(card.activity);
    const text = cardText(content);
    for (const expected of [
      'Offboarding request #',
      'Jane Doe',
      'jane.doe@example.com',
      'Department: Support',
      'Reason: Last day Friday',
      'Maria Manager asks to offboard',
      'GDPR_DELETE',
      'Irreversible:',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('Approvers: uma.upn@example.com, 1 by Entra object ID');
    expect(markdownTexts(content)).toEqual([]);
    const buttons = executeActions(content).map((a) => [a.title, a.data]);
    expect(buttons).toEqual([
      [
        'Yes, approve',
        {
          offboardingRequestId: request.id,
          offboardingDecision: 'approved',
          offboardingToken: request.decision_token,
        },
      ],
      [
        'Yes, reject',
        {
          offboardingRequestId: request.id,
          offboardingDecision: 'rejected',
          offboardingToken: request.decision_token,
        },
      ],
      [
        'Yes, cancel it',
        {
          offboardingRequestId: request.id,
          offboardingDecision: 'cancelled',
          offboardingToken: request.decision_token,
        },
      ],
    ]);
    for (const action of executeActions(content)) {
      expect(action.fallback).toMatchObject({ type: 'Action.Submit', data: action.data });
    }
    // Nothing happens in Genesys before the approval.
    expect(
      h.emulator.calls().filter((c) => c.path.startsWith('/api/') && !c.path.includes('search')),
    ).toEqual([]);

    const click = await h.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: card.id },
      ADAM,
      place,
    );
    expect(click.status).toBe(200);
    expect(click.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const clickerCard = cardText(click.body.value);
    expect(clickerCard).toContain('Approved by Adam Approver');
    expect(executeActions(click.body.value)).toEqual([]);

    const done = await h.waitFor('completion', async () => {
      const row = await h.bot.service.findRequest(request.id);
      return row?.state === 'completed' ? row : undefined;
    });
    expect(done.gdpr_status).toBe('COMPLETED');

    const janeId = request.target_genesys_id;
    const genesysCalls = h.emulator.calls().map((c) => `${c.method} ${c.path}`);
    // Before the soft delete, and again after it for sessions opened in between.
    const revokes = genesysCalls.flatMap((c, i) =>
      c === `DELETE /api/v2/tokens/${janeId}` ? [i] : [],
    );
    expect(revokes).toHaveLength(2);
    expect(revokes[1]).toBeGreaterThan(genesysCalls.indexOf(`DELETE /api/v2/users/${janeId}`));
    expect(genesysCalls.filter((c) => c === `DELETE /api/v2/users/${janeId}`)).toHaveLength(1);
    expect(genesysCalls.filter((c) => c === 'POST /api/v2/gdpr/requests')).toHaveLength(1);

    // Progress arrives proactively in the card's thread, after the click's turn had ended.
    const replies = await h.waitFor('the final thread reply', () => {
      const sent = h.connector
        .activities(thread)
        .filter((a) => a.id !== card.id && typeof a.activity.text === 'string');
      return sent.some((a) => String(a.activity.text).includes('is complete')) ? sent : undefined;
    });
    const threadText = replies.map((a) => String(a.activity.text)).join('\n');
    for (const expected of [
      'Approved. Starting the offboarding',
      'Revoke sessions: started',
      'Revoke sessions: done',
      'Soft delete the user: done',
      'Revoke sessions again: done',
      'File the GDPR request: done',
      'COMPLETED',
      'Offboarding of Jane Doe (jane.doe@example.com) is complete.',
    ]) {
      expect(threadText).toContain(expected);
    }
    for (const reply of replies) {
      expect(reply.at).toBeGreaterThanOrEqual(click.answeredAt);
      expect(reply.activity.textFormat).toBe('plain');
      expect(reply.replyToId).toBeUndefined();
    }

    // While it ran, the card named the step under way; the soft delete showed in its facts.
    const redraws = h.connector.updates(card.id).map((u) => cardText(cardOf(u.activity)));
    expect(redraws.some((text) => /Running: [a-z A-Z]+ \([1-5] of 5\)/.test(text))).toBe(true);
    expect(redraws.some((text) => text.includes('Genesys state: deleted'))).toBe(true);

    // The card shows the outcome to everyone and lost its buttons, but for Evidence.
    const finalCard = await h.waitFor('the final card', () => {
      const current = cardOf(h.connector.activity(card.id)?.activity);
      return cardText(current).includes('Completed') ? current : undefined;
    });
    expect(cardText(finalCard)).toContain('Approved by Adam Approver');
    expect(cardText(finalCard)).toContain('Genesys state: deleted');
    expect(cardText(finalCard)).toContain(`GDPR request: ${done.gdpr_request_id} (COMPLETED)`);
    expect(cardText(finalCard)).not.toContain('Running:');
    expect(executeActions(finalCard).map((action) => action.verb)).toEqual([
      'offboarding.evidence',
    ]);
    expect(h.connector.updates(card.id).every((u) => u.conversationId === thread)).toBe(true);

    const notice = await h.connector.waitForActivity(
      'the notice',
      (a) => a.conversationId === NOTICES_CHANNEL && String(a.activity.text).includes('Offboarded'),
    );
    expect(notice.activity.text).toContain(
      `Jane Doe (jane.doe@example.com) (request #${request.id}, requested by Maria Manager)`,
    );

    const audit = await h.database.db
      .selectFrom('audit_events')
      .select(['event', 'actor'])
      .where('request_id', '=', request.id)
      .orderBy('id')
      .execute();
    expect(audit.slice(0, 3).map((a) => a.event)).toEqual(['requested', 'approved', 'run_started']);
    expect(audit.find((a) => a.event === 'approved')?.actor).toBe(`teams:${ADAM.aadObjectId}`);
    expect(await h.bot.service.decisionFor(request.id)).toMatchObject({
      decision: 'approved',
      decider_platform: 'teams',
      decider_id: ADAM.aadObjectId,
      decider_name: 'Adam Approver',
    });
    expect(h.logs.join('')).not.toContain('emulator-secret');
  });
});
