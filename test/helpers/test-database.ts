import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { createEmbeddedDatabase } from '../../src/db/embedded.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export const TEST_DATABASE_PREFIX = 'offboard_test_';

/** The server tests create their databases on; never used for data itself. */
export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export type TestBackend = 'postgres' | 'embedded';

/** Where tests run by default: PostgreSQL when it answers, else the embedded database. */
export function defaultTestBackend(): TestBackend {
  return process.env.OFFBOARD_TEST_BACKEND === 'embedded' ? 'embedded' : 'postgres';
}

/** Suites that start separate bot processes need a server the processes can share. */
export const hasPostgres = defaultTestBackend() === 'postgres';

export interface TestDatabase extends DatabaseHandle {
  /** undefined for the embedded database, which only this process can reach. */
  url: string | undefined;
  name: string;
  backend: TestBackend;
  /** Closes the database and throws it away. */
  drop(): Promise<void>;
}

/** A fresh, empty database; migrated unless `migrate: false`. */
export async function createTestDatabase(
  options: { migrate?: boolean; backend?: TestBackend } = {},
): Promise<TestDatabase> {
  if ((options.backend ?? defaultTestBackend()) === 'embedded') {
    const handle = await createEmbeddedDatabase(undefined);
    if (options.migrate !== false) await migrateToLatest(handle.db);
    return { ...handle, url: undefined, name: 'embedded', backend: 'embedded', drop: handle.close };
  }
  // The creation time in the name lets a later run drop what an interrupted one left behind,
  // without touching the databases of a run still going on beside it.
  const name = `${TEST_DATABASE_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  const handle = createDatabase(url.toString(), { max: 5 });
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return {
    ...handle,
    url: url.toString(),
    name,
    backend: 'postgres',
    drop: async () => {
      await handle.close();
      const client = new pg.Client({ connectionString: adminDatabaseUrl() });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** For suites that start separate bot processes: they need a server they can all reach. */
export async function createPostgresTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<TestDatabase & { url: string }> {
  const database = await createTestDatabase({ ...options, backend: 'postgres' });
  if (!database.url) throw new Error('a PostgreSQL test database has a URL');
  return { ...database, url: database.url };
}
