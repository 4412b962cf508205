import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { adminDatabaseUrl, TEST_DATABASE_PREFIX } from './test-database.js';

/**
 * Runs once per `vitest run`: checks PostgreSQL answers (with a message that says how to fix it)
 * and drops databases left behind by interrupted runs (over an hour old, so a run going on
 * beside this one keeps its own).
 */
export async function setup(): Promise<void> {
  // The Genesys SDK reads and watches ~/.genesyscloudjavascript/config: keep the machine's out.
  process.env.HOME = mkdtempSync(path.join(os.tmpdir(), 'offboard-test-home-'));
  if (process.env.OFFBOARD_TEST_BACKEND === 'embedded') return;
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  try {
    await client.connect();
  } catch (error) {
    if (process.env.TEST_DATABASE_URL) {
      throw new Error(
        `TEST_DATABASE_URL is set but PostgreSQL does not answer at ${adminDatabaseUrl()}: ${String(error)}`,
      );
    }
    // No server here: every suite that can runs on the embedded database instead, and the
    // multi-process suites say they are skipped.
    process.env.OFFBOARD_TEST_BACKEND = 'embedded';
    console.warn(
      `PostgreSQL does not answer at ${adminDatabaseUrl()}: tests run on the embedded database (PGlite); the multi-instance and crash suites are skipped. Start PostgreSQL or set TEST_DATABASE_URL to run them.`,
    );
    return;
  }
  process.env.OFFBOARD_TEST_BACKEND = 'postgres';
  try {
    const stale = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like $1`,
      [`${TEST_DATABASE_PREFIX}%`],
    );
    const hourAgo = Date.now() / 1000 - 3600;
    for (const { datname } of stale.rows) {
      const createdAt = Number(datname.slice(TEST_DATABASE_PREFIX.length).split('_')[0]);
      if (Number.isFinite(createdAt) && createdAt > hourAgo) continue;
      await client.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await client.end();
  }
}
