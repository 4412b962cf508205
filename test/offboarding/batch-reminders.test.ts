import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedUser } from '../../src/genesys/emulator/types.js';
import {
  blockActionBody,
  postToSlackEndpoint,
  viewSubmissionPayload,
} from '../../src/playground/slack-requests.js';
import { BATCH_APPROVE_ACTION } from '../../src/slack/batch-blocks.js';
import {
  MODAL_BLOCKS,
  PEOPLE_ACTION,
  PEOPLE_FILE_ACTION,
  REQUEST_MODAL_CALLBACK,
} from '../../src/slack/request-modal.js';
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

// A batch waiting for approval is reminded as a request is: one reminder per period for the
// whole batch (its people are not reminded one by one), claimed on the batch's row so racing
// sweeps send each once, and its requester warned once before its people expire. Through the
// real bot and the fake Slack Web API; periods are fractions of an hour.

const REMINDER_HOURS = 0.001; // 3.6 s
const EXPIRY_HOURS = 0.0045; // 16.2 s: the requester is warned halfway, at 8.1 s
const PERIOD_MS = REMINDER_HOURS * 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const WAITING: SeedUser[] = [1, 2, 3].map((n) => ({
  name: `Waiting Person ${n}`,
  email: `waiting.person${n}@example.com`,
}));
const APPROVED: SeedUser[] = [1, 2].map((n) => ({
  name: `Approved Person ${n}`,
  email: `approved.person${n}@example.com`,
}));

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    approvalReminderHours: REMINDER_HOURS,
    requestExpiryHours: EXPIRY_HOURS,
    users: [...WAITING, ...APPROVED],
  });
});
afterAll(async () => {
  await h?.close();
});

let submissions = 0;
async function fileBatch(people: readonly SeedUser[]) {
  const values: Record<string, Record<string, unknown>> = {
    [MODAL_BLOCKS.people]: {
      [PEOPLE_ACTION]: {
        type: 'plain_text_input',
        value: people.map((person) => person.email).join('\n'),
      },
    },
    [MODAL_BLOCKS.peopleFile]: { [PEOPLE_FILE_ACTION]: { type: 'file_input', files: [] } },
    [MODAL_BLOCKS.lastDay]: { offboarding_last_day: { type: 'datepicker', selected_date: null } },
    [MODAL_BLOCKS.lastTime]: { offboarding_last_time: { type: 'timepicker', selected_time: null } },
    [MODAL_BLOCKS.reason]: {
      offboarding_reason: { type: 'plain_text_input', value: 'Team closed' },
    },
    [MODAL_BLOCKS.channel]: {
      offboarding_channel: { type: 'conversations_select', selected_conversation: CHANNEL },
    },
  };
  await h.interact(
    viewSubmissionPayload({
      callbackId: REQUEST_MODAL_CALLBACK,
      userId: REQUESTER.id,
      userName: REQUESTER.name,
      privateMetadata: JSON.stringify({ mode: 'several', origin: CHANNEL }),
      values,
      responseUrls: [
        {
          block_id: MODAL_BLOCKS.channel,
          action_id: 'offboarding_channel',
          channel_id: CHANNEL,
          response_url: h.slack.responseUrl(`bulk-${++submissions}`),
        },
      ],
    }),
  );
  const first = people[0]?.email as string;
  return h.waitFor('the batch card', async () => {
    const batch = await h.database.db
      .selectFrom('batches as b')
      .innerJoin('offboarding_requests as r', 'r.batch_id', 'b.id')
      .select(['b.id', 'b.chat_message_id'])
      .where('r.target_email', '=', first)
      .executeTakeFirst();
    return batch?.chat_message_id ? { id: batch.id, ts: batch.chat_message_id } : undefined;
  });
}

async function approve(ts: string) {
  const body = blockActionBody({
    actionId: BATCH_APPROVE_ACTION,
    value: buttonValue(h.slack.message(CHANNEL, ts)?.blocks, BATCH_APPROVE_ACTION) ?? '0',
    userId: APPROVER.id,
    userName: APPROVER.name,
    channelId: CHANNEL,
    messageTs: ts,
    responseUrl: h.slack.responseUrl(`approve-${ts}`),
  });
  const response = await postToSlackEndpoint(`${h.bot.url}/slack/events`, SIGNING_SECRET, body);
  expect(response.status).toBe(200);
}

const threadReplies = (ts: string, containing: string) =>
  h.slack.messages(CHANNEL).filter((m) => m.threadTs === ts && m.text?.includes(containing));

const directMessagesTo = (userId: string, containing: string) =>
  h.slack.messages(`D${userId.slice(1)}`).filter((m) => m.text?.includes(containing));

async function auditEvents(batchId: number, event: string) {
  return h.database.db
    .selectFrom('audit_events as a')
    .innerJoin('offboarding_requests as r', 'r.id', 'a.request_id')
    .select(['a.request_id', 'a.details'])
    .where('r.batch_id', '=', batchId)
    .where('a.event', '=', event as never)
    .orderBy('a.id')
    .execute();
}

async function memberIds(batchId: number): Promise<number[]> {
  const rows = await h.database.db
    .selectFrom('offboarding_requests')
    .select('id')
    .where('batch_id', '=', batchId)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

describe('batch approval reminders', () => {
  it('remind a waiting batch once per period, until its people expire; the requester is warned once', {
    timeout: 90_000,
  }, async () => {
    const waiting = await fileBatch(WAITING);
    const approved = await fileBatch(APPROVED);
    await approve(approved.ts);
    await h.waitFor('the approval', async () => {
      const row = await h.bot.batches.findBatch(approved.id);
      return row?.state === 'approved' ? true : undefined;
    });
    const reminderText = `Reminder: bulk offboarding #${waiting.id} (3 people) is waiting for approval`;

    // Instances sweeping at the same moment (the bot's own timer runs too) claim each once.
    const sweepingTogether = setInterval(() => {
      void Promise.all([h.bot.sweep(), h.bot.sweep()]).catch(() => undefined);
    }, 300);
    try {
      const first = await h.waitFor(
        'first reminder',
        () => threadReplies(waiting.ts, reminderText)[0],
      );
      expect(first?.text).toContain(`${reminderText}: 0 of 1 approvals.`);
      expect(first?.text).toContain(`<@${APPROVER.id}>`);
      expect(first?.text).toContain(`<@${SECOND_APPROVER.id}>`);
      expect(first?.text).not.toContain(`<@${REQUESTER.id}>`);
      for (const person of WAITING) expect(first?.text).not.toContain(person.name);
      await h.waitFor('second reminder', () =>
        threadReplies(waiting.ts, reminderText).length >= 2 ? true : undefined,
      );
      await h.waitFor('expiry warning', () =>
        threadReplies(waiting.ts, 'will expire soon').length > 0 ? true : undefined,
      );
      await h.waitFor(
        'expiry of its people',
        async () => {
          const members = await h.database.db
            .selectFrom('offboarding_requests')
            .select('state')
            .where('batch_id', '=', waiting.id)
            .execute();
          return members.every((m) => m.state === 'expired') ? true : undefined;
        },
        30_000,
      );
      await sleep(PERIOD_MS * 1.5);
    } finally {
      clearInterval(sweepingTogether);
    }

    // Expiry at 16.2 s with a reminder due every 3.6 s: reminders 1 to 4, each once, none after,
    // all recorded on the batch's first request only.
    const [firstMember] = await memberIds(waiting.id);
    const reminders = await auditEvents(waiting.id, 'approval_reminder');
    expect(reminders.every((r) => r.request_id === firstMember)).toBe(true);
    const numbers = reminders.map((r) => (r.details as { reminder: number }).reminder);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(numbers).toEqual([...new Set(numbers)]);
    expect(numbers.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...numbers)).toBeLessThanOrEqual(4);
    expect(reminders[0]?.details).toEqual({
      batchId: waiting.id,
      reminder: numbers[0],
      approvals: 0,
      required: 1,
    });
    await h.waitFor('every reminder delivered', () =>
      threadReplies(waiting.ts, reminderText).length === numbers.length ? true : undefined,
    );
    const direct = `Reminder: bulk offboarding #${waiting.id} (3 people) is waiting for your approval in <#${CHANNEL}>`;
    for (const approver of [APPROVER, SECOND_APPROVER]) {
      expect(directMessagesTo(approver.id, direct)).toHaveLength(numbers.length);
    }
    expect(directMessagesTo(REQUESTER.id, 'bulk offboarding')).toEqual([]);

    const warnings = await auditEvents(waiting.id, 'expiry_warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.request_id).toBe(firstMember);
    const warningReplies = threadReplies(waiting.ts, 'will expire soon');
    expect(warningReplies).toHaveLength(1);
    expect(warningReplies[0]?.text).toContain(`<@${REQUESTER.id}>`);

    // Not one reminder per person: no request of a batch is reminded on its own.
    const perPerson = h.slack
      .messages(CHANNEL)
      .filter((m) => m.text?.includes('Reminder: this request'));
    expect(perPerson).toEqual([]);
    const allIds = [...(await memberIds(waiting.id)), ...(await memberIds(approved.id))];
    for (const approver of [APPROVER, SECOND_APPROVER]) {
      for (const id of allIds) expect(directMessagesTo(approver.id, `request #${id} `)).toEqual([]);
    }

    // Approved before its first period: never reminded, nobody messaged about it.
    expect(await auditEvents(approved.id, 'approval_reminder')).toEqual([]);
    expect(await auditEvents(approved.id, 'expiry_warning')).toEqual([]);
    expect(threadReplies(approved.ts, 'Reminder')).toEqual([]);
    expect(directMessagesTo(APPROVER.id, `bulk offboarding #${approved.id} `)).toEqual([]);
  });
});
