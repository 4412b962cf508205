// Child processes of the benchmarks: the bot as production runs it (the Procfile's
// `node dist/src/main.js`, compiled by tsc; here into bench/results/dist so that dist/ is left
// alone), or through tsx like the tests; the bare Bolt app; the load client.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress, type Scope, withTimeout } from './common.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where `bench/tsconfig.build.json` compiles src/, migrations/ and bench/bare-bolt.ts. */
export const BUILD_DIR = 'bench/results/dist';

/** `compiled`: as the Procfile runs the bot. `tsx`: TypeScript on the fly, as the tests do. */
export type Runtime = 'compiled' | 'tsx';

export function benchRuntime(): Runtime {
  const value = process.env.BENCH_RUNTIME ?? 'compiled';
  if (value !== 'compiled' && value !== 'tsx') {
    throw new Error('BENCH_RUNTIME must be compiled or tsx');
  }
  return value;
}

/** Compiles the bot and the bare Bolt app with tsc; answers the seconds it took. */
export function buildForBench(): number {
  const started = Date.now();
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'bench/tsconfig.build.json'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  return (Date.now() - started) / 1000;
}

/** Ends a child: SIGTERM (the bot then finishes or releases its steps), SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  try {
    await withTimeout(exited, graceMs, 'SIGTERM');
  } catch {
    child.kill('SIGKILL');
    await exited;
  }
}

export interface BenchProcess {
  name: string;
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` from its ready line. */
  url: string;
  /** The last chunks of its stdout and stderr. */
  output: string[];
  /** Why the process ended before the benchmark stopped it, or undefined while it runs. */
  endedEarly(): string | undefined;
}

const OUTPUT_CHUNKS_KEPT = 200;

/**
 * Starts `script` (relative to the repository) with plain node or with tsx, stopped with the
 * scope. It is ready when it logs a JSON line with `"port":N` before the message `readyMessage`.
 */
export async function startScript(
  scope: Scope,
  name: string,
  script: string,
  env: Record<string, string>,
  options: {
    ipc?: boolean;
    timeoutMs?: number;
    tsx?: boolean;
    readyMessage?: string;
    nodeFlags?: readonly string[];
  } = {},
): Promise<BenchProcess> {
  const loader = [
    ...(options.nodeFlags ?? []),
    ...(options.tsx === false ? [] : ['--import', 'tsx']),
  ];
  const ready = new RegExp(`"port":(\\d+),[^\\n]*"msg":"${options.readyMessage ?? 'ready'}"`);
  const child = spawn(process.execPath, [...loader, path.resolve(ROOT, script)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let stopping = false;
  let endedEarly: string | undefined;
  scope.add(`process ${name}`, () => {
    stopping = true;
    return stopChild(child);
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > OUTPUT_CHUNKS_KEPT) output.shift();
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start:\n${output.join('')}`)),
      options.timeoutMs ?? 60_000,
    );
    const onData = (chunk: Buffer) => {
      keep(chunk);
      const match = ready.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.on('data', keep);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before ready:\n${output.join('')}`));
      if (stopping) return;
      // Not stopped by us: a crash, or something else on the machine signalled it.
      endedEarly = `${name} (pid ${child.pid}) ended during the benchmark: ${signal ?? `exit code ${code}`}`;
      progress(`${endedEarly}\n${output.slice(-10).join('')}`);
    });
  });
  return { name, child, url: `http://127.0.0.1:${port}`, output, endedEarly: () => endedEarly };
}

/**
 * The node flags of the Procfile's `web` line (`web: node <flags> dist/src/main.js`), so that the
 * bench runs the bot with the heap settings production uses.
 */
export function procfileNodeFlags(): string[] {
  const web = readFileSync(path.join(ROOT, 'Procfile'), 'utf8')
    .split('\n')
    .find((line) => line.startsWith('web:'));
  const words = web?.slice('web:'.length).trim().split(/\s+/) ?? [];
  if (words[0] !== 'node') throw new Error('the Procfile web line does not start with node');
  return words.slice(1).filter((word) => word.startsWith('--'));
}

/** The real bot, `src/main.ts`, with the environment given (PORT is 0: a free port). */
export function startBot(
  scope: Scope,
  name: string,
  env: Record<string, string>,
  runtime: Runtime = benchRuntime(),
): Promise<BenchProcess> {
  return startScript(
    scope,
    name,
    runtime === 'compiled' ? `${BUILD_DIR}/src/main.js` : 'src/main.ts',
    { ...env, PORT: '0' },
    {
      tsx: runtime === 'tsx',
      readyMessage: 'offboarding bot listening',
      nodeFlags: procfileNodeFlags(),
    },
  );
}

/** The bare Bolt app of the ack benchmark, run the same way as the bot. */
export function startBareBolt(
  scope: Scope,
  env: Record<string, string>,
  runtime: Runtime = benchRuntime(),
): Promise<BenchProcess> {
  return startScript(
    scope,
    'bare-bolt',
    runtime === 'compiled' ? `${BUILD_DIR}/bench/bare-bolt.js` : 'bench/bare-bolt.ts',
    env,
    { tsx: runtime === 'tsx' },
  );
}
