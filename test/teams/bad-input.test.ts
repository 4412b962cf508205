import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedActivity } from '../helpers/fake-bot-connector.js';
import type { TeamsPlace } from '../helpers/teams-activities.js';
import {
  CHANNEL,
  cardOf,
  cardText,
  JANE,
  MARIA,
  markdownTexts,
  startTeamsHarness,
  type TeamsHarness,
} from '../helpers/teams-harness.js';

let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness({
    users: [
      JANE,
      { name: 'Twin One', email: 'twin@example.com' },
      { name: 'Twin Two', email: 'twin@example.com' },
      { name: 'Gone Person', email: 'gone@example.com', state: 'deleted' },
      { name: 'Maria Manager', email: MARIA.userPrincipalName },
      { name: 'Star *Bold* [Link](http://x)', email: 'star@example.com' },
    ],
  });
});
afterAll(async () => {
  await h?.close();
});

/** The bot's answer to a message: a plain-text reply to it, and no card anywhere. */
async function answer(text: string, place: TeamsPlace = { kind: 'channel', channelId: CHANNEL }) {
  const cardsBefore = cards().length;
  const said = await h.say(text, MARIA, place);
  expect(said.status).toBe(200);
  const reply = await h.connector.waitForActivity(
    `the answer to "${text}"`,
    (a) => a.replyToId === said.activity.id,
  );
  expect(reply.activity.textFormat).toBe('plain');
  expect(cards()).toHaveLength(cardsBefore);
  return String(reply.activity.text);
}

const cards = (): RecordedActivity[] =>
  h.connector.activities().filter((a) => Array.isArray(a.activity.attachments));

describe('bad input gets a specific answer and posts no card', () => {
  it('a malformed email', async () => {
    expect(await answer('offboard jane.doe-at-example Last day')).toContain(
      '“jane.doe-at-example” is not an email address',
    );
  });

  it('no Genesys user with that email', async () => {
    expect(await answer('offboard nobody@example.com')).toContain(
      'No Genesys Cloud user has the email nobody@example.com',
    );
  });

  it('several Genesys users with that email', async () => {
    expect(await answer('offboard twin@example.com')).toContain(
      '2 Genesys Cloud users have the email twin@example.com',
    );
  });

  it('a user who is already deleted', async () => {
    expect(await answer('offboard gone@example.com')).toContain(
      'Genesys search does not show users who are already deleted',
    );
  });

  it('an open request for the same user', async () => {
    const { request } = await h.requestInChannel(JANE.email, 'first');
    expect(await answer(`offboard ${JANE.email} again`)).toContain(
      `Request #${request.id} for jane.doe@example.com is already open`,
    );
    const open = await h.database.db
      .selectFrom('offboarding_requests')
      .select('id')
      .where('target_email', '=', JANE.email)
      .where('state', '=', 'pending')
      .execute();
    expect(open).toHaveLength(1);
  });

  it('a requester who targets themselves (their UPN comes from TeamsInfo.getMember)', async () => {
    expect(await answer(`offboard ${MARIA.userPrincipalName}`)).toContain(
      'You cannot request your own offboarding',
    );
  });

  it('help and status explain themselves, with or without the offboard keyword', async () => {
    expect(await answer('help')).toContain('offboard jane.doe@example.com Last day Friday');
    expect(await answer('offboard help')).toContain('Usage');
    expect(await answer('status')).toContain('Your recent requests');
    expect(await answer('offboard status 99999')).toContain('There is no request #99999');
    expect(await answer('status abc')).toContain('is not a request number');
  });

  it('an email Teams turned into a mailto link still works', async () => {
    const text = 'offboard <a href="mailto:nobody@example.com">nobody@example.com</a>';
    expect(await answer(text)).toContain('No Genesys Cloud user has the email nobody@example.com');
  });

  it('the unauthenticated mode said so at start', () => {
    expect(h.logs.join('')).toContain('TEAMS_ALLOW_UNAUTHENTICATED: /api/messages accepts');
  });

  it('a body that is not an activity gets 400', async () => {
    const response = await fetch(`${h.bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'not json',
    });
    expect(response.status).toBe(400);
  });
});

describe('text from people and from Genesys', () => {
  it('shows literally on the posted card: no markdown, no links', async () => {
    const reason = '*urgent* _now_ [see HR](http://evil.example) <b>x</b>';
    const { card } = await h.requestInChannel('star@example.com', reason);
    const content = cardOf(card.activity);
    expect(markdownTexts(content)).toEqual([]);
    const text = cardText(content);
    expect(text).toContain('Star *Bold* [Link](http://x)');
    expect(text).toContain(`Reason: ${reason}`);
  });
});
