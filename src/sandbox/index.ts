// The sandbox's one entry point. src/bot.ts loads it with a dynamic import, and only when no
// Genesys credentials are set: the emulator and the playground stay out of a production process.

import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { DEMO_ORG_USERS, startGenesysEmulator } from '../genesys/emulator/index.js';
import type { RunningEmulator } from '../genesys/emulator/types.js';
import type { Route } from '../http/server.js';
import { PLAYGROUND_PATH, startPlaygroundIfLocal } from '../playground/playground.js';
import { DebouncedSave, readSandboxState, writeSandboxState } from './sandbox-state.js';
import { emptyTrialRequestData } from './trial-reset.repository.js';

export { sandboxStateFile } from './sandbox-state.js';

/** Long enough to write a burst of messages once, short enough that a crash loses little. */
const SAVE_DELAY_MS = 250;

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

export interface SandboxOptions {
  logger: Logger;
  /** The bot's database, which the playground's Reset empties of requests. */
  db: Db;
  /**
   * Where the sandbox's state is kept across restarts (beside the embedded database); undefined
   * keeps it in memory only, so a restart starts the sandbox over.
   */
  stateFile: string | undefined;
}

/** Starts the emulator and, for the local trial, the playground, where the last run left them. */
export async function startSandbox(
  config: Pick<Config, 'slack' | 'teams'>,
  options: SandboxOptions,
): Promise<Sandbox> {
  const { logger, stateFile } = options;
  const saved = stateFile ? readSandboxState(stateFile) : undefined;
  let saveSoon = () => {};
  const emulator = await startGenesysEmulator({
    users: [...DEMO_ORG_USERS],
    gdpr: { msPerStage: 3000 },
    ...(saved ? { restore: saved.genesys } : {}),
    onChange: () => saveSoon(),
  });
  if (saved) {
    logger.info(
      { stateFile, savedAt: saved.savedAt },
      'sandbox restored: Genesys users, GDPR requests and playground messages as the last run left them',
    );
  }
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
      restore: saved?.playground,
      onChange: () => saveSoon(),
      resetBot: async () => {
        await emptyTrialRequestData(options.db);
        emulator.resetState();
      },
      sandboxDirectory: emulator,
    });
    const save =
      stateFile === undefined
        ? undefined
        : new DebouncedSave(
            () =>
              writeSandboxState(stateFile, {
                genesys: emulator.persistedState(),
                playground: playground?.persistedState(),
              }),
            SAVE_DELAY_MS,
            (error) => logger.error({ err: error, stateFile }, 'could not save the sandbox state'),
          );
    if (save) saveSoon = () => save.changed();
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
        save?.stop();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
