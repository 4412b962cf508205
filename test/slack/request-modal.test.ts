import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  blockSuggestionPayload,
  globalShortcutPayload,
  viewSubmissionPayload,
} from '../../src/playground/slack-requests.js';
import {
  MODAL_BLOCKS,
  OFFBOARD_SHORTCUT_CALLBACK,
  PERSON_PICKER_ACTION,
  REQUEST_MODAL_CALLBACK,
} from '../../src/slack/request-modal.js';
import { CHANNEL, type Harness, JANE, REQUESTER, startHarness } from '../helpers/bot-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

const OTHER_CHANNEL = 'C0APPROVALS';

interface ModalBlock {
  block_id?: string;
  element?: Record<string, unknown>;
}
const TOKYO_USER = { id: 'U0TOKYO', name: 'kenji', email: 'kenji@example.com', tz: 'Asia/Tokyo' };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    users: [
      JANE,
      { name: 'Janet Jackson', email: 'janet.j@example.com', department: 'Sales' },
      { name: 'Bob Janssen', email: 'bob@example.com' },
      { name: 'Gone Jane', email: 'gone.jane@example.com', state: 'deleted' },
    ],
  });
  h.slack.addUser({ ...TOKYO_USER, realName: TOKYO_USER.name });
});
afterAll(async () => {
  await h?.close();
});
let baseline = { requests: 0, commandJobs: 0 };
beforeEach(async () => {
  await waitForQuiet(h.database.db);
  h.slack.clearCalls();
  h.emulator.clearCalls();
  h.emulator.clearFaults();
  baseline = await counts();
});

async function counts() {
  const requests = await h.database.db.selectFrom('offboarding_requests').select('id').execute();
  const jobs = await sql<{ count: string }>`
    select count(*)::text as count from pgboss.job where name = 'slack-command'`.execute(
    h.database.db,
  );
  return { requests: requests.length, commandJobs: Number(jobs.rows[0]?.count) };
}

function suggest(value: string, user = REQUESTER) {
  return h.interact(
    blockSuggestionPayload({
      actionId: PERSON_PICKER_ACTION,
      blockId: MODAL_BLOCKS.person,
      value,
      userId: user.id,
      userName: user.name,
      callbackId: REQUEST_MODAL_CALLBACK,
    }),
  );
}

function optionsOf(json: unknown): Array<{ text: { text: string }; value: string }> {
  return (json as { options: Array<{ text: { text: string }; value: string }> }).options;
}

interface Form {
  email?: string;
  day?: string;
  time?: string;
  reason?: string;
  channel?: string;
  withResponseUrl?: boolean;
}

function submit(
  form: Form,
  user: { id: string; name: string } = REQUESTER,
  responseName = 'modal',
) {
  const values: Record<string, Record<string, unknown>> = {
    [MODAL_BLOCKS.person]: {
      [PERSON_PICKER_ACTION]: {
        type: 'external_select',
        selected_option: form.email
          ? { text: { type: 'plain_text', text: form.email }, value: form.email }
          : null,
      },
    },
    [MODAL_BLOCKS.lastDay]: {
      offboarding_last_day: { type: 'datepicker', selected_date: form.day ?? null },
    },
    [MODAL_BLOCKS.lastTime]: {
      offboarding_last_time: { type: 'timepicker', selected_time: form.time ?? null },
    },
    [MODAL_BLOCKS.reason]: {
      offboarding_reason: { type: 'plain_text_input', value: form.reason ?? null },
    },
    [MODAL_BLOCKS.channel]: {
      offboarding_channel: {
        type: 'conversations_select',
        selected_conversation: form.channel ?? null,
      },
    },
  };
  const channel = form.channel;
  return h.interact(
    viewSubmissionPayload({
      callbackId: REQUEST_MODAL_CALLBACK,
      userId: user.id,
      userName: user.name,
      values,
      responseUrls:
        channel && form.withResponseUrl !== false
          ? [
              {
                block_id: MODAL_BLOCKS.channel,
                action_id: 'offboarding_channel',
                channel_id: channel,
                response_url: h.slack.responseUrl(responseName),
              },
            ]
          : [],
    }),
  );
}

/** Nothing recorded, queued or asked of Genesys. */
async function expectNothingSetInMotion() {
  await waitForQuiet(h.database.db);
  expect(await counts()).toEqual(baseline);
  expect(h.emulator.calls()).toEqual([]);
  expect(h.slack.calls('chat.postMessage')).toEqual([]);
}

function isoDay(offsetDays: number, timeZone = 'UTC'): string {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(date);
}

describe('opening the request modal', () => {
  it('/offboard with no arguments opens the modal, its channel defaulting to where it was typed', async () => {
    const { status, responseName } = await h.command('');
    expect(status).toBe(200);
    const open = await h.slack.waitForCall('views.open');
    expect(open.error).toBeUndefined();
    expect(typeof open.args.trigger_id).toBe('string');
    const view = open.args.view as { callback_id: string; blocks: ModalBlock[] };
    expect(view.callback_id).toBe(REQUEST_MODAL_CALLBACK);
    const channelInput = view.blocks.find((block) => block.block_id === MODAL_BLOCKS.channel);
    expect(channelInput?.element?.initial_conversation).toBe(CHANNEL);
    const person = view.blocks.find((block) => block.block_id === MODAL_BLOCKS.person);
    expect(person?.element).toMatchObject({ type: 'external_select', min_query_length: 2 });
    // Nothing else answers: the modal is the answer.
    await waitForQuiet(h.database.db);
    expect(h.slack.responses(responseName)).toEqual([]);
  });

  it('the global shortcut opens the modal with no channel chosen', async () => {
    const response = await h.interact(
      globalShortcutPayload({ callbackId: OFFBOARD_SHORTCUT_CALLBACK, userId: REQUESTER.id }),
    );
    expect(response.status).toBe(200);
    const open = await h.slack.waitForCall('views.open');
    const view = open.args.view as { blocks: ModalBlock[] };
    const channelInput = view.blocks.find((block) => block.block_id === MODAL_BLOCKS.channel);
    expect(channelInput?.element?.initial_conversation).toBeUndefined();
    expect(channelInput?.element?.response_url_enabled).toBe(true);
  });

  it('when Slack refuses the modal, /offboard answers with the usage instead', async () => {
    h.slack.failMethod('views.open', 'expired_trigger_id', { times: 1 });
    const { responseName } = await h.command('');
    const post = await h.slack.waitForResponse(responseName, () => true, 10_000);
    expect((post.body as { text: string }).text).toContain('Tell me whom to offboard');
    h.slack.clearFailures();
  });
});

describe('the Genesys people picker', () => {
  it('finds people by part of their name or email, prefix matches first', async () => {
    const response = await suggest('jan');
    expect(response.status).toBe(200);
    const options = optionsOf(response.json);
    expect(options.map((option) => option.value)).toEqual([
      'jane.doe@example.com',
      'janet.j@example.com',
      'bob@example.com',
    ]);
    expect(options[0]?.text.text).toBe('Jane Doe — jane.doe@example.com · Support');
    expect(options[1]?.text.text).toBe('Janet Jackson — janet.j@example.com · Sales');
    // Deleted users are not offered.
    expect(options.some((option) => option.value.startsWith('gone'))).toBe(false);
    const searches = h.emulator.calls().filter((call) => call.path === '/api/v2/users/search');
    expect(searches).toHaveLength(1);
    expect(searches[0]?.body).toMatchObject({
      query: [{ type: 'CONTAINS', fields: ['name', 'email'], value: 'jan' }],
    });
  });

  it('searches from two characters on', async () => {
    const response = await suggest('j');
    expect(optionsOf(response.json)).toEqual([]);
    expect(h.emulator.calls()).toEqual([]);
  });

  it('answers within Slack’s 3 seconds even when Genesys is slow', async () => {
    h.emulator.injectFault({ path: '/api/v2/users/search', kind: 'latency', ms: 5000, times: 1 });
    const started = Date.now();
    const response = await suggest('jane');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(optionsOf(response.json)).toEqual([]);
  });
});

describe('submitting the modal', () => {
  it('shows each problem on its own field and sets nothing in motion', async () => {
    const response = await submit({
      email: 'jane.doe@example.com',
      reason: '   ',
      day: '2020-01-01',
      time: '09:00',
      channel: CHANNEL,
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: {
        [MODAL_BLOCKS.reason]: 'Give a reason: approvers and the audit trail need one.',
        [MODAL_BLOCKS.lastDay]: expect.stringContaining('That day is in the past'),
      },
    });
    await expectNothingSetInMotion();
  });

  it('asks for a channel when none was chosen (a shortcut has none)', async () => {
    const response = await submit({ email: 'jane.doe@example.com', reason: 'Leaving' });
    expect(response.json).toMatchObject({
      response_action: 'errors',
      errors: { [MODAL_BLOCKS.channel]: expect.stringContaining('Choose the channel') },
    });
    await expectNothingSetInMotion();
  });

  it('reads "today" in the requester’s own time zone', async () => {
    // Tokyo is ahead of UTC: a time earlier today there than now is in the past.
    const today = isoDay(0, 'Asia/Tokyo');
    const now = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Tokyo',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date());
    const response = await submit(
      { email: 'jane.doe@example.com', reason: 'Leaving', day: today, time: now, channel: CHANNEL },
      TOKYO_USER,
    );
    expect(response.json).toMatchObject({
      response_action: 'errors',
      errors: { [MODAL_BLOCKS.lastTime]: expect.stringContaining('in Asia/Tokyo') },
    });
    const yesterdayInTokyo = isoDay(-1, 'Asia/Tokyo');
    const past = await submit(
      { email: 'jane.doe@example.com', reason: 'Leaving', day: yesterdayInTokyo, channel: CHANNEL },
      TOKYO_USER,
    );
    expect(past.json).toMatchObject({ errors: { [MODAL_BLOCKS.lastDay]: expect.any(String) } });
    await expectNothingSetInMotion();
  });

  it('a good submission closes the modal and posts the same card as the text command', async () => {
    const response = await submit({
      email: 'jane.doe@example.com',
      reason: 'Contract ended',
      channel: OTHER_CHANNEL,
    });
    expect(response.json).toEqual({ response_action: 'clear' });
    const posted = await h.slack.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === OTHER_CHANNEL,
      10_000,
    );
    expect(String(posted.args.text)).toContain('Jane Doe');
    const request = await h.waitFor('the request row', () =>
      h.database.db
        .selectFrom('offboarding_requests')
        .selectAll()
        .where('target_email', '=', 'jane.doe@example.com')
        .where('chat_message_id', 'is not', null)
        .executeTakeFirst(),
    );
    expect(request).toMatchObject({
      state: 'pending',
      requester_id: REQUESTER.id,
      chat_channel_id: OTHER_CHANNEL,
      reason: 'Contract ended',
    });
    const card = h.slack.message(OTHER_CHANNEL, String(request.chat_message_id));
    expect(JSON.stringify(card?.blocks)).toContain('offboarding_approve');
  });

  it('a refusal reaches the requester privately in the chosen channel, as for the command', async () => {
    const response = await submit(
      { email: 'nobody@example.com', reason: 'Leaving', channel: CHANNEL },
      REQUESTER,
      'modal-refusal',
    );
    expect(response.json).toEqual({ response_action: 'clear' });
    const post = await h.slack.waitForResponse('modal-refusal', () => true, 10_000);
    expect(post.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('No Genesys Cloud user has the email nobody@example.com'),
    });
    expect(h.slack.calls('chat.postMessage').filter((c) => c.args.channel === CHANNEL)).toEqual([]);
  });
});
