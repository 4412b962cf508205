import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SeedUser } from '../../src/genesys/emulator/types.js';
import {
  blockActionBody,
  globalShortcutPayload,
  interactivityBody,
  postToSlackEndpoint,
  viewSubmissionPayload,
} from '../../src/playground/slack-requests.js';
import {
  BATCH_APPROVE_ACTION,
  BATCH_REJECT_ACTION,
  BATCH_RETRY_ACTION,
} from '../../src/slack/batch-blocks.js';
import {
  MODAL_BLOCKS,
  MODAL_MODE_ACTION,
  OFFBOARD_SHORTCUT_CALLBACK,
  PEOPLE_ACTION,
  PEOPLE_FILE_ACTION,
  REQUEST_MODAL_CALLBACK,
} from '../../src/slack/request-modal.js';
import {
  APPROVER,
  buttonValue,
  CHANNEL,
  type Harness,
  JANE,
  NOTIFY_CHANNEL,
  OUTSIDER,
  REQUESTER,
  SECOND_APPROVER,
  SIGNING_SECRET,
  startHarness,
} from '../helpers/bot-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

/** Twelve people: enough for "and 2 more" on the card, small enough for a quick run. */
const PEOPLE: SeedUser[] = Array.from({ length: 12 }, (_, index) => {
  const n = String(index + 1).padStart(2, '0');
  return { name: `Bulk Person ${n}`, email: `bulk.person${n}@example.com`, department: 'Sales' };
});
const emails = PEOPLE.map((person) => person.email);
/** An approver who is also one of the people in a batch. */
const MEMBER_APPROVER = { id: 'U0MEMBER', name: 'bp3', email: 'bulk.person03@example.com' };
const SLOW_ONE: SeedUser = { name: 'Slow One', email: 'slow.one@example.com' };
const LEAVERS: SeedUser[] = [
  { name: 'Leaver One', email: 'leaver.one@example.com' },
  { name: 'Leaver Two', email: 'leaver.two@example.com' },
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    users: [
      JANE,
      SLOW_ONE,
      ...PEOPLE,
      ...LEAVERS,
      { name: 'Gone', email: 'gone@example.com', state: 'deleted' },
    ],
    approvers: [APPROVER.id, SECOND_APPROVER.id, MEMBER_APPROVER.id],
  });
  h.slack.addUser({ ...MEMBER_APPROVER, realName: MEMBER_APPROVER.name });
});
afterAll(async () => {
  await h?.close();
});
let baseline = { requests: 0, batches: 0, steps: 0, jobs: 0 };
beforeEach(async () => {
  await waitForQuiet(h.database.db);
  h.slack.clearCalls();
  h.emulator.clearCalls();
  h.emulator.clearFaults();
  baseline = await counts();
});

async function counts() {
  const db = h.database.db;
  const count = async (table: 'offboarding_requests' | 'batches' | 'workflow_steps') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirst()
      )?.n,
    );
  const jobs = await sql<{ n: string }>`select count(*)::text as n from pgboss.job
    where name in ('offboarding-step', 'slack-command', 'offboarding-batch')`.execute(db);
  return {
    requests: await count('offboarding_requests'),
    batches: await count('batches'),
    steps: await count('workflow_steps'),
    jobs: Number(jobs.rows[0]?.n),
  };
}

/** Genesys calls that change something: deletes, sign-outs, GDPR requests. */
function genesysWrites() {
  return h.emulator
    .calls()
    .filter(
      (call) =>
        call.method === 'DELETE' ||
        (call.path.startsWith('/api/v2/gdpr/requests') && call.method === 'POST'),
    );
}

async function expectNothingSetInMotion() {
  await waitForQuiet(h.database.db);
  expect(await counts()).toEqual(baseline);
  expect(genesysWrites()).toEqual([]);
  expect(h.slack.calls('chat.postMessage')).toEqual([]);
}

let responses = 0;
function submitBulk(
  form: { people?: string; fileId?: string; reason?: string; day?: string; viewId?: string },
  user: { id: string; name: string } = REQUESTER,
) {
  const responseName = `bulk-${++responses}`;
  const values: Record<string, Record<string, unknown>> = {
    [MODAL_BLOCKS.people]: {
      [PEOPLE_ACTION]: { type: 'plain_text_input', value: form.people ?? null },
    },
    [MODAL_BLOCKS.peopleFile]: {
      [PEOPLE_FILE_ACTION]: {
        type: 'file_input',
        files: form.fileId ? [{ id: form.fileId, name: 'people.csv' }] : [],
      },
    },
    [MODAL_BLOCKS.lastDay]: {
      offboarding_last_day: { type: 'datepicker', selected_date: form.day ?? null },
    },
    [MODAL_BLOCKS.lastTime]: { offboarding_last_time: { type: 'timepicker', selected_time: null } },
    [MODAL_BLOCKS.reason]: {
      offboarding_reason: { type: 'plain_text_input', value: form.reason ?? 'Team closed' },
    },
    [MODAL_BLOCKS.channel]: {
      offboarding_channel: { type: 'conversations_select', selected_conversation: CHANNEL },
    },
  };
  return h.interact(
    viewSubmissionPayload({
      callbackId: REQUEST_MODAL_CALLBACK,
      userId: user.id,
      userName: user.name,
      ...(form.viewId ? { viewId: form.viewId } : {}),
      privateMetadata: JSON.stringify({ mode: 'several', origin: CHANNEL }),
      values,
      responseUrls: [
        {
          block_id: MODAL_BLOCKS.channel,
          action_id: 'offboarding_channel',
          channel_id: CHANNEL,
          response_url: h.slack.responseUrl(responseName),
        },
      ],
    }),
  );
}

function errorsOf(json: unknown): Record<string, string> {
  expect(json).toMatchObject({ response_action: 'errors' });
  return (json as { errors: Record<string, string> }).errors;
}

async function clickBatch(
  actionId: string,
  messageTs: string,
  user: { id: string; name: string },
  threadTs?: string,
) {
  const responseName = `batch-click-${++responses}`;
  const body = blockActionBody({
    actionId,
    value: buttonValue(h.slack.message(CHANNEL, messageTs)?.blocks, actionId) ?? '0',
    userId: user.id,
    userName: user.name,
    channelId: CHANNEL,
    messageTs,
    ...(threadTs ? { threadTs } : {}),
    responseUrl: h.slack.responseUrl(responseName),
  });
  const response = await postToSlackEndpoint(`${h.bot.url}/slack/events`, SIGNING_SECRET, body);
  expect(response.status).toBe(200);
  return responseName;
}

async function replyText(responseName: string): Promise<string> {
  const post = await h.slack.waitForResponse(responseName);
  return (post.body as { text: string }).text;
}

function batchCards() {
  return h.slack
    .messages(CHANNEL)
    .filter(
      (message) => message.threadTs === undefined && message.text?.startsWith('Bulk offboarding #'),
    );
}

async function membersOf(batchId: number) {
  return h.database.db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('id')
    .execute();
}

async function waitUntilSettled(batchId: number, reports: number) {
  const harness = h;
  await h.waitFor(
    `batch ${batchId} settled with ${reports} report(s)`,
    async () => {
      const members = await membersOf(batchId);
      const final = members.every((m) => ['completed', 'failed'].includes(m.state));
      return (
        final &&
        harness.slack
          .files(CHANNEL)
          .filter((file) => file.filename === `bulk-offboarding-${batchId}.csv`).length === reports
      );
    },
    60_000,
  );
  await waitForQuiet(h.database.db, { timeoutMs: 30_000 });
}

function gdprPostsByUser(): Map<string, number> {
  const byUser = new Map<string, number>();
  for (const call of h.emulator.calls()) {
    if (call.method !== 'POST' || call.path !== '/api/v2/gdpr/requests') continue;
    const userId = (call.body as { subject?: { userId?: string } }).subject?.userId ?? '?';
    byUser.set(userId, (byUser.get(userId) ?? 0) + 1);
  }
  return byUser;
}

describe('bulk offboarding: the modal', () => {
  it('switches to "Several people" in place with views.update, keeping the origin channel', async () => {
    await h.interact(
      globalShortcutPayload({ callbackId: OFFBOARD_SHORTCUT_CALLBACK, userId: REQUESTER.id }),
    );
    const opened = await h.waitFor('the modal', () => h.slack.modals().at(-1));
    const payload = {
      type: 'block_actions',
      user: {
        id: REQUESTER.id,
        username: REQUESTER.name,
        name: REQUESTER.name,
        team_id: h.slack.teamId,
      },
      api_app_id: 'A0TEST',
      token: 'legacy',
      container: { type: 'view', view_id: opened.id },
      trigger_id: '1.2.3',
      team: { id: h.slack.teamId, domain: 'offboarding-test' },
      view: {
        ...opened.view,
        id: opened.id,
        hash: `${opened.id}.${opened.updateCount}`,
        state: { values: {} },
      },
      actions: [
        {
          type: 'radio_buttons',
          action_id: MODAL_MODE_ACTION,
          block_id: MODAL_BLOCKS.mode,
          selected_option: {
            text: { type: 'plain_text', text: 'Several people' },
            value: 'several',
          },
          action_ts: '1.2',
        },
      ],
    };
    const response = await postToSlackEndpoint(
      `${h.bot.url}/slack/events`,
      SIGNING_SECRET,
      interactivityBody(payload),
    );
    expect(response.status).toBe(200);
    const updated = await h.waitFor('the modal redrawn', () =>
      h.slack.modals().find((view) => view.id === opened.id && view.updateCount === 1),
    );
    const blocks = updated.view.blocks as Array<{
      block_id?: string;
      element?: { type?: string; filetypes?: string[] };
    }>;
    expect(blocks.map((block) => block.block_id)).toEqual(
      expect.arrayContaining([MODAL_BLOCKS.people, MODAL_BLOCKS.peopleFile, MODAL_BLOCKS.reason]),
    );
    expect(blocks.some((block) => block.block_id === MODAL_BLOCKS.person)).toBe(false);
    expect(
      blocks.find((block) => block.block_id === MODAL_BLOCKS.peopleFile)?.element,
    ).toMatchObject({
      type: 'file_input',
      filetypes: ['csv', 'txt'],
    });
    expect(JSON.parse(String(updated.view.private_metadata))).toEqual({ mode: 'several' });
  });

  it('lists every offending line inline and records nothing', async () => {
    // An open request for Jane first: she may not be in a batch.
    await h.command(`${JANE.email} Already leaving`);
    await h.waitFor(
      'Jane requested',
      async () =>
        (await h.database.db.selectFrom('offboarding_requests').select('id').execute()).length > 0,
    );
    await waitForQuiet(h.database.db);
    baseline = await counts();
    h.slack.clearCalls();
    h.emulator.clearCalls();

    const response = await submitBulk({
      people: [
        emails[0],
        'nobody@example.com',
        emails[0]?.toUpperCase(),
        JANE.email,
        'not-an-email',
        REQUESTER.email,
        'gone@example.com',
      ].join('\n'),
    });
    const error = errorsOf(response.json)[MODAL_BLOCKS.people] ?? '';
    expect(error).toContain('6 lines need fixing');
    expect(error).toContain('Line 2 “nobody@example.com”: no Genesys Cloud user has this email');
    expect(error).toContain(`Line 3 “${emails[0]?.toUpperCase()}”: listed twice`);
    expect(error).toContain(`Line 4 “${JANE.email}”: already has an open offboarding request`);
    expect(error).toContain('Line 5 “not-an-email”: not an email address');
    expect(error).toContain(`Line 6 “${REQUESTER.email}”: that is you`);
    // Genesys's user search does not see deleted users: to it, they are unknown.
    expect(error).toContain('Line 7 “gone@example.com”: no Genesys Cloud user');
    expect(error).not.toContain('Line 1 ');
    await expectNothingSetInMotion();
  });

  it('names the first ten offending lines and "and N more"; refuses more than 500 people', async () => {
    const unknown = Array.from({ length: 13 }, (_, i) => `unknown${i}@example.com`);
    const error = errorsOf((await submitBulk({ people: unknown.join('\n') })).json)[
      MODAL_BLOCKS.people
    ];
    expect(error).toContain('Line 10 “unknown9@example.com”');
    expect(error).not.toContain('unknown10@example.com');
    expect(error).toContain('and 3 more');

    const tooMany = Array.from({ length: 501 }, (_, i) => `p${i}@example.com`).join('\n');
    expect(errorsOf((await submitBulk({ people: tooMany })).json)[MODAL_BLOCKS.people]).toContain(
      'at most 500 people; this one has 501',
    );
    const empty = errorsOf((await submitBulk({ people: '\n  \n' })).json);
    expect(empty[MODAL_BLOCKS.people]).toContain('one email per line');
    await expectNothingSetInMotion();
  });

  it('reads a CSV file through files.info and its private URL, and reports its rows', async () => {
    const fileId = h.slack.addUserFile({
      filename: 'people.csv',
      content: 'email,name\nnobody@example.com,Nobody\n"leaver.one@example.com",Leaver\n',
    });
    const errors = errorsOf((await submitBulk({ fileId })).json);
    expect(errors[MODAL_BLOCKS.peopleFile]).toContain(
      '“nobody@example.com”: no Genesys Cloud user',
    );
    expect(errors[MODAL_BLOCKS.peopleFile]).not.toContain('leaver.one');
    expect(h.slack.calls('files.info')).toHaveLength(1);
    await expectNothingSetInMotion();
  });
});

describe('bulk offboarding: a check longer than Slack waits for', () => {
  async function openModal() {
    await h.interact(
      globalShortcutPayload({ callbackId: OFFBOARD_SHORTCUT_CALLBACK, userId: REQUESTER.id }),
    );
    const count = h.slack.modals().length;
    return h.waitFor('the modal', () => h.slack.modals()[count - 1]);
  }

  it('shows "Checking…", then the form again with the offending lines and what was typed', async () => {
    const opened = await openModal();
    h.emulator.injectFault({ path: '/api/v2/users/search', kind: 'latency', ms: 2_600, times: 2 });
    const response = await submitBulk({
      people: `nobody@example.com\n${SLOW_ONE.email}`,
      reason: 'Reorganisation',
      viewId: opened.id,
    });
    expect(response.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(response.json)).toContain('Checking 2 people in Genesys Cloud');
    const redrawn = await h.waitFor('the form again', () =>
      h.slack
        .modals()
        .find(
          (view) =>
            view.id === opened.id && JSON.stringify(view.view).includes('Nothing was recorded yet'),
        ),
    );
    const json = JSON.stringify(redrawn.view.blocks);
    expect(json).toContain('Line 1 “nobody@example.com”: no Genesys Cloud user has this email');
    expect(json).toContain(`"initial_value":"nobody@example.com\\n${SLOW_ONE.email}"`);
    expect(json).toContain('"initial_value":"Reorganisation"');
    expect(json).toContain(`"initial_conversation":"${CHANNEL}"`);
    await expectNothingSetInMotion();
  });

  it('files a good batch after a long check and says so in the modal', async () => {
    const opened = await openModal();
    h.emulator.injectFault({ path: '/api/v2/users/search', kind: 'latency', ms: 2_600, times: 1 });
    const response = await submitBulk({ people: SLOW_ONE.email, viewId: opened.id });
    expect(response.json).toMatchObject({ response_action: 'update' });
    const said = await h.waitFor('the modal says it is posted', () =>
      h.slack
        .modals()
        .find(
          (view) => view.id === opened.id && JSON.stringify(view.view).includes('is posted in'),
        ),
    );
    expect(JSON.stringify(said.view)).toContain(`<#${CHANNEL}>`);
    const card = await h.waitFor('its card', () =>
      batchCards().find((message) => message.text?.includes(': 1 person')),
    );
    // Closed again, so that later tests see every batch settled.
    await clickBatch(BATCH_REJECT_ACTION, card.ts, APPROVER);
    await h.waitFor('rejected', () =>
      h.slack.message(CHANNEL, card.ts)?.text?.endsWith(': rejected'),
    );
  });
});

describe('bulk offboarding: one card, one approval, one progress message', () => {
  it('runs every person once, shows progress in place, uploads the report, retries only the failed one', async () => {
    const fileId = h.slack.addUserFile({
      filename: 'people.csv',
      content: `email\n${emails.join('\n')}\n`,
    });
    const response = await submitBulk({ fileId, reason: 'Site <closed> & moved' });
    expect(response.json ?? {}).toEqual({ response_action: 'clear' });

    const card = await h.waitFor('the batch card', () =>
      batchCards().find((message) => message.text?.includes(': 12 people')),
    );
    expect(batchCards().filter((message) => message.text?.includes(': 12 people'))).toHaveLength(1);
    const batch = await h.database.db
      .selectFrom('batches')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(card.text).toContain(`Bulk offboarding #${batch.id}: 12 people`);
    const cardJson = JSON.stringify(card.blocks);
    expect(cardJson).toContain('Bulk Person 01');
    expect(cardJson).toContain('Bulk Person 10');
    expect(cardJson).not.toContain('Bulk Person 11');
    expect(cardJson).toContain('and 2 more');
    // The reason is plain text on the card, shown literally.
    expect(cardJson).toContain('Reason: Site <closed> & moved');
    const members = await membersOf(batch.id);
    expect(members.map((m) => [m.state, m.target_email])).toEqual(
      emails.map((e) => ['pending', e]),
    );
    // One card for the batch: no card of its own for anyone in it.
    expect(h.slack.calls('chat.postMessage')).toHaveLength(1);

    // Refusals: the requester, and an approver who is in the batch. Nothing is set in motion.
    await waitForQuiet(h.database.db);
    const before = await counts();
    expect(await replyText(await clickBatch(BATCH_APPROVE_ACTION, card.ts, REQUESTER))).toContain(
      'You requested this bulk offboarding',
    );
    expect(
      await replyText(await clickBatch(BATCH_APPROVE_ACTION, card.ts, MEMBER_APPROVER)),
    ).toContain('You are one of the people in this batch');
    await waitForQuiet(h.database.db);
    expect(await counts()).toEqual(before);
    expect(genesysWrites()).toEqual([]);
    const refusals = await h.database.db
      .selectFrom('audit_events')
      .select(['request_id', 'details'])
      .where('event', '=', 'decision_refused')
      .where(
        'request_id',
        'in',
        members.map((m) => m.id),
      )
      .execute();
    expect(refusals).toHaveLength(24);

    // Person 5 cannot be deleted (a missing permission): it fails, the others complete.
    const failing = members[4];
    if (!failing) throw new Error('no fifth member');
    h.emulator.injectFault({
      method: 'DELETE',
      path: `/api/v2/users/${failing.target_genesys_id}`,
      kind: 'status',
      status: 403,
      code: 'missing.permissions',
      // Quoting the person, as Genesys's messages may: the report must not.
      message: `You are missing the following permission(s): directory:user:delete (${failing.target_email})`,
    });
    await clickBatch(BATCH_APPROVE_ACTION, card.ts, APPROVER);
    await waitUntilSettled(batch.id, 1);

    // Each person was decided and audited on their own request.
    const approvals = await h.database.db
      .selectFrom('decisions')
      .select('request_id')
      .where(
        'request_id',
        'in',
        members.map((m) => m.id),
      )
      .where('decision', '=', 'approved')
      .execute();
    expect(approvals).toHaveLength(12);
    const approvedEvents = await h.database.db
      .selectFrom('audit_events')
      .select(['request_id', 'details'])
      .where('event', '=', 'approved')
      .where(
        'request_id',
        'in',
        members.map((m) => m.id),
      )
      .execute();
    expect(approvedEvents).toHaveLength(12);
    for (const event of approvedEvents) expect(event.details).toMatchObject({ batchId: batch.id });

    // Exactly one GDPR request per person who got that far.
    const posts = gdprPostsByUser();
    for (const member of members) {
      expect(posts.get(member.target_genesys_id) ?? 0).toBe(member.id === failing.id ? 0 : 1);
    }

    // One progress message in the card's thread, updated in place; no per-person replies.
    const thread = h.slack.messages(CHANNEL).filter((m) => m.threadTs === card.ts);
    const progress = thread.filter((m) => m.blocks !== undefined);
    expect(progress).toHaveLength(1);
    const [message] = progress;
    if (!message) throw new Error('no progress message');
    expect(message.updateCount).toBeGreaterThan(0);
    // Dozens of step messages became a few redraws of one message.
    const absorbed = await h.database.db
      .selectFrom('chat_notifications')
      .select('id')
      .where(
        'request_id',
        'in',
        members.map((m) => m.id),
      )
      .execute();
    expect(absorbed.length).toBeGreaterThan(12 * 4);
    expect(message.updateCount).toBeLessThan(absorbed.length / 4);
    expect(message.text).toBe('Finished: 12 of 12 done, 1 failed. 11 offboarded.');
    // The people's own outcome notices are absorbed; the channel hears the batch's, by counts.
    const notices = () => h.slack.messages(NOTIFY_CHANNEL).map((m) => m.text ?? '');
    await h.waitFor('the batch outcome notice', () => (notices().length > 0 ? true : undefined));
    expect(notices()).toEqual([
      `Bulk offboarding #${batch.id} finished: 11 of 12 offboarded, 1 failed.`,
    ]);
    expect(buttonValue(message.blocks, BATCH_RETRY_ACTION)).toBeDefined();

    // The report: one row per person, ids and outcomes only.
    const [report] = h.slack.files(CHANNEL);
    expect(report?.messageTs && h.slack.message(CHANNEL, report.messageTs)?.threadTs).toBe(card.ts);
    const rows = (report?.content?.toString('utf8') ?? '').trim().split('\r\n');
    expect(rows[0]).toBe('genesys_user_id,outcome,gdpr_request_id,error');
    expect(rows).toHaveLength(13);
    const refreshed = await membersOf(batch.id);
    for (const [index, member] of refreshed.entries()) {
      const row = rows[index + 1] ?? '';
      if (member.id === failing.id) {
        expect(row.startsWith(`${member.target_genesys_id},failed,,`)).toBe(true);
        expect(row).toContain('directory:user:delete');
        expect(row).toContain('[removed]');
        expect(member.failure_reason).toContain(failing.target_email);
      } else {
        expect(row).toBe(
          `${member.target_genesys_id},completed,${member.gdpr_request_id}`.concat(','),
        );
      }
    }
    expect(report?.content?.toString('utf8')).not.toContain('@example.com');
    expect(report?.content?.toString('utf8')).not.toContain('Bulk Person');

    // Retry failed is for approvers; an outsider's click changes nothing.
    await waitForQuiet(h.database.db);
    const settled = await counts();
    expect(
      await replyText(await clickBatch(BATCH_RETRY_ACTION, message.ts, OUTSIDER, card.ts)),
    ).toContain('Only an approver');
    await waitForQuiet(h.database.db);
    expect(await counts()).toEqual(settled);
    expect((await membersOf(batch.id)).find((m) => m.id === failing.id)?.state).toBe('failed');

    // Retry failed, by an approver: only the failed person runs again.
    h.emulator.clearFaults();
    h.emulator.clearCalls();
    const retryReply = await replyText(
      await clickBatch(BATCH_RETRY_ACTION, message.ts, SECOND_APPROVER, card.ts),
    );
    expect(retryReply).toContain('Retrying 1 failed offboarding');
    await waitUntilSettled(batch.id, 2);
    const writes = genesysWrites();
    expect(writes.length).toBeGreaterThan(0);
    expect(
      writes.every(
        (call) =>
          call.path.includes(failing.target_genesys_id) ||
          (call.body as { subject?: { userId?: string } })?.subject?.userId ===
            failing.target_genesys_id,
      ),
    ).toBe(true);
    expect(gdprPostsByUser().get(failing.target_genesys_id)).toBe(1);
    expect((await membersOf(batch.id)).every((m) => m.state === 'completed')).toBe(true);
    const after = h.slack.message(CHANNEL, message.ts);
    expect(after?.text).toBe('Finished: 12 of 12 done, 0 failed. 12 offboarded.');
    expect(buttonValue(after?.blocks, BATCH_RETRY_ACTION)).toBeUndefined();
    await h.waitFor('the notice after the retry', () => (notices().length > 1 ? true : undefined));
    expect(notices()[1]).toBe(
      `Bulk offboarding #${batch.id} finished: 12 of 12 offboarded, 0 failed.`,
    );
    expect(
      h.slack.messages(CHANNEL).filter((m) => m.threadTs === card.ts && m.blocks),
    ).toHaveLength(1);
  }, 120_000);

  it('Reject all rejects every person and starts nothing', async () => {
    const response = await submitBulk({ people: LEAVERS.map((l) => l.email).join('\n') });
    expect(response.json ?? {}).toEqual({ response_action: 'clear' });
    const card = await h.waitFor('the batch card', () =>
      batchCards().find((message) => message.text?.includes(': 2 people')),
    );
    await waitForQuiet(h.database.db);
    const before = await counts();
    h.emulator.clearCalls();
    await clickBatch(BATCH_REJECT_ACTION, card.ts, APPROVER);
    const batch = await h.database.db
      .selectFrom('batches')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    await h.waitFor('rejected', async () =>
      (await membersOf(batch.id)).every((m) => m.state === 'rejected'),
    );
    await waitForQuiet(h.database.db);
    expect((await counts()).steps).toBe(before.steps);
    expect(genesysWrites()).toEqual([]);
    const rejectedCard = await h.waitFor('the card says rejected', () => {
      const now = h.slack.message(CHANNEL, card.ts);
      return now?.text?.endsWith(': rejected') ? now : undefined;
    });
    expect(buttonValue(rejectedCard.blocks, BATCH_APPROVE_ACTION)).toBeUndefined();
    // No progress message for a batch that never ran.
    expect(h.slack.messages(CHANNEL).filter((m) => m.threadTs === card.ts)).toEqual([]);
  });

  it('a report the run owes is posted by the sweep, as after a crash before it was recorded', async () => {
    const batch = await h.database.db
      .selectFrom('batches')
      .selectAll()
      .where('state', '=', 'approved')
      .executeTakeFirstOrThrow();
    const reports = () =>
      h.slack.files(CHANNEL).filter((file) => file.filename === `bulk-offboarding-${batch.id}.csv`);
    const already = reports().length;
    await h.database.db
      .updateTable('batches')
      .set({ report_posted_at: null })
      .where('id', '=', batch.id)
      .execute();
    await h.bot.sweep();
    await h.waitFor('the report posted again', () => reports().length === already + 1);
    await waitForQuiet(h.database.db);
    expect(reports()).toHaveLength(already + 1);
  });

  it("removes a batch's reason with its people's details once the retention period is over", async () => {
    const { redactDueRecords } = await import('../../src/workflow/redaction.js');
    const { enqueueNotification } = await import(
      '../../src/offboarding/notification.repository.js'
    );
    const { TEST_RECORD_HASH_KEY } = await import('../helpers/bot-harness.js');
    const pino = (await import('pino')).default;
    const refreshed: number[] = [];
    await redactDueRecords({
      db: h.database.db,
      workflow: { notify: (trx, requestId, event) => enqueueNotification(trx, requestId, event) },
      retentionDays: 30,
      recordHashKey: TEST_RECORD_HASH_KEY,
      logger: pino({ level: 'silent' }),
      now: () => new Date(Date.now() + 31 * 86_400_000),
      batches: {
        refresh: async (_trx, batchId) => {
          refreshed.push(batchId);
        },
      },
    });
    const batches = await h.database.db.selectFrom('batches').selectAll().orderBy('id').execute();
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) {
      expect(batch.reason).toBeNull();
      expect(batch.redacted_at).not.toBeNull();
    }
    expect(refreshed.sort()).toEqual(batches.map((batch) => batch.id));
    // Redrawn by the sweep: the batch cards name nobody any more.
    await h.bot.sweep();
    await waitForQuiet(h.database.db, { timeoutMs: 30_000 });
    for (const card of batchCards()) {
      const now = h.slack.message(CHANNEL, card.ts);
      await h.waitFor('the card without names', () => {
        const json = JSON.stringify(h.slack.message(CHANNEL, card.ts)?.blocks);
        return !json.includes('Bulk Person') && !json.includes('Leaver') && !json.includes('Site');
      });
      expect(now).toBeDefined();
    }
  });
});
