import { loadConfig } from '../config.js';
import { loadDotEnv } from '../env-file.js';
import { createLogger } from '../logger.js';
import { parseBotRole } from './bot-role.js';
import { prepareDatabase } from './prepare.js';

loadDotEnv();

/**
 * `npm run migrate`: applies pending migrations (the Procfile's release phase runs this). With
 * DATABASE_BOT_ROLE, it also prepares the job queue and grants that role what the bot needs
 * (README, Deploying: two database roles).
 */
async function run(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel });
  if (!config.databaseUrl) {
    throw new Error('DATABASE_URL is not set: there is no database to migrate.');
  }
  const botRole = parseBotRole(process.env.DATABASE_BOT_ROLE);
  const applied = await prepareDatabase(config.databaseUrl, { botRole, logger });
  logger.info(
    { migrations: applied.map((m) => m.migrationName) },
    applied.length === 0 ? 'database is up to date' : 'migrations applied',
  );
}

run().catch((error: unknown) => {
  process.stderr.write(
    `Migration failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
