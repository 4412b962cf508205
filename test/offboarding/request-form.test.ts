import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/offboarding/command.js';
import { offboardCommandText, requestFormErrors } from '../../src/offboarding/request-form.js';

const NOW = new Date('2026-12-02T22:30:00Z');

describe('a request form is the offboard command it amounts to', () => {
  it('builds `<email> [on day [at time]] <reason>` on one line', () => {
    expect(
      offboardCommandText({ targetEmail: ' jane@example.com ', reason: 'Contract\nended ' }),
    ).toBe('jane@example.com Contract ended');
    expect(
      offboardCommandText({
        targetEmail: 'jane@example.com',
        lastDay: '2026-12-31',
        lastTime: '17:30',
        reason: 'Leaving',
      }),
    ).toBe('jane@example.com on 2026-12-31 at 17:30 Leaving');
  });

  it('parses back to the same target', () => {
    const parsed = parseCommand(
      offboardCommandText({ targetEmail: 'jane@example.com', reason: 'x y' }),
    );
    expect(parsed).toEqual({ kind: 'offboard', target: 'jane@example.com', reason: 'x y' });
  });
});

describe('form checks', () => {
  it('needs a person and a reason', () => {
    expect(requestFormErrors({ targetEmail: '', reason: ' ' }, NOW, 'UTC')).toEqual({
      targetEmail: 'Choose the person to offboard.',
      reason: 'Give a reason: approvers and the audit trail need one.',
    });
    expect(requestFormErrors({ targetEmail: 'not-an-email', reason: 'x' }, NOW, 'UTC')).toEqual({
      targetEmail: '“not-an-email” is not an email address.',
    });
  });

  it('reads the last day in the person’s time zone', () => {
    const fields = { targetEmail: 'jane@example.com', reason: 'Leaving', lastDay: '2026-12-02' };
    // 22:30 UTC is already 3 December in Tokyo, still 2 December in New York.
    expect(requestFormErrors(fields, NOW, 'Asia/Tokyo')).toEqual({
      lastDay: 'That day is in the past (today is 2026-12-03 in Asia/Tokyo).',
    });
    expect(requestFormErrors(fields, NOW, 'America/New_York')).toEqual({});
    expect(requestFormErrors({ ...fields, lastTime: '17:00' }, NOW, 'America/New_York')).toEqual({
      lastTime: 'That time has passed (it is 17:30 in America/New_York).',
    });
    expect(requestFormErrors({ ...fields, lastTime: '18:00' }, NOW, 'America/New_York')).toEqual(
      {},
    );
  });

  it('falls back to UTC for an unknown zone, and wants a day with a time', () => {
    const fields = { targetEmail: 'jane@example.com', reason: 'Leaving' };
    expect(requestFormErrors({ ...fields, lastDay: '2026-12-02' }, NOW, 'Mars/Olympus')).toEqual(
      {},
    );
    expect(requestFormErrors({ ...fields, lastTime: '10:00' }, NOW, 'UTC')).toEqual({
      lastDay: 'Pick the day for that time.',
    });
    expect(requestFormErrors({ ...fields, lastDay: '2026-02-30' }, NOW, 'UTC')).toEqual({
      lastDay: 'Use a date like 2026-12-31.',
    });
    expect(
      requestFormErrors({ ...fields, lastDay: '2027-01-01', lastTime: '25:00' }, NOW, 'UTC'),
    ).toEqual({
      lastTime: 'Use a time like 17:30.',
    });
  });
});
