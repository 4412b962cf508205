import type { Logger } from 'pino';
import type { DbOrTx } from '../db/database.js';
import type { RequestLocks } from '../db/request-locks.js';
import { isGenesysError } from '../genesys/errors.js';
import type { GenesysClient } from '../genesys/types.js';
import { appendAudit } from '../offboarding/audit.repository.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import type { UndoActor, UndoResult } from '../offboarding/offboarding.service.js';
import { findRequestById, markErasureReminded } from '../offboarding/request.repository.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { transitionRequest } from '../offboarding/state-machine.js';
import { QUEUES, requestJobKey, withdrawWaitingJobs } from './queue.js';

/** What the grace period needs of the runner: the thread, and the request's one step job. */
export interface GraceRunner {
  notify(trx: DbOrTx, requestId: number, event: WorkflowEvent): Promise<void>;
  scheduleStep(trx: DbOrTx, requestId: number, afterSeconds?: number): Promise<void>;
}

export interface ErasureGraceDeps {
  /** ERASURE_DELAY_HOURS; 0 files the GDPR request straight after the soft delete. */
  delayHours: number;
  locks: RequestLocks;
  /** The namespace of the runner's per-request lock: Undo and the erasure exclude each other. */
  lockNamespace: number;
  genesys: GenesysClient;
  logger: Logger;
  now?: () => Date;
}

const HOUR_MS = 3_600_000;

/**
 * The grace period between the soft delete and the irreversible GDPR request. The run parks the
 * request in `awaiting_erasure` with the time the erasure is due; its one step job waits in the
 * queue (pg-boss `startAfter`, the request's singleton key) until the reminder, then until the
 * erasure. Every wake-up decides from the stored request, so a job that fires early, twice, or
 * after a crash does nothing it should not. Undo holds the same lock as the runner while it
 * restores the user, and the state machine lets only one of `restored` and `running` follow
 * `awaiting_erasure`.
 */
export class ErasureGrace {
  private readonly now: () => Date;

  constructor(
    private readonly deps: ErasureGraceDeps,
    private readonly runner: GraceRunner,
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Before the run's first irreversible step: parks the request when a grace period applies and
   * it has not had one yet. Returns true when parked (the caller schedules nothing else).
   */
  async parkBeforeErasure(trx: DbOrTx, request: OffboardingRequest): Promise<boolean> {
    if (this.deps.delayHours <= 0 || request.erasure_due_at !== null) return false;
    const dueAt = new Date(this.now().getTime() + this.deps.delayHours * HOUR_MS);
    const parked = await transitionRequest(trx, request.id, 'awaiting_erasure', {
      actor: 'system',
      details: { erasureDueAt: dueAt.toISOString(), delayHours: this.deps.delayHours },
      patch: { erasure_due_at: dueAt },
    });
    if (!parked) return false;
    await this.runner.notify(trx, request.id, {
      type: 'erasure_scheduled',
      dueAt: dueAt.toISOString(),
    });
    await this.runner.scheduleStep(trx, request.id, this.secondsUntilNextWake(parked));
    this.deps.logger.info(
      { requestId: request.id, erasureDueAt: dueAt.toISOString() },
      'soft-deleted; the GDPR request waits for the grace period',
    );
    return true;
  }

  /**
   * A step job found the request waiting for its erasure. When it is due: moves the request back
   * to `running` and returns it, so the run files the GDPR request. Before that: reminds the
   * thread once when the reminder is due, queues the next wake-up, and returns undefined.
   */
  async resumeIfDue(
    trx: DbOrTx,
    request: OffboardingRequest,
  ): Promise<OffboardingRequest | undefined> {
    const now = this.now();
    const dueAt = request.erasure_due_at ?? now;
    if (dueAt.getTime() <= now.getTime()) {
      const running = await transitionRequest(trx, request.id, 'running', {
        actor: 'system',
        details: { after: 'grace_period', erasureDueAt: dueAt.toISOString() },
      });
      if (running) await this.runner.notify(trx, request.id, { type: 'erasure_due' });
      return running;
    }
    let current = request;
    if (request.erasure_reminded_at === null && this.reminderAt(dueAt).getTime() <= now.getTime()) {
      if (await markErasureReminded(trx, request.id, now)) {
        await appendAudit(trx, {
          requestId: request.id,
          event: 'erasure_reminder_sent',
          actor: 'system',
          details: { erasureDueAt: dueAt.toISOString() },
        });
        await this.runner.notify(trx, request.id, {
          type: 'erasure_reminder',
          dueAt: dueAt.toISOString(),
        });
      }
      current = { ...request, erasure_reminded_at: now };
    }
    await this.runner.scheduleStep(trx, request.id, this.secondsUntilNextWake(current));
    return undefined;
  }

  /**
   * Restores the user and ends the request in `restored`, while no GDPR request has been filed.
   * Under the runner's lock, so the erasure cannot start meanwhile; the Genesys calls happen with
   * no transaction open, and only a restore Genesys confirmed is recorded.
   */
  async undo(requestId: number, actor: UndoActor): Promise<UndoResult> {
    return this.deps.locks.withLock(this.deps.lockNamespace, requestId, async (db) => {
      const request = await findRequestById(db, requestId);
      if (!request) return { kind: 'not_found' };
      if (request.state !== 'awaiting_erasure') {
        const kind = undoTooLateOrNotUndoable(request);
        await this.auditRefusal(db, request, actor, kind);
        return { kind, request };
      }
      try {
        await this.deps.genesys.restoreUser(request.target_genesys_id);
      } catch (error) {
        const message = isGenesysError(error)
          ? error.message
          : 'Genesys Cloud did not answer the restore';
        this.deps.logger.warn({ err: error, requestId }, 'undo: the restore failed');
        await this.auditRefusal(db, request, actor, 'restore_failed', message);
        return { kind: 'restore_failed', request, message };
      }
      return db.transaction().execute(async (trx) => {
        const restored = await transitionRequest(trx, requestId, 'restored', {
          actor: actor.label,
          details: { targetGenesysId: request.target_genesys_id },
          patch: { finished_at: this.now(), target_state: 'active' },
        });
        if (!restored) {
          // Only when the lock was lost (its connection died) and the erasure started meanwhile.
          const current = (await findRequestById(trx, requestId)) ?? request;
          return { kind: 'too_late', request: current } as const;
        }
        await withdrawWaitingJobs(trx, QUEUES.step, requestJobKey(requestId));
        await this.runner.notify(trx, requestId, { type: 'restored', byName: actor.name });
        await this.runner.notify(trx, requestId, {
          type: 'outcome_notice',
          outcome: 'restored',
          byName: actor.name,
        });
        this.deps.logger.info({ requestId, actor: actor.label }, 'offboarding undone');
        return { kind: 'restored', request: restored } as const;
      });
    });
  }

  private async auditRefusal(
    db: DbOrTx,
    request: OffboardingRequest,
    actor: UndoActor,
    reason: string,
    message?: string,
  ): Promise<void> {
    await appendAudit(db, {
      requestId: request.id,
      event: 'undo_refused',
      actor: actor.label,
      details: {
        reason,
        state: request.state,
        ...(message ? { message } : {}),
      },
    });
  }

  /** 24 h before the erasure, or halfway through a shorter grace period. */
  private reminderAt(dueAt: Date): Date {
    const leadMs = Math.min(24 * HOUR_MS, (this.deps.delayHours * HOUR_MS) / 2);
    return new Date(dueAt.getTime() - leadMs);
  }

  private secondsUntilNextWake(request: OffboardingRequest): number {
    const dueAt = request.erasure_due_at ?? this.now();
    const wake =
      request.erasure_reminded_at === null
        ? Math.min(this.reminderAt(dueAt).getTime(), dueAt.getTime())
        : dueAt.getTime();
    // Rounded up: a job that wakes a moment early would only queue another one.
    return Math.max(0, Math.ceil((wake - this.now().getTime()) / 1000));
  }
}

function undoTooLateOrNotUndoable(
  request: OffboardingRequest,
): 'already_restored' | 'too_late' | 'not_undoable' {
  if (request.state === 'restored') return 'already_restored';
  const pastGracePeriod =
    request.gdpr_request_id !== null ||
    request.state === 'completed' ||
    (request.erasure_due_at !== null &&
      (request.state === 'running' || request.state === 'failed'));
  return pastGracePeriod ? 'too_late' : 'not_undoable';
}
