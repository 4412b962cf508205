import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPROVER,
  CHANNEL,
  type Harness,
  JANE,
  OUTSIDER,
  REQUESTER,
  startHarness,
} from '../helpers/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    users: [
      JANE,
      { name: 'Twin One', email: 'twin@example.com' },
      { name: 'Twin Two', email: 'twin@example.com' },
      { name: 'Gone Person', email: 'gone@example.com', state: 'deleted' },
      { name: 'Maria Manager', email: REQUESTER.email },
    ],
    requesters: [REQUESTER.id, APPROVER.id],
  });
});
afterAll(async () => {
  await h?.close();
});

/** The private answer to the command, and a check that nothing was posted in the channel. */
async function privateAnswer(text: string, user = REQUESTER): Promise<string> {
  const before = h.slack.messages(CHANNEL).length;
  const { status, responseName } = await h.command(text, user);
  expect(status).toBe(200);
  const post = await h.slack.waitForResponse(responseName, () => true, 10_000);
  const body = post.body as { response_type?: string; text?: string };
  expect(body.response_type).toBe('ephemeral');
  expect(h.slack.messages(CHANNEL).length).toBe(before);
  return body.text ?? '';
}

describe('bad input gets a specific private answer and posts nothing', () => {
  it('no argument, when Slack cannot open the request modal', async () => {
    h.slack.failMethod('views.open', 'expired_trigger_id', { times: 1 });
    expect(await privateAnswer('')).toContain('Tell me whom to offboard');
  });

  it('a malformed email', async () => {
    expect(await privateAnswer('jane.doe-at-example Last day')).toContain(
      '`jane.doe-at-example` is not an email address',
    );
  });

  it('no Genesys user with that email', async () => {
    expect(await privateAnswer('nobody@example.com')).toContain(
      'No Genesys Cloud user has the email nobody@example.com',
    );
  });

  it('several Genesys users with that email', async () => {
    expect(await privateAnswer('twin@example.com')).toContain(
      '2 Genesys Cloud users have the email twin@example.com',
    );
  });

  it('a user who is already deleted', async () => {
    expect(await privateAnswer('gone@example.com')).toContain(
      'Genesys search does not show users who are already deleted',
    );

    // Genesys search does not return deleted users; an earlier request of ours remembers the id.
    const gone = h.emulator.seedUsers([{ name: 'Left Earlier', email: 'left@example.com' }])[0];
    if (!gone) throw new Error('seed failed');
    await h.command('left@example.com');
    const request = await h.waitFor('request', () =>
      h.database.db
        .selectFrom('offboarding_requests')
        .selectAll()
        .where('target_email', '=', 'left@example.com')
        .executeTakeFirst(),
    );
    const ts = await h.waitFor(
      'request message',
      async () => (await h.bot.service.findRequest(request.id))?.chat_message_id ?? undefined,
    );
    await h.reject(request.id, ts);
    await h.waitFor(
      'rejected',
      async () => (await h.bot.service.findRequest(request.id))?.state === 'rejected',
    );
    // The rejection's own thread reply lands first, so the check below counts only its answer.
    await h.waitFor('rejection reply', () =>
      h.slack.messages(CHANNEL).some((m) => m.threadTs === ts && m.text?.includes('rejected by')),
    );
    // Someone deletes the user by hand in Genesys after that request was rejected.
    const token = await loginToEmulator();
    await fetch(`${h.emulator.url}/api/v2/users/${gone.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await privateAnswer('left@example.com')).toContain('is already deleted');
  });

  it('an open request for the same user, with a link to it', async () => {
    await h.command(`${JANE.email} first`);
    await h.waitFor('first request posted', () =>
      h.slack.messages(CHANNEL).some((m) => m.text?.includes('jane.doe@example.com')),
    );
    const answer = await privateAnswer(`${JANE.email} again`);
    expect(answer).toMatch(/Request #\d+ for jane\.doe@example\.com is already open/);
    const open = await h.database.db
      .selectFrom('offboarding_requests')
      .select('id')
      .where('target_email', '=', JANE.email)
      .where('state', '=', 'pending')
      .execute();
    expect(open).toHaveLength(1);
  });

  it('a requester who is not allowed to request', async () => {
    expect(await privateAnswer(JANE.email, OUTSIDER)).toContain(
      'You are not allowed to request offboardings',
    );
  });

  it('a requester who targets themselves', async () => {
    expect(await privateAnswer(REQUESTER.email)).toContain(
      'You cannot request your own offboarding',
    );
    expect(await privateAnswer(`<@${REQUESTER.id}|maria>`)).toContain(
      'You cannot request your own offboarding',
    );
  });

  it('help and status explain themselves', async () => {
    expect(await privateAnswer('help')).toContain('/offboard jane.doe@example.com');
    expect(await privateAnswer('status')).toContain('Your recent requests');
    expect(await privateAnswer('status 99999')).toContain('There is no request #99999');
    expect(await privateAnswer('status abc')).toContain('is not a request number');
    const [own] = await h.database.db.selectFrom('offboarding_requests').select('id').execute();
    expect(await privateAnswer(`status ${own?.id}`)).toContain(`#${own?.id}`);
    expect(await privateAnswer(`status ${own?.id}`, OUTSIDER)).toContain(
      'visible only to the person who filed it and the approvers',
    );
  });
});

async function loginToEmulator(): Promise<string> {
  const response = await fetch(`${h.emulator.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('emulator-client:emulator-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
