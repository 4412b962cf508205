import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import {
  fakeTriggerId,
  homeBlockActionPayload,
  viewSubmissionPayload,
} from '../../src/playground/slack-requests.js';
import { HOME_APPROVE_ACTION, HOME_REJECT_ACTION } from '../../src/slack/home.js';
import {
  REJECT_MODAL_CALLBACK,
  REJECT_REASON_ACTION,
  REJECT_REASON_BLOCK,
} from '../../src/slack/reject-modal.js';
import {
  APPROVER,
  buttonValue,
  CHANNEL,
  type Harness,
  JANE,
  OUTSIDER,
  REQUESTER,
  SECOND_APPROVER,
  startHarness,
} from '../helpers/bot-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

const JOHN = { name: 'John Roe', email: 'john.roe@example.com', department: 'Billing' };
const KIM = { name: 'Kim Poe', email: 'kim.poe@example.com' };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ users: [JANE, JOHN, KIM] });
});
afterAll(async () => {
  await h?.close();
});

async function fileRequest(email: string, user: { id: string; name: string } = REQUESTER) {
  await h.command(`${email} leaving`, user);
  return h.waitFor(`the posted request for ${email}`, async () => {
    const row = await h.database.db
      .selectFrom('offboarding_requests')
      .selectAll()
      .where('target_email', '=', email)
      .executeTakeFirst();
    return row?.chat_message_id ? row : undefined;
  });
}

async function openHome(user: { id: string }) {
  const before = h.slack.home(user.id)?.updateCount ?? -1;
  const response = await h.event({
    type: 'app_home_opened',
    user: user.id,
    channel: `D${user.id.slice(1)}`,
    tab: 'home',
    event_ts: `${Date.now() / 1000}`,
  });
  expect(response.status).toBe(200);
  return h.waitFor(`${user.id}'s Home`, () => {
    const home = h.slack.home(user.id);
    return home && home.updateCount > before ? home : undefined;
  });
}

function homeText(user: { id: string }): string {
  return JSON.stringify(h.slack.home(user.id)?.view.blocks ?? []);
}

function homeButton(user: { id: string }, actionId: string, requestId: number): string | undefined {
  const blocks = (h.slack.home(user.id)?.view.blocks ?? []) as Array<{ block_id?: string }>;
  return buttonValue(
    blocks.filter((block) => block.block_id === `offboarding_home_decision_${requestId}`),
    actionId,
  );
}

function clickHome(user: { id: string; name: string }, actionId: string, value: string) {
  return h.interact(
    homeBlockActionPayload({ actionId, value, userId: user.id, userName: user.name }),
  );
}

/** Reject on the Home tab: the click opens the modal; its submission decides. Returns its answer. */
async function rejectFromHome(
  user: { id: string; name: string },
  value: string,
  reason?: string,
): Promise<string | undefined> {
  const triggerId = fakeTriggerId();
  await h.interact(
    homeBlockActionPayload({
      actionId: HOME_REJECT_ACTION,
      value,
      userId: user.id,
      userName: user.name,
      triggerId,
    }),
  );
  const modal = await h.waitFor('the Reject modal', () =>
    h.slack.modals().find((view) => view.triggerId === triggerId),
  );
  expect(JSON.parse(String(modal.view.private_metadata))).toEqual({
    button: value,
    surface: 'slack_app_home',
  });
  const submitted = await h.interact(
    viewSubmissionPayload({
      callbackId: REJECT_MODAL_CALLBACK,
      userId: user.id,
      userName: user.name,
      viewId: modal.id,
      privateMetadata: String(modal.view.private_metadata),
      values: {
        [REJECT_REASON_BLOCK]: {
          [REJECT_REASON_ACTION]: { type: 'plain_text_input', value: reason ?? null },
        },
      },
    }),
  );
  const answer = submitted.json as
    | { response_action?: string; view?: { blocks?: Array<{ text?: { text?: string } }> } }
    | undefined;
  return answer?.response_action === 'update' ? answer.view?.blocks?.[0]?.text?.text : undefined;
}

async function waitForNotice(user: { id: string }, text: string) {
  return h.waitFor(`a notice "${text}" on ${user.id}'s Home`, () =>
    homeText(user).includes(text) ? true : undefined,
  );
}

async function expectUntouched(request: OffboardingRequest) {
  await waitForQuiet(h.database.db);
  expect((await h.bot.service.findRequest(request.id))?.state).toBe('pending');
  expect(await h.bot.service.decisionFor(request.id)).toBeUndefined();
  const steps = await h.database.db
    .selectFrom('workflow_steps')
    .select('id')
    .where('request_id', '=', request.id)
    .execute();
  expect(steps).toEqual([]);
  const jobs = await sql<{ count: string }>`
    select count(*)::text as count from pgboss.job
    where name = 'offboarding-step' and data->>'requestId' = ${String(request.id)}`.execute(
    h.database.db,
  );
  expect(jobs.rows[0]?.count).toBe('0');
  expect(h.emulator.calls().filter((c) => c.path.includes(request.target_genesys_id))).toEqual([]);
}

async function auditOf(requestId: number, event: 'approved' | 'decision_refused') {
  return h.database.db
    .selectFrom('audit_events')
    .select(['actor', 'details'])
    .where('request_id', '=', requestId)
    .where('event', '=', event)
    .orderBy('id')
    .execute();
}

describe('the App Home', () => {
  it('shows approvers what waits, with the card’s own decision buttons; others see only their requests', async () => {
    const request = await fileRequest(JANE.email);
    await openHome(APPROVER);
    expect(homeText(APPROVER)).toContain('Waiting for a decision* (1)');
    expect(homeText(APPROVER)).toContain('Jane Doe');
    const card = h.slack.message(CHANNEL, String(request.chat_message_id));
    expect(homeButton(APPROVER, HOME_APPROVE_ACTION, request.id)).toBe(
      buttonValue(card?.blocks, 'offboarding_approve'),
    );

    await openHome(REQUESTER);
    expect(homeText(REQUESTER)).not.toContain('Waiting for a decision');
    expect(homeText(REQUESTER)).toContain(`#${request.id}`);
    expect(homeText(REQUESTER)).toContain('Waiting for approval');
    expect(homeButton(REQUESTER, HOME_APPROVE_ACTION, request.id)).toBeUndefined();

    await openHome(OUTSIDER);
    expect(homeText(OUTSIDER)).not.toContain('Jane Doe');
    expect(homeText(OUTSIDER)).toContain('You have not requested any offboarding yet.');
  });

  it('an approver who filed a request sees it without buttons', async () => {
    const request = await fileRequest(KIM.email, SECOND_APPROVER);
    await openHome(SECOND_APPROVER);
    expect(homeText(SECOND_APPROVER)).toContain('Your own request: another approver decides it.');
    expect(homeButton(SECOND_APPROVER, HOME_APPROVE_ACTION, request.id)).toBeUndefined();
  });

  it('Approve from the Home tab decides through the checked path, runs the request and refreshes Homes and the card', async () => {
    const request = await fileRequest(JOHN.email);
    await openHome(APPROVER);
    await openHome(REQUESTER);
    const value = homeButton(APPROVER, HOME_APPROVE_ACTION, request.id);
    expect(value).toBeDefined();
    const response = await clickHome(APPROVER, HOME_APPROVE_ACTION, value as string);
    expect(response.status).toBe(200);

    await waitForNotice(APPROVER, `Request #${request.id} for John Roe: approved.`);
    const [approval] = await auditOf(request.id, 'approved');
    expect(approval?.actor).toBe(`slack:${APPROVER.id}`);
    expect(approval?.details).toMatchObject({ surface: 'slack_app_home' });
    // The shared card shows the decision too.
    const card = await h.waitFor('the card updated', () => {
      const message = h.slack.message(CHANNEL, String(request.chat_message_id));
      return message && message.updateCount > 0 ? message : undefined;
    });
    expect(JSON.stringify(card.blocks)).not.toContain('offboarding_approve');
    // The run goes on as from the card, and the requester's Home follows it.
    await h.waitFor('the request completed', async () =>
      (await h.bot.service.findRequest(request.id))?.state === 'completed' ? true : undefined,
    );
    await h.waitFor("the requester's Home shows the completion", () =>
      /John Roe \(john\.roe@example\.com\) · Completed/.test(homeText(REQUESTER))
        ? true
        : undefined,
    );
  });

  it('refuses a Home click the same way as a card click, and sets nothing in motion', async () => {
    const request = await h.waitFor('Kim’s pending request', () =>
      h.database.db
        .selectFrom('offboarding_requests')
        .selectAll()
        .where('target_email', '=', KIM.email)
        .executeTakeFirst(),
    );
    await openHome(APPROVER);
    const goodValue = homeButton(APPROVER, HOME_APPROVE_ACTION, request.id) as string;
    expect(goodValue).toMatch(new RegExp(`^${request.id}\\.`));
    h.emulator.clearCalls();

    // A forged value: the right number, a wrong token.
    await clickHome(APPROVER, HOME_APPROVE_ACTION, `${request.id}.forged-token`);
    await waitForNotice(APPROVER, 'This card is out of date');
    // Someone who is not an approver, with the real value.
    await clickHome(OUTSIDER, HOME_APPROVE_ACTION, goodValue);
    await waitForNotice(OUTSIDER, 'Only an approver can approve or reject');
    // The approver who filed it: Reject opens the modal, whose submission is refused.
    const rejection = await rejectFromHome(SECOND_APPROVER, goodValue, 'no');
    expect(rejection).toContain('another approver must decide it');
    await waitForNotice(SECOND_APPROVER, 'another approver must decide it');

    await expectUntouched(request);
    const refused = await auditOf(request.id, 'decision_refused');
    expect(refused.map((row) => row.details)).toEqual([
      expect.objectContaining({ reason: 'stale_card', surface: 'slack_app_home' }),
      expect.objectContaining({ reason: 'not_approver', surface: 'slack_app_home' }),
      expect.objectContaining({ reason: 'self_decision', surface: 'slack_app_home' }),
    ]);
  });
});
