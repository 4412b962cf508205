import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { CompiledQuery, Kysely } from 'kysely';
import type { Database, DatabaseHandle } from './database.js';
import { acquireEmbeddedLock } from './embedded-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import { InProcessRequestLocks } from './request-locks.js';

/**
 * PostgreSQL embedded in the process (PGlite), for a first run with no database server. Same
 * migrations, same job queue; one process only, since PGlite cannot be shared.
 * `dataDir` undefined keeps everything in memory (tests). A directory is locked for this process
 * while open (src/db/embedded-lock.ts); `holder` is what the lock tells a later comer (`bot`, or
 * the command's name) and a held lock refuses with EmbeddedDatabaseBusyError.
 */
export async function createEmbeddedDatabase(
  dataDir: string | undefined,
  holder = 'bot',
): Promise<DatabaseHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lock = dataDir ? acquireEmbeddedLock(dataDir, holder) : undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      // Like node-postgres: 64-bit integers as strings, so they never lose precision or break JSON.
      parsers: { [types.INT8]: (value: string) => value },
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    locks: new InProcessRequestLocks(db),
    queueConnection: {
      executeSql: async (text, values) => {
        const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
        return { rows: result.rows as never[] };
      },
    },
    description: dataDir ? `embedded PostgreSQL in ${dataDir}` : 'embedded PostgreSQL in memory',
    close: async () => {
      try {
        await db.destroy();
      } finally {
        lock?.release();
      }
    },
  };
}
