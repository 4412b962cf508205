// Benchmark 3, memory: besides the RSS figures every other benchmark takes of its bot processes,
// the bot run as the Procfile runs it (tsx) next to the same code compiled to JavaScript, idle
// and after the same small load.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
import { startBot, startScript } from './processes.js';
import { startCreator } from './throughput.js';

export interface BuildComparison {
  /** `npm start`: src/main.ts through tsx, as the Procfile runs it. */
  tsx: { idle: ProcessMemory | undefined; after: ProcessMemory | undefined };
  /** The same code compiled by tsc (tsconfig.build.json), run by plain node. */
  compiled: { idle: ProcessMemory | undefined; after: ProcessMemory | undefined };
  /** Offboardings the two processes ran between the two readings, sharing one database. */
  offboardings: number;
  completed: number;
  buildSeconds: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_DIR = 'bench/results/dist';

/**
 * Idle RSS of the bot run the way the Procfile runs it (tsx) next to the same code compiled to
 * JavaScript, both against the same database, emulator and fake Slack. The build goes to
 * bench/results/dist (git-ignored), not dist/.
 */
export async function runBuildComparison(
  scope: Scope,
  options: { offboardings: number; timeoutSeconds: number },
): Promise<BuildComparison> {
  progress('memory: compiling src/ with tsconfig.build.json into bench/results/dist');
  const started = Date.now();
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      BUILD_DIR,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  const buildSeconds = (Date.now() - started) / 1000;

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

  progress('memory: starting the bot with tsx and compiled');
  const tsxBot = await startBot(scope, 'memory-tsx-bot', env);
  const compiled = await startScript(
    scope,
    'memory-compiled-bot',
    `${BUILD_DIR}/src/main.js`,
    { ...env, PORT: '0' },
    { tsx: false, readyMessage: 'offboarding bot listening' },
  );
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
    buildSeconds,
  };
}
