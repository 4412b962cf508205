import { loadConfig } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import { createDatabase } from '../db/database.js';
import { createEmbeddedDatabase } from '../db/embedded.js';

/**
 * The database the bot uses, from the same environment. The embedded one only while the bot is
 * stopped: a running bot holds its lock, and `command` (`npm run retry`) is told to stop it first.
 */
export async function openConfiguredDatabase(
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DatabaseHandle & { embedded: boolean }> {
  const config = loadConfig(env);
  return config.databaseUrl
    ? { ...createDatabase(config.databaseUrl, { max: 2 }), embedded: false }
    : { ...(await createEmbeddedDatabase(config.embeddedDataDir, command)), embedded: true };
}

export function requestIdArgument(usage: string): number {
  const raw = process.argv[2]?.replace(/^#/, '');
  if (!raw || !/^\d+$/.test(raw)) {
    process.stderr.write(`${usage}\n`);
    process.exit(64);
  }
  return Number(raw);
}
