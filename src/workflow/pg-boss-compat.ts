// Everything that leans on pg-boss internals or works around its behaviour, written against
// pg-boss 10. Both workarounds depend on how that version works inside, so the queue refuses to
// start on a version nobody has checked them against.
import { createRequire } from 'node:module';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';

/** pg-boss major versions the workarounds below were checked against. */
export const KNOWN_PG_BOSS_MAJORS: readonly number[] = [10];

const require = createRequire(import.meta.url);

export function installedPgBossVersion(): string {
  return (require('pg-boss/package.json') as { version: string }).version;
}

/** Throws, saying what to check, unless pg-boss `version` is one the workarounds know. */
export function assertKnownPgBossVersion(version: string): void {
  const major = Number(/^(\d+)\.\d+/.exec(version)?.[1]);
  if (KNOWN_PG_BOSS_MAJORS.includes(major)) return;
  throw new Error(
    `pg-boss ${version} is installed, but src/workflow/pg-boss-compat.ts knows only pg-boss ${KNOWN_PG_BOSS_MAJORS.map((known) => `${known}.x`).join(', ')}. ` +
      'Check its two workarounds against this version before starting: ' +
      '(1) observeJobSettlement wraps Manager.prototype.complete and .fail in pg-boss/src/manager.js, ' +
      'which the worker calls without awaiting after each job; ' +
      '(2) workContinuously calls notifyWorker after each job to skip the polling wait. ' +
      'Then add the major version to KNOWN_PG_BOSS_MAJORS, or install pg-boss 10 (npm install pg-boss@10).',
  );
}

/** Once per process, before the first `PgBoss` starts. */
export function applyPgBossWorkarounds(logger: Logger): void {
  assertKnownPgBossVersion(installedPgBossVersion());
  observeJobSettlement(logger);
}

let settlementLogger: Logger | undefined;

/**
 * pg-boss 10 marks a job completed or failed without awaiting it once the handler returns
 * (`this.complete(...)` / `this.fail(...)` in its worker). If the database is down at that moment
 * the rejection is unhandled and Node ends the process. Observing those promises turns that into
 * a log line; the job stays active, expires and is retried, and the sweep resumes the request.
 * Awaiting callers still see the rejection.
 */
function observeJobSettlement(logger: Logger): void {
  settlementLogger = logger;
  const manager = require('pg-boss/src/manager.js') as {
    prototype: Record<string, unknown> & { __settlementObserved?: boolean };
  };
  const prototype = manager.prototype;
  if (prototype.__settlementObserved) return;
  for (const method of ['complete', 'fail'] as const) {
    if (typeof prototype[method] !== 'function') {
      throw new Error(
        `pg-boss/src/manager.js has no ${method}() any more: the settlement workaround in src/workflow/pg-boss-compat.ts no longer fits this pg-boss version`,
      );
    }
  }
  prototype.__settlementObserved = true;
  for (const method of ['complete', 'fail'] as const) {
    const original = prototype[method] as (...args: unknown[]) => Promise<unknown>;
    prototype[method] = function observed(this: unknown, ...args: unknown[]) {
      const settled = original.apply(this, args);
      settled.catch((error: unknown) =>
        settlementLogger?.warn({ err: error, queue: args[0] }, `could not mark a job ${method}d`),
      );
      return settled;
    };
  }
}

/** The workers each queue instance runs in this process, by queue name (for wakeWorkers). */
const workerIds = new WeakMap<PgBoss, Map<string, string[]>>();

/**
 * pg-boss 10 waits a full polling interval after every job, even when more are waiting, which
 * caps a worker at one job per interval. Telling the worker it has work skips that wait while
 * the queue has jobs; an empty queue is still polled at the interval.
 */
export async function workContinuously<T extends object>(
  queue: PgBoss,
  name: string,
  options: { pollingIntervalSeconds: number },
  handle: (job: T) => Promise<void>,
): Promise<void> {
  let workerId = '';
  workerId = await queue.work<T>(name, options, async ([job]) => {
    if (!job) return;
    await handle(job.data);
    if (workerId) queue.notifyWorker(workerId);
  });
  const byName = workerIds.get(queue) ?? new Map<string, string[]>();
  byName.set(name, [...(byName.get(name) ?? []), workerId]);
  workerIds.set(queue, byName);
}

/**
 * Skips the polling wait of this process's workers of `name` (pg-boss `notifyWorker`): for a job
 * a person waits on, sent by this process, so one of its idle workers fetches it at once. Workers
 * of other instances still find it at their next poll.
 */
export function wakeWorkers(queue: PgBoss, name: string): void {
  for (const workerId of workerIds.get(queue)?.get(name) ?? []) queue.notifyWorker(workerId);
}
