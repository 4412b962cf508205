import { sql } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/database.js';
import type { GenesysCallObserver } from '../genesys/call.js';
import { countRequestsByState } from '../offboarding/request.repository.js';
import type { RequestState } from '../offboarding/request.table.js';
import { QUEUES } from '../workflow/queue.js';

/** How one attempt at a workflow step ended, as the runner saw it. */
export type StepAttemptOutcome =
  | 'succeeded'
  | 'waiting'
  | 'retrying'
  | 'failed'
  | 'lease_lost'
  | 'error';

/** Whether a failed chat delivery will be tried again or was given up. */
export type ChatDeliveryFailure = 'retrying' | 'gave_up';

export interface BotMetrics {
  readonly registry: Registry;
  readonly genesysObserver: GenesysCallObserver;
  recordStepAttempt(step: string, outcome: StepAttemptOutcome, seconds: number): void;
  recordChatDeliveryFailed(platform: string, failure: ChatDeliveryFailure): void;
}

const REQUEST_STATES: readonly RequestState[] = [
  'pending',
  'approved',
  'scheduled',
  'awaiting_erasure',
  'restored',
  'rejected',
  'expired',
  'cancelled',
  'running',
  'completed',
  'failed',
];
const PGBOSS_SCHEMA = 'pgboss';
const QUEUE_STATES = ['created', 'retry', 'active'] as const;

/**
 * One registry per bot instance (not prom-client's global one), so several bots in one process
 * (tests, benchmarks) each expose their own figures. Figures that live in the database (requests
 * by state, queue depth) are read at scrape time, so every instance reports the same truth.
 */
export function createBotMetrics(deps: { db: Db }): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { db } = deps;

  new Gauge({
    name: 'offboarding_requests',
    help: 'Offboarding requests in the database, by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const rows = await countRequestsByState(db);
      this.reset();
      for (const state of REQUEST_STATES) this.set({ state }, 0);
      for (const row of rows) this.set({ state: row.state }, row.count);
    },
  });

  // One query feeds both queue gauges; whichever is collected first runs it for the scrape.
  let queueRead: Promise<QueueRow[]> | undefined;
  const readQueues = () => {
    queueRead ??= readQueueRows(db).finally(() => {
      setImmediate(() => {
        queueRead = undefined;
      });
    });
    return queueRead;
  };
  new Gauge({
    name: 'job_queue_jobs',
    help: 'Jobs in the job queue (pg-boss), by queue and state (created, retry, active)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const rows = await readQueues();
      this.reset();
      for (const queue of Object.values(QUEUES)) {
        for (const state of QUEUE_STATES) this.set({ queue, state }, 0);
      }
      for (const row of rows) this.set({ queue: row.name, state: row.state }, row.count);
    },
  });
  new Gauge({
    name: 'job_queue_oldest_waiting_seconds',
    help: 'How long the oldest due job not yet picked up (state created) has waited since it became due, by queue; 0 when none waits',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const rows = await readQueues();
      this.reset();
      for (const queue of Object.values(QUEUES)) this.set({ queue }, 0);
      for (const row of rows) {
        if (row.state === 'created') this.set({ queue: row.name }, row.oldestWaitSeconds);
      }
    },
  });

  const stepDuration = new Histogram({
    name: 'workflow_step_duration_seconds',
    help: 'Time one attempt at a workflow step took (Genesys calls included), by step and outcome',
    labelNames: ['step', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const stepAttempts = new Counter({
    name: 'workflow_step_attempts_total',
    help: 'Attempts at workflow steps, by step and outcome (succeeded, waiting, retrying, failed, lease_lost, error)',
    labelNames: ['step', 'outcome'],
    registers: [registry],
  });
  const genesysCalls = new Counter({
    name: 'genesys_calls_total',
    help: 'Genesys API answers, each attempt counted, by operation, method and HTTP status (none: no answer)',
    labelNames: ['operation', 'method', 'status'],
    registers: [registry],
  });
  const limiterWait = new Histogram({
    name: 'genesys_limiter_wait_seconds',
    help: 'Time a Genesys call waited before it was sent because of the rate limit',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  const chatDeliveriesFailed = new Counter({
    name: 'chat_deliveries_failed_total',
    help: 'Chat messages whose delivery failed, by platform and whether it will be retried or was given up',
    labelNames: ['platform', 'failure'],
    registers: [registry],
  });

  return {
    registry,
    genesysObserver: {
      onAnswer: ({ operation, method, status }) =>
        genesysCalls.inc({ operation, method, status: status === undefined ? 'none' : status }),
      onRateLimitWait: (seconds) => limiterWait.observe(seconds),
    },
    recordStepAttempt(step, outcome, seconds) {
      stepDuration.observe({ step, outcome }, seconds);
      stepAttempts.inc({ step, outcome });
    },
    recordChatDeliveryFailed(platform, failure) {
      chatDeliveriesFailed.inc({ platform, failure });
    },
  };
}

interface QueueRow {
  name: string;
  state: string;
  count: number;
  oldestWaitSeconds: number;
}

/** One grouped read of pg-boss's job table (its schema is pg-boss's, so the SQL is raw). */
async function readQueueRows(db: Db): Promise<QueueRow[]> {
  const { rows } = await sql<{ name: string; state: string; count: string; oldest: string | null }>`
    select name, state::text as state, count(*) as count,
      extract(epoch from now() - min(start_after) filter (where start_after <= now())) as oldest
    from ${sql.table(`${PGBOSS_SCHEMA}.job`)}
    where state in ('created', 'retry', 'active')
    group by name, state`.execute(db);
  return rows.map((row) => ({
    name: row.name,
    state: row.state,
    count: Number(row.count),
    oldestWaitSeconds: Math.max(0, Number(row.oldest ?? 0)),
  }));
}
