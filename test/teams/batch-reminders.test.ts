import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedUser } from '../../src/genesys/emulator/types.js';
import { FORM_INPUTS, REQUEST_FORM_VERB } from '../../src/teams/request-form-card.js';
import { executeActivity, type TeamsPlace } from '../helpers/teams-activities.js';
import {
  CHANNEL,
  cardText,
  MARIA,
  startTeamsHarness,
  type TeamsHarness,
} from '../helpers/teams-harness.js';

// On Teams a batch waiting for approval is reminded in its card's thread, once per period for
// the whole batch, and its requester warned once before its people expire. Counts, no names.

const REMINDER_HOURS = 0.001; // 3.6 s
const EXPIRY_HOURS = 0.0045; // 16.2 s: the warning is due halfway, at 8.1 s
const channel: TeamsPlace = { kind: 'channel', channelId: CHANNEL };
const PEOPLE: SeedUser[] = [1, 2].map((n) => ({
  name: `Teams Waiting ${n}`,
  email: `teams.waiting${n}@example.com`,
}));

let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness({
    users: PEOPLE,
    approvalReminderHours: REMINDER_HOURS,
    requestExpiryHours: EXPIRY_HOURS,
  });
});
afterAll(async () => {
  await h?.close();
});

const botTexts = (containing: string) =>
  h.connector
    .activities()
    .map((a) => a.activity.text)
    .filter((text): text is string => typeof text === 'string' && text.includes(containing));

describe('batch approval reminders on Teams', () => {
  it('remind in the card thread once per period, and warn the requester once', {
    timeout: 90_000,
  }, async () => {
    const activity = executeActivity(
      h.connector.serviceUrl,
      MARIA,
      { requestId: 0, decision: 'approved', token: null },
      channel,
    );
    activity.value = {
      action: {
        type: 'Action.Execute',
        verb: REQUEST_FORM_VERB,
        data: {
          [FORM_INPUTS.emails]: PEOPLE.map((person) => person.email).join('\n'),
          [FORM_INPUTS.reason]: 'Team closed',
        },
      },
      trigger: 'manual',
    };
    const { status, body } = await h.post(activity);
    expect(status).toBe(200);
    const batchId = Number(/#(\d+)/.exec(cardText((body as { value: unknown }).value))?.[1]);
    const batch = await h.database.db
      .selectFrom('batches')
      .selectAll()
      .where('id', '=', batchId)
      .executeTakeFirstOrThrow();
    const reminder = `Reminder: bulk offboarding #${batchId} (2 people) is waiting for approval: 0 of 1 approvals.`;

    const sweepingTogether = setInterval(() => {
      void Promise.all([h.bot.sweep(), h.bot.sweep()]).catch(() => undefined);
    }, 300);
    try {
      await h.waitFor('two reminders', () => (botTexts(reminder).length >= 2 ? true : undefined));
      await h.waitFor('the expiry warning', () =>
        botTexts('will expire soon').length > 0 ? true : undefined,
      );
    } finally {
      clearInterval(sweepingTogether);
    }

    const reminders = h.connector.activities().filter((a) => {
      const text = a.activity.text;
      return typeof text === 'string' && text.includes(reminder);
    });
    // In the card's thread: where the card itself was posted.
    const card = h.connector.activity(batch.chat_message_id as string);
    expect(card).toBeDefined();
    for (const sent of reminders) expect(sent.conversationId).toBe(card?.conversationId);
    const recorded = await h.database.db
      .selectFrom('audit_events as a')
      .innerJoin('offboarding_requests as r', 'r.id', 'a.request_id')
      .select(['a.request_id', 'a.details'])
      .where('r.batch_id', '=', batchId)
      .where('a.event', '=', 'approval_reminder')
      .orderBy('a.id')
      .execute();
    const numbers = recorded.map((r) => (r.details as { reminder: number }).reminder);
    expect(numbers).toEqual([...new Set(numbers)]);
    expect(numbers.slice(0, 2)).toEqual([1, 2]);
    for (const text of [...botTexts('bulk offboarding #'), ...botTexts('Reminder')]) {
      for (const person of PEOPLE) expect(text).not.toContain(person.name);
    }
    expect(botTexts('Reminder: this request')).toEqual([]);
    expect(botTexts('will expire soon')).toHaveLength(1);
  });
});
