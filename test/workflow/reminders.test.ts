import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import {
  APPROVER,
  CHANNEL,
  type Harness,
  REQUESTER,
  SECOND_APPROVER,
  startHarness,
} from '../helpers/bot-harness.js';

// Approval reminders (APPROVAL_REMINDER_HOURS) and the requester's warning before expiry,
// through the real bot: the sweep claims each reminder in the database, the outbox delivers it
// to the fake Slack Web API. Periods are fractions of an hour so the test runs in seconds.

const REMINDER_HOURS = 0.001; // 3.6 s
const EXPIRY_HOURS = 0.0045; // 16.2 s: the requester is warned halfway, at 8.1 s
const PERIOD_MS = REMINDER_HOURS * 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    approvalReminderHours: REMINDER_HOURS,
    requestExpiryHours: EXPIRY_HOURS,
    users: [
      { name: 'Slow Decision', email: 'slow.decision@example.com' },
      { name: 'Quick Decision', email: 'quick.decision@example.com' },
      { name: 'Stale Reminder', email: 'stale.reminder@example.com' },
    ],
  });
});
afterAll(async () => {
  await h?.close();
});

async function newRequest(email: string): Promise<OffboardingRequest> {
  await h.command(`${email} leaving`);
  return h.waitFor('request', async () => {
    const row = await h.database.db
      .selectFrom('offboarding_requests')
      .selectAll()
      .where('target_email', '=', email)
      .executeTakeFirst();
    return row?.chat_message_id ? row : undefined;
  });
}

const threadReplies = (request: OffboardingRequest, containing: string) =>
  h.slack
    .messages(CHANNEL)
    .filter((m) => m.threadTs === request.chat_message_id && m.text?.includes(containing));

const directMessagesTo = (userId: string, request: OffboardingRequest) =>
  h.slack
    .messages(`D${userId.slice(1)}`)
    .filter((m) => m.text?.includes(`request #${request.id} `));

async function auditEvents(requestId: number, event: string) {
  return h.database.db
    .selectFrom('audit_events')
    .select(['details'])
    .where('request_id', '=', requestId)
    .where('event', '=', event as never)
    .execute();
}

describe('approval reminders', () => {
  it('remind every period until expiry, in the thread and by direct message; the requester is warned once', {
    timeout: 60_000,
  }, async () => {
    const slow = await newRequest('slow.decision@example.com');
    const quick = await newRequest('quick.decision@example.com');
    await h.click('approve', quick.id, quick.chat_message_id as string, APPROVER);
    await h.waitFor(
      'quick approval',
      async () => (await h.bot.service.findRequest(quick.id))?.state !== 'pending',
    );

    // Instances sweeping at the same moment (the bot's own timer runs too) claim each once.
    const sweepingTogether = setInterval(() => {
      void Promise.all([h.bot.sweep(), h.bot.sweep()]).catch(() => undefined);
    }, 300);
    try {
      const first = await h.waitFor('first reminder', () => {
        const replies = threadReplies(slow, 'Reminder: this request');
        return replies.length > 0 ? replies[0] : undefined;
      });
      expect(first?.text).toContain(`<@${APPROVER.id}>`);
      expect(first?.text).toContain(`<@${SECOND_APPROVER.id}>`);
      expect(first?.text).not.toContain(`<@${REQUESTER.id}>`);
      expect(first?.text).toContain('0 of 1 approvals');
      await h.waitFor('direct messages', () =>
        [APPROVER, SECOND_APPROVER].every((a) => directMessagesTo(a.id, slow).length > 0),
      );
      expect(directMessagesTo(REQUESTER.id, slow)).toEqual([]);
      expect(directMessagesTo(APPROVER.id, slow)[0]?.text).toContain(`<#${CHANNEL}>`);
      expect(h.slack.calls('conversations.open').length).toBeGreaterThanOrEqual(2);

      await h.waitFor('second reminder', () => threadReplies(slow, 'Reminder: this').length >= 2);
      await h.waitFor('expiry warning', () => threadReplies(slow, 'expires').length > 0);
      await h.waitFor(
        'expiry',
        async () => (await h.bot.service.findRequest(slow.id))?.state === 'expired',
        30_000,
      );
      await sleep(PERIOD_MS * 1.5);
    } finally {
      clearInterval(sweepingTogether);
    }

    // Expiry at 16.2 s with a reminder due every 3.6 s: reminders 1 to 4, each once, none after.
    // (A sweep late by a whole period sends one reminder for it, not a burst: hence 3 at least.)
    const reminders = await auditEvents(slow.id, 'approval_reminder');
    const numbers = reminders.map((r) => (r.details as { reminder: number }).reminder);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(numbers).toEqual([...new Set(numbers)]);
    expect(numbers.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...numbers)).toBeLessThanOrEqual(4);
    await h.waitFor('every reminder delivered', () =>
      threadReplies(slow, 'Reminder: this').length === numbers.length ? true : undefined,
    );
    for (const approver of [APPROVER, SECOND_APPROVER]) {
      expect(directMessagesTo(approver.id, slow)).toHaveLength(numbers.length);
    }
    expect(await auditEvents(slow.id, 'expiry_warning')).toHaveLength(1);
    const warnings = threadReplies(slow, 'ask an approver');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.text).toContain(`<@${REQUESTER.id}>`);

    // Decided before its first period: never reminded, nobody messaged about it.
    expect(await auditEvents(quick.id, 'approval_reminder')).toEqual([]);
    expect(await auditEvents(quick.id, 'expiry_warning')).toEqual([]);
    expect(threadReplies(quick, 'Reminder: this')).toEqual([]);
    expect(directMessagesTo(APPROVER.id, quick)).toEqual([]);
  });

  it('a reminder held up by a chat outage is dropped once the request is decided', {
    timeout: 90_000,
  }, async () => {
    h.slack.failMethod('conversations.open', 'internal_error');
    const request = await newRequest('stale.reminder@example.com');
    await h.waitFor('a reminder claimed', async () =>
      (await auditEvents(request.id, 'approval_reminder')).length > 0 ? true : undefined,
    );
    await h.waitFor('its delivery failed', () =>
      h.slack.calls('conversations.open').length > 0 ? true : undefined,
    );
    await h.click('approve', request.id, request.chat_message_id as string, APPROVER);
    await h.waitFor(
      'approval',
      async () => (await h.bot.service.findRequest(request.id))?.state !== 'pending',
    );
    h.slack.clearFailures();
    await h.waitFor(
      'the reminder dropped',
      async () => (await auditEvents(request.id, 'notification_skipped')).length > 0,
      60_000,
    );
    await h.waitFor(
      'completion',
      async () => (await h.bot.service.findRequest(request.id))?.state === 'completed',
      30_000,
    );
    expect(threadReplies(request, 'Reminder: this')).toEqual([]);
    expect(directMessagesTo(APPROVER.id, request)).toEqual([]);
  });
});
