import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { CompiledQuery, Kysely } from 'kysely';
import type { Database, DatabaseHandle } from './database.js';
import { PGliteDialect } from './pglite-dialect.js';
import { InProcessRequestLocks } from './request-locks.js';

/**
 * PostgreSQL embedded in the process (PGlite), for a first run with no database server. Same
 * migrations, same job queue; one process only, since PGlite cannot be shared.
 * `dataDir` undefined keeps everything in memory (tests).
 */
export async function createEmbeddedDatabase(dataDir: string | undefined): Promise<DatabaseHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    // Like node-postgres: 64-bit integers as strings, so they never lose precision or break JSON.
    parsers: { [types.INT8]: (value: string) => value },
  });
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
      await db.destroy();
    },
  };
}
