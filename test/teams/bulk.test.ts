import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SeedUser } from '../../src/genesys/emulator/types.js';
import type { Batch } from '../../src/offboarding/batch.table.js';
import { BATCH_VERB, type BatchChoice } from '../../src/teams/batch-cards.js';
import { FORM_INPUTS, REQUEST_FORM_VERB } from '../../src/teams/request-form-card.js';
import type { FakeTeamsMember } from '../helpers/fake-bot-connector.js';
import { executeActivity, submitActivity, type TeamsPlace } from '../helpers/teams-activities.js';
import {
  ADAM,
  CHANNEL,
  cardOf,
  cardText,
  executeActions,
  MARIA,
  NOTICES_CHANNEL,
  OSCAR,
  startTeamsHarness,
  type TeamsHarness,
  UMA,
} from '../helpers/teams-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

const channel: TeamsPlace = { kind: 'channel', channelId: CHANNEL };

/** Twelve people: the card names ten "and 2 more". */
const TEAM: SeedUser[] = Array.from({ length: 12 }, (_, index) => ({
  name: `Bulk Person ${String(index + 1).padStart(2, '0')}`,
  email: `bulk.person${index + 1}@example.com`,
  department: 'Support',
}));
const REJECTED: SeedUser[] = [
  { name: 'Reject One', email: 'reject.one@example.com' },
  { name: 'Reject Two', email: 'reject.two@example.com' },
];
/** An approver who is also a Genesys user: part of a batch, she may not decide it. */
const UMA_IN_GENESYS: SeedUser = { name: 'Uma Upn', email: 'uma.upn@example.com' };
const WITH_UMA: SeedUser[] = [{ name: 'Colleague Of Uma', email: 'colleague@example.com' }];

let h: TeamsHarness;
/** The batch that ran to its end, for the retention test. */
let finishedBatch: { batch: Batch; progressActivityId: string } | undefined;
beforeAll(async () => {
  h = await startTeamsHarness({
    users: [...TEAM, ...REJECTED, UMA_IN_GENESYS, ...WITH_UMA],
    notifyConversationId: NOTICES_CHANNEL,
  });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  await waitForQuiet(h.database.db);
  h.emulator.clearCalls();
  h.emulator.clearFaults();
});

/** Presses the form's Request button, as Teams sends an Action.Execute. */
async function submitForm(values: Record<string, string>, from: FakeTeamsMember = MARIA) {
  const activity = executeActivity(
    h.connector.serviceUrl,
    from,
    { requestId: 0, decision: 'approved', token: null },
    channel,
  );
  activity.value = {
    action: { type: 'Action.Execute', verb: REQUEST_FORM_VERB, data: values },
    trigger: 'manual',
  };
  const { status, body } = await h.post(activity);
  expect(status).toBe(200);
  return (body as { value: unknown }).value;
}

/** A click on a batch button, carrying what the button on the posted card carries. */
async function clickBatch(
  batch: Batch,
  choice: BatchChoice,
  from: FakeTeamsMember,
  on: { activityId: string; place?: TeamsPlace } = {
    activityId: batch.chat_message_id as string,
  },
) {
  const button = executeActions(cardOf(h.connector.activity(on.activityId)?.activity)).find(
    (action) =>
      (action.data as { offboardingBatchChoice?: string }).offboardingBatchChoice === choice,
  );
  expect(button, `a ${choice} button on ${on.activityId}`).toBeDefined();
  const activity = executeActivity(
    h.connector.serviceUrl,
    from,
    { requestId: 0, decision: 'approved', token: null, cardActivityId: on.activityId },
    on.place ?? channel,
  );
  activity.value = {
    action: { type: 'Action.Execute', verb: BATCH_VERB, data: button?.data },
    trigger: 'manual',
  };
  const { status, body } = await h.post(activity);
  expect(status).toBe(200);
  return body as { type: string; value: unknown };
}

async function counts() {
  const db = h.database.db;
  const requests = await db.selectFrom('offboarding_requests').select('id').execute();
  const batches = await db.selectFrom('batches').select('id').execute();
  const steps = await db.selectFrom('workflow_steps').select('id').execute();
  const jobs = await sql<{ count: string }>`
    select count(*)::text as count from pgboss.job where name not like '__pgboss%'`.execute(db);
  return {
    requests: requests.length,
    batches: batches.length,
    steps: steps.length,
    jobs: Number(jobs.rows[0]?.count),
  };
}

/** Every Genesys call but reads (a user search is a POST that changes nothing). */
function genesysWrites() {
  return h.emulator
    .calls()
    .filter(
      (call) =>
        call.method !== 'GET' &&
        call.path !== '/api/v2/users/search' &&
        !call.path.includes('oauth'),
    );
}

/** Files a batch through the form and returns it once its card is posted. */
async function fileThroughForm(people: readonly SeedUser[], reason = 'Team closed') {
  const answer = await submitForm({
    [FORM_INPUTS.emails]: people.map((person) => person.email).join('\n'),
    [FORM_INPUTS.reason]: reason,
  });
  expect(cardText(answer)).toMatch(/Bulk offboarding #\d+ of \d+ people is posted for approval/);
  const id = Number(/#(\d+)/.exec(cardText(answer))?.[1]);
  const batch = await h.database.db
    .selectFrom('batches')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  expect(batch.chat_message_id).not.toBeNull();
  return batch;
}

async function members(batchId: number) {
  return h.database.db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('id')
    .execute();
}

describe('bulk offboarding on Teams', () => {
  it('lists every problem of the lines on the form and records nothing', async () => {
    const before = await counts();
    const card = await submitForm({
      [FORM_INPUTS.emails]: [
        TEAM[0]?.email,
        'not an email',
        TEAM[0]?.email.toUpperCase(),
        'nobody@example.com',
        TEAM[1]?.email,
      ].join('\n'),
      [FORM_INPUTS.reason]: 'Team closed',
    });
    const text = cardText(card);
    expect(text).toContain('3 lines need fixing; nothing was recorded.');
    expect(text).toContain('Line 2 “not an email”: not an email address');
    expect(text).toContain(`Line 3 “${TEAM[0]?.email.toUpperCase()}”: listed twice`);
    expect(text).toContain('Line 4 “nobody@example.com”: no Genesys Cloud user has this email');
    // The form again, with what was typed, to fix and send.
    expect(executeActions(card).map((action) => action.verb)).toEqual([REQUEST_FORM_VERB]);
    expect(JSON.stringify(card)).toContain('nobody@example.com');

    await waitForQuiet(h.database.db);
    expect(await counts()).toEqual(before);
    expect(genesysWrites()).toEqual([]);
  });

  it('posts one batch card; one approval runs every person once, with one progress card updated in place that ends as the report; Retry failed re-runs the failed', async () => {
    const batch = await fileThroughForm(TEAM);
    const cardActivity = h.connector.activity(batch.chat_message_id as string);
    const card = cardOf(cardActivity?.activity);
    const text = cardText(card);
    expect(text).toContain(`Bulk offboarding #${batch.id}: 12 people`);
    for (const person of TEAM.slice(0, 10)) expect(text).toContain(person.name);
    expect(text).not.toContain(TEAM[10]?.name);
    expect(text).toContain('and 2 more');
    expect(text).toContain('What happens when approved, for each person');
    expect(text).toContain('Team closed');
    expect(
      executeActions(card).map(
        (action) => (action.data as { offboardingBatchChoice: string }).offboardingBatchChoice,
      ),
    ).toEqual(['approved', 'rejected']);
    // One card for the batch, not one per person.
    const batchCards = h.connector
      .activities()
      .filter((a) => JSON.stringify(a.activity).includes(BATCH_VERB));
    expect(batchCards.map((a) => a.id)).toEqual([batch.chat_message_id]);
    const people = await members(batch.id);
    expect(people.map((p) => p.state)).toEqual(Array(12).fill('pending'));
    expect(people.every((p) => p.chat_message_id === null)).toBe(true);

    // One person's delete is refused for good: the run fails for them alone.
    const unlucky = people[4];
    h.emulator.injectFault({
      method: 'DELETE',
      path: `/api/v2/users/${unlucky?.target_genesys_id}`,
      kind: 'status',
      status: 403,
      code: 'missing.permissions',
      message: 'You are missing the following permission(s): directory:user:delete',
    });

    // A double click: both go through the checked path, one decision is made.
    const [first, second] = await Promise.all([
      clickBatch(batch, 'approved', ADAM),
      clickBatch(batch, 'approved', ADAM),
    ]);
    const answers = [first, second].map((answer) =>
      typeof answer.value === 'string' ? answer.value : cardText(answer.value),
    );
    expect(answers.join('\n')).toContain('Approved');

    const settled = await h.waitFor(
      'every person final',
      async () => {
        const rows = await members(batch.id);
        return rows.every((row) => row.state === 'completed' || row.state === 'failed')
          ? rows
          : undefined;
      },
      60_000,
    );
    expect(settled.filter((row) => row.state === 'failed').map((row) => row.id)).toEqual([
      unlucky?.id,
    ]);
    const approvals = await h.database.db
      .selectFrom('audit_events')
      .select('request_id')
      .where(
        'request_id',
        'in',
        people.map((p) => p.id),
      )
      .where('event', '=', 'approved')
      .execute();
    expect(approvals).toHaveLength(12);

    const calls = h.emulator.calls();
    for (const person of people) {
      const gdprPosts = calls.filter(
        (c) =>
          c.method === 'POST' &&
          c.path === '/api/v2/gdpr/requests' &&
          JSON.stringify(c.body).includes(person.target_genesys_id),
      );
      expect(gdprPosts, person.target_name).toHaveLength(person.id === unlucky?.id ? 0 : 1);
      const deletes = calls.filter(
        (c) => c.method === 'DELETE' && c.path === `/api/v2/users/${person.target_genesys_id}`,
      );
      expect(deletes, person.target_name).toHaveLength(1);
    }

    // One progress card in the card's thread, updated in place until it is the report.
    const report = await h.waitFor('the report', async () => {
      const row = await h.database.db
        .selectFrom('batches')
        .selectAll()
        .where('id', '=', batch.id)
        .executeTakeFirst();
      if (!row?.progress_message_id || !row.report_posted_at) return undefined;
      const progress = h.connector.activity(row.progress_message_id);
      if (!progress) return undefined;
      const shown = cardText(cardOf(progress.activity));
      return shown.includes('Report of bulk offboarding') ? { row, progress, shown } : undefined;
    });
    const progressCards = h.connector
      .activities()
      .filter((a) => cardTextOrEmpty(a.activity).includes(`ulk offboarding #${batch.id}`))
      .filter((a) => a.id !== batch.chat_message_id);
    expect(progressCards.map((a) => a.id)).toEqual([report.row.progress_message_id]);
    expect(report.progress.versions.length).toBeGreaterThan(1);
    expect(report.shown).toContain('Finished: 12 of 12 done, 1 failed. 11 offboarded.');
    expect(report.shown).toContain(`❌ ${unlucky?.target_name}: `);
    expect(report.shown).toContain('directory:user:delete');
    expect(report.shown).toContain(`npm run audit -- --batch ${batch.id}`);
    // The end notifies the thread, without naming anyone.
    const notice = await h.connector.waitForActivity('the end notice', (a) =>
      String(a.activity.text ?? '').includes(`Bulk offboarding #${batch.id} finished`),
    );
    expect(notice.activity.text).toContain('11 offboarded, 1 failed');
    expect(notice.activity.text).not.toContain(unlucky?.target_name);
    // The notices conversation hears the batch's outcome by counts; its people's own are absorbed.
    const notices = await h.connector.waitForActivity(
      'the batch outcome notice',
      (a) => a.conversationId === NOTICES_CHANNEL,
    );
    expect(notices.activity.text).toBe(
      `Bulk offboarding #${batch.id} finished: 11 of 12 offboarded, 1 failed.`,
    );

    // The permission is granted; Retry failed on the report runs the failed person again.
    h.emulator.clearFaults();
    const reportPlace: TeamsPlace = {
      kind: 'channel',
      channelId: CHANNEL,
      threadRootId: /;messageid=(.+)$/.exec(report.progress.conversationId)?.[1] as string,
    };
    const retried = await clickBatch(batch, 'retry', ADAM, {
      activityId: report.progress.id,
      place: reportPlace,
    });
    expect(retried.value).toContain('Retrying 1 failed offboarding');
    await h.waitFor(
      'the failed person completed',
      async () =>
        (await members(batch.id)).every((row) => row.state === 'completed') ? true : undefined,
      60_000,
    );
    await h.waitFor('the new report', () =>
      cardTextOrEmpty(h.connector.activity(report.progress.id)?.activity).includes(
        'Finished: 12 of 12 done, 0 failed. 12 offboarded.',
      ),
    );
    const gdprPosts = h.emulator
      .calls()
      .filter(
        (c) =>
          c.method === 'POST' &&
          c.path === '/api/v2/gdpr/requests' &&
          JSON.stringify(c.body).includes(unlucky?.target_genesys_id as string),
      );
    expect(gdprPosts).toHaveLength(1);
    finishedBatch = { batch, progressActivityId: report.progress.id };
  });

  it('Reject all closes every request and starts nothing', async () => {
    const batch = await fileThroughForm(REJECTED);
    const before = await counts();
    h.emulator.clearCalls();
    const answer = await clickBatch(batch, 'rejected', ADAM);
    expect(cardText(answer.value)).toContain('Rejected by Adam Approver');
    await waitForQuiet(h.database.db);
    expect((await members(batch.id)).map((row) => row.state)).toEqual(['rejected', 'rejected']);
    const after = await counts();
    expect(after.steps).toBe(before.steps);
    expect(genesysWrites()).toEqual([]);
  });

  it('someone in the batch cannot approve it, even as an approver: refused, audited, nothing set in motion', async () => {
    const batch = await fileThroughForm([UMA_IN_GENESYS, ...WITH_UMA]);
    await waitForQuiet(h.database.db);
    const before = await counts();
    h.emulator.clearCalls();
    const answer = await clickBatch(batch, 'approved', UMA);
    expect(answer.value).toBe(
      'You are one of the people in this batch, so you cannot decide it. Nothing was changed.',
    );
    await waitForQuiet(h.database.db);
    expect(await counts()).toEqual(before);
    expect((await members(batch.id)).map((row) => row.state)).toEqual(['pending', 'pending']);
    expect(genesysWrites()).toEqual([]);
    const refusals = await h.database.db
      .selectFrom('audit_events')
      .select(['details'])
      .where('event', '=', 'decision_refused')
      .where(
        'request_id',
        'in',
        (await members(batch.id)).map((row) => row.id),
      )
      .execute();
    expect(refusals).toHaveLength(2);
    expect(refusals[0]?.details).toMatchObject({ reason: 'own_offboarding', batchId: batch.id });

    // Nor can the requester.
    expect((await clickBatch(batch, 'approved', MARIA)).value).toContain(
      'You requested this bulk offboarding',
    );
    // Nor, from a client without Universal Actions (Action.Submit), someone who is no approver:
    // told in a reply that mentions them.
    const approve = executeActions(
      cardOf(h.connector.activity(batch.chat_message_id as string)?.activity),
    ).find(
      (action) =>
        (action.data as { offboardingBatchChoice?: string }).offboardingBatchChoice === 'approved',
    );
    const submit = submitActivity(
      h.connector.serviceUrl,
      OSCAR,
      {
        requestId: 0,
        decision: 'approved',
        token: null,
        cardActivityId: batch.chat_message_id as string,
      },
      channel,
    );
    submit.value = approve?.data;
    expect((await h.post(submit)).status).toBe(200);
    const reply = await h.connector.waitForActivity('the reply to the fallback click', (a) =>
      String(a.activity.text ?? '').includes('Only an approver can approve'),
    );
    expect(reply.activity.text).toContain('Oscar Outsider');
    await waitForQuiet(h.database.db);
    expect(await counts()).toEqual(before);
    expect((await members(batch.id)).map((row) => row.state)).toEqual(['pending', 'pending']);
    expect(genesysWrites()).toEqual([]);
  });
});

describe('bulk offboarding on Teams, after the retention period', () => {
  it('the batch card and its report are redrawn without the people’s names', async () => {
    expect(finishedBatch, 'the run of the test above').toBeDefined();
    const { batch, progressActivityId } = finishedBatch as NonNullable<typeof finishedBatch>;
    const before = cardTextOrEmpty(h.connector.activity(progressActivityId)?.activity);
    expect(before).toContain('Report of bulk offboarding');
    expect(
      cardTextOrEmpty(h.connector.activity(batch.chat_message_id as string)?.activity),
    ).toContain('Bulk Person 01');
    const { redactDueRecords } = await import('../../src/workflow/redaction.js');
    const { enqueueNotification } = await import(
      '../../src/offboarding/notification.repository.js'
    );
    const { TEST_RECORD_HASH_KEY } = await import('../helpers/bot-harness.js');
    const pino = (await import('pino')).default;
    await redactDueRecords({
      db: h.database.db,
      workflow: { notify: (trx, requestId, event) => enqueueNotification(trx, requestId, event) },
      retentionDays: 30,
      recordHashKey: TEST_RECORD_HASH_KEY,
      logger: pino({ level: 'silent' }),
      now: () => new Date(Date.now() + 31 * 86_400_000),
    });
    // The people's redaction notices are absorbed into one redraw of the batch.
    await h.waitFor(
      'the batch card and the report without names',
      () => {
        const card = cardTextOrEmpty(
          h.connector.activity(batch.chat_message_id as string)?.activity,
        );
        const report = cardTextOrEmpty(h.connector.activity(progressActivityId)?.activity);
        return card.includes(`Bulk offboarding #${batch.id}`) &&
          report.includes('Report of bulk offboarding') &&
          !`${card}${report}`.includes('Bulk Person')
          ? true
          : undefined;
      },
      30_000,
    );
  });
});

function cardTextOrEmpty(activity: Record<string, unknown> | undefined): string {
  try {
    return cardText(cardOf(activity));
  } catch {
    return '';
  }
}
