import { startBot } from './bot.js';
import { ConfigError, describeConfig, loadConfig, servesPlayground } from './config.js';
import { loadDotEnv } from './env-file.js';
import { OrganizationMismatchError } from './genesys/organization-guard.js';
import { createLogger } from './logger.js';
import { PLAYGROUND_PATH } from './playground-path.js';

/** Exits within Heroku's 10 s after SIGTERM even if something hangs while stopping. */
const SHUTDOWN_DEADLINE_MS = 9_000;

async function main(): Promise<void> {
  loadDotEnv();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  // A person at a terminal reads lines; a platform's log collector gets JSON.
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
  if (servesPlayground(config) && config.port !== 0) {
    // Said first: the one thing a newcomer needs from the start-up, before its details.
    logger.info(`Playground: http://localhost:${config.port}${PLAYGROUND_PATH}`);
  }
  logger.info({ config: describeConfig(config) }, 'starting');
  const bot = await startBot(config, logger);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new work, finishing the steps in flight');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** EX_CONFIG from sysexits.h: the deployment must change, so restarting alone will not help. */
const EXIT_CONFIG = 78;

main().catch((error: unknown) => {
  process.stderr.write(
    `Could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(
    error instanceof ConfigError || error instanceof OrganizationMismatchError ? EXIT_CONFIG : 1,
  );
});
