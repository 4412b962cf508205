// The one way tests and benchmarks wait for something to happen: poll a check until it answers.

import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

export interface WaitOptions {
  /** Default 30 s. */
  timeoutMs?: number;
  /** Default 100 ms. */
  intervalMs?: number;
  /**
   * Try a check that throws again instead of failing the wait (for checks that read a database
   * that is down on purpose). Default: the error fails the wait.
   */
  retryErrors?: boolean;
}

/** `undefined` and `false` mean "not yet"; any other value ends the wait and is returned. */
export type Check<T> = () => T | undefined | false | Promise<T | undefined | false>;

/**
 * Polls `check` until it returns a value, or fails after the timeout naming `what` (a function is
 * called then, so the error can list what was seen instead).
 */
export async function waitFor<T>(
  what: string | (() => string),
  check: Check<T>,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = options.retryErrors ? await attempt(check) : await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(
        typeof what === 'function' ? what() : `Timed out after ${timeoutMs} ms waiting for ${what}`,
      );
    }
    await sleep(options.intervalMs ?? 100);
  }
}

async function attempt<T>(check: Check<T>): Promise<T | undefined | false> {
  try {
    return await check();
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Proof that nothing (more) happens, without sleeping for a guessed time: waits until the job
 * queue has no job waiting, retrying or running (for `queues`, default every queue) and the chat
 * outbox has nothing left to deliver. Whatever a request, click or step set in motion has then
 * run to its end, and the test can check that it changed nothing.
 */
export async function waitForQuiet(
  db: Db,
  options: { queues?: readonly string[]; timeoutMs?: number } = {},
): Promise<void> {
  const queues = options.queues ?? [];
  await waitFor(
    'the job queue to drain and the chat outbox to empty',
    async () => {
      const { rows } = await sql<{ jobs: number; outbox: number }>`
        select
          (select count(*)::int from pgboss.job
            where state in ('created', 'retry', 'active')
              and (${queues.length} = 0 or name = any(${sql.val([...queues])}::text[]))) as jobs,
          (select count(*)::int from chat_notifications where status = 'pending') as outbox`.execute(
        db,
      );
      return rows[0]?.jobs === 0 && rows[0]?.outbox === 0;
    },
    { timeoutMs: options.timeoutMs ?? 20_000, intervalMs: 50 },
  );
}
