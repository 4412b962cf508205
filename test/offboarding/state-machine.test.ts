import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/offboarding/audit.repository.js';
import { insertRequest } from '../../src/offboarding/request.repository.js';
import type { RequestState } from '../../src/offboarding/request.table.js';
import { transitionRequest } from '../../src/offboarding/state-machine.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const STATES: readonly RequestState[] = [
  'pending',
  'approved',
  'scheduled',
  'rejected',
  'expired',
  'cancelled',
  'running',
  'completed',
  'failed',
  'awaiting_erasure',
  'restored',
];

/** The README's state diagram: every allowed move and the audit event it writes. */
const ALLOWED: Record<string, string> = {
  'pending -> approved': 'approved',
  'pending -> rejected': 'rejected',
  'pending -> expired': 'expired',
  'pending -> cancelled': 'cancelled',
  'approved -> scheduled': 'scheduled',
  'approved -> cancelled': 'cancelled',
  'scheduled -> cancelled': 'cancelled',
  'scheduled -> running': 'run_started',
  'approved -> running': 'run_started',
  'approved -> failed': 'failed',
  'running -> completed': 'completed',
  'running -> failed': 'failed',
  // An operator's retry.
  'failed -> running': 'run_started',
  // The grace period (ERASURE_DELAY_HOURS): parked after the soft delete, then erased or undone.
  'running -> awaiting_erasure': 'erasure_scheduled',
  'awaiting_erasure -> running': 'run_started',
  'awaiting_erasure -> restored': 'restored',
};

let database: TestDatabase;
let targetSequence = 0;

beforeAll(async () => {
  database = await createTestDatabase({ backend: 'embedded' });
}, 60_000);

afterAll(async () => {
  await database?.drop();
});

async function requestIn(state: RequestState) {
  targetSequence += 1;
  return insertRequest(database.db, {
    state,
    target_genesys_id: `target-${targetSequence}`,
    target_name: 'Target',
    target_email: `target-${targetSequence}@example.com`,
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
    chat_channel_id: null,
    chat_message_id: null,
    chat_context: null,
    failure_reason: null,
    decision_token: null,
    expires_at: new Date(Date.now() + 3_600_000),
  });
}

describe('the request state machine', () => {
  it('allows exactly the moves of the state diagram, each with its audit event', async () => {
    const seen: Record<string, string> = {};
    for (const from of STATES) {
      // Nothing returns to pending: a request is created in it, and no caller asks for it.
      for (const to of STATES.filter((state) => state !== 'pending')) {
        const request = await requestIn(from);
        const moved = await transitionRequest(database.db, request.id, to, { actor: 'test' });
        const events = await listAuditEvents(database.db, request.id);
        if (moved) {
          expect(moved.state).toBe(to);
          expect(events.map((event) => event.event)).toHaveLength(1);
          seen[`${from} -> ${to}`] = events[0]?.event ?? '';
        } else {
          // A refused move changes nothing and writes nothing.
          expect(events).toEqual([]);
        }
      }
    }
    expect(seen).toEqual(ALLOWED);
  }, 60_000);

  it('is a compare-and-set: of two moves from the same state, only the first happens', async () => {
    const request = await requestIn('pending');
    const approved = await transitionRequest(database.db, request.id, 'approved', {
      actor: 'slack:U0APP',
    });
    const rejected = await transitionRequest(database.db, request.id, 'rejected', {
      actor: 'slack:U0OTHER',
    });
    expect(approved?.state).toBe('approved');
    expect(rejected).toBeUndefined();
    const events = await listAuditEvents(database.db, request.id);
    expect(events.map((event) => [event.event, event.actor])).toEqual([
      ['approved', 'slack:U0APP'],
    ]);
  });

  it('writes the patch and the details with the move', async () => {
    const request = await requestIn('running');
    const failed = await transitionRequest(database.db, request.id, 'failed', {
      actor: 'workflow',
      details: { step: 'soft_delete' },
      patch: { failure_reason: 'Genesys said no' },
    });
    expect(failed?.failure_reason).toBe('Genesys said no');
    const [event] = await listAuditEvents(database.db, request.id);
    expect(event?.details).toEqual({ step: 'soft_delete' });
  });
});
