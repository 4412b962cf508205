import type { DbOrTx } from '../db/database.js';
import { appendAudit } from './audit.repository.js';
import type { AuditEventName } from './audit.table.js';
import { updateRequestStateIf } from './request.repository.js';
import type {
  OffboardingRequest,
  OffboardingRequestUpdate,
  RequestState,
} from './request.table.js';

/**
 * The only place a request changes state. Each target state lists the states it may be reached
 * from; `failed -> running` is an operator's explicit retry.
 */
const ALLOWED_FROM: Record<RequestState, readonly RequestState[]> = {
  pending: [],
  approved: ['pending'],
  // Approved before its run time: waits for it (a queued job due then).
  scheduled: ['approved'],
  // Soft-deleted, with ERASURE_DELAY_HOURS to wait before the GDPR request is filed.
  awaiting_erasure: ['running'],
  // Undo during the grace period: final, and the erasure is never filed afterwards.
  restored: ['awaiting_erasure'],
  rejected: ['pending'],
  expired: ['pending'],
  // By the requester or an approver until the run starts; Undo is the way back after that.
  cancelled: ['pending', 'approved', 'scheduled'],
  // From awaiting_erasure: the grace period is over and the GDPR request is filed.
  running: ['approved', 'scheduled', 'failed', 'awaiting_erasure'],
  completed: ['running'],
  failed: ['approved', 'running'],
};

const EVENT_FOR: Record<RequestState, AuditEventName | undefined> = {
  pending: undefined,
  approved: 'approved',
  scheduled: 'scheduled',
  awaiting_erasure: 'erasure_scheduled',
  restored: 'restored',
  rejected: 'rejected',
  expired: 'expired',
  cancelled: 'cancelled',
  running: 'run_started',
  completed: 'completed',
  failed: 'failed',
};

export interface TransitionOptions {
  actor: string;
  details?: object;
  patch?: Omit<OffboardingRequestUpdate, 'state' | 'id'>;
}

/**
 * Moves the request to `to` if its current state allows it, and appends the audit event in the
 * same statement batch. Pass a transaction so the change and its consequences commit together.
 * Returns undefined when the request was not in a state that allows the transition (someone
 * else won the race, or it was already decided).
 */
export async function transitionRequest(
  trx: DbOrTx,
  requestId: number,
  to: RequestState,
  options: TransitionOptions,
): Promise<OffboardingRequest | undefined> {
  const updated = await updateRequestStateIf(trx, requestId, ALLOWED_FROM[to], to, options.patch);
  if (!updated) return undefined;
  const event = EVENT_FOR[to];
  if (event) {
    await appendAudit(trx, {
      requestId,
      event,
      actor: options.actor,
      details: options.details ?? {},
    });
  }
  return updated;
}
