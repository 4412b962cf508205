import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import {
  APPROVER,
  CHANNEL,
  type Harness,
  SECOND_APPROVER,
  startHarness,
} from '../helpers/bot-harness.js';

// APPROVALS_REQUIRED=2 through the real Bolt app: what approvers see on the card and are told.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    approvalsRequired: 2,
    users: [
      { name: 'Agent One', email: 'agent.one@example.com' },
      { name: 'Agent Two', email: 'agent.two@example.com' },
    ],
  });
});
afterAll(async () => {
  await h?.close();
});

async function newRequest(email: string): Promise<{ request: OffboardingRequest; ts: string }> {
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
): Promise<string> {
  const { responseName } = await h.click(action, requestId, ts, user);
  const post = await h.slack.waitForResponse(responseName, () => true, 10_000);
  return (post.body as { text?: string }).text ?? '';
}

const cardText = (ts: string) => JSON.stringify(h.slack.message(CHANNEL, ts)?.blocks);

describe('two approvals needed (Slack)', () => {
  it('the card counts approvals and names who approved; the run starts with the second', async () => {
    const { request, ts } = await newRequest('agent.one@example.com');
    expect(cardText(ts)).toContain('0 of 2 approvals');

    expect(await clickAnswer('approve', request.id, ts, APPROVER)).toContain(
      '1 of 2 approvals. Nothing runs until one more approver approves',
    );
    await h.waitFor('card with one approval', () =>
      cardText(ts).includes(`1 of 2 approvals: <@${APPROVER.id}>`),
    );
    expect(cardText(ts)).toContain('offboarding_approve');
    expect((await h.bot.service.findRequest(request.id))?.state).toBe('pending');
    expect(h.emulator.calls().filter((c) => c.path.includes(request.target_genesys_id))).toEqual(
      [],
    );

    expect(await clickAnswer('approve', request.id, ts, APPROVER)).toContain(
      'one person counts once',
    );
    expect(await h.bot.service.decisionsFor(request.id)).toMatchObject({
      approvals: [{ decider_id: APPROVER.id }],
    });

    await h.click('approve', request.id, ts, SECOND_APPROVER);
    await h.waitFor(
      'completion',
      async () => (await h.bot.service.findRequest(request.id))?.state === 'completed',
    );
    const card = cardText(ts);
    expect(card).toContain(`2 of 2 approvals: <@${APPROVER.id}>, <@${SECOND_APPROVER.id}>`);
    expect(card).not.toContain('offboarding_approve');
  });

  it('one Reject after an approval ends the request and nothing reaches Genesys', async () => {
    const { request, ts } = await newRequest('agent.two@example.com');
    await clickAnswer('approve', request.id, ts, APPROVER);
    await h.reject(request.id, ts, SECOND_APPROVER);
    await h.waitFor(
      'rejection',
      async () => (await h.bot.service.findRequest(request.id))?.state === 'rejected',
    );
    await h.waitFor('rejected card', () => cardText(ts).includes('Rejected by'));
    expect(cardText(ts)).toContain('1 of 2 approvals');
    const steps = await h.database.db
      .selectFrom('workflow_steps')
      .select('id')
      .where('request_id', '=', request.id)
      .execute();
    expect(steps).toEqual([]);
    expect(h.emulator.calls().filter((c) => c.path.includes(request.target_genesys_id))).toEqual(
      [],
    );
  });
});
