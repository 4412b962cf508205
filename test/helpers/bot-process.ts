import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** By URL: the bot runs in a folder of its own, where a bare `tsx` would not resolve. */
const TSX = import.meta.resolve('tsx');

/** Required with a chat platform; the suites that need a particular key pass their own. */
const RECORD_HASH_KEY = 'bot-process-record-hash-key-0123456789abcdef';

/** The real bot, `src/main.ts`, as its own process: what SIGKILL and SIGTERM tests need. */
export interface BotProcess {
  name: string;
  url: string;
  child: ChildProcess;
  output: string[];
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `node --import tsx <script>` of this project, with only PATH, HOME and `env` in its environment,
 * in a scratch folder of its own: not the checkout, where a developer's own .env would fill in
 * what a test leaves unset. The folder goes when the process ends.
 */
export function spawnProjectScript(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
): ChildProcess & { stdout: Readable; stderr: Readable } {
  const scratch = mkdtempSync(path.join(tmpdir(), 'bot-process-'));
  const child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, script), ...args], {
    cwd: scratch,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
  return child;
}

export async function startBotProcess(
  name: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<BotProcess> {
  const child = spawnProjectScript('src/main.ts', [], { PORT: '0', RECORD_HASH_KEY, ...env });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output.join('')}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      const match = /"port":(\d+),[^\n]*"msg":"offboarding bot listening"/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${output.join('')}`));
    });
  });
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    child,
    output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
