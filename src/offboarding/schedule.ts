/**
 * When a scheduled offboarding runs: `on YYYY-MM-DD [at HH:MM]`, read as a wall-clock time in the
 * requester's time zone. Shared by Slack and Teams; the adapters only say which zone the
 * requester is in.
 */

/** What the requester typed after `on` (and `at`), not yet checked. */
export interface ScheduleInput {
  date: string;
  time: string | undefined;
}

export type ScheduleProblem =
  | { kind: 'bad_date'; input: string }
  | { kind: 'impossible_date'; input: string }
  | { kind: 'bad_time'; input: string }
  /** A wall-clock time that a daylight-saving change skips in that zone (02:30 on a spring day). */
  | { kind: 'skipped_time'; date: string; time: string; timeZone: string }
  | { kind: 'in_the_past'; runAt: Date; timeZone: string };

export type ResolvedSchedule =
  | { ok: true; runAt: Date; timeZone: string }
  | { ok: false; problem: ScheduleProblem };

export const UTC = 'UTC';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** `HH:MM` on a 24-hour clock (`9:05` too); undefined when it is not one. */
export function parseTimeOfDay(value: string): { hour: number; minute: number } | undefined {
  const match = TIME.exec(value.trim());
  if (!match) return undefined;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The zone if the runtime knows it (an IANA name such as Europe/Paris), else UTC. */
export function knownTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return UTC;
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return UTC;
  }
}

/**
 * The instant the run is due. `defaultTime` (`OFFBOARD_DEFAULT_TIME`) is used when only a date
 * was given. A date or time that cannot be read, a date that does not exist (2026-02-30), a time
 * the zone's clocks skip, and a moment not after `now` are refused with what was wrong.
 */
export function resolveSchedule(
  input: ScheduleInput,
  options: { timeZone: string | undefined; defaultTime: string; now: Date },
): ResolvedSchedule {
  const refuse = (problem: ScheduleProblem): ResolvedSchedule => ({ ok: false, problem });
  const dateMatch = DATE.exec(input.date);
  if (!dateMatch) return refuse({ kind: 'bad_date', input: input.date });
  const [year, month, day] = [Number(dateMatch[1]), Number(dateMatch[2]), Number(dateMatch[3])];
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  if (
    calendarDay.getUTCFullYear() !== year ||
    calendarDay.getUTCMonth() !== month - 1 ||
    calendarDay.getUTCDate() !== day
  ) {
    return refuse({ kind: 'impossible_date', input: input.date });
  }
  const timeText = input.time ?? options.defaultTime;
  const time = parseTimeOfDay(timeText);
  if (!time) return refuse({ kind: 'bad_time', input: timeText });

  const timeZone = knownTimeZone(options.timeZone);
  const wallClock = Date.UTC(year, month - 1, day, time.hour, time.minute);
  const runAt = instantOfWallClock(wallClock, timeZone);
  if (runAt === undefined) {
    return refuse({ kind: 'skipped_time', date: input.date, time: timeText, timeZone });
  }
  if (runAt.getTime() <= options.now.getTime()) {
    return refuse({ kind: 'in_the_past', runAt, timeZone });
  }
  return { ok: true, runAt, timeZone };
}

/**
 * The instant whose wall clock in `timeZone` reads `wallClock` (given as if it were UTC), or
 * undefined when that zone skips it. Of two instants (clocks going back) the earlier is taken.
 */
function instantOfWallClock(wallClock: number, timeZone: string): Date | undefined {
  const candidates = new Set<number>();
  // The offset can differ on either side of a change: try the offsets found a day around it.
  for (const probe of [wallClock - 86_400_000, wallClock, wallClock + 86_400_000]) {
    candidates.add(wallClock - offsetMs(new Date(probe), timeZone));
  }
  const matching = [...candidates]
    .filter((instant) => instant + offsetMs(new Date(instant), timeZone) === wallClock)
    .sort((a, b) => a - b);
  const first = matching[0];
  return first === undefined ? undefined : new Date(first);
}

/** How far the zone's wall clock is ahead of UTC at `date`, in milliseconds. */
function offsetMs(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return asUtc - (date.getTime() - date.getUTCMilliseconds());
}

/**
 * "Fri 18 Dec 2026, 18:00 CET (17:00 UTC)": the requester's wall clock with the zone's short
 * name, then UTC (with its own date when that differs) for readers elsewhere.
 */
export function formatRunTime(runAt: Date, timeZone: string): string {
  const zone = knownTimeZone(timeZone);
  const local = wallClockParts(runAt, zone);
  const utc = wallClockParts(runAt, UTC);
  const localText = `${local.date}, ${local.time} ${zoneName(runAt, zone)}`;
  if (zone === UTC) return localText;
  const utcText = utc.date === local.date ? `${utc.time} UTC` : `${utc.date}, ${utc.time} UTC`;
  return `${localText} (${utcText})`;
}

function wallClockParts(date: Date, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`,
    time: `${part('hour')}:${part('minute')}`,
  };
}

/** CET, EST, UTC where a common abbreviation exists (British or American English), else GMT+9. */
function zoneName(date: Date, timeZone: string): string {
  let fallback = '';
  for (const locale of ['en-GB', 'en-US']) {
    const name =
      new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
        .formatToParts(date)
        .find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (name !== '' && !name.startsWith('GMT')) return name;
    fallback ||= name;
  }
  return fallback || timeZone;
}

/**
 * A pending request expires `expiryHours` after its scheduled time or after its creation,
 * whichever is later: approvers always have the whole window, and a request for next month is
 * not dropped before anyone could act on it.
 */
export function expiryOf(createdAt: Date, runAt: Date | undefined, expiryHours: number): Date {
  const from = Math.max(createdAt.getTime(), runAt?.getTime() ?? 0);
  return new Date(from + expiryHours * 3_600_000);
}
