// Benchmark 3, memory: besides the RSS figures every other benchmark takes of its bot processes,
// the bot as the Procfile runs it (compiled, plain node) next to the same code run by tsx, idle
// and after the same small load.

import { sql } from 'kysely';
import { startGenesysEmulator } from '../src/genesys/emulator/index.js';
import { startFakeSlackApi } from '../test/helpers/fake-slack-api.js';
import { progress, type Scope, sleep } from './common.js';
import {
  addSlackPeople,
  BOT_TOKEN,
  botEnvironment,
  createBenchDatabase,
  targetUsers,
} from './fixtures.js';
import { type ProcessMemory, readMemory } from './proc.js';
import { startBot } from './processes.js';
import { startCreator } from './throughput.js';

export interface BuildComparison {
  /** As the Procfile runs it: `node dist/src/main.js`, compiled by tsc. */
  compiled: { idle: ProcessMemory | undefined; after: ProcessMemory | undefined };
  /** `src/main.ts` through tsx, as the tests run it. */
  tsx: { idle: ProcessMemory | undefined; after: ProcessMemory | undefined };
  /** Offboardings the two processes ran between the two readings, sharing one database. */
  offboardings: number;
  completed: number;
}

/**
 * RSS of the compiled bot next to the tsx one, both against the same database, emulator and fake
 * Slack, idle and after sharing `offboardings` runs. Needs the bench build (bench/results/dist).
 */
export async function runBuildComparison(
  scope: Scope,
  options: { offboardings: number; timeoutSeconds: number },
): Promise<BuildComparison> {
  const database = await createBenchDatabase();
  scope.add('memory database', () => database.drop());
  const emulator = await startGenesysEmulator({
    users: targetUsers(options.offboardings),
    gdpr: { pollsPerStage: 1 },
  });
  scope.add('memory emulator', () => emulator.close());
  const slack = await startFakeSlackApi({ botToken: BOT_TOKEN });
  scope.add('memory fake Slack', () => slack.close());
  addSlackPeople(slack);
  const env = botEnvironment({ databaseUrl: database.url, emulator, slack });

  progress('memory: starting the bot compiled and with tsx');
  const compiled = await startBot(scope, 'memory-compiled-bot', env, 'compiled');
  const tsxBot = await startBot(scope, 'memory-tsx-bot', env, 'tsx');
  const creator = await startCreator(scope, env, slack.apiUrl);
  const ids = await creator.createPending(options.offboardings);
  await sleep(3000);
  const tsxIdle = readMemory(tsxBot.child.pid);
  const compiledIdle = readMemory(compiled.child.pid);

  progress(`memory: ${options.offboardings} offboardings shared by the two`);
  await creator.approveAll(ids);
  await creator.stop();
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let completed = 0;
  while (Date.now() < deadline) {
    const row = await database.db
      .selectFrom('offboarding_requests')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('state', 'in', ['completed', 'failed'])
      .executeTakeFirstOrThrow();
    completed = row.n;
    if (completed >= ids.length) break;
    await sleep(500);
  }
  return {
    tsx: { idle: tsxIdle, after: readMemory(tsxBot.child.pid) },
    compiled: { idle: compiledIdle, after: readMemory(compiled.child.pid) },
    offboardings: ids.length,
    completed,
  };
}
