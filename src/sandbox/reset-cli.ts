import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { acquireEmbeddedLock, embeddedLockFile } from '../db/embedded-lock.js';
import { loadDotEnv } from '../env-file.js';
import { sandboxStateFile } from './sandbox-state.js';

/**
 * `npm run sandbox:reset`: deletes the local trial's embedded database and its sandbox state, so
 * the next `npm start` begins as a first one. Refused while a bot (or a command) holds the data.
 */
function run(): void {
  loadDotEnv();
  const config = loadConfig(process.env);
  if (config.databaseUrl) {
    throw new Error(
      'DATABASE_URL is set: sandbox:reset only deletes the local trial kept in EMBEDDED_DATA_DIR. To start over on a PostgreSQL server, press Reset on the playground page.',
    );
  }
  const dataDir = config.embeddedDataDir;
  if (!existsSync(dataDir)) {
    process.stdout.write(`Nothing to reset: ${dataDir} does not exist. npm start begins afresh.\n`);
    return;
  }
  assertTrialDirectory(dataDir);
  const lock = acquireEmbeddedLock(dataDir, 'npm run sandbox:reset');
  try {
    rmSync(dataDir, { recursive: true, force: true });
  } finally {
    lock.release();
  }
  process.stdout.write(
    `Deleted the local trial in ${dataDir} (database and sandbox). The next npm start begins afresh.\n`,
  );
}

/** A mistyped EMBEDDED_DATA_DIR must not delete someone's home directory. */
function assertTrialDirectory(dataDir: string): void {
  const ours = new Set([
    path.basename(embeddedLockFile(dataDir)),
    path.basename(path.dirname(sandboxStateFile(dataDir))),
  ]);
  const entries = readdirSync(dataDir);
  if (entries.length > 0 && !entries.includes('PG_VERSION') && entries.some((e) => !ours.has(e))) {
    throw new Error(
      `${dataDir} does not look like an embedded database (no PG_VERSION), so it is left alone. Check EMBEDDED_DATA_DIR.`,
    );
  }
}

try {
  run();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
