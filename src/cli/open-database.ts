import { loadConfig } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import { createDatabase } from '../db/database.js';
import { createEmbeddedDatabase } from '../db/embedded.js';

/** The database the bot uses, from the same environment. The embedded one only while the bot is stopped. */
export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const config = loadConfig(process.env);
  return config.databaseUrl
    ? createDatabase(config.databaseUrl, { max: 2 })
    : createEmbeddedDatabase(config.embeddedDataDir);
}

export function requestIdArgument(usage: string): number {
  const raw = process.argv[2]?.replace(/^#/, '');
  if (!raw || !/^\d+$/.test(raw)) {
    process.stderr.write(`${usage}\n`);
    process.exit(64);
  }
  return Number(raw);
}
