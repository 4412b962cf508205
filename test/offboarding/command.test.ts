import { describe, expect, it } from 'vitest';
import { isValidEmail, parseCommand } from '../../src/offboarding/command.js';

describe('parseCommand (the text after /offboard, or after the bot’s name in Teams)', () => {
  it.each([
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['status', { kind: 'status', requestId: undefined }],
    ['status 42', { kind: 'status', requestId: 42 }],
    ['status #42', { kind: 'status', requestId: 42 }],
    ['Status  #7 ', { kind: 'status', requestId: 7 }],
    ['status abc', { kind: 'status_invalid', input: 'abc' }],
    ['status 1 2', { kind: 'status_invalid', input: '1 2' }],
    ['status 1234567890', { kind: 'status_invalid', input: '1234567890' }],
    ['notify here', { kind: 'notify_here' }],
    ['Notify HERE', { kind: 'notify_here' }],
    ['jane@example.com', { kind: 'offboard', target: 'jane@example.com', reason: undefined }],
    [
      '  jane@example.com   Last day   Friday ',
      { kind: 'offboard', target: 'jane@example.com', reason: 'Last day   Friday' },
    ],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('reads a keyword with more words after it as a target, which the service then checks', () => {
    expect(parseCommand('help me')).toEqual({ kind: 'offboard', target: 'help', reason: 'me' });
    expect(parseCommand('notify everyone')).toEqual({
      kind: 'offboard',
      target: 'notify',
      reason: 'everyone',
    });
  });

  it.each([
    [
      'jane@example.com on 2026-12-18 at 18:00 Last day',
      { date: '2026-12-18', time: '18:00' },
      'Last day',
    ],
    ['jane@example.com ON 2026-12-18', { date: '2026-12-18', time: undefined }, undefined],
    ['jane@example.com on 2026-12-18 leaving', { date: '2026-12-18', time: undefined }, 'leaving'],
    // Checked later, with a specific message: the parser only sees that a date was meant.
    ['jane@example.com on 2026-02-30 at 25:00', { date: '2026-02-30', time: '25:00' }, undefined],
    ['jane@example.com on 18/12 at noon x', { date: '18/12', time: 'noon' }, 'x'],
    ['jane@example.com on 2026-12-18 at', { date: '2026-12-18', time: '' }, undefined],
    ['jane@example.com on leave since May', undefined, 'on leave since May'],
    ['jane@example.com on', undefined, 'on'],
  ])('reads the schedule in %j', (text, schedule, reason) => {
    expect(parseCommand(text)).toEqual({
      kind: 'offboard',
      target: 'jane@example.com',
      reason,
      ...(schedule ? { schedule } : {}),
    });
  });

  it.each([
    ['cancel 12', { kind: 'cancel', requestId: 12 }],
    ['Cancel #12', { kind: 'cancel', requestId: 12 }],
    ['cancel', { kind: 'cancel_invalid', input: '' }],
    ['cancel twelve', { kind: 'cancel_invalid', input: 'twelve' }],
    ['cancel 1 2', { kind: 'cancel_invalid', input: '1 2' }],
  ])('reads %j as a cancel', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('spreads across line breaks like spaces', () => {
    expect(parseCommand('jane@example.com\nleaving')).toEqual({
      kind: 'offboard',
      target: 'jane@example.com',
      reason: 'leaving',
    });
  });
});

describe('isValidEmail', () => {
  it.each([
    ['jane@example.com', true],
    ['jane.doe+x@sub.example.org', true],
    ['jane@example', false],
    ['jane@example.c', false],
    ['<jane@example.com>', false],
    ['jane@@example.com', false],
    ['jane doe@example.com', false],
    [`${'a'.repeat(250)}@example.com`, false],
  ])('%s → %s', (value, valid) => {
    expect(isValidEmail(value)).toBe(valid);
  });
});
