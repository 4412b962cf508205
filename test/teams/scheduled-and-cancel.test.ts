import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import { messageActivity } from '../helpers/teams-activities.js';
import {
  ADAM,
  CHANNEL,
  cardOf,
  cardText,
  executeActions,
  MARIA,
  startTeamsHarness,
  type TeamsHarness,
} from '../helpers/teams-harness.js';

// `offboard <email> on … at …` and Cancel in Teams: the time is read in the activity's
// localTimezone, and Cancel works from the card and as `offboard cancel <id>`.

let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness({
    users: [
      { name: 'Sam Scheduled', email: 'sam@example.com' },
      { name: 'Tia Typed', email: 'tia@example.com' },
    ],
  });
});
afterAll(async () => {
  await h?.close();
});

const channel = { kind: 'channel' as const, channelId: CHANNEL };

/** Maria types the command in the channel, her Teams client in New York. */
async function requestFromNewYork(text: string) {
  const activity: Record<string, unknown> = {
    ...messageActivity(h.connector.serviceUrl, MARIA, text, channel),
    localTimezone: 'America/New_York',
  };
  await h.post(activity);
  const conversationId = `${CHANNEL};messageid=${activity.id as string}`;
  const card = await h.connector.waitForActivity(
    'the request card',
    (a) => a.conversationId === conversationId && Array.isArray(a.activity.attachments),
  );
  const request = await h.waitFor('the request, attached to its card', async () =>
    h.database.db
      .selectFrom('offboarding_requests')
      .selectAll()
      .where('chat_message_id', '=', card.id)
      .executeTakeFirst(),
  );
  const place = {
    kind: 'channel' as const,
    channelId: CHANNEL,
    threadRootId: activity.id as string,
  };
  return { card, request, place };
}

const choices = (card: unknown) =>
  executeActions(card).map((a) => (a.data as { offboardingDecision: string }).offboardingDecision);

async function inState(id: number, state: string): Promise<OffboardingRequest> {
  return h.waitFor(`request ${id} ${state}`, async () => {
    const row = await h.bot.service.findRequest(id);
    return row?.state === state ? row : undefined;
  });
}

describe('scheduled offboarding and Cancel in Teams', () => {
  it('reads the time in the client’s zone, waits once approved, and is cancelled from the card', async () => {
    const { card, request, place } = await requestFromNewYork(
      'offboard sam@example.com on 2027-01-15 at 09:00 Last day',
    );
    expect(request.run_at).toEqual(new Date('2027-01-15T14:00:00Z'));
    expect(cardText(cardOf(card.activity))).toContain(
      'Runs on Fri 15 Jan 2027, 09:00 EST (14:00 UTC)',
    );
    expect(choices(cardOf(card.activity))).toEqual(['approved', 'rejected', 'cancelled']);

    h.emulator.clearCalls();
    const approved = await h.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: card.id },
      ADAM,
      place,
    );
    expect(cardText(approved.body.value)).toContain('Approved, waiting for its scheduled time');
    expect(choices(approved.body.value)).toEqual(['cancelled']);
    await inState(request.id, 'scheduled');

    const cancelled = await h.execute(
      { requestId: request.id, decision: 'cancelled', cardActivityId: card.id },
      ADAM,
      place,
    );
    expect(cardText(cancelled.body.value)).toContain(
      'Cancelled. Nothing was changed in Genesys Cloud.',
    );
    expect(choices(cancelled.body.value)).toEqual([]);
    await inState(request.id, 'cancelled');
    const audit = await h.database.db
      .selectFrom('audit_events')
      .select(['event', 'actor', 'details'])
      .where('request_id', '=', request.id)
      .where('event', '=', 'cancelled')
      .execute();
    expect(audit).toMatchObject([
      { actor: `teams:${ADAM.aadObjectId}`, details: { via: 'button', wasState: 'scheduled' } },
    ]);
    await h.waitFor('the thread is told', () =>
      h.connector
        .activities()
        .some((a) => String(a.activity.text ?? '').includes('Cancelled by Adam Approver')),
    );
    // Nothing reached the person in Genesys, and the run's timer has nothing left to start.
    expect(h.emulator.calls().filter((c) => c.path.includes(request.target_genesys_id))).toEqual(
      [],
    );
    await sql`update pgboss.job set start_after = now()
      where name = 'offboarding-step' and data->>'requestId' = ${String(request.id)}`.execute(
      h.database.db,
    );
    await h.waitFor('the timer fired', async () => {
      const { rows } = await sql<{ state: string }>`select state from pgboss.job
        where name = 'offboarding-step' and data->>'requestId' = ${String(request.id)}`.execute(
        h.database.db,
      );
      return rows.length === 1 && rows[0]?.state === 'completed';
    });
    expect((await h.bot.service.findRequest(request.id))?.state).toBe('cancelled');
    expect(h.emulator.calls().filter((c) => c.path.includes(request.target_genesys_id))).toEqual(
      [],
    );
  });

  it('offboard cancel <id>: the requester withdraws; a date that does not exist is refused', async () => {
    const { request } = await requestFromNewYork('offboard tia@example.com Leaving');
    await h.say(`offboard cancel ${request.id}`, MARIA);
    await h.connector.waitForActivity('the answer', (a) =>
      String(a.activity.text ?? '').includes(`Request #${request.id} is cancelled.`),
    );
    await inState(request.id, 'cancelled');

    await h.say('offboard tia@example.com on 2027-02-29', MARIA);
    await h.connector.waitForActivity('the refusal', (a) =>
      String(a.activity.text ?? '').includes(
        '“2027-02-29” is not a day in the calendar. Check the month and the day',
      ),
    );
    const rows = await h.database.db
      .selectFrom('offboarding_requests')
      .select('id')
      .where('target_email', '=', 'tia@example.com')
      .execute();
    expect(rows).toHaveLength(1);
  });
});
