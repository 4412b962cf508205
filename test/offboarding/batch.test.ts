import { WebClient } from '@slack/web-api';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SeedUser } from '../../src/genesys/emulator/types.js';
import type { BatchPlan } from '../../src/offboarding/batch.service.js';
import { csvCell } from '../../src/offboarding/batch-report.js';
import type { Actor } from '../../src/offboarding/policy.js';
import { slackBatchPoster } from '../../src/slack/batch-notifier.js';
import {
  APPROVER,
  BOT_TOKEN,
  CHANNEL,
  type Harness,
  REQUESTER,
  SECOND_APPROVER,
  startHarness,
} from '../helpers/bot-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

const PEOPLE: SeedUser[] = Array.from({ length: 8 }, (_, index) => ({
  name: `Batch Member ${index + 1}`,
  email: `batch.member${index + 1}@example.com`,
}));

const asActor = (user: { id: string; name: string; email: string }): Actor => ({
  platform: 'slack',
  id: user.id,
  name: user.name,
  email: user.email,
});

let h: Harness;
let client: WebClient;
beforeAll(async () => {
  h = await startHarness({ users: PEOPLE, approvalsRequired: 2 });
  client = new WebClient(BOT_TOKEN, { slackApiUrl: h.slack.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  await waitForQuiet(h.database.db);
  h.emulator.clearCalls();
  h.emulator.clearFaults();
});

async function plan(emails: string[]): Promise<BatchPlan> {
  const check = await h.bot.batches.checkBatch({
    requester: asActor(REQUESTER),
    lines: emails,
    reason: 'Restructuring',
  });
  if (check.kind !== 'ready') throw new Error(`batch not ready: ${JSON.stringify(check)}`);
  return check.plan;
}

async function file(emails: string[]) {
  const filed = await h.bot.batches.fileBatch(
    await plan(emails),
    slackBatchPoster(client, CHANNEL, {
      approvers: [APPROVER.id, SECOND_APPROVER.id],
      deployment: { organizationName: 'Test', sandbox: false },
      logger: pino({ level: 'silent' }),
    }),
  );
  if (filed.kind !== 'posted') throw new Error(`batch not posted: ${filed.kind}`);
  return filed.batch;
}

function proofOf(batch: {
  decision_token: string;
  chat_channel_id: string | null;
  chat_message_id: string | null;
}) {
  return {
    token: batch.decision_token,
    channelId: batch.chat_channel_id ?? undefined,
    messageId: batch.chat_message_id ?? undefined,
  };
}

async function members(batchId: number) {
  return h.database.db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('id')
    .execute();
}

async function stepCount(batchId: number): Promise<number> {
  const rows = await h.database.db
    .selectFrom('workflow_steps')
    .innerJoin('offboarding_requests', 'offboarding_requests.id', 'workflow_steps.request_id')
    .select('workflow_steps.id')
    .where('offboarding_requests.batch_id', '=', batchId)
    .execute();
  return rows.length;
}

const emails = (from: number, to: number) => PEOPLE.slice(from, to).map((person) => person.email);

describe('batches in the domain', () => {
  it('APPROVALS_REQUIRED=2: the first approval records on every person, the second starts them all', async () => {
    const batch = await file(emails(0, 3));
    const first = await h.bot.batches.decideBatch({
      batchId: batch.id,
      actor: asActor(APPROVER),
      decision: 'approved',
      proof: proofOf(batch),
    });
    expect(first).toMatchObject({ kind: 'approval_recorded', approvals: 1, required: 2 });
    const again = await h.bot.batches.decideBatch({
      batchId: batch.id,
      actor: asActor(APPROVER),
      decision: 'approved',
      proof: proofOf(batch),
    });
    expect(again).toMatchObject({ kind: 'already_approved_by_you', approvals: 1 });
    await waitForQuiet(h.database.db);
    expect(await stepCount(batch.id)).toBe(0);
    expect((await members(batch.id)).map((m) => m.state)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);

    const second = await h.bot.batches.decideBatch({
      batchId: batch.id,
      actor: asActor(SECOND_APPROVER),
      decision: 'approved',
      proof: proofOf(batch),
    });
    expect(second).toMatchObject({ kind: 'decided', decision: 'approved', requests: 3 });
    await h.waitFor(
      'every person completed',
      async () => (await members(batch.id)).every((m) => m.state === 'completed'),
      60_000,
    );
    for (const member of await members(batch.id)) {
      const decisions = await h.database.db
        .selectFrom('decisions')
        .select('decider_id')
        .where('request_id', '=', member.id)
        .orderBy('id')
        .execute();
      expect(decisions.map((d) => d.decider_id)).toEqual([APPROVER.id, SECOND_APPROVER.id]);
    }
    expect((await h.bot.batches.findBatch(batch.id))?.state).toBe('approved');
  }, 90_000);

  it('refuses a click from another card (wrong token or message) and changes nothing but the audit log', async () => {
    const batch = await file(emails(3, 5));
    for (const proof of [
      { ...proofOf(batch), token: 'forged-token' },
      { ...proofOf(batch), messageId: '1.999999' },
      { token: undefined },
    ]) {
      const outcome = await h.bot.batches.decideBatch({
        batchId: batch.id,
        actor: asActor(APPROVER),
        decision: 'approved',
        proof,
      });
      expect(outcome.kind).toBe('stale_card');
    }
    await waitForQuiet(h.database.db);
    expect(await stepCount(batch.id)).toBe(0);
    expect((await members(batch.id)).every((m) => m.state === 'pending')).toBe(true);
    const refused = await h.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('event', '=', 'decision_refused')
      .where('request_id', '=', (await members(batch.id))[0]?.id ?? 0)
      .execute();
    expect(refused).toHaveLength(3);
    expect(
      h.emulator
        .calls()
        .filter((call) => call.method !== 'GET' && call.path !== '/api/v2/users/search'),
    ).toEqual([]);
  });

  it('a person of a batch cannot be decided alone, nor shows among what waits for approvers', async () => {
    const batch = await file(emails(5, 6));
    const [member] = await members(batch.id);
    if (!member) throw new Error('no member');
    const outcome = await h.bot.service.decide({
      requestId: member.id,
      actor: asActor(APPROVER),
      decision: 'approved',
      proof: { token: member.decision_token ?? undefined, surface: 'slack_app_home' },
    });
    expect(outcome.kind).toBe('stale_card');
    const overview = await h.bot.service.overviewFor(asActor(APPROVER));
    expect(overview.waiting.map((request) => request.id)).not.toContain(member.id);
    await waitForQuiet(h.database.db);
    expect(await stepCount(batch.id)).toBe(0);
  });

  it('a batch past its expiry expires whole on the next click, and starts nothing', async () => {
    const batch = await file(emails(6, 8));
    await h.database.db
      .updateTable('offboarding_requests')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('batch_id', '=', batch.id)
      .execute();
    const outcome = await h.bot.batches.decideBatch({
      batchId: batch.id,
      actor: asActor(APPROVER),
      decision: 'approved',
      proof: proofOf(batch),
    });
    expect(outcome.kind).toBe('expired');
    expect((await members(batch.id)).map((m) => m.state)).toEqual(['expired', 'expired']);
    expect((await h.bot.batches.findBatch(batch.id))?.state).toBe('expired');
    await waitForQuiet(h.database.db);
    expect(await stepCount(batch.id)).toBe(0);
  });

  it('a person filed meanwhile by someone else keeps the whole batch from being recorded', async () => {
    // Member 7's request expired above: they may be filed again.
    const checked = await plan([PEOPLE[6]?.email ?? '']);
    const before = await h.database.db.selectFrom('batches').select('id').execute();
    // Member 6 got an open request (their batch) after this plan was checked.
    const openMember = await h.database.db
      .selectFrom('offboarding_requests')
      .select('target_genesys_id')
      .where('target_email', '=', PEOPLE[5]?.email ?? '')
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    const stale: BatchPlan = {
      ...checked,
      users: [
        ...checked.users,
        {
          ...(checked.users[0] as BatchPlan['users'][number]),
          id: openMember.target_genesys_id,
          email: 'x@example.com',
        },
      ],
    };
    const filed = await h.bot.batches.fileBatch(stale, {
      post: async () => {
        throw new Error('must not be posted');
      },
    });
    expect(filed.kind).toBe('problems');
    expect(await h.database.db.selectFrom('batches').select('id').execute()).toEqual(before);
  });

  it('a filing cut short before its card was posted has the card posted by the sweep', async () => {
    const checked = await plan([PEOPLE[7]?.email ?? '']);
    await expect(
      h.bot.batches.fileBatch(checked, {
        channelId: CHANNEL,
        post: async () => {
          throw new Error('the process died here');
        },
      }),
    ).rejects.toThrow('the process died here');
    const batch = await h.database.db
      .selectFrom('batches')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(batch).toMatchObject({
      state: 'pending',
      chat_channel_id: CHANNEL,
      chat_message_id: null,
    });
    // Still within the filing's own time: nothing is posted for it.
    await h.bot.sweep();
    await waitForQuiet(h.database.db);
    expect((await h.bot.batches.findBatch(batch.id))?.chat_message_id).toBeNull();

    await sql`update batches set created_at = now() - interval '10 minutes' where id = ${batch.id}`.execute(
      h.database.db,
    );
    await h.bot.sweep();
    const posted = await h.waitFor('the card posted', async () => {
      const now = await h.bot.batches.findBatch(batch.id);
      return now?.chat_message_id ? now : undefined;
    });
    const card = h.slack.message(CHANNEL, posted.chat_message_id ?? '');
    expect(card?.text).toContain(`Bulk offboarding #${batch.id}: 1 person`);
    const outcome = await h.bot.batches.decideBatch({
      batchId: batch.id,
      actor: asActor(APPROVER),
      decision: 'rejected',
      proof: proofOf(posted),
    });
    expect(outcome.kind).toBe('decided');
  });

  it('escapes report cells: quotes, separators, line breaks, and formulas', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "no"')).toBe('"say ""no"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
  });

  it('a scheduled batch waits for its time once approved: nothing reaches Genesys before', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const check = await h.bot.batches.checkBatch({
      requester: asActor(REQUESTER),
      lines: [PEOPLE[6]?.email ?? ''],
      reason: 'Last day tomorrow',
      schedule: { date: tomorrow, time: '17:00' },
      timeZone: 'Europe/Paris',
    });
    if (check.kind !== 'ready') throw new Error(`not ready: ${check.kind}`);
    const filed = await h.bot.batches.fileBatch(
      check.plan,
      slackBatchPoster(client, CHANNEL, {
        approvers: [APPROVER.id, SECOND_APPROVER.id],
        deployment: { organizationName: 'Test', sandbox: false },
        logger: pino({ level: 'silent' }),
      }),
    );
    if (filed.kind !== 'posted') throw new Error(filed.kind);
    for (const approver of [APPROVER, SECOND_APPROVER]) {
      await h.bot.batches.decideBatch({
        batchId: filed.batch.id,
        actor: asActor(approver),
        decision: 'approved',
        proof: proofOf(filed.batch),
      });
    }
    // Its step job waits for tomorrow: only the chat queues can drain (this test comes last).
    await waitForQuiet(h.database.db, { queues: ['offboarding-notify', 'offboarding-batch'] });
    expect((await members(filed.batch.id)).map((m) => m.state)).toEqual(['scheduled']);
    expect(await stepCount(filed.batch.id)).toBe(0);
    const batch = await h.bot.batches.findBatch(filed.batch.id);
    if (!batch) throw new Error('no batch');
    const progress = await h.waitFor('the progress message', () =>
      h.slack
        .messages(CHANNEL)
        .find((m) => m.threadTs === batch.chat_message_id && m.blocks !== undefined),
    );
    expect(progress?.text).toMatch(/^0 of 1 done, 0 failed\. 1 waiting until .*17:00/);
    expect(
      h.emulator
        .calls()
        .filter((call) => call.method === 'DELETE' || call.path.startsWith('/api/v2/gdpr')),
    ).toEqual([]);
  });
});
