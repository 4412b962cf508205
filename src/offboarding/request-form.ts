import { isValidEmail } from './command.js';

/**
 * What a request form (the Slack modal, the Teams card form) collects. Dates and times are as
 * the person picked them, in their own time zone: `YYYY-MM-DD` and `HH:MM`.
 */
export interface RequestFormFields {
  targetEmail: string;
  lastDay?: string | undefined;
  lastTime?: string | undefined;
  reason: string;
}

export type RequestFormField = keyof RequestFormFields;

/** Problems with a form, by field, in words for the person who filled it in. */
export type RequestFormErrors = Partial<Record<RequestFormField, string>>;

export const MAX_REASON_LENGTH = 1000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The text of the `offboard` command that asks for the same thing as the form:
 * `<email> [on YYYY-MM-DD [at HH:MM]] <reason>`. A form submission is handled as exactly this
 * command (same parser, same checks, same card), so the form and the typed command cannot
 * drift apart; the last day reaches the domain wherever the command's parser puts it.
 */
export function offboardCommandText(fields: RequestFormFields): string {
  const when = fields.lastDay
    ? [`on ${fields.lastDay}`, ...(fields.lastTime ? [`at ${fields.lastTime}`] : [])]
    : [];
  return [fields.targetEmail.trim(), ...when, oneLine(fields.reason)].join(' ');
}

/**
 * What is wrong with a form, checked before anything is recorded. `timeZone` is the person's
 * (an IANA name, e.g. from Slack's users.info `tz`): the last day may not be in the past there.
 */
export function requestFormErrors(
  fields: RequestFormFields,
  now: Date,
  timeZone: string | undefined,
): RequestFormErrors {
  const errors: RequestFormErrors = {};
  const email = fields.targetEmail.trim();
  if (email === '') errors.targetEmail = 'Choose the person to offboard.';
  else if (!isValidEmail(email)) errors.targetEmail = `“${email}” is not an email address.`;

  const reason = fields.reason.trim();
  if (reason === '') errors.reason = 'Give a reason: approvers and the audit trail need one.';
  else if (reason.length > MAX_REASON_LENGTH) {
    errors.reason = `Keep the reason under ${MAX_REASON_LENGTH} characters (it has ${reason.length}).`;
  }

  const day = fields.lastDay?.trim() || undefined;
  const time = fields.lastTime?.trim() || undefined;
  if (time !== undefined && !TIME.test(time)) errors.lastTime = 'Use a time like 17:30.';
  if (day === undefined) {
    if (time !== undefined && !errors.lastTime) errors.lastDay = 'Pick the day for that time.';
    return errors;
  }
  if (!isCalendarDay(day)) {
    errors.lastDay = 'Use a date like 2026-12-31.';
    return errors;
  }
  const here = localNow(now, timeZone);
  if (day < here.day) {
    errors.lastDay = `That day is in the past (today is ${here.day}${here.zoneLabel}).`;
  } else if (day === here.day && time !== undefined && !errors.lastTime && time <= here.time) {
    errors.lastTime = `That time has passed (it is ${here.time}${here.zoneLabel}).`;
  }
  return errors;
}

function isCalendarDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** Today and the time of day in `timeZone`; UTC when the zone is unknown or missing. */
function localNow(
  now: Date,
  timeZone: string | undefined,
): { day: string; time: string; zoneLabel: string } {
  let zone = timeZone ?? 'UTC';
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatter(zone).formatToParts(now);
  } catch {
    zone = 'UTC';
    parts = formatter(zone).formatToParts(now);
  }
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return {
    day: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}`,
    zoneLabel: ` in ${zone}`,
  };
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
