import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import {
  APPROVER,
  CHANNEL,
  type Harness,
  NOTIFY_CHANNEL,
  OUTSIDER,
  REQUESTER,
  startHarness,
} from '../helpers/bot-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

let h: Harness;
let counter = 0;
beforeAll(async () => {
  h = await startHarness({
    users: Array.from({ length: 6 }, (_, i) => ({
      name: `Agent ${i}`,
      email: `agent${i}@example.com`,
    })),
  });
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

const cardText = (ts: string) => JSON.stringify(h.slack.message(CHANNEL, ts)?.blocks ?? []);
const threadTexts = (ts: string) =>
  h.slack
    .messages(CHANNEL)
    .filter((m) => m.threadTs === ts)
    .map((m) => m.text ?? '');
const directTexts = () =>
  h.slack
    .messages()
    .filter((m) => m.channel.startsWith('D'))
    .map((m) => m.text ?? '');

async function counts(requestId: number) {
  const count = async (table: 'workflow_steps' | 'decisions') =>
    Number(
      (
        await h.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('request_id', '=', requestId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { steps: await count('workflow_steps'), decisions: await count('decisions') };
}

async function auditOf(requestId: number) {
  return h.database.db
    .selectFrom('audit_events')
    .select(['event', 'actor', 'details'])
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}

describe('Reject (Slack): a modal with an optional reason', () => {
  it('the Reject button opens a modal and decides nothing by itself', async () => {
    const { request, ts } = await newRequest();
    const before = h.slack.modals().length;
    const { responseName } = await h.click('reject', request.id, ts);
    const modal = await h.waitFor('modal', () => h.slack.modals()[before]);
    expect(modal.view.callback_id).toBe('offboarding_reject_modal');
    expect(JSON.stringify(modal.view.blocks)).toContain('Reason (optional)');
    const metadata = JSON.parse(String(modal.view.private_metadata));
    expect(metadata).toEqual({
      button: `${request.id}.${request.decision_token}`,
      channel: CHANNEL,
      ts,
    });
    await waitForQuiet(h.database.db);
    expect((await h.bot.service.findRequest(request.id))?.state).toBe('pending');
    expect(await counts(request.id)).toEqual({ steps: 0, decisions: 0 });
    await expect(h.slack.waitForResponse(responseName, () => true, 500)).rejects.toThrow();
  });

  it('with a reason: the card, the thread, the requester and the notices say it; the audit does not', async () => {
    const { request, ts } = await newRequest();
    h.emulator.clearCalls();
    const reason = 'Wrong person <@U0EVIL> *bold* & <!channel>';
    const submitted = await h.reject(request.id, ts, APPROVER, { reason });
    expect(submitted).toEqual({ status: 200, answer: undefined });

    const escaped = 'Wrong person &lt;@U0EVIL&gt;';
    await h.waitFor('rejected card', () =>
      cardText(ts).includes(`Rejected by <@${APPROVER.id}>: ${escaped}`),
    );
    expect(cardText(ts)).not.toContain('offboarding_approve');
    expect(cardText(ts)).not.toContain('<@U0EVIL>');
    expect(cardText(ts)).not.toContain('<!channel>');

    await h.waitFor('thread reply', () =>
      threadTexts(ts).some((t) => t.includes('this request was rejected by')),
    );
    const reply = threadTexts(ts).find((t) => t.includes('rejected by')) ?? '';
    expect(reply).toContain(`<@${REQUESTER.id}>, this request was rejected by <@${APPROVER.id}>`);
    expect(reply).toContain(escaped);
    expect(reply).not.toContain('<!channel>');

    const dm = await h.waitFor('direct message to the requester', () =>
      directTexts().find((t) => t.includes(`request #${request.id} was rejected`)),
    );
    expect(dm).toContain(`<@${APPROVER.id}>`);
    // Nothing in it to remove later: neither the leaver nor the reason.
    expect(dm).not.toContain('Wrong person');
    expect(dm).not.toContain(request.target_email);
    const dmCall = h.slack.calls('conversations.open').find((c) => c.args.users === REQUESTER.id);
    expect(dmCall).toBeDefined();

    const notice = await h.waitFor('notice', () =>
      h.slack.messages(NOTIFY_CHANNEL).find((m) => m.text?.includes(`Request #${request.id}`)),
    );
    expect(notice.text).toContain(`was rejected by <@${APPROVER.id}>: ${escaped}`);

    const decision = await h.bot.service.decisionFor(request.id);
    expect(decision).toMatchObject({ decision: 'rejected', reason, decider_id: APPROVER.id });
    const audit = await auditOf(request.id);
    const rejected = audit.find((a) => a.event === 'rejected');
    expect(rejected).toMatchObject({
      actor: `slack:${APPROVER.id}`,
      details: { reasonGiven: true },
    });
    expect(JSON.stringify(audit)).not.toContain('Wrong person');
    await waitForQuiet(h.database.db);
    expect(h.emulator.calls().filter((c) => c.path.startsWith('/api/v2/users/'))).toEqual([]);
    expect(await counts(request.id)).toEqual({ steps: 0, decisions: 1 });

    // After the retention period the reason goes with the rest of the leaver's details.
    await h.database.db
      .updateTable('offboarding_requests')
      .set({ finished_at: new Date(Date.now() - 40 * 86_400_000) })
      .where('id', '=', request.id)
      .execute();
    await h.bot.sweep();
    // The card, the thread reply and the notice that carried the reason are edited.
    await h.waitFor('the reason removed from chat', () =>
      [cardText(ts), ...threadTexts(ts), ...h.slack.messages(NOTIFY_CHANNEL).map((m) => m.text)]
        .join('\n')
        .includes('Wrong person')
        ? undefined
        : true,
    );
    expect((await h.bot.service.decisionFor(request.id))?.reason).toBeNull();
  });

  it('without a reason: rejected all the same, and said so without one', async () => {
    const { request, ts } = await newRequest();
    await h.reject(request.id, ts, APPROVER);
    await h.waitFor('rejected card', () =>
      cardText(ts).includes(`Rejected by <@${APPROVER.id}> on`),
    );
    expect((await h.bot.service.decisionFor(request.id))?.reason).toBeNull();
    const rejected = (await auditOf(request.id)).find((a) => a.event === 'rejected');
    expect(rejected?.details).toEqual({ reasonGiven: false });
    await h.waitFor('thread reply', () =>
      threadTexts(ts).some((t) =>
        t.includes(`this request was rejected by <@${APPROVER.id}>. Nothing was changed`),
      ),
    );
  });

  it('a forged or stale modal is refused, audited, and sets nothing in motion', async () => {
    const { request, ts } = await newRequest();
    h.emulator.clearCalls();
    const forged = await h.reject(request.id, ts, APPROVER, {
      reason: 'forged',
      metadata: JSON.stringify({ button: `${request.id}.not-the-token`, channel: CHANNEL, ts }),
    });
    expect(forged.answer).toContain('This card is out of date');
    const elsewhere = await h.reject(request.id, ts, APPROVER, {
      metadata: JSON.stringify({
        button: `${request.id}.${request.decision_token}`,
        channel: 'C0ELSEWHERE',
        ts,
      }),
    });
    expect(elsewhere.answer).toContain('This card is out of date');
    const unreadable = await h.reject(request.id, ts, APPROVER, { metadata: 'not json' });
    expect(unreadable.answer).toBeDefined();
    const outsider = await h.reject(request.id, ts, OUTSIDER, { reason: 'mine' });
    expect(outsider.answer).toContain('Only an approver can approve or reject');

    await waitForQuiet(h.database.db);
    expect((await h.bot.service.findRequest(request.id))?.state).toBe('pending');
    expect(await counts(request.id)).toEqual({ steps: 0, decisions: 0 });
    expect(h.emulator.calls()).toEqual([]);
    expect(cardText(ts)).toContain('offboarding_approve');
    const refusals = (await auditOf(request.id)).filter((a) => a.event === 'decision_refused');
    expect(refusals.map((r) => r.details)).toMatchObject([
      { reason: 'stale_card', mismatch: 'token', decision: 'rejected' },
      { reason: 'stale_card', mismatch: 'channel', decision: 'rejected' },
      { reason: 'not_approver', decision: 'rejected' },
    ]);
    expect(JSON.stringify(refusals)).not.toContain('forged');
    const jobs = await h.database.db
      .selectFrom('chat_notifications')
      .select('event')
      .where('request_id', '=', request.id)
      .execute();
    expect(jobs).toEqual([]);
  });
});
