import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedUser } from '../../src/genesys/emulator/types.js';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import {
  APPROVER,
  CHANNEL,
  type Harness,
  OUTSIDER,
  REQUESTER,
  SECOND_APPROVER,
  startHarness,
} from '../helpers/bot-harness.js';

// Scheduled offboarding and Cancel, through the real Bolt app, the real job queue and the
// Genesys emulator. "The time comes" is simulated by moving the request's run time and its
// queued job to now, as the clock would.

const person = (name: string): SeedUser => ({
  name,
  email: `${name.toLowerCase().replace(' ', '.')}@example.com`,
});
const USERS = {
  bob: person('Bob Scheduled'),
  carl: person('Carl Late'),
  dora: person('Dora Cancelled'),
  eve: person('Eve Withdrawn'),
  fred: person('Fred Guarded'),
  gina: person('Gina Started'),
  hal: person('Hal Refused'),
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ users: Object.values(USERS) });
  // The requester's Slack profile says Paris: times are read, and shown, in that zone.
  h.slack.addUser({
    id: REQUESTER.id,
    name: REQUESTER.name,
    realName: REQUESTER.name,
    email: REQUESTER.email,
    tz: 'Europe/Paris',
  });
});
afterAll(async () => {
  await h?.close();
});

async function privateAnswer(text: string, user = REQUESTER): Promise<string> {
  const { responseName } = await h.command(text, user);
  const post = await h.slack.waitForResponse(responseName, () => true, 10_000);
  return (post.body as { text?: string }).text ?? '';
}

async function clickAnswer(
  action: 'approve' | 'cancel',
  request: OffboardingRequest,
  user: { id: string; name: string },
  value?: string,
): Promise<string> {
  const { responseName } = await h.click(
    action,
    request.id,
    request.chat_message_id as string,
    user,
    value === undefined ? {} : { value },
  );
  const post = await h.slack.waitForResponse(responseName, () => true, 10_000);
  return (post.body as { text?: string }).text ?? '';
}

async function rowFor(email: string): Promise<OffboardingRequest | undefined> {
  return h.database.db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('target_email', '=', email)
    .executeTakeFirst();
}

async function posted(email: string): Promise<OffboardingRequest> {
  return h.waitFor(`posted request for ${email}`, async () => {
    const row = await rowFor(email);
    return row?.chat_message_id ? row : undefined;
  });
}

async function inState(id: number, state: string): Promise<OffboardingRequest> {
  return h.waitFor(`request ${id} ${state}`, async () => {
    const row = await h.bot.service.findRequest(id);
    return row?.state === state ? row : undefined;
  });
}

function card(request: OffboardingRequest): string {
  return JSON.stringify(h.slack.message(CHANNEL, request.chat_message_id as string)?.blocks ?? []);
}

function buttons(request: OffboardingRequest): string[] {
  const blocks = h.slack.message(CHANNEL, request.chat_message_id as string)?.blocks ?? [];
  return blocks.flatMap((block) =>
    ((block as { elements?: Array<{ action_id?: string }> }).elements ?? []).flatMap((e) =>
      e.action_id ? [e.action_id] : [],
    ),
  );
}

function thread(request: OffboardingRequest): string {
  return h.slack
    .messages(CHANNEL)
    .filter((m) => m.threadTs === request.chat_message_id)
    .map((m) => m.text ?? '')
    .join('\n');
}

async function stepJobs(id: number) {
  const { rows } = await sql<{ state: string; start_after: Date; singleton_key: string }>`
    select state, start_after, singleton_key from pgboss.job
    where name = 'offboarding-step' and data->>'requestId' = ${String(id)}
    order by created_on`.execute(h.database.db);
  return rows;
}

async function stepRows(id: number) {
  return h.database.db
    .selectFrom('workflow_steps')
    .select('step')
    .where('request_id', '=', id)
    .execute();
}

/** The request's audit trail, without the chat deliveries. */
async function auditOf(id: number) {
  return h.database.db
    .selectFrom('audit_events')
    .select(['event', 'actor', 'details'])
    .where('request_id', '=', id)
    .where('event', 'not in', ['notification_sent', 'notification_failed'])
    .orderBy('id')
    .execute();
}

/** Calls about this person: their user, their sessions, a GDPR request naming them. */
const genesysCallsFor = (request: OffboardingRequest) =>
  h.emulator
    .calls()
    .filter(
      (c) =>
        c.path.includes(request.target_genesys_id) ||
        (c.path.startsWith('/api/v2/gdpr') &&
          JSON.stringify(c.body ?? null).includes(request.target_genesys_id)),
    );

/** The clock reaches the run time: the request's time and its queued job become due now. */
async function timeComes(id: number): Promise<void> {
  await sql`update offboarding_requests set run_at = now() where id = ${id}`.execute(h.database.db);
  await sql`update pgboss.job set start_after = now()
    where name = 'offboarding-step' and data->>'requestId' = ${String(id)} and state = 'created'`.execute(
    h.database.db,
  );
}

describe('scheduled offboarding in Slack', () => {
  it('refuses a past, impossible or unreadable time with what to fix, and records nothing', async () => {
    h.emulator.clearCalls();
    const answers = [
      await privateAnswer(`${USERS.hal.email} on 2020-05-01 Old news`),
      await privateAnswer(`${USERS.hal.email} on 2026-02-30 at 10:00`),
      await privateAnswer(`${USERS.hal.email} on 2030-01-01 at 25:00`),
      await privateAnswer(`${USERS.hal.email} on 01/02/2030`),
    ];
    expect(answers[0]).toContain('Fri 1 May 2020, 18:00 CEST (16:00 UTC) is in the past');
    expect(answers[1]).toContain('`2026-02-30` is not a day in the calendar');
    expect(answers[2]).toContain('`25:00` is not a time. Write it as HH:MM on a 24-hour clock');
    expect(answers[3]).toContain('`01/02/2030` is not a date. Write the day as YYYY-MM-DD');
    for (const answer of answers) expect(answer).toContain('Nothing was recorded.');
    // Nothing set in motion: no request, no job, not even the Genesys look-up.
    expect(await rowFor(USERS.hal.email)).toBeUndefined();
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pgboss.job where name = 'offboarding-step'`.execute(
      h.database.db,
    );
    expect(rows[0]?.n).toBe(0);
    expect(h.emulator.calls().filter((c) => c.path.startsWith('/api/'))).toEqual([]);
  });

  it('shows the run time, waits once approved, touches nothing before it, then runs at it', async () => {
    await h.command(`${USERS.bob.email} on 2027-01-15 at 18:00 Last day`);
    const request = await posted(USERS.bob.email);
    expect(request.run_at).toEqual(new Date('2027-01-15T17:00:00Z'));
    expect(request.requester_time_zone).toBe('Europe/Paris');
    // A pending scheduled request expires REQUEST_EXPIRY_HOURS (168 here) after its run time.
    expect(request.expires_at).toEqual(new Date('2027-01-22T17:00:00Z'));
    expect(card(request)).toContain('Runs on Fri 15 Jan 2027, 18:00 CET (17:00 UTC)');
    expect(card(request)).toContain('Last day');
    expect(buttons(request)).toEqual([
      'offboarding_approve',
      'offboarding_reject',
      'offboarding_cancel',
    ]);

    h.emulator.clearCalls();
    await h.click('approve', request.id, request.chat_message_id as string);
    await inState(request.id, 'scheduled');
    // A second click changes nothing: still one decision and one job.
    const earlierValue = `${request.id}.${request.decision_token}`;
    expect(await clickAnswer('approve', request, SECOND_APPROVER, earlierValue)).toContain(
      'already approved',
    );
    const jobs = await stepJobs(request.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ state: 'created', singleton_key: `request-${request.id}` });
    expect(jobs[0]?.start_after).toEqual(new Date('2027-01-15T17:00:00Z'));
    expect(await stepRows(request.id)).toEqual([]);
    expect(genesysCallsFor(request)).toEqual([]);
    expect((await auditOf(request.id)).map((e) => e.event)).toEqual([
      'requested',
      'approved',
      'scheduled',
    ]);
    await h.waitFor('thread says when', () =>
      thread(request).includes('runs on Fri 15 Jan 2027, 18:00 CET (17:00 UTC)'),
    );
    expect(card(request)).toContain('Approved, waiting for its scheduled time');
    expect(buttons(request)).toEqual(['offboarding_cancel']);
    // The sweep leaves a run that is not due alone.
    await h.bot.sweep();
    expect(await stepJobs(request.id)).toHaveLength(1);
    expect(genesysCallsFor(request)).toEqual([]);

    await timeComes(request.id);
    await inState(request.id, 'completed');
    await h.waitFor('thread says it started', () =>
      thread(request).includes('It is the scheduled time: starting the offboarding'),
    );
    // Cancel leaves with the run's start (a completed card offers Evidence instead).
    await h.waitFor('card without Cancel', () => !buttons(request).includes('offboarding_cancel'));
    const posts = genesysCallsFor(request).filter(
      (c) => c.method === 'POST' && c.path === '/api/v2/gdpr/requests',
    );
    expect(posts).toHaveLength(1);
    const events = (await auditOf(request.id)).map((e) => e.event);
    expect(events.filter((e) => e === 'run_started')).toHaveLength(1);
    expect(events.at(-1)).toBe('completed');
  });

  it('starts at once when the approval comes after the scheduled time', async () => {
    await h.command(`${USERS.carl.email} on 2027-03-01`);
    const request = await posted(USERS.carl.email);
    // 18:00 in Paris (OFFBOARD_DEFAULT_TIME) on a winter day.
    expect(request.run_at).toEqual(new Date('2027-03-01T17:00:00Z'));
    await sql`update offboarding_requests set run_at = now() - interval '1 hour'
      where id = ${request.id}`.execute(h.database.db);
    await h.click('approve', request.id, request.chat_message_id as string);
    await inState(request.id, 'completed');
    const events = (await auditOf(request.id)).map((e) => e.event);
    expect(events).not.toContain('scheduled');
    expect(events.slice(0, 3)).toEqual(['requested', 'approved', 'run_started']);
  });
});

describe('Cancel', () => {
  it('an approver cancels a scheduled request with /offboard cancel; its timer then starts nothing', async () => {
    await h.command(`${USERS.dora.email} on 2027-02-01 at 09:00`);
    const request = await posted(USERS.dora.email);
    await h.click('approve', request.id, request.chat_message_id as string);
    await inState(request.id, 'scheduled');

    expect(await privateAnswer(`cancel ${request.id}`, SECOND_APPROVER)).toContain(
      `Request #${request.id} is cancelled. Nothing was changed in Genesys Cloud.`,
    );
    const cancelled = await inState(request.id, 'cancelled');
    expect(cancelled.finished_at).not.toBeNull();
    const audit = await auditOf(request.id);
    expect(audit.at(-1)).toMatchObject({
      event: 'cancelled',
      actor: `slack:${SECOND_APPROVER.id}`,
      details: { via: 'command', wasState: 'scheduled' },
    });
    await h.waitFor('thread says who cancelled', () =>
      thread(request).includes(`Cancelled by ${SECOND_APPROVER.name}.`),
    );
    expect(card(request)).toContain('Cancelled. Nothing was changed in Genesys Cloud.');
    expect(buttons(request)).toEqual([]);

    // The job queued for the run time fires anyway, and finds nothing to start.
    await timeComes(request.id);
    await h.waitFor('the timer fired', async () => {
      const jobs = await stepJobs(request.id);
      return jobs.length === 1 && jobs[0]?.state === 'completed';
    });
    await h.bot.sweep();
    expect((await h.bot.service.findRequest(request.id))?.state).toBe('cancelled');
    expect(await stepRows(request.id)).toEqual([]);
    expect(genesysCallsFor(request)).toEqual([]);
    expect((await auditOf(request.id)).map((e) => e.event)).not.toContain('run_started');
  });

  it('the requester withdraws a pending request with the Cancel button; nothing is set in motion', async () => {
    h.emulator.clearCalls();
    await h.command(`${USERS.eve.email} Leaving`);
    const request = await posted(USERS.eve.email);
    expect(await clickAnswer('cancel', request, REQUESTER)).toContain('is cancelled');
    await inState(request.id, 'cancelled');
    expect((await auditOf(request.id)).at(-1)).toMatchObject({
      event: 'cancelled',
      actor: `slack:${REQUESTER.id}`,
      details: { via: 'button', wasState: 'pending' },
    });
    expect(await h.bot.service.decisionFor(request.id)).toBeUndefined();
    expect(await stepRows(request.id)).toEqual([]);
    expect(await stepJobs(request.id)).toEqual([]);
    expect(genesysCallsFor(request)).toEqual([]);
    await h.waitFor('card redrawn', () => buttons(request).length === 0);
  });

  it('is refused to others, to another card, and after the run started', async () => {
    await h.command(`${USERS.fred.email}`);
    const request = await posted(USERS.fred.email);
    expect(await clickAnswer('cancel', request, OUTSIDER)).toContain(
      `Only the person who filed request #${request.id} or an approver can cancel it.`,
    );
    expect(await clickAnswer('cancel', request, APPROVER, `${request.id}.forged-token`)).toContain(
      'This card is out of date',
    );
    expect((await h.bot.service.findRequest(request.id))?.state).toBe('pending');
    const refused = (await auditOf(request.id)).filter((e) => e.event === 'decision_refused');
    expect(refused.map((e) => [e.actor, (e.details as { reason: string }).reason])).toEqual([
      [`slack:${OUTSIDER.id}`, 'not_allowed'],
      [`slack:${APPROVER.id}`, 'stale_card'],
    ]);
    expect(await stepJobs(request.id)).toEqual([]);

    // A run that has started: Genesys keeps failing its first step, so it stays running.
    await h.command(`${USERS.gina.email}`);
    const started = await posted(USERS.gina.email);
    h.emulator.injectFault({
      method: 'DELETE',
      path: `/api/v2/tokens/${started.target_genesys_id}`,
      kind: 'status',
      status: 503,
    });
    await h.click('approve', started.id, started.chat_message_id as string);
    await inState(started.id, 'running');
    await h.waitFor(
      'Cancel gone from the card',
      () => !buttons(started).includes('offboarding_cancel'),
    );
    expect(await privateAnswer(`cancel ${started.id}`, APPROVER)).toContain(
      `Request #${started.id} has already started, so it can no longer be cancelled.`,
    );
    // A click on a copy of the card from before the run started.
    const earlierValue = `${started.id}.${started.decision_token}`;
    expect(await clickAnswer('cancel', started, APPROVER, earlierValue)).toContain(
      'has already started',
    );
    expect((await h.bot.service.findRequest(started.id))?.state).toBe('running');
    h.emulator.clearFaults();
  });
});
