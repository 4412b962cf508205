import { setTimeout as sleep } from 'node:timers/promises';
import { CompiledQuery, sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { DbOrTx } from '../db/database.js';
import { applyPgBossWorkarounds } from './pg-boss-compat.js';

export const QUEUES = {
  /** One job = run the request's next step. */
  step: 'offboarding-step',
  /** One job = deliver the request's pending chat messages, in order. */
  notify: 'offboarding-notify',
  /** One job = redraw a batch's card and progress message, and post its report at the end. */
  batch: 'offboarding-batch',
} as const;

export type JobQueue = PgBoss;

/** A queue's name and pg-boss settings, created (or updated) before anything is sent to it. */
export interface QueueDeclaration {
  name: string;
  options: Omit<PgBoss.Queue, 'name'>;
}

/**
 * A notify job still active after this is handed to another worker. Chat clients bound each call
 * (CHAT_CALL_MAX_MS) and the dispatcher bounds each job (NOTIFY_JOB_BUDGET_MS) well inside it,
 * so a slow chat never has a message posted by a job the queue already gave to someone else.
 */
export const NOTIFY_JOB_EXPIRE_SECONDS = 300;

export interface QueueOptions {
  connectionString?: string;
  /** For the embedded database: pg-boss runs its SQL through this instead of its own pool. */
  executeSql?: PgBoss.Db['executeSql'];
  logger: Logger;
}

const RETRY = { retryLimit: 20, retryDelay: 5, retryBackoff: true };

export const STEP_QUEUE: QueueDeclaration = {
  name: QUEUES.step,
  // How long a step job may stay active before another instance may take it over.
  options: { policy: 'short', expireInSeconds: 600, ...RETRY },
};

export const NOTIFY_QUEUE: QueueDeclaration = {
  name: QUEUES.notify,
  options: { policy: 'short', expireInSeconds: NOTIFY_JOB_EXPIRE_SECONDS, ...RETRY },
};

export const BATCH_QUEUE: QueueDeclaration = {
  name: QUEUES.batch,
  options: { policy: 'short', expireInSeconds: NOTIFY_JOB_EXPIRE_SECONDS, ...RETRY },
};

/**
 * For a queue of chat commands handled after their acknowledgement. Two tries at most: a retry
 * (after a failure, or once a crashed try's job expires) re-runs the command, which posts a card
 * its first try recorded but did not post, and refuses a second request for the same person.
 */
export const CHAT_COMMAND_QUEUE_OPTIONS: QueueDeclaration['options'] = {
  policy: 'standard',
  expireInSeconds: 300,
  retryLimit: 1,
  retryDelay: 2,
};

/**
 * pg-boss over the same PostgreSQL database. Queues use the `short` policy with the request id as
 * singleton key: at most one job per request waits in a queue, so retries, sweeps and several
 * instances never pile up duplicate runs of the same request.
 */
export async function startJobQueue(options: QueueOptions): Promise<JobQueue> {
  applyPgBossWorkarounds(options.logger);
  const boss = new PgBoss({
    ...(options.executeSql
      ? { db: { executeSql: options.executeSql } }
      : { connectionString: options.connectionString, max: 4 }),
    application_name: 'offboarding-bot',
  });
  boss.on('error', (error) => options.logger.error({ err: error }, 'job queue error'));
  await boss.start();
  // The workflow's own queues exist as soon as the queue does: the runner sends to them even
  // where no worker runs (tools, tests).
  for (const declared of [STEP_QUEUE, NOTIFY_QUEUE, BATCH_QUEUE]) await ensureQueue(boss, declared);
  return boss;
}

export async function ensureQueue(boss: PgBoss, declared: QueueDeclaration): Promise<void> {
  const { name } = declared;
  const queue = { name, ...declared.options };
  if (await boss.getQueue(name)) {
    await boss.updateQueue(name, queue);
    return;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(name, queue);
      return;
    } catch (error) {
      // pg-boss attaches a partition to its job table per queue: instances starting together
      // and creating different queues can deadlock there. The loser's create was rolled back
      // as a whole, so it is simply tried again.
      if (isDeadlock(error) && attempt < CREATE_QUEUE_ATTEMPTS) {
        await sleep(50 * attempt + Math.random() * 100);
        continue;
      }
      // Another instance created it between our check and our create.
      if (!(await boss.getQueue(name))) throw error;
      await boss.updateQueue(name, queue);
      return;
    }
  }
}

const CREATE_QUEUE_ATTEMPTS = 5;
const DEADLOCK_DETECTED = '40P01';

function isDeadlock(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DEADLOCK_DETECTED;
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

/**
 * Withdraws a request's jobs that wait in a queue (scheduled or waiting to be retried), in the
 * caller's transaction. A job already running is not touched: it finds the request's state
 * changed and does nothing.
 */
export async function withdrawWaitingJobs(db: DbOrTx, queue: string, key: string): Promise<void> {
  await sql`delete from pgboss.job
    where name = ${queue} and singleton_key = ${key} and state in ('created', 'retry')`.execute(db);
}

export function requestJobKey(requestId: number): string {
  return `request-${requestId}`;
}
