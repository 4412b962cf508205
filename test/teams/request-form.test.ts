import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FORM_INPUTS, REQUEST_FORM_VERB } from '../../src/teams/request-form-card.js';
import { executeActivity, type TeamsPlace } from '../helpers/teams-activities.js';
import {
  ADAM,
  CHANNEL,
  cardOf,
  cardText,
  executeActions,
  JANE,
  MARIA,
  OSCAR,
  startTeamsHarness,
  type TeamsHarness,
} from '../helpers/teams-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

const channel: TeamsPlace = { kind: 'channel', channelId: CHANNEL };
const JOHN = { name: 'John Roe', email: 'john.roe@example.com' };
const KIM = { name: 'Kim Poe', email: 'kim.poe@example.com' };

let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness({ users: [JANE, JOHN, KIM] });
});
afterAll(async () => {
  await h?.close();
});

let baseline = { requests: 0, commandJobs: 0 };
beforeEach(async () => {
  await waitForQuiet(h.database.db);
  h.emulator.clearCalls();
  baseline = await counts();
});

async function counts() {
  const requests = await h.database.db.selectFrom('offboarding_requests').select('id').execute();
  const jobs = await sql<{ count: string }>`
    select count(*)::text as count from pgboss.job where name = 'teams-command'`.execute(
    h.database.db,
  );
  return { requests: requests.length, commandJobs: Number(jobs.rows[0]?.count) };
}

/** Presses the form's Request button with these values, as Teams sends an Action.Execute. */
async function submitForm(
  values: Record<string, string>,
  options: { from?: typeof MARIA; timeZone?: string } = {},
) {
  const activity = executeActivity(
    h.connector.serviceUrl,
    options.from ?? MARIA,
    { requestId: 0, decision: 'approved', token: null },
    channel,
  );
  activity.value = {
    action: { type: 'Action.Execute', verb: REQUEST_FORM_VERB, data: values },
    trigger: 'manual',
  };
  if (options.timeZone) activity.localTimezone = options.timeZone;
  const { status, body } = await h.post(activity);
  expect(status).toBe(200);
  return (body as { value: unknown }).value;
}

function inputs(card: unknown): Array<{ type: string; id: string; isMultiline?: boolean }> {
  return ((card as { body: Array<{ type: string; id: string }> }).body ?? []).filter((element) =>
    element.type.startsWith('Input.'),
  );
}

describe('the Teams request form', () => {
  it('`offboard` alone answers with the form: emails, a date, a time, a reason and Request', async () => {
    const said = await h.say('offboard', MARIA);
    const reply = await h.connector.waitForActivity(
      'the form',
      (a) => a.replyToId === said.activity.id,
    );
    const card = cardOf(reply.activity);
    expect(inputs(card).map((input) => [input.type, input.id])).toEqual([
      ['Input.Text', FORM_INPUTS.emails],
      ['Input.Date', FORM_INPUTS.lastDay],
      ['Input.Time', FORM_INPUTS.lastTime],
      ['Input.Text', FORM_INPUTS.reason],
    ]);
    expect(inputs(card)[0]?.isMultiline).toBe(true);
    expect(executeActions(card).map((action) => action.verb)).toEqual([REQUEST_FORM_VERB]);
  });

  it('shows bad input on the form and sets nothing in motion', async () => {
    const card = await submitForm({
      [FORM_INPUTS.emails]: 'jane.doe@example.com\njohn.roe@example.com',
      [FORM_INPUTS.lastDay]: '2020-01-01',
      [FORM_INPUTS.reason]: ' ',
    });
    const text = cardText(card);
    expect(text).toContain('That day is in the past');
    expect(text).toContain('Give a reason');
    // What was entered stays in the form.
    expect(JSON.stringify(card)).toContain('john.roe@example.com');
    await waitForQuiet(h.database.db);
    expect(await counts()).toEqual(baseline);
    expect(h.emulator.calls()).toEqual([]);
  });

  it('reads the last day in the sender’s time zone', async () => {
    const yesterdayInAuckland = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Pacific/Auckland',
    }).format(new Date(Date.now() - 86_400_000));
    const card = await submitForm(
      {
        [FORM_INPUTS.emails]: 'jane.doe@example.com',
        [FORM_INPUTS.lastDay]: yesterdayInAuckland,
        [FORM_INPUTS.reason]: 'Leaving',
      },
      { timeZone: 'Pacific/Auckland' },
    );
    expect(cardText(card)).toContain('in Pacific/Auckland');
  });

  it('a good form is handled as the typed command: the request card is posted for approval', async () => {
    const card = await submitForm({
      [FORM_INPUTS.emails]: ' jane.doe@example.com ',
      [FORM_INPUTS.reason]: 'Contract ended',
    });
    expect(cardText(card)).toContain('Looking up jane.doe@example.com');
    expect(executeActions(card)).toEqual([]);
    const request = await h.waitFor('the posted request', () =>
      h.database.db
        .selectFrom('offboarding_requests')
        .selectAll()
        .where('target_email', '=', JANE.email)
        .where('chat_message_id', 'is not', null)
        .executeTakeFirst(),
    );
    expect(request).toMatchObject({ state: 'pending', reason: 'Contract ended' });
    const posted = h.connector.activity(String(request.chat_message_id));
    expect(cardText(cardOf(posted?.activity))).toContain('Jane Doe');
  });
});

describe('offboard list', () => {
  it('shows an approver what waits, with decision buttons that decide through the checked path', async () => {
    const { request } = await h.requestInChannel(JOHN.email, 'leaving');
    const said = await h.say('offboard list', ADAM);
    const reply = await h.connector.waitForActivity(
      'the list',
      (a) => a.replyToId === said.activity.id,
    );
    const list = cardOf(reply.activity);
    expect(cardText(list)).toContain('John Roe');
    const approve = executeActions(list).find(
      (action) =>
        (action.data as { offboardingRequestId: number; offboardingDecision: string })
          .offboardingRequestId === request.id &&
        (action.data as { offboardingDecision: string }).offboardingDecision === 'approved',
    );
    expect(approve?.data).toMatchObject({
      offboardingToken: request.decision_token,
      offboardingSurface: 'teams_list',
    });

    // Clicked in the list (its own message, not the card).
    const activity = executeActivity(
      h.connector.serviceUrl,
      ADAM,
      { requestId: request.id, decision: 'approved', token: null, cardActivityId: reply.id },
      channel,
    );
    (activity.value as { action: { data: unknown } }).action.data = approve?.data;
    const click = await h.post(activity);
    expect(cardText((click.body as { value: unknown }).value)).toContain(
      `Request #${request.id}: approved.`,
    );
    const approval = await h.database.db
      .selectFrom('audit_events')
      .select(['actor', 'details'])
      .where('request_id', '=', request.id)
      .where('event', '=', 'approved')
      .executeTakeFirst();
    expect(approval?.details).toMatchObject({ surface: 'teams_list' });
    await h.waitFor('the request completed', async () =>
      (await h.bot.service.findRequest(request.id))?.state === 'completed' ? true : undefined,
    );
  });

  it('refuses a forged token from the list and sets nothing in motion', async () => {
    const { request } = await h.requestInChannel(KIM.email, 'leaving');
    h.emulator.clearCalls();
    const activity = executeActivity(
      h.connector.serviceUrl,
      ADAM,
      { requestId: request.id, decision: 'approved', token: 'forged' },
      channel,
    );
    (
      activity.value as { action: { data: Record<string, unknown> } }
    ).action.data.offboardingSurface = 'teams_list';
    const click = await h.post(activity);
    expect(cardText((click.body as { value: unknown }).value)).toContain('out of date');
    await waitForQuiet(h.database.db);
    expect((await h.bot.service.findRequest(request.id))?.state).toBe('pending');
    expect(await h.bot.service.decisionFor(request.id)).toBeUndefined();
    const jobs = await sql<{ count: string }>`
      select count(*)::text as count from pgboss.job
      where name = 'offboarding-step' and data->>'requestId' = ${String(request.id)}`.execute(
      h.database.db,
    );
    expect(jobs.rows[0]?.count).toBe('0');
    expect(h.emulator.calls().filter((c) => c.path.includes(request.target_genesys_id))).toEqual(
      [],
    );
  });

  it('tells someone who is not an approver that only approvers have a list', async () => {
    const said = await h.say('offboard list', OSCAR);
    const reply = await h.connector.waitForActivity(
      'the answer',
      (a) => a.replyToId === said.activity.id,
    );
    expect(reply.activity.text).toContain('Only approvers have requests waiting for them.');
    expect(reply.activity.attachments).toBeUndefined();
  });
});
