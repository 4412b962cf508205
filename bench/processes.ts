import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BotProcess, startBotProcess } from '../test/helpers/bot-process.js';
import { progress, type Scope, withTimeout } from './common.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

export interface BenchBot extends BotProcess {
  /** Why the process ended before the benchmark stopped it, or undefined while it runs. */
  endedEarly(): string | undefined;
}

/** The real bot (`src/main.ts`, production defaults) as a child process, stopped with the scope. */
export async function startBot(
  scope: Scope,
  name: string,
  env: Record<string, string>,
): Promise<BenchBot> {
  const bot = await startBotProcess(name, { HOME: process.env.HOME ?? '/tmp', ...env }, 60_000);
  let stopping = false;
  let endedEarly: string | undefined;
  scope.add(`bot process ${name}`, () => {
    stopping = true;
    return stopChild(bot.child);
  });
  // Keep only the tail of the log: a long run writes tens of thousands of lines.
  const trim = setInterval(() => {
    if (bot.output.length > 2000) bot.output.splice(0, bot.output.length - 1000);
  }, 5000);
  trim.unref();
  bot.exited.then(({ code, signal }) => {
    clearInterval(trim);
    if (stopping) return;
    // Not stopped by us: a crash, or something else on the machine signalled it.
    endedEarly = `${name} (pid ${bot.child.pid}) ended during the benchmark: ${signal ?? `exit code ${code}`}`;
    progress(`${endedEarly}\n${bot.output.slice(-10).join('')}`);
  });
  return { ...bot, endedEarly: () => endedEarly };
}

export interface ScriptProcess {
  child: ChildProcess;
  url: string;
  output: string[];
}

/**
 * A file run as its own process, TypeScript with tsx like the bot (or plain JavaScript with
 * `tsx: false`). It is ready when it logs a JSON line with `"port":N` and the message `ready`
 * (or `readyMessage`).
 */
export async function startScript(
  scope: Scope,
  name: string,
  script: string,
  env: Record<string, string>,
  options: { ipc?: boolean; timeoutMs?: number; tsx?: boolean; readyMessage?: string } = {},
): Promise<ScriptProcess> {
  const loader = options.tsx === false ? [] : ['--import', 'tsx'];
  const ready = new RegExp(`"port":(\\d+),[^\\n]*"msg":"${options.readyMessage ?? 'ready'}"`);
  const child = spawn(process.execPath, [...loader, path.resolve(ROOT, script)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  scope.add(`process ${name}`, () => stopChild(child, 5000));
  const output: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start:\n${output.join('')}`)),
      options.timeoutMs ?? 60_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (output.length < 200) output.push(text);
      const match = ready.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (output.length < 200) output.push(chunk.toString());
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before ready:\n${output.join('')}`));
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, output };
}
