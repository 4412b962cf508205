import { afterEach, describe, expect, it } from 'vitest';
import { personalConversationId } from '../helpers/teams-activities.js';
import {
  ADAM,
  cardOf,
  cardText,
  JANE,
  MARIA,
  NOTICES_CHANNEL,
  OSCAR,
  startTeamsHarness,
  type TeamsHarness,
} from '../helpers/teams-harness.js';

let h: TeamsHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const notices = { kind: 'channel', channelId: NOTICES_CHANNEL } as const;

async function replyTo(harness: TeamsHarness, activityId: unknown): Promise<string> {
  const reply = await harness.connector.waitForActivity(
    'the reply',
    (a) => a.replyToId === activityId,
  );
  return String(reply.activity.text);
}

describe('the notification conversation', () => {
  it('only an approver can register it; then notices and personal-chat requests go there', async () => {
    h = await startTeamsHarness();
    const harness = h;

    const refused = await harness.say('offboard notify here', OSCAR, notices);
    expect(await replyTo(harness, refused.activity.id)).toContain('Only an approver can choose');
    expect(
      await harness.database.db.selectFrom('teams_notify_conversations').selectAll().execute(),
    ).toEqual([]);

    // Typed inside a thread of the notices channel: notices still start threads of their own.
    const registered = await harness.say('notify here', ADAM, {
      ...notices,
      threadRootId: 'root-1',
    });
    expect(await replyTo(harness, registered.activity.id)).toContain('notices will be posted here');
    const row = await harness.database.db
      .selectFrom('teams_notify_conversations')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      purpose: 'notices',
      conversation_id: NOTICES_CHANNEL,
      registered_by_id: ADAM.aadObjectId,
      registered_by_name: 'Adam Approver',
    });
    // Every change is audited: this one belongs to no request.
    const audited = await harness.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event', '=', 'notify_destination_set')
      .execute();
    expect(audited).toMatchObject([
      {
        request_id: null,
        details: { platform: 'teams', conversationId: NOTICES_CHANNEL },
      },
    ]);

    // A request typed in Maria's personal chat goes to the approvers, in the notices channel.
    const asked = await harness.say(`offboard ${JANE.email} Moving on`, MARIA, {
      kind: 'personal',
    });
    const card = await harness.connector.waitForActivity(
      'the card',
      (a) => a.conversationId === NOTICES_CHANNEL && Array.isArray(a.activity.attachments),
    );
    expect(cardText(cardOf(card.activity))).toContain('Maria Manager asks to offboard');
    const told = await replyTo(harness, asked.activity.id);
    expect(told).toMatch(
      /Request #\d+ for Jane Doe \(jane\.doe@example\.com\) is posted for approval/,
    );
    const request = await harness.waitFor('the attached request', () =>
      harness.database.db
        .selectFrom('offboarding_requests')
        .selectAll()
        .where('chat_message_id', '=', card.id)
        .executeTakeFirst(),
    );
    // The card started a thread in the channel; its progress goes there.
    expect(request.chat_channel_id).toBe(NOTICES_CHANNEL);
    expect((request.chat_context as { conversation: { id: string } }).conversation.id).toBe(
      `${NOTICES_CHANNEL};messageid=${card.id}`,
    );

    await harness.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: card.id },
      ADAM,
      { ...notices, threadRootId: card.id },
    );
    await harness.connector.waitForActivity(
      'a progress reply in the card thread',
      (a) =>
        a.conversationId === `${NOTICES_CHANNEL};messageid=${card.id}` &&
        String(a.activity.text).includes('is complete'),
    );
    const notice = await harness.connector.waitForActivity(
      'the notice',
      (a) => a.conversationId === NOTICES_CHANNEL && String(a.activity.text).includes('Offboarded'),
    );
    expect(notice.replyToId).toBeUndefined();
  });

  it('a request from a personal chat with nowhere to show it is cancelled, and the requester told why', async () => {
    h = await startTeamsHarness();
    const harness = h;
    const asked = await harness.say(`offboard ${JANE.email}`, MARIA, { kind: 'personal' });
    expect(await replyTo(harness, asked.activity.id)).toContain(
      'Approvers cannot see this personal chat',
    );
    const request = await harness.database.db
      .selectFrom('offboarding_requests')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(request.state).toBe('cancelled');
    expect(
      harness.connector.activities().filter((a) => Array.isArray(a.activity.attachments)),
    ).toEqual([]);
    expect(harness.connector.activities(personalConversationId(MARIA))).toHaveLength(1);
  });
});
