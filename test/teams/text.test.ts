import { describe, expect, it } from 'vitest';
import { TeamsAccessPolicy } from '../../src/teams/access-policy.js';
import { isChannel, threadReference } from '../../src/teams/conversation.js';
import { commandText } from '../../src/teams/text.js';

describe('commandText', () => {
  it.each([
    ['offboard jane@example.com Last day', 'jane@example.com Last day'],
    ['  Offboard   status 12 ', 'status 12'],
    ['offboard', ''],
    ['offboarding', 'offboarding'],
    ['help', 'help'],
    ['offboard notify here', 'notify here'],
    ['offboard <a href="mailto:jane@example.com">jane@example.com</a> bye', 'jane@example.com bye'],
    ['offboard\u00a0jane@example.com&nbsp;R&amp;D move', 'jane@example.com R&D move'],
  ])('%j → %j', (input, expected) => {
    expect(commandText(input)).toBe(expected);
  });
});

describe('threadReference', () => {
  const reference = (id: string, conversationType?: string) => ({
    serviceUrl: 'https://smba.example/',
    activityId: 'incoming-1',
    conversation: { id, conversationType, isGroup: true, name: '' } as never,
  });

  it('keeps a channel thread the card was posted in', () => {
    const thread = threadReference(reference('19:c@thread.tacv2;messageid=9', 'channel'), 'card-1');
    expect(thread.conversation?.id).toBe('19:c@thread.tacv2;messageid=9');
    expect(thread.activityId).toBeUndefined();
  });

  it('uses the thread a card started in a channel', () => {
    const thread = threadReference(reference('19:c@thread.tacv2', 'channel'), 'card-1');
    expect(thread.conversation?.id).toBe('19:c@thread.tacv2;messageid=card-1');
  });

  it('recognises a configured channel id without a conversation type', () => {
    expect(isChannel(reference('19:c@thread.tacv2'))).toBe(true);
    expect(isChannel(reference('19:chat@thread.v2'))).toBe(false);
  });

  it('leaves chats alone', () => {
    const thread = threadReference(reference('a:personal', 'personal'), 'card-1');
    expect(thread.conversation?.id).toBe('a:personal');
  });
});

describe('TeamsAccessPolicy', () => {
  const policy = new TeamsAccessPolicy(['0a000000-0000-4000-8000-000000000002', 'uma@example.com']);

  it('matches object ids and user principal names, case-insensitively', async () => {
    const actor = (id: string, email?: string) => ({ platform: 'teams' as const, id, email });
    expect(await policy.isApprover(actor('0A000000-0000-4000-8000-000000000002'))).toBe(true);
    expect(await policy.isApprover(actor('other', 'Uma@Example.com'))).toBe(true);
    expect(await policy.isApprover(actor('other', 'oscar@example.com'))).toBe(false);
    expect(await policy.isApprover({ platform: 'slack', id: 'uma@example.com' })).toBe(false);
  });
});
