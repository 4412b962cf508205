import { describe, expect, it } from 'vitest';
import {
  type Actor,
  isSamePerson,
  isSelfTarget,
  proofMismatch,
} from '../../src/offboarding/policy.js';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';

function request(overrides: Partial<OffboardingRequest> = {}): OffboardingRequest {
  const now = new Date();
  return {
    id: 1,
    state: 'pending',
    target_genesys_id: 'genesys-1',
    target_name: 'Jane Doe',
    target_email: 'jane.doe@example.com',
    target_department: null,
    target_title: null,
    target_division: null,
    target_state: 'active',
    requester_platform: 'slack',
    requester_id: 'U0REQ',
    requester_name: 'req',
    requester_email: 'req@example.com',
    reason: null,
    gdpr_mode: 'delete',
    gdpr_request_id: null,
    gdpr_status: null,
    chat_channel_id: 'C0REQUESTS',
    chat_message_id: '1732800000.000100',
    chat_context: null,
    failure_reason: null,
    decision_token: 'token-of-request-1',
    target_email_hash: null,
    redacted_at: null,
    created_at: now,
    updated_at: now,
    expires_at: now,
    finished_at: null,
    batch_id: null,
    erasure_due_at: null,
    erasure_reminded_at: null,
    reminders_sent: 0,
    expiry_warned_at: null,
    run_at: null,
    requester_time_zone: null,
    ...overrides,
  };
}

const actor = (overrides: Partial<Actor> = {}): Actor => ({
  platform: 'slack',
  id: 'U0APP',
  email: 'app@example.com',
  ...overrides,
});

describe('isSamePerson (the requester may not decide their own request)', () => {
  it('is the same chat account', () => {
    expect(isSamePerson(actor({ id: 'U0REQ', email: undefined }), request())).toBe(true);
  });

  it('is the same id on another platform only with the same email', () => {
    expect(isSamePerson(actor({ platform: 'teams', id: 'U0REQ' }), request())).toBe(false);
  });

  it('is the requester’s email on any platform, ignoring case and spaces', () => {
    expect(isSamePerson(actor({ platform: 'teams', email: ' REQ@Example.com ' }), request())).toBe(
      true,
    );
    expect(
      isSamePerson(
        actor({ platform: 'teams', email: 'upn@corp.example', otherEmails: ['req@example.com'] }),
        request(),
      ),
    ).toBe(true);
  });

  it('is not someone else, nor anyone by email when the requester’s email is unknown', () => {
    expect(isSamePerson(actor(), request())).toBe(false);
    expect(
      isSamePerson(actor({ email: 'req@example.com' }), request({ requester_email: null })),
    ).toBe(false);
  });
});

describe('isSelfTarget (the person being offboarded may not request nor decide)', () => {
  it('matches the target’s Genesys email by any of the actor’s emails, ignoring case', () => {
    expect(isSelfTarget(actor({ email: 'Jane.Doe@example.com' }), 'jane.doe@example.com')).toBe(
      true,
    );
    expect(
      isSelfTarget(
        actor({ email: 'jdoe@corp.example', otherEmails: ['jane.doe@example.com'] }),
        'jane.doe@example.com',
      ),
    ).toBe(true);
  });

  it('does not match another person, nor an actor without an email', () => {
    expect(isSelfTarget(actor(), 'jane.doe@example.com')).toBe(false);
    expect(isSelfTarget(actor({ email: undefined }), 'jane.doe@example.com')).toBe(false);
  });
});

describe('proofMismatch (a click counts only from the request’s own card)', () => {
  const own = {
    token: 'token-of-request-1',
    channelId: 'C0REQUESTS',
    messageId: '1732800000.000100',
  };

  it('accepts the request’s token from its own message', () => {
    expect(proofMismatch(request(), own)).toBeUndefined();
  });

  it('compares only the locations the platform sent; the token always', () => {
    expect(proofMismatch(request(), { token: own.token })).toBeUndefined();
    expect(proofMismatch(request(), { token: undefined })).toBe('no_token');
  });

  it.each([
    ['no_token', request({ decision_token: null }), own],
    ['token', request(), { ...own, token: 'token-of-request-2' }],
    ['token', request(), { ...own, token: 'token-of-request-1x' }],
    ['channel', request(), { ...own, channelId: 'C0ELSEWHERE' }],
    ['message', request(), { ...own, messageId: '1732800000.000200' }],
  ])('refuses with %s', (reason, subject, proof) => {
    expect(proofMismatch(subject, proof)).toBe(reason);
  });

  it('does not compare a location the request does not know yet', () => {
    const unposted = request({ chat_channel_id: null, chat_message_id: null });
    expect(proofMismatch(unposted, own)).toBeUndefined();
  });
});
