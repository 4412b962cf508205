import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

/** `npm run migrate`: applies pending migrations (the Procfile's release phase runs this). */
async function run(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel });
  if (!config.databaseUrl) {
    throw new Error('DATABASE_URL is not set: there is no database to migrate.');
  }
  const database = createDatabase(config.databaseUrl, { max: 1 });
  try {
    const applied = await migrateToLatest(database.db);
    logger.info(
      { migrations: applied.map((m) => m.migrationName) },
      applied.length === 0 ? 'database is up to date' : 'migrations applied',
    );
  } finally {
    await database.close();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(
    `Migration failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
