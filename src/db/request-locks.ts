import { sql } from 'kysely';
import type { Db } from './database.js';

export type LockOutcome<T> = { acquired: true; value: T } | { acquired: false };

/**
 * Mutual exclusion per request, across every worker of every instance. The callback receives
 * the database to use while it holds the lock: with PostgreSQL that is the very connection
 * holding the lock, so a worker needs one connection whatever it does.
 */
export interface RequestLocks {
  /** Runs `work` if nobody holds the lock; otherwise returns `{ acquired: false }` at once. */
  tryWithLock<T>(
    namespace: number,
    requestId: number,
    work: (db: Db) => Promise<T>,
  ): Promise<LockOutcome<T>>;
  /** Waits for the lock, then runs `work`. */
  withLock<T>(namespace: number, requestId: number, work: (db: Db) => Promise<T>): Promise<T>;
}

/**
 * Session-level advisory locks: held across the transactions a step commits, released by the
 * server itself when the holder's connection dies (SIGKILL, network loss), so a crash never
 * leaves a request locked.
 */
export class PostgresRequestLocks implements RequestLocks {
  constructor(private readonly db: Db) {}

  async tryWithLock<T>(
    namespace: number,
    requestId: number,
    work: (db: Db) => Promise<T>,
  ): Promise<LockOutcome<T>> {
    return this.db.connection().execute(async (connection) => {
      const { rows } = await sql<{ locked: boolean }>`
        select pg_try_advisory_lock(${namespace}, ${requestId}) as locked`.execute(connection);
      if (!rows[0]?.locked) return { acquired: false };
      try {
        return { acquired: true, value: await work(connection) };
      } finally {
        await release(connection, namespace, requestId);
      }
    });
  }

  async withLock<T>(
    namespace: number,
    requestId: number,
    work: (db: Db) => Promise<T>,
  ): Promise<T> {
    return this.db.connection().execute(async (connection) => {
      await sql`select pg_advisory_lock(${namespace}, ${requestId})`.execute(connection);
      try {
        return await work(connection);
      } finally {
        await release(connection, namespace, requestId);
      }
    });
  }
}

async function release(connection: Db, namespace: number, requestId: number): Promise<void> {
  // If the connection is gone, so is the lock; nothing else to do.
  await sql`select pg_advisory_unlock(${namespace}, ${requestId})`
    .execute(connection)
    .catch(() => undefined);
}

/**
 * For the embedded database, which only one process can open: locks within this process.
 * (PGlite has a single session, where advisory locks would always be granted.)
 */
export class InProcessRequestLocks implements RequestLocks {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly db: Db) {}

  async tryWithLock<T>(
    namespace: number,
    requestId: number,
    work: (db: Db) => Promise<T>,
  ): Promise<LockOutcome<T>> {
    if (this.tails.has(`${namespace}:${requestId}`)) return { acquired: false };
    return { acquired: true, value: await this.withLock(namespace, requestId, work) };
  }

  async withLock<T>(
    namespace: number,
    requestId: number,
    work: (db: Db) => Promise<T>,
  ): Promise<T> {
    const key = `${namespace}:${requestId}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work(this.db);
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
