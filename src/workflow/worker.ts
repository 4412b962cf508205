import type { BatchJob, BatchProgress } from './batch-progress.js';
import type { NotificationDispatcher } from './notification-dispatcher.js';
import { workContinuously } from './pg-boss-compat.js';
import {
  BATCH_QUEUE,
  ensureQueue,
  type JobQueue,
  NOTIFY_QUEUE,
  type QueueDeclaration,
  STEP_QUEUE,
} from './queue.js';
import type { WorkflowRunner } from './runner.js';

/** A queue and the handler of its jobs, as the workflow and each chat adapter declare them. */
export interface QueueWorker<T = unknown> extends QueueDeclaration {
  /** Workers of this queue per instance. */
  concurrency: number;
  pollingIntervalSeconds: number;
  // A method, so a worker of any job type fits in one list of QueueWorker.
  handle(data: T): Promise<void>;
}

interface RequestJob {
  requestId: number;
}

/** The workflow's own workers: one job runs a request's next step or delivers its messages. */
export function workflowQueueWorkers(deps: {
  runner: WorkflowRunner;
  dispatcher: NotificationDispatcher;
  /** Redraws batch cards and progress messages; absent where no batch is drawn (tools). */
  batchProgress?: BatchProgress;
  /** Workers per queue per instance. */
  concurrency?: number;
  pollingIntervalSeconds?: number;
}): QueueWorker[] {
  const shared = {
    concurrency: deps.concurrency ?? 4,
    pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 1,
  };
  const step: QueueWorker<RequestJob> = {
    ...STEP_QUEUE,
    ...shared,
    handle: (job) => deps.runner.runNextStep(job.requestId),
  };
  const notify: QueueWorker<RequestJob> = {
    ...NOTIFY_QUEUE,
    ...shared,
    handle: (job) => deps.dispatcher.deliverPending(job.requestId),
  };
  if (!deps.batchProgress) return [step, notify];
  const { batchProgress } = deps;
  const batch: QueueWorker<BatchJob> = {
    ...BATCH_QUEUE,
    ...shared,
    handle: (job) => batchProgress.handle(job),
  };
  return [step, notify, batch];
}

/**
 * The one place that registers queue workers: creates (or updates) each queue, then starts its
 * workers. Every instance may run any request's jobs.
 */
export async function startQueueWorkers(
  queue: JobQueue,
  workers: readonly QueueWorker[],
): Promise<void> {
  for (const worker of workers) {
    await ensureQueue(queue, worker);
    for (let i = 0; i < worker.concurrency; i++) {
      await workContinuously<object>(
        queue,
        worker.name,
        { pollingIntervalSeconds: worker.pollingIntervalSeconds },
        (data) => worker.handle(data),
      );
    }
  }
}
