import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { listUnsettledBatchIds } from '../offboarding/batch.repository.js';
import type { BatchProgressPort } from '../offboarding/batch.service.js';
import { listRequestIdsWithPendingNotifications } from '../offboarding/notification.repository.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import {
  listDueScheduledIds,
  listExpiredPendingIds,
  listRequestIdsInStates,
} from '../offboarding/request.repository.js';
import type { BatchProgress } from './batch-progress.js';
import { type JobQueue, jobQueueConnection, QUEUES, requestJobKey } from './queue.js';
import { type RedactionDeps, redactDueRecords } from './redaction.js';
import type { WorkflowRunner } from './runner.js';

export interface SweepDeps {
  db: Db;
  queue: JobQueue;
  runner: WorkflowRunner;
  service: OffboardingService;
  logger: Logger;
  intervalMs?: number;
  /** Retention: final requests lose the leaver's details once it is over. */
  retention?: Pick<RedactionDeps, 'retentionDays' | 'recordHashKey' | 'now'>;
  /** Batches still running or owing their report get a redraw: a restart resumes their progress. */
  batches?: Pick<BatchProgressPort, 'refresh'>;
  /** Pending batches are reminded as requests are, one reminder per period for the batch. */
  batchReminders?: Pick<BatchProgress, 'sendDueReminders'>;
}

const SWEEP_INTERVAL_MS = 15_000;

/**
 * At start, picks up what a crash left behind; then every SWEEP_INTERVAL_MS on every instance
 * (it is a few indexed queries, and the jobs it queues are deduplicated per request).
 */
export async function startSweeping(deps: SweepDeps): Promise<{ stop(): void }> {
  await sweep(deps);
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweep(deps)
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'sweep failed; next one soon'))
      .finally(() => {
        sweeping = false;
      });
  }, deps.intervalMs ?? SWEEP_INTERVAL_MS);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
  };
}

/**
 * Expires stale requests, queues due reminders (each claimed once in the database), resumes runs that lost their job (a crash before the next job was
 * queued, an expired job) and redelivers chat messages. Duplicate jobs are harmless: the queue
 * keeps one waiting job per request and each step works out what is left from the database.
 */
export async function sweep(deps: SweepDeps): Promise<void> {
  const { db, queue, service, logger } = deps;
  for (const requestId of await listExpiredPendingIds(db, new Date())) {
    if (await service.expire(requestId)) logger.info({ requestId }, 'request expired');
  }
  const reminded = await service.sendDueReminders();
  if (reminded.reminders + reminded.expiryWarnings > 0) logger.info(reminded, 'reminders queued');
  if (deps.batchReminders) {
    const batchReminded = await deps.batchReminders.sendDueReminders();
    if (batchReminded.batchReminders + batchReminded.batchExpiryWarnings > 0) {
      logger.info(batchReminded, 'batch reminders queued');
    }
  }
  // A request waiting for its erasure gets a job too: one that finds the erasure not yet due
  // queues the next wake-up itself, and the queue keeps the waiting one otherwise. A scheduled
  // run that is due normally fires by itself; this covers a job that was lost.
  const resumable = ['approved', 'running', 'awaiting_erasure'] as const;
  for (const requestId of [
    ...(await listRequestIdsInStates(db, resumable)),
    ...(await listDueScheduledIds(db)),
  ]) {
    await deps.runner.scheduleStep(db, requestId);
  }
  if (deps.retention) {
    await redactDueRecords({
      db,
      workflow: deps.runner,
      logger,
      ...deps.retention,
      ...(deps.batches ? { batches: deps.batches } : {}),
    });
  }
  if (deps.batches) {
    for (const batchId of await listUnsettledBatchIds(db)) await deps.batches.refresh(db, batchId);
  }
  for (const requestId of await listRequestIdsWithPendingNotifications(db)) {
    await queue.send(
      QUEUES.notify,
      { requestId },
      { singletonKey: requestJobKey(requestId), db: jobQueueConnection(db) },
    );
  }
}
