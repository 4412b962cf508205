import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openConfiguredDatabase } from '../../src/cli/open-database.js';
import {
  acquireEmbeddedLock,
  EmbeddedDatabaseBusyError,
  embeddedLockFile,
} from '../../src/db/embedded-lock.js';
import { type BotProcess, spawnProjectScript, startBotProcess } from '../helpers/bot-process.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'embedded-lock-'));
let dirs = 0;
const released: Array<() => void> = [];

function freshDir(): string {
  dirs += 1;
  const dir = path.join(scratch, `db-${dirs}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A pid that was just in use and is not any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid as number;
}

afterEach(() => {
  for (const release of released.splice(0)) release();
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('the embedded database lock', () => {
  it('refuses a second holder, naming the first by pid and since when', () => {
    const dir = freshDir();
    const lock = acquireEmbeddedLock(dir, 'bot');
    released.push(lock.release);
    const holder = JSON.parse(readFileSync(embeddedLockFile(dir), 'utf8')) as { since: string };

    let refusal: unknown;
    try {
      acquireEmbeddedLock(dir, 'bot');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(EmbeddedDatabaseBusyError);
    const message = (refusal as Error).message;
    expect(message).toContain(`The bot (pid ${process.pid}, running since ${holder.since})`);
    expect(message).toContain('Stop that bot first');
    expect((refusal as EmbeddedDatabaseBusyError).code).toBe('embedded_database_busy');
  });

  it('takes over a lock whose process is gone', () => {
    const dir = freshDir();
    const stale = { pid: deadPid(), since: '2026-01-01T00:00:00.000Z', what: 'bot' };
    writeFileSync(
      embeddedLockFile(dir),
      JSON.stringify({ ...stale, hostname: os.hostname(), token: 'old' }),
    );
    const lock = acquireEmbeddedLock(dir, 'bot');
    released.push(lock.release);
    expect(JSON.parse(readFileSync(embeddedLockFile(dir), 'utf8'))).toMatchObject({
      pid: process.pid,
      what: 'bot',
    });
  });

  it('is free again once released, and release leaves another holder’s lock alone', () => {
    const dir = freshDir();
    const first = acquireEmbeddedLock(dir, 'bot');
    first.release();
    expect(existsSync(embeddedLockFile(dir))).toBe(false);
    const second = acquireEmbeddedLock(dir, 'bot');
    released.push(second.release);
    first.release();
    expect(existsSync(embeddedLockFile(dir))).toBe(true);
  });

  it('tells a command to stop the bot first, and opens nothing', async () => {
    const dir = freshDir();
    released.push(acquireEmbeddedLock(dir, 'bot').release);
    await expect(
      openConfiguredDatabase('npm run retry', { EMBEDDED_DATA_DIR: dir }),
    ).rejects.toThrow(
      new RegExp(`pid ${process.pid}.*Stop the bot first, then run npm run retry again`),
    );
    // PGlite never created its files.
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(false);
  });
});

describe('one bot process per embedded database', () => {
  let first: BotProcess | undefined;
  let third: BotProcess | undefined;

  afterAll(async () => {
    await first?.kill('SIGKILL');
    await third?.kill('SIGTERM');
  });

  it('refuses a second bot and the commands while one runs, and takes over after a crash', async () => {
    const dir = freshDir();
    const env = { EMBEDDED_DATA_DIR: dir };
    first = await startBotProcess('first bot', env, 60_000);
    const firstPid = first.child.pid as number;

    const second = spawnTsx(['src/main.ts'], env);
    expect((await second).code).toBe(1);
    expect((await second).stderr).toMatch(
      new RegExp(
        `The bot \\(pid ${firstPid}, running since [0-9T:.-]+Z\\) is using the embedded database in ${dir}`,
      ),
    );

    for (const command of ['retry', 'audit', 'evidence']) {
      const answer = await spawnTsx([`src/cli/${command}.ts`, '1'], env);
      expect(answer.code, answer.stderr).toBe(1);
      expect(answer.stderr).toContain(`pid ${firstPid}`);
      expect(answer.stderr).toContain(`Stop the bot first, then run npm run ${command} again`);
      expect(answer.stdout).not.toContain('running again');
    }

    // A crash leaves the lock behind; the next start takes it over.
    await first.kill('SIGKILL');
    expect(existsSync(embeddedLockFile(dir))).toBe(true);
    third = await startBotProcess('bot after the crash', env, 60_000);
    expect(JSON.parse(readFileSync(embeddedLockFile(dir), 'utf8')).pid).toBe(third.child.pid);

    // Starting over needs the bot stopped too; then it deletes database and sandbox state.
    const refused = await spawnTsx(['src/sandbox/reset-cli.ts'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`pid ${third.child.pid}`);
    expect(refused.stderr).toContain('Stop the bot first, then run npm run sandbox:reset again');
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
    await third.kill('SIGTERM');
    expect(existsSync(path.join(dir, 'sandbox', 'state.json'))).toBe(true);
    const reset = await spawnTsx(['src/sandbox/reset-cli.ts'], env);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain(`Deleted the local trial in ${dir}`);
    expect(existsSync(dir)).toBe(false);
  }, 180_000);

  it('leaves a directory that is not an embedded database alone', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'thesis.txt'), 'years of work');
    const refused = await spawnTsx(['src/sandbox/reset-cli.ts'], { EMBEDDED_DATA_DIR: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('does not look like an embedded database');
    expect(existsSync(path.join(dir, 'thesis.txt'))).toBe(true);
  });
});

function spawnTsx(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [script = '', ...rest] = args;
  const child = spawnProjectScript(script, rest, {
    PORT: '0',
    RECORD_HASH_KEY: 'bot-process-record-hash-key-0123456789abcdef',
    ...env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
