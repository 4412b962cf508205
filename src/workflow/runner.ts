import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { backoffDelay } from '../backoff.js';
import type { Db, DbOrTx } from '../db/database.js';
import type { RequestLocks } from '../db/request-locks.js';
import { AppError, PermanentStepError } from '../errors.js';
import { type JournalledCall, journalGenesysCalls } from '../genesys/call-journal.js';
import { isGenesysError } from '../genesys/errors.js';
import type { GenesysClient } from '../genesys/types.js';
import type { BotMetrics, StepAttemptOutcome } from '../metrics/metrics.js';
import { appendAudit } from '../offboarding/audit.repository.js';
import { withoutPersonalData } from '../offboarding/audit-text.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import { insertGenesysCalls } from '../offboarding/evidence.repository.js';
import { enqueueNotification } from '../offboarding/notification.repository.js';
import type { UndoActor, UndoResult, WorkflowPort } from '../offboarding/offboarding.service.js';
import {
  findRequestById,
  isRunDue,
  updateRequestDetails,
} from '../offboarding/request.repository.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { transitionRequest } from '../offboarding/state-machine.js';
import { STEPS, type StepName, stepsFor } from '../offboarding/steps.js';
import { ErasureGrace } from './erasure-grace.js';
import { type JobQueue, jobQueueConnection, QUEUES, requestJobKey } from './queue.js';
import {
  createPendingSteps,
  endStepAttempt,
  foreignLeaseSecondsLeft,
  listSteps,
  markStepStarted,
  markStepSucceeded,
  recordStepError,
  renewStepLease,
  type StepLease,
} from './step.repository.js';
import type { WorkflowStep } from './step.table.js';
import { STEP_HANDLERS } from './steps/index.js';
import { StepLeaseLostError, type StepOutcome } from './steps/step.js';

/**
 * What the bot lets one job run back to back while each next step is due at once (revoke,
 * delete, revoke again, file, first poll): each saves a queue hop (send, fetch, complete) and a
 * lock round trip. Bounded so that a worker returns to the queue now and then.
 */
export const CHAINED_STEPS_PER_JOB = 6;

/** What a step attempt leaves for its job: the next step to run now, or nothing (queued, done). */
type AttemptEnd = 'run_next_now' | undefined;

/** Namespaces for transaction-scoped advisory locks, keyed by request id. */
export const LOCK_NAMESPACE = { step: 7_401, notify: 7_402, batch: 7_403 } as const;

export interface RetryBackoff {
  baseSeconds: number;
  maxSeconds: number;
}

export interface WorkflowRunnerDeps {
  locks: RequestLocks;
  queue: JobQueue;
  genesys: GenesysClient;
  logger: Logger;
  gdprPollIntervalSeconds: number;
  /** Waits between tries while Genesys is unavailable; the run waits, it does not fail. */
  retryBackoff?: RetryBackoff;
  /**
   * How long an attempt's lease on its step lasts after its last renewal. Must outlast one
   * Genesys call (its HTTP timeout) with room to spare: another worker that finds the step held
   * waits this out before it looks for what the attempt did and acts. Default 90.
   */
  stepLeaseSeconds?: number;
  /**
   * Steps one job may run while each next one is due at once. Default 1: one job per step, which
   * tools and tests that run jobs by hand rely on; the bot uses CHAINED_STEPS_PER_JOB.
   */
  stepsPerJob?: number;
  /** Times and counts step attempts; optional so tools and tests can leave it out. */
  metrics?: Pick<BotMetrics, 'recordStepAttempt'>;
  /** ERASURE_DELAY_HOURS: the grace period before the GDPR request (erasure-grace.ts). Default 0. */
  erasureDelayHours?: number;
}

/**
 * Runs an approved request one step per job. A job takes the request's lock, works out the next
 * unfinished step from the database, records its start (committed at once), calls Genesys, then
 * commits the result, the thread messages and the next job together.
 */
export class WorkflowRunner implements WorkflowPort {
  private readonly backoff: RetryBackoff;
  private readonly leaseSeconds: number;
  private readonly grace: ErasureGrace;
  private readonly stepsPerJob: number;
  /** Set when the process stops: each job then runs one step and queues the next. */
  private draining = false;

  constructor(private readonly deps: WorkflowRunnerDeps) {
    this.backoff = deps.retryBackoff ?? { baseSeconds: 15, maxSeconds: 900 };
    this.leaseSeconds = deps.stepLeaseSeconds ?? 90;
    this.grace = new ErasureGrace(
      {
        delayHours: deps.erasureDelayHours ?? 0,
        locks: deps.locks,
        lockNamespace: LOCK_NAMESPACE.step,
        genesys: deps.genesys,
        logger: deps.logger,
      },
      this,
    );
    this.stepsPerJob = Math.max(1, deps.stepsPerJob ?? 1);
  }

  async undoErasure(requestId: number, actor: UndoActor): Promise<UndoResult> {
    return this.grace.undo(requestId, actor);
  }

  /**
   * The approval is complete. A request whose run time is still to come moves to `scheduled`
   * with one job due at that time (the same per-request singleton as every step job, so a
   * retried approval or the sweep cannot queue a second); nothing reaches Genesys before it
   * fires. Any other request starts now.
   */
  async start(trx: DbOrTx, request: OffboardingRequest): Promise<OffboardingRequest> {
    if (request.run_at !== null && !(await isRunDue(trx, request.id))) {
      const scheduled = await transitionRequest(trx, request.id, 'scheduled', {
        actor: 'system',
        details: { runAt: request.run_at.toISOString() },
      });
      if (!scheduled) throw new Error(`request ${request.id} could not be scheduled`);
      await this.notify(trx, request.id, {
        type: 'scheduled',
        runAt: request.run_at.toISOString(),
      });
      await this.scheduleStep(trx, request.id, request.run_at);
      return scheduled;
    }
    await createPendingSteps(trx, request.id, stepsFor(request.gdpr_mode));
    await this.scheduleStep(trx, request.id);
    return request;
  }

  async notify(trx: DbOrTx, requestId: number, event: WorkflowEvent): Promise<void> {
    await enqueueNotification(trx, requestId, event);
    await this.requestDelivery(trx, requestId);
  }

  /** Queues delivery of the request's pending messages (one waiting job per request at most). */
  async requestDelivery(trx: DbOrTx, requestId: number): Promise<void> {
    await this.deps.queue.send(
      QUEUES.notify,
      { requestId },
      { singletonKey: requestJobKey(requestId), db: jobQueueConnection(trx) },
    );
  }

  /** Queues the request's next step job, now, in `after` seconds, or at an instant. */
  async scheduleStep(trx: DbOrTx, requestId: number, after: number | Date = 0): Promise<void> {
    const startAfter = typeof after === 'number' ? (after > 0 ? after : undefined) : after;
    await this.deps.queue.send(
      QUEUES.step,
      { requestId },
      {
        singletonKey: requestJobKey(requestId),
        ...(startAfter === undefined ? {} : { startAfter }),
        db: jobQueueConnection(trx),
      },
    );
  }

  /** No more steps back to back: a stopping process finishes its steps in flight, no more. */
  stopChaining(): void {
    this.draining = true;
  }

  /**
   * Job handler: advances the request by one step, and by the following ones while each is due
   * at once. Safe to call any number of times. A step that succeeded commits without a job for
   * the next when this job runs it; if the process dies in between, the sweep queues it.
   */
  async runNextStep(requestId: number): Promise<void> {
    const logger = this.deps.logger.child({ requestId });
    // Not acquired: another worker is running this request's step; it schedules what follows.
    await this.deps.locks.tryWithLock(LOCK_NAMESPACE.step, requestId, async (db) => {
      for (let ran = 1; ; ran++) {
        const chain = ran < this.stepsPerJob && !this.draining;
        if ((await this.advance(db, requestId, logger, chain)) !== 'run_next_now') return;
        if (this.draining) {
          await this.scheduleStep(db, requestId);
          return;
        }
      }
    });
  }

  /**
   * Three short transactions, none open while Genesys is called: record the step's start (so a
   * crash after the call is known to have maybe happened), call Genesys, record the result with
   * its thread messages and the next job.
   */
  private async advance(
    db: Db,
    requestId: number,
    logger: Logger,
    chain: boolean,
  ): Promise<AttemptEnd> {
    const started = await db.transaction().execute(async (trx) => {
      let request = await findRequestById(trx, requestId);
      if (!request) return;
      if (request.state === 'scheduled') {
        request = await this.startScheduledRun(trx, request);
        if (!request) return;
      }
      if (request.state === 'awaiting_erasure') {
        // The grace period: reminds, waits, or (when over) resumes the run with the GDPR step.
        request = await this.grace.resumeIfDue(trx, request);
        if (!request) return;
      }
      if (request.state !== 'approved' && request.state !== 'running') return;
      if (request.state === 'approved') {
        request = await transitionRequest(trx, requestId, 'running', { actor: 'system' });
        if (!request) return;
        await this.notify(trx, requestId, { type: 'run_started' });
      }
      const next = (await listSteps(trx, requestId)).find((step) => step.status !== 'succeeded');
      if (!next) {
        await this.complete(trx, request);
        return;
      }
      if (next.status === 'failed') {
        await this.fail(trx, request, next.step, 'An earlier attempt of this step failed.');
        return;
      }
      if (STEPS[next.step].irreversible) {
        if (await this.grace.parkBeforeErasure(trx, request)) return;
        // An attempt whose lock was lost (its connection died) may still be in its Genesys
        // call: wait until its lease ends, then look for what it did before acting.
        const heldFor = await foreignLeaseSecondsLeft(trx, next.id);
        if (heldFor !== undefined) {
          logger.warn(
            { step: next.step, waitSeconds: heldFor },
            'another attempt still holds the step; trying again when its lease ends',
          );
          await this.scheduleStep(trx, requestId, heldFor);
          return;
        }
      }
      const lease: StepLease = { token: randomUUID(), seconds: this.leaseSeconds };
      const step = await markStepStarted(trx, next.id, lease);
      if (next.status === 'pending') {
        await appendAudit(trx, {
          requestId,
          event: 'step_started',
          actor: 'system',
          details: { step: step.step },
        });
        await this.notify(trx, requestId, { type: 'step_started', step: step.step });
      }
      return { request, step, lease };
    });
    if (!started) return;

    const { request, step, lease } = started;
    const stepLogger = logger.child({ step: step.step, attempt: step.attempts });
    const attemptStarted = performance.now();
    let attemptOutcome: StepAttemptOutcome = 'error';
    let end: AttemptEnd;
    try {
      let outcome: StepOutcome;
      const calls: JournalledCall[] = [];
      try {
        outcome = await journalGenesysCalls(calls, () =>
          STEP_HANDLERS[step.step]({
            request,
            step,
            genesys: this.deps.genesys,
            db,
            logger: stepLogger,
            gdprPollIntervalSeconds: this.deps.gdprPollIntervalSeconds,
            lease: {
              confirm: async () => {
                if (!(await renewStepLease(db, step.id, lease))) {
                  throw new StepLeaseLostError(step.step);
                }
              },
            },
          }),
        );
      } catch (error) {
        await this.recordCalls(db, request.id, step.step, calls, stepLogger);
        if (error instanceof StepLeaseLostError) throw error;
        attemptOutcome = await db
          .transaction()
          .execute((trx) => this.handleStepError(trx, request, step, lease, error, stepLogger));
        return;
      }
      await this.recordCalls(db, request.id, step.step, calls, stepLogger);
      end = await db
        .transaction()
        .execute((trx) =>
          this.recordOutcome(trx, request, step, lease, outcome, stepLogger, chain),
        );
      attemptOutcome = outcome.kind === 'wait' ? 'waiting' : 'succeeded';
    } catch (error) {
      if (!(error instanceof StepLeaseLostError)) throw error;
      attemptOutcome = 'lease_lost';
      // The attempt that took over records the step; whatever this one would write is stale.
      stepLogger.warn(
        { err: error },
        'step lease lost; leaving the step to the attempt that holds it',
      );
    } finally {
      const seconds = (performance.now() - attemptStarted) / 1000;
      this.deps.metrics?.recordStepAttempt(step.step, attemptOutcome, seconds);
    }
    return end;
  }

  /**
   * The evidence lists every Genesys call made for the request, whatever became of the attempt
   * (a lost lease included): the calls happened. A failure to record them is logged, not fatal.
   */
  private async recordCalls(
    db: Db,
    requestId: number,
    step: StepName,
    calls: readonly JournalledCall[],
    logger: Logger,
  ): Promise<void> {
    await insertGenesysCalls(db, requestId, step, calls).catch((error: unknown) =>
      logger.warn({ err: error, calls: calls.length }, 'Genesys calls not recorded for evidence'),
    );
  }

  /**
   * A scheduled request's job fired: if its time has come (on the database's clock, which is the
   * one that made the job due), the run starts and the thread says so. A job that fires early
   * (a sweep, a clock a little behind) re-queues itself for the time; a cancelled request is no
   * longer `scheduled` and never gets here. Holds the request's step lock, and the move is a
   * compare-and-set: two instances firing together start it once.
   */
  private async startScheduledRun(
    trx: DbOrTx,
    request: OffboardingRequest,
  ): Promise<OffboardingRequest | undefined> {
    if (request.run_at !== null && !(await isRunDue(trx, request.id))) {
      await this.scheduleStep(trx, request.id, request.run_at);
      return undefined;
    }
    const running = await transitionRequest(trx, request.id, 'running', {
      actor: 'system',
      details: { scheduledFor: request.run_at?.toISOString() ?? null },
    });
    if (!running) return undefined;
    await createPendingSteps(trx, request.id, stepsFor(request.gdpr_mode));
    await this.notify(trx, request.id, { type: 'run_started', scheduled: true });
    return running;
  }

  private async recordOutcome(
    trx: DbOrTx,
    request: OffboardingRequest,
    step: WorkflowStep,
    lease: StepLease,
    outcome: StepOutcome,
    logger: Logger,
    chain: boolean,
  ): Promise<AttemptEnd> {
    // Fenced first: when the lease is lost, nothing of this attempt's result is committed.
    const recorded =
      outcome.kind === 'wait'
        ? await endStepAttempt(trx, step.id, lease.token)
        : await markStepSucceeded(trx, step.id, lease.token, { result: outcome.result });
    if (!recorded) throw new StepLeaseLostError(step.step);
    for (const event of outcome.events ?? []) {
      await this.notify(trx, request.id, event);
      if (event.type === 'gdpr_status') {
        await updateRequestDetails(trx, request.id, { gdpr_status: event.status });
        await appendAudit(trx, {
          requestId: request.id,
          event: 'gdpr_status_changed',
          actor: 'system',
          details: { gdprRequestId: event.gdprRequestId, status: event.status },
        });
      }
    }
    if (outcome.kind === 'wait') {
      await this.scheduleStep(trx, request.id, outcome.afterSeconds);
      return undefined;
    }
    await appendAudit(trx, {
      requestId: request.id,
      event: 'step_succeeded',
      actor: 'system',
      details: { step: step.step, result: outcome.result ?? null, attempts: step.attempts },
    });
    await this.notify(trx, request.id, {
      type: 'step_succeeded',
      step: step.step,
      ...(outcome.detail ? { detail: outcome.detail } : {}),
    });
    logger.info('step succeeded');
    if (chain) return 'run_next_now';
    await this.scheduleStep(trx, request.id);
    return undefined;
  }

  private async handleStepError(
    trx: DbOrTx,
    request: OffboardingRequest,
    step: WorkflowStep,
    lease: StepLease,
    error: unknown,
    logger: Logger,
  ): Promise<'retrying' | 'failed'> {
    const correlationId = isGenesysError(error) ? error.correlationId : undefined;
    const code = error instanceof AppError || isGenesysError(error) ? error.code : 'UNEXPECTED';
    const message = error instanceof Error ? error.message : String(error);

    if (isGenesysError(error) && error.retryable) {
      const waitSeconds = Math.max(
        Math.ceil((error.retryAfterMs ?? 0) / 1000),
        this.retryDelaySeconds(step.attempts),
      );
      logger.warn(
        { err: error, correlationId, attempts: step.attempts, waitSeconds },
        'Genesys unavailable; the step will be tried again',
      );
      const firstFailureInARow = step.error_code === null;
      const recorded = await recordStepError(trx, step.id, lease.token, {
        code,
        message,
        correlationId,
        final: false,
      });
      if (!recorded) throw new StepLeaseLostError(step.step, { cause: error });
      await appendAudit(trx, {
        requestId: request.id,
        event: 'step_retrying',
        actor: 'system',
        details: {
          step: step.step,
          code,
          message: withoutPersonalData(message, request),
          correlationId,
          waitSeconds,
        },
      });
      if (firstFailureInARow) {
        await this.notify(trx, request.id, {
          type: 'step_retrying',
          step: step.step,
          error: message,
          retryInSeconds: waitSeconds,
        });
      }
      await this.scheduleStep(trx, request.id, waitSeconds);
      return 'retrying';
    }

    if (isGenesysError(error) || error instanceof PermanentStepError) {
      logger.error({ err: error, correlationId }, 'step failed permanently');
      const recorded = await recordStepError(trx, step.id, lease.token, {
        code,
        message,
        correlationId,
        final: true,
      });
      if (!recorded) throw new StepLeaseLostError(step.step, { cause: error });
      await appendAudit(trx, {
        requestId: request.id,
        event: 'step_failed',
        actor: 'system',
        details: {
          step: step.step,
          code,
          message: withoutPersonalData(message, request),
          correlationId,
        },
      });
      await this.fail(trx, request, step.step, message);
      return 'failed';
    }
    // Not Genesys and not understood (a database hiccup, a bug): let the job queue retry the job.
    throw error;
  }

  private retryDelaySeconds(attempts: number): number {
    const { baseSeconds: base, maxSeconds: max } = this.backoff;
    return Math.max(1, Math.round(backoffDelay(attempts, { base, max, jitter: 0.25 })));
  }

  private async complete(trx: DbOrTx, request: OffboardingRequest): Promise<void> {
    const completed = await transitionRequest(trx, request.id, 'completed', {
      actor: 'system',
      patch: { finished_at: new Date() },
    });
    if (completed) {
      await this.notify(trx, request.id, { type: 'completed' });
      await this.notify(trx, request.id, { type: 'outcome_notice', outcome: 'completed' });
    }
  }

  private async fail(
    trx: DbOrTx,
    request: OffboardingRequest,
    step: StepName,
    reason: string,
  ): Promise<void> {
    const failed = await transitionRequest(trx, request.id, 'failed', {
      actor: 'system',
      details: { step, reason },
      patch: { failure_reason: reason, finished_at: new Date() },
    });
    if (failed) {
      await this.notify(trx, request.id, { type: 'failed', step, error: reason });
      await this.notify(trx, request.id, {
        type: 'outcome_notice',
        outcome: 'failed',
        error: reason,
      });
    }
  }
}
