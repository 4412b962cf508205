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

export interface PlaygroundBotOptions {
  /**
   * Run as `npm start` does with nothing configured: no DATABASE_URL, the embedded database (and
   * the sandbox's saved state) in this directory. Default: a PostgreSQL test database.
   */
  embeddedDataDir?: string;
  /** Other variables, e.g. ERASURE_DELAY_HOURS. */
  env?: Record<string, string>;
}

/** The bot as a newcomer starts it: no Slack, no Teams, no Genesys credentials. */
export async function startPlaygroundBot(
  options: PlaygroundBotOptions = {},
): Promise<PlaygroundBot> {
  const database: TestDatabase | undefined =
    options.embeddedDataDir === undefined ? await createTestDatabase() : undefined;
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
    ...(database ? { DATABASE_URL: database.url } : { EMBEDDED_DATA_DIR: options.embeddedDataDir }),
    PORT: '0',
    LOG_LEVEL: 'debug',
    NODE_ENV: 'test',
    GDPR_POLL_INTERVAL_SECONDS: '1',
    WORKFLOW_RETRY_BASE_SECONDS: '1',
    WORKFLOW_RETRY_MAX_SECONDS: '2',
    ...options.env,
  });
  let bot: RunningBot;
  try {
    bot = await startBot(config, createLogger({ level: 'debug', destination: sink }), {
      ...(database ? { database } : {}),
      workerPollingIntervalSeconds: 0.5,
      host: '127.0.0.1',
    });
  } catch (error) {
    await database?.drop();
    throw error;
  }
  return {
    bot,
    logs,
    async close() {
      await bot.stop();
      await database?.drop();
    },
  };
}
