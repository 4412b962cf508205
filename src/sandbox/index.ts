// The sandbox's one entry point. src/bot.ts loads it with a dynamic import, and only when no
// Genesys credentials are set: the emulator and the playground stay out of a production process.

import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { DEMO_ORG_USERS, startGenesysEmulator } from '../genesys/emulator/index.js';
import type { RunningEmulator } from '../genesys/emulator/types.js';
import type { Route } from '../http/server.js';
import { PLAYGROUND_PATH, startPlaygroundIfLocal } from '../playground/playground.js';

export interface Sandbox {
  /** The built-in Genesys Cloud emulator with its demo org. */
  emulator: RunningEmulator;
  /** Where the Genesys client finds the emulator, in place of real credentials. */
  genesys: { clientId: string; clientSecret: string; apiUrl: string };
  /**
   * The local playground (its page, and a fake Slack the bot talks to), when no chat platform is
   * configured: the local trial. undefined when a real platform is served (GENESYS_SANDBOX=true).
   */
  playground:
    | { routes: Route[]; slackConfig: NonNullable<Config['slack']>; path: string }
    | undefined;
  /** Stops the playground, then the emulator. */
  close(): Promise<void>;
}

/** Starts the emulator and, for the local trial, the playground. */
export async function startSandbox(
  config: Pick<Config, 'slack' | 'teams'>,
  options: { logger: Logger },
): Promise<Sandbox> {
  const emulator = await startGenesysEmulator({
    users: [...DEMO_ORG_USERS],
    gdpr: { msPerStage: 3000 },
  });
  const { logger } = options;
  const chatPlatform = config.slack !== undefined || config.teams !== undefined;
  logger.warn(
    { sandboxUrl: emulator.url },
    chatPlatform
      ? 'SANDBOX MODE (GENESYS_SANDBOX=true): the bot talks to a built-in Genesys Cloud emulator with a demo org, and every card and reply says so. Nothing real is touched.'
      : 'SANDBOX MODE: no GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET set, so the bot talks to a built-in Genesys Cloud emulator with a demo org. Nothing real is touched.',
  );
  try {
    const playground = await startPlaygroundIfLocal(config, {
      logger,
      sandboxRunning: true,
      exampleTargets: DEMO_ORG_USERS,
      sandboxDirectory: emulator,
    });
    return {
      emulator,
      genesys: {
        clientId: 'emulator-client',
        clientSecret: 'emulator-secret',
        apiUrl: emulator.url,
      },
      playground: playground && {
        routes: playground.routes,
        slackConfig: playground.slackConfig,
        path: PLAYGROUND_PATH,
      },
      async close() {
        await playground?.close();
        await emulator.close();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
