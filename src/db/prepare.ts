import type { MigrationResult } from 'kysely';
import type { Logger } from 'pino';
import { SLACK_COMMAND_QUEUE } from '../slack/command-queue.js';
import { TEAMS_COMMAND_QUEUE } from '../teams/command-queue.js';
import { ensureQueue, startJobQueue } from '../workflow/queue.js';
import { grantBotRole } from './bot-role.js';
import { createDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

/** pg-boss keeps its tables in this schema (its default). */
export const QUEUE_SCHEMA = 'pgboss';

/**
 * What `npm run migrate` does as the owner role: apply the migrations and, with a bot role, also
 * install pg-boss's schema and queues (DDL the bot's role may not run) and grant the bot role
 * exactly what it needs.
 */
export async function prepareDatabase(
  ownerUrl: string,
  options: { botRole: string | undefined; logger: Logger },
): Promise<MigrationResult[]> {
  const database = createDatabase(ownerUrl, { max: 1 });
  try {
    const applied = await migrateToLatest(database.db);
    if (options.botRole) {
      const queue = await startJobQueue({ connectionString: ownerUrl, logger: options.logger });
      // The chat adapters' queues too, whichever platforms the bot will serve.
      for (const declared of [SLACK_COMMAND_QUEUE, TEAMS_COMMAND_QUEUE]) {
        await ensureQueue(queue, declared);
      }
      await queue.stop({ graceful: false, wait: true });
      await grantBotRole(database.db, options.botRole, QUEUE_SCHEMA);
      options.logger.info({ role: options.botRole }, 'bot role granted its privileges');
    }
    return applied;
  } finally {
    await database.close();
  }
}
