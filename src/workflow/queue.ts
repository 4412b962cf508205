import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { DbOrTx } from '../db/database.js';

export const QUEUES = {
  /** One job = run the request's next step. */
  step: 'offboarding-step',
  /** One job = deliver the request's pending chat messages, in order. */
  notify: 'offboarding-notify',
  /** Periodic: expire stale requests, resume stalled runs, redeliver messages. */
  sweep: 'offboarding-sweep',
} as const;

export type JobQueue = PgBoss;

export interface QueueOptions {
  connectionString?: string;
  /** For the embedded database: pg-boss runs its SQL through this instead of its own pool. */
  executeSql?: PgBoss.Db['executeSql'];
  logger: Logger;
  /** How long a step job may stay active before another instance may take it over. */
  stepExpireSeconds?: number;
}

/**
 * pg-boss over the same PostgreSQL database. Queues use the `short` policy with the request id as
 * singleton key: at most one job per request waits in a queue, so retries, sweeps and several
 * instances never pile up duplicate runs of the same request.
 */
export async function startJobQueue(options: QueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    ...(options.executeSql
      ? { db: { executeSql: options.executeSql } }
      : { connectionString: options.connectionString, max: 4 }),
    application_name: 'offboarding-bot',
  });
  boss.on('error', (error) => options.logger.error({ err: error }, 'job queue error'));
  await boss.start();
  const retry = { retryLimit: 20, retryDelay: 5, retryBackoff: true };
  await ensureQueue(boss, QUEUES.step, {
    policy: 'short',
    expireInSeconds: options.stepExpireSeconds ?? 600,
    ...retry,
  });
  await ensureQueue(boss, QUEUES.notify, { policy: 'short', expireInSeconds: 300, ...retry });
  await ensureQueue(boss, QUEUES.sweep, { policy: 'short', expireInSeconds: 300, retryLimit: 0 });
  return boss;
}

async function ensureQueue(
  boss: PgBoss,
  name: string,
  options: Omit<PgBoss.Queue, 'name'>,
): Promise<void> {
  const queue = { name, ...options };
  if (await boss.getQueue(name)) {
    await boss.updateQueue(name, queue);
    return;
  }
  try {
    await boss.createQueue(name, queue);
  } catch (error) {
    // Another instance created it between our check and our create.
    if (!(await boss.getQueue(name))) throw error;
    await boss.updateQueue(name, queue);
  }
}

/** Lets pg-boss insert a job inside a Kysely transaction, so the job commits with the state. */
export function jobQueueConnection(db: DbOrTx): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const result = await db.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as never[] };
    },
  };
}

export function requestJobKey(requestId: number): string {
  return `request-${requestId}`;
}
