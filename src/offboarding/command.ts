import type { ScheduleInput } from './schedule.js';

/** The text after `/offboard` (Slack) or after the bot's name (Teams), understood the same way. */
export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'status'; requestId: number | undefined }
  | { kind: 'status_invalid'; input: string }
  | { kind: 'notify_here' }
  | { kind: 'cancel'; requestId: number }
  | { kind: 'cancel_invalid'; input: string }
  | {
      kind: 'offboard';
      target: string;
      reason: string | undefined;
      /** `on YYYY-MM-DD [at HH:MM]`, checked by resolveSchedule (schedule.ts). */
      schedule?: ScheduleInput | undefined;
    }
  | { kind: 'empty' };

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

export function isValidEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

export function parseCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const keyword = first.toLowerCase();
  if (keyword === 'help' && rest.length === 0) return { kind: 'help' };
  if (keyword === 'status') {
    if (rest.length === 0) return { kind: 'status', requestId: undefined };
    const id = (rest[0] ?? '').replace(/^#/, '');
    if (rest.length === 1 && /^\d{1,9}$/.test(id)) return { kind: 'status', requestId: Number(id) };
    return { kind: 'status_invalid', input: rest.join(' ') };
  }
  if (keyword === 'notify' && rest.length === 1 && rest[0]?.toLowerCase() === 'here') {
    return { kind: 'notify_here' };
  }
  if (keyword === 'cancel') {
    const id = (rest[0] ?? '').replace(/^#/, '');
    if (rest.length === 1 && /^\d{1,9}$/.test(id)) return { kind: 'cancel', requestId: Number(id) };
    return { kind: 'cancel_invalid', input: rest.join(' ') };
  }
  const { schedule, reason } = readSchedule(trimmed.slice(first.length).trim());
  return {
    kind: 'offboard',
    target: first,
    reason: reason === '' ? undefined : reason,
    ...(schedule ? { schedule } : {}),
  };
}

/**
 * `on <date> [at <time>] [reason]` at the start of what follows the target. `on` counts only
 * before something that starts with a digit, so a reason like "on leave since May" stays a
 * reason; after a date, `at` always introduces the time (a bad one is refused, not read as the
 * reason, so "at noon" cannot silently mean the default time).
 */
function readSchedule(text: string): { schedule: ScheduleInput | undefined; reason: string } {
  const [on, afterOn] = nextWord(text);
  const [date, afterDate] = nextWord(afterOn);
  if (on.toLowerCase() !== 'on' || !/^\d/.test(date)) return { schedule: undefined, reason: text };
  const [at, afterAt] = nextWord(afterDate);
  if (at.toLowerCase() !== 'at') return { schedule: { date, time: undefined }, reason: afterDate };
  const [time, reason] = nextWord(afterAt);
  return { schedule: { date, time }, reason };
}

/** The first word and the trimmed text after it. */
function nextWord(text: string): [string, string] {
  const match = /^(\S*)\s*([\s\S]*)$/.exec(text.trim());
  return [match?.[1] ?? '', (match?.[2] ?? '').trim()];
}
