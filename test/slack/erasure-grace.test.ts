import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import { QUEUES } from '../../src/workflow/queue.js';
import {
  APPROVER,
  buttonValue,
  CHANNEL,
  type Harness,
  NOTIFY_CHANNEL,
  OUTSIDER,
  REQUESTER,
  SECOND_APPROVER,
  startHarness,
} from '../helpers/bot-harness.js';

/** Someone who is an approver and also the person being offboarded in one test. */
const LEAVING_APPROVER = { id: 'U0LEAVING', name: 'lena', email: 'agent-leaving@example.com' };

let counter = 0;

async function request(h: Harness, email: string): Promise<OffboardingRequest> {
  return h.waitFor('request', async () => {
    const row = await h.database.db
      .selectFrom('offboarding_requests')
      .selectAll()
      .where('target_email', '=', email)
      .executeTakeFirst();
    return row?.chat_message_id ? row : undefined;
  });
}

async function state(h: Harness, id: number): Promise<OffboardingRequest> {
  const row = await h.bot.service.findRequest(id);
  if (!row) throw new Error(`no request ${id}`);
  return row;
}

/** Files a request for a fresh user and has an approver approve it; returns it parked. */
async function parkedRequest(h: Harness, email = `agent${counter++}@example.com`) {
  await h.command(`${email} leaving`);
  const filed = await request(h, email);
  const ts = filed.chat_message_id as string;
  await h.click('approve', filed.id, ts, APPROVER);
  const parked = await h.waitFor('awaiting_erasure', async () => {
    const row = await state(h, filed.id);
    return row.state === 'awaiting_erasure' ? row : undefined;
  });
  // The card shows the Undo button once the thread has been told.
  await h.waitFor('undo button', () => buttonValue(card(h, ts), 'offboarding_undo'), 40_000);
  return { request: parked, ts, undoValue: buttonValue(card(h, ts), 'offboarding_undo') as string };
}

function card(h: Harness, ts: string): unknown[] | undefined {
  return h.slack.message(CHANNEL, ts)?.blocks;
}

function threadTexts(h: Harness, ts: string): string[] {
  return h.slack
    .messages(CHANNEL)
    .filter((m) => m.threadTs === ts)
    .map((m) => m.text ?? '');
}

async function undoAnswer(
  h: Harness,
  id: number,
  ts: string,
  user: { id: string; name: string },
  value?: string,
): Promise<string> {
  const { responseName } = await h.click('undo', id, ts, user, value ? { value } : {});
  const post = await h.slack.waitForResponse(responseName, () => true, 20_000);
  const body = post.body as { response_type?: string; text?: string };
  expect(body.response_type).toBe('ephemeral');
  return body.text ?? '';
}

async function waitingStepJobs(h: Harness, id: number) {
  const { rows } = await sql<{ state: string; start_after: Date }>`
    select state, start_after from pgboss.job
    where name = ${QUEUES.step} and singleton_key = ${`request-${id}`}
      and state in ('created', 'retry')`.execute(h.database.db);
  return rows;
}

function userOf(h: Harness, request: OffboardingRequest) {
  return h.emulator.user(request.target_genesys_id);
}

function gdprFor(h: Harness, request: OffboardingRequest) {
  return h.emulator
    .gdprRequests()
    .filter((g) => JSON.stringify(g).includes(request.target_genesys_id));
}

async function auditEvents(h: Harness, id: number) {
  return h.database.db
    .selectFrom('audit_events')
    .select(['event', 'actor', 'details'])
    .where('request_id', '=', id)
    .orderBy('id')
    .execute();
}

/**
 * Nothing more happens for this request: no job of it is due or running, and its chat messages
 * are delivered. (Other requests of the file keep their jobs waiting for their grace period, so
 * the whole queue never drains.)
 */
async function settled(h: Harness, id: number): Promise<void> {
  await h.waitFor('the request to settle', async () => {
    const { rows } = await sql<{ busy: number }>`
      select
        (select count(*)::int from pgboss.job
          where singleton_key = ${`request-${id}`}
            and (state in ('active', 'retry') or (state = 'created' and start_after <= now())))
        + (select count(*)::int from chat_notifications
          where request_id = ${id} and status = 'pending') as busy`.execute(h.database.db);
    return rows[0]?.busy === 0;
  });
}

/** Brings the erasure forward to now and wakes the request's job, as the timer firing would. */
async function makeErasureDue(h: Harness, id: number): Promise<void> {
  await h.database.db
    .updateTable('offboarding_requests')
    .set({ erasure_due_at: new Date(Date.now() - 1000) })
    .where('id', '=', id)
    .execute();
  await sql`delete from pgboss.job where name = ${QUEUES.step}
    and singleton_key = ${`request-${id}`} and state = 'created'`.execute(h.database.db);
  await h.bot.queue.send(QUEUES.step, { requestId: id }, { singletonKey: `request-${id}` });
}

describe('grace period with Undo (ERASURE_DELAY_HOURS=1)', { timeout: 120_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      erasureDelayHours: 1,
      users: [
        ...Array.from({ length: 8 }, (_, i) => ({
          name: `Agent ${i}`,
          email: `agent${i}@example.com`,
        })),
        { name: 'Lena Leaving', email: LEAVING_APPROVER.email },
      ],
      approvers: [APPROVER.id, SECOND_APPROVER.id, LEAVING_APPROVER.id],
    });
    h.slack.addUser({
      id: LEAVING_APPROVER.id,
      name: LEAVING_APPROVER.name,
      realName: LEAVING_APPROVER.name,
      email: LEAVING_APPROVER.email,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('soft-deletes at once, files nothing, and says when the erasure will be filed', async () => {
    const started = Date.now();
    const { request, ts } = await parkedRequest(h);
    expect(userOf(h, request)?.state).toBe('deleted');
    expect(h.emulator.tokenRevocations().length).toBeGreaterThan(0);
    expect(gdprFor(h, request)).toEqual([]);
    const due = request.erasure_due_at as Date;
    expect(due.getTime()).toBeGreaterThanOrEqual(started + 3_600_000 - 5_000);
    expect(due.getTime()).toBeLessThanOrEqual(Date.now() + 3_600_000);
    // One durable job waits: the reminder at half-time of a grace period shorter than 48 h.
    const jobs = await waitingStepJobs(h, request.id);
    expect(jobs).toHaveLength(1);
    const wakeInMs = (jobs[0]?.start_after.getTime() ?? 0) - due.getTime();
    expect(Math.abs(wakeInMs + 1_800_000)).toBeLessThan(5_000);
    const thread = await h.waitFor('the thread to say when', () => {
      const text = threadTexts(h, ts).join('\n');
      return text.includes('The GDPR request will be filed on') ? text : undefined;
    });
    expect(thread).toContain('is soft-deleted and signed out.');
    expect(thread).not.toContain('File the GDPR request: started');
    const undo = JSON.stringify(card(h, ts));
    expect(undo).toContain('offboarding_undo');
    expect(undo).toContain('extensions, the default station or roles granted directly');
    expect(undo).toContain('Soft-deleted, waiting to file the GDPR request');
    expect((await auditEvents(h, request.id)).map((e) => e.event)).toContain('erasure_scheduled');
  });

  it('refuses an Undo from a non-approver, the person offboarded and an old card; nothing changes', async () => {
    const { request, ts, undoValue } = await parkedRequest(h);
    const leaving = await parkedRequest(h, LEAVING_APPROVER.email);
    h.emulator.clearCalls();
    expect(await undoAnswer(h, request.id, ts, OUTSIDER)).toContain(
      'Only an approver can undo an offboarding. Nothing was changed.',
    );
    expect(await undoAnswer(h, leaving.request.id, leaving.ts, LEAVING_APPROVER)).toContain(
      'This request is about you, so you cannot undo it.',
    );
    const forged = `${request.id}.not-the-token-of-this-request`;
    expect(await undoAnswer(h, request.id, ts, APPROVER, forged)).toContain('out of date');
    expect(undoValue).not.toBe(forged);

    for (const r of [request, leaving.request]) {
      expect((await state(h, r.id)).state).toBe('awaiting_erasure');
      expect(userOf(h, r)?.state).toBe('deleted');
      expect(await waitingStepJobs(h, r.id)).toHaveLength(1);
    }
    expect(h.emulator.calls().filter((c) => c.method === 'PATCH')).toEqual([]);
    const refusals = (await auditEvents(h, request.id)).filter((e) => e.event === 'undo_refused');
    expect(refusals.map((e) => (e.details as { reason: string }).reason)).toEqual([
      'not_approver',
      'stale_card',
    ]);
  });

  it('Undo restores the user with its current version, cancels the erasure and ends restored', async () => {
    const { request, ts, undoValue } = await parkedRequest(h);
    const deletedVersion = userOf(h, request)?.version;
    h.emulator.clearCalls();
    expect(await undoAnswer(h, request.id, ts, SECOND_APPROVER)).toContain(
      'is restored in Genesys Cloud and the GDPR request will not be filed',
    );
    const restored = await state(h, request.id);
    expect(restored.state).toBe('restored');
    expect(restored.finished_at).not.toBeNull();
    expect(userOf(h, request)?.state).toBe('active');
    const patch = h.emulator.calls().find((c) => c.method === 'PATCH');
    expect(patch?.body).toEqual({ state: 'active', version: deletedVersion });
    expect(await waitingStepJobs(h, request.id)).toEqual([]);

    await h.waitFor('thread and notice', () =>
      threadTexts(h, ts).some((t) => t.includes('Undone by'))
        ? h.slack.messages(NOTIFY_CHANNEL).find((m) => m.text?.includes('Offboarding undone'))
        : undefined,
    );
    expect(threadTexts(h, ts).join('\n')).toContain('A restore does not bring back extensions');
    await h.waitFor('card without Undo', () => {
      const blocks = JSON.stringify(card(h, ts));
      return !blocks.includes('offboarding_undo') && blocks.includes('Undone on');
    });
    const restoredEvent = (await auditEvents(h, request.id)).find((e) => e.event === 'restored');
    expect(restoredEvent?.actor).toBe(`slack:${SECOND_APPROVER.id}`);

    // The erasure's timer firing now (a job queued before the Undo) files nothing.
    await h.bot.queue.send(QUEUES.step, { requestId: request.id });
    await settled(h, request.id);
    expect((await state(h, request.id)).state).toBe('restored');
    expect(gdprFor(h, request)).toEqual([]);
    expect(userOf(h, request)?.state).toBe('active');

    // A second Undo changes nothing.
    expect(await undoAnswer(h, request.id, ts, APPROVER, undoValue)).toContain(
      'was already undone',
    );
  });

  it('after the erasure was filed, Undo is refused and the user stays deleted', async () => {
    const { request, ts, undoValue } = await parkedRequest(h);
    await makeErasureDue(h, request.id);
    await h.waitFor('completed', async () => (await state(h, request.id)).state === 'completed');
    expect(gdprFor(h, request)).toHaveLength(1);
    // The card is redrawn after the state change, not inside it.
    await h.waitFor('the card drops Undo', () =>
      JSON.stringify(card(h, ts)).includes('offboarding_undo') ? undefined : true,
    );
    h.emulator.clearCalls();
    // A click on the card as it was before the erasure.
    expect(await undoAnswer(h, request.id, ts, APPROVER, undoValue)).toContain(
      'Too late to undo request',
    );
    expect((await state(h, request.id)).state).toBe('completed');
    expect(userOf(h, request)?.state).toBe('deleted');
    expect(h.emulator.calls().filter((c) => c.method === 'PATCH')).toEqual([]);
    expect(threadTexts(h, ts).join('\n')).toContain(
      'The grace period is over: filing the GDPR request',
    );
  });

  it('an Undo racing the erasure: exactly one of them happens', async () => {
    for (let round = 0; round < 3; round++) {
      const { request, ts } = await parkedRequest(h);
      await makeErasureDue(h, request.id);
      const answer = await undoAnswer(h, request.id, ts, APPROVER);
      await settled(h, request.id);
      const final = await state(h, request.id);
      const filed = gdprFor(h, request);
      if (final.state === 'restored') {
        expect(answer).toContain('is restored in Genesys Cloud');
        expect(filed).toEqual([]);
        expect(userOf(h, request)?.state).toBe('active');
      } else {
        expect(answer).toMatch(/Too late to undo/);
        expect(filed).toHaveLength(1);
        expect(userOf(h, request)?.state).toBe('deleted');
      }
    }
  });
});

describe('grace period timers (ERASURE_DELAY_HOURS=0.003, 10.8 s)', { timeout: 90_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ erasureDelayHours: 0.003 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reminds the thread once halfway through, then files the GDPR request once', async () => {
    const { request, ts } = await parkedRequest(h, 'jane.doe@example.com');
    await h.waitFor(
      'reminder',
      () => threadTexts(h, ts).some((t) => t.includes('Reminder: the GDPR request')),
      15_000,
    );
    const remindedAfterMs = Date.now() - (request.erasure_due_at as Date).getTime();
    // Halfway through 10.8 s: about 5.4 s before the erasure (the queue polls every 0.5 s).
    expect(remindedAfterMs).toBeLessThan(0);
    expect(gdprFor(h, request)).toEqual([]);
    await h.waitFor(
      'completed',
      async () => (await state(h, request.id)).state === 'completed',
      30_000,
    );
    expect(gdprFor(h, request)).toHaveLength(1);
    const filedAt = h.emulator
      .calls()
      .find((c) => c.method === 'POST' && c.path.includes('gdpr'))?.at;
    expect(filedAt).toBeGreaterThanOrEqual((request.erasure_due_at as Date).getTime());
    const thread = threadTexts(h, ts);
    expect(thread.filter((t) => t.includes('Reminder: the GDPR request'))).toHaveLength(1);
    const events = (await auditEvents(h, request.id)).map((e) => e.event);
    expect(events.filter((e) => e === 'erasure_reminder_sent')).toHaveLength(1);
    expect(events).toEqual(
      expect.arrayContaining(['erasure_scheduled', 'erasure_reminder_sent', 'completed']),
    );
    expect(REQUESTER.id).toBe(request.requester_id);
  });
});
