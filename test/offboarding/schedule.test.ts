import { describe, expect, it } from 'vitest';
import { expiryOf, formatRunTime, resolveSchedule } from '../../src/offboarding/schedule.js';

const NOW = new Date('2026-12-02T13:00:00Z');
const resolve = (date: string, time: string | undefined, timeZone: string | undefined) =>
  resolveSchedule({ date, time }, { timeZone, defaultTime: '18:00', now: NOW });

describe('resolveSchedule: a wall-clock time in the requester’s zone', () => {
  it('reads the time in the zone: 18:00 in Paris in December is 17:00 UTC', () => {
    expect(resolve('2026-12-18', '18:00', 'Europe/Paris')).toEqual({
      ok: true,
      runAt: new Date('2026-12-18T17:00:00Z'),
      timeZone: 'Europe/Paris',
    });
    // Summer time: two hours ahead.
    expect(resolve('2027-07-01', '09:05', 'Europe/Paris')).toMatchObject({
      runAt: new Date('2027-07-01T07:05:00Z'),
    });
    expect(resolve('2026-12-18', '9:30', 'America/New_York')).toMatchObject({
      runAt: new Date('2026-12-18T14:30:00Z'),
    });
  });

  it('a date without a time means the default time; no zone, or an unknown one, means UTC', () => {
    expect(resolve('2026-12-18', undefined, 'Asia/Tokyo')).toMatchObject({
      runAt: new Date('2026-12-18T09:00:00Z'),
    });
    expect(resolve('2026-12-18', undefined, undefined)).toEqual({
      ok: true,
      runAt: new Date('2026-12-18T18:00:00Z'),
      timeZone: 'UTC',
    });
    expect(resolve('2026-12-18', '07:00', 'Mars/Olympus_Mons')).toMatchObject({
      runAt: new Date('2026-12-18T07:00:00Z'),
      timeZone: 'UTC',
    });
  });

  it.each([
    ['2026-02-30', '10:00', { kind: 'impossible_date', input: '2026-02-30' }],
    ['2027-13-01', '10:00', { kind: 'impossible_date', input: '2027-13-01' }],
    ['2026-12-1', '10:00', { kind: 'bad_date', input: '2026-12-1' }],
    ['18/12/2026', '10:00', { kind: 'bad_date', input: '18/12/2026' }],
    ['2026-12-18', '24:00', { kind: 'bad_time', input: '24:00' }],
    ['2026-12-18', '6pm', { kind: 'bad_time', input: '6pm' }],
    ['2026-12-18', '', { kind: 'bad_time', input: '' }],
  ])('refuses %s at %j', (date, time, problem) => {
    expect(resolve(date, time, 'Europe/Paris')).toEqual({ ok: false, problem });
  });

  it('refuses a moment already past, and a time the clocks skip', () => {
    expect(resolve('2026-12-02', '13:30', 'Europe/Paris')).toEqual({
      ok: false,
      problem: {
        kind: 'in_the_past',
        runAt: new Date('2026-12-02T12:30:00Z'),
        timeZone: 'Europe/Paris',
      },
    });
    expect(resolve('2025-01-01', undefined, undefined)).toMatchObject({
      ok: false,
      problem: { kind: 'in_the_past' },
    });
    // Paris goes from 02:00 to 03:00 on 28 March 2027.
    expect(resolve('2027-03-28', '02:30', 'Europe/Paris')).toEqual({
      ok: false,
      problem: {
        kind: 'skipped_time',
        date: '2027-03-28',
        time: '02:30',
        timeZone: 'Europe/Paris',
      },
    });
    // 02:30 happens twice on 31 October 2027: the first one.
    expect(resolve('2027-10-31', '02:30', 'Europe/Paris')).toMatchObject({
      runAt: new Date('2027-10-31T00:30:00Z'),
    });
  });
});

describe('formatRunTime', () => {
  it('shows the requester’s clock with the zone, and UTC', () => {
    const runAt = new Date('2026-12-18T17:00:00Z');
    expect(formatRunTime(runAt, 'Europe/Paris')).toBe('Fri 18 Dec 2026, 18:00 CET (17:00 UTC)');
    expect(formatRunTime(runAt, 'America/New_York')).toBe('Fri 18 Dec 2026, 12:00 EST (17:00 UTC)');
    expect(formatRunTime(runAt, 'UTC')).toBe('Fri 18 Dec 2026, 17:00 UTC');
    // Another day in UTC: the UTC part says which.
    expect(formatRunTime(runAt, 'Asia/Tokyo')).toBe(
      'Sat 19 Dec 2026, 02:00 GMT+9 (Fri 18 Dec 2026, 17:00 UTC)',
    );
  });
});

describe('expiryOf: the later of the scheduled time and the creation, plus the window', () => {
  it('counts from creation for a run sooner than that, and from the run time otherwise', () => {
    const created = new Date('2026-12-02T13:00:00Z');
    expect(expiryOf(created, undefined, 24)).toEqual(new Date('2026-12-03T13:00:00Z'));
    expect(expiryOf(created, new Date('2026-12-01T00:00:00Z'), 24)).toEqual(
      new Date('2026-12-03T13:00:00Z'),
    );
    expect(expiryOf(created, new Date('2026-12-18T17:00:00Z'), 0.01)).toEqual(
      new Date('2026-12-18T17:00:36Z'),
    );
  });
});
