import { Writable } from 'node:stream';
import { type RunningBot, startBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

export interface PlaygroundBot {
  bot: RunningBot;
  /** Every log line the bot wrote. */
  logs: string[];
  close(): Promise<void>;
}

/** The bot as a newcomer starts it: no Slack, no Teams, no Genesys credentials. */
export async function startPlaygroundBot(): Promise<PlaygroundBot> {
  const database: TestDatabase = await createTestDatabase();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      if (process.env.TEST_LOG) process.stdout.write(chunk);
      callback();
    },
  });
  // Read like a newcomer's environment: only a database, and quick sandbox GDPR polling.
  const config = loadConfig({
    DATABASE_URL: database.url,
    PORT: '0',
    LOG_LEVEL: 'debug',
    NODE_ENV: 'test',
    GDPR_POLL_INTERVAL_SECONDS: '1',
    WORKFLOW_RETRY_BASE_SECONDS: '1',
    WORKFLOW_RETRY_MAX_SECONDS: '2',
  });
  let bot: RunningBot;
  try {
    bot = await startBot(config, createLogger({ level: 'debug', destination: sink }), {
      database,
      workerPollingIntervalSeconds: 0.5,
      host: '127.0.0.1',
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    bot,
    logs,
    async close() {
      await bot.stop();
      await database.drop();
    },
  };
}
