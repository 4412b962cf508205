import { afterEach, describe, expect, it } from 'vitest';
import type { RequestState } from '../../src/offboarding/request.table.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { type ProcessWorld, startProcessWorld, until } from '../helpers/process-world.js';
import { hasPostgres } from '../helpers/test-database.js';

/**
 * The grace period's timer (ERASURE_DELAY_HOURS) is a pg-boss job in PostgreSQL, not a timer in a
 * process: it survives the death of the instance that set it, and fires once however many
 * instances share the database.
 */

const CHANNEL = 'C0TIMER';
const TARGET = { name: 'Timer Target', email: 'timer.target@example.com' };
/** 10.8 s: the reminder halfway through, at 5.4 s. */
const DELAY_HOURS = '0.003';

let world: ProcessWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function startWorld(): Promise<ProcessWorld> {
  world = await startProcessWorld({
    target: TARGET,
    channel: CHANNEL,
    gdpr: { pollsPerStage: 1 },
    env: { ERASURE_DELAY_HOURS: DELAY_HOURS },
  });
  return world;
}

async function requestAndApprove(w: ProcessWorld, bot: BotProcess): Promise<number> {
  const request = await w.offboard(bot);
  await w.approve(bot, request);
  return request.id;
}

async function requestRow(w: ProcessWorld, requestId: number) {
  return w.database.db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
}

async function reachState(
  w: ProcessWorld,
  requestId: number,
  state: RequestState,
  timeoutMs = 60_000,
) {
  return until(
    state,
    async () => {
      const row = await requestRow(w, requestId);
      return row.state === state ? row : undefined;
    },
    timeoutMs,
  );
}

async function auditCount(w: ProcessWorld, requestId: number, event: string): Promise<number> {
  const rows = await w.database.db
    .selectFrom('audit_events')
    .select('id')
    .where('request_id', '=', requestId)
    .where('event', '=', event as never)
    .execute();
  return rows.length;
}

/**
 * The erasure was filed once, not before it was due, and the thread reminded as often as the
 * audit says: once, or not at all when no instance ran from the reminder's time to the erasure's
 * (a reminder the erasure has overtaken would give nobody time to Undo).
 */
async function expectErasedOnceAfterGrace(
  w: ProcessWorld,
  requestId: number,
  reminders: 0 | 1,
): Promise<void> {
  const completed = await reachState(w, requestId, 'completed');
  expect(w.emulator.gdprRequests()).toHaveLength(1);
  const filings = w.emulator
    .calls()
    .filter((c) => c.method === 'POST' && c.path === '/api/v2/gdpr/requests');
  expect(filings).toHaveLength(1);
  expect(filings[0]?.at).toBeGreaterThanOrEqual((completed.erasure_due_at as Date).getTime());
  expect(await auditCount(w, requestId, 'erasure_scheduled')).toBe(1);
  expect(await auditCount(w, requestId, 'erasure_reminder_sent')).toBe(reminders);
  const posted = w.slack
    .messages(CHANNEL)
    .filter((m) => m.text?.includes('Reminder: the GDPR request'));
  expect(posted).toHaveLength(reminders);
}

describe.skipIf(!hasPostgres)('the erasure timer (ERASURE_DELAY_HOURS)', () => {
  it('survives a SIGKILL between being scheduled and firing, and fires once', {
    timeout: 400_000,
  }, async () => {
    const w = await startWorld();
    const first = await w.startBot('first');
    const requestId = await requestAndApprove(w, first);
    const parked = await reachState(w, requestId, 'awaiting_erasure');
    await first.kill('SIGKILL');
    // Killed well before the reminder's time (halfway through the 10.8 s).
    expect(await auditCount(w, requestId, 'erasure_reminder_sent')).toBe(0);
    expect(w.emulator.gdprRequests()).toEqual([]);
    // Nobody runs while the erasure comes due: no process holds a timer for it.
    await until(
      'the erasure to come due with no bot running',
      async () => ((parked.erasure_due_at as Date).getTime() < Date.now() ? true : undefined),
      30_000,
    );
    expect(w.emulator.gdprRequests()).toEqual([]);
    await w.startBot('second');
    await expectErasedOnceAfterGrace(w, requestId, 0);
  });

  it('two instances share the timer: the reminder and the erasure happen once', {
    timeout: 400_000,
  }, async () => {
    const w = await startWorld();
    const [first] = await Promise.all([w.startBot('first'), w.startBot('second')]);
    const requestId = await requestAndApprove(w, first as BotProcess);
    await reachState(w, requestId, 'awaiting_erasure');
    expect(w.emulator.gdprRequests()).toEqual([]);
    await expectErasedOnceAfterGrace(w, requestId, 1);
  });
});
