import { afterEach, describe, expect, it } from 'vitest';
import { type ProcessWorld, startProcessWorld, WORLD_APPROVER } from '../helpers/process-world.js';
import { hasPostgres } from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait.js';

// A reminder is a due time in the database, not a timer in a process: the bot that filed the
// request is killed (SIGKILL) before the reminder is due, and two fresh instances sharing the
// database then send each reminder once between them.

const CHANNEL = 'C0REMIND';
const TARGET = { name: 'Waiting Target', email: 'waiting.target@example.com' };
const REMINDER_HOURS = 0.005; // 18 s: longer than a bot takes to start on a busy machine
const PERIOD_MS = REMINDER_HOURS * 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let world: ProcessWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function startWorld(): Promise<ProcessWorld> {
  world = await startProcessWorld({
    target: TARGET,
    channel: CHANNEL,
    startTimeoutMs: 90_000,
    env: { APPROVAL_REMINDER_HOURS: String(REMINDER_HOURS) },
  });
  return world;
}

describe.skipIf(!hasPostgres)('reminders across a SIGKILL and two instances', () => {
  it('the reminder due after the crash is sent once, and the next one too', {
    timeout: 240_000,
  }, async () => {
    const w = await startWorld();
    const first = await w.startBot('first');
    const request = await w.offboard(first);
    await first.kill('SIGKILL');
    expect(Date.now() - request.created_at.getTime()).toBeLessThan(PERIOD_MS);
    expect(request.reminders_sent).toBe(0);

    // Nobody runs while the first reminder falls due.
    await sleep(Math.max(0, request.created_at.getTime() + PERIOD_MS + 500 - Date.now()));
    await Promise.all([w.startBot('second'), w.startBot('third')]);

    const reminders = () =>
      w.slack
        .messages(CHANNEL)
        .filter(
          (m) => m.threadTs === request.chat_message_id && m.text?.includes('Reminder: this'),
        );
    const directMessages = () =>
      w.slack
        .messages(`D${WORLD_APPROVER.id.slice(1)}`)
        .filter((m) => m.text?.includes('Reminder'));
    await waitFor('first reminder', () => reminders().length === 1, { timeoutMs: 30_000 });
    await waitFor('second reminder', () => reminders().length === 2, { timeoutMs: 30_000 });
    // Half a period later still two: neither instance sent one twice.
    await sleep(PERIOD_MS / 2);
    expect(reminders()).toHaveLength(2);
    await waitFor('direct messages', () => directMessages().length === 2, { timeoutMs: 10_000 });
    const audited = await w.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('request_id', '=', request.id)
      .where('event', '=', 'approval_reminder')
      .execute();
    // Numbered by the period they belong to: when starting took longer than a period, the
    // missed ones are not sent in a burst.
    const [one, two] = audited.map((row) => (row.details as { reminder: number }).reminder);
    expect(audited).toHaveLength(2);
    expect(two).toBe((one ?? 0) + 1);
    expect(reminders()[0]?.text).toContain(`<@${WORLD_APPROVER.id}>`);
  });
});
