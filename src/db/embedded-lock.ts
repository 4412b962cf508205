// PGlite keeps the whole database in one process's memory and writes its files from there: two
// processes on one data directory each believe they own it, and the second overwrites what the
// first wrote. Nothing in PGlite stops that, so this lock file does: one process per directory.

import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.js';

/** Who holds the embedded database, as written in its lock file. */
export interface EmbeddedLockHolder {
  pid: number;
  /** ISO-8601: when it took the lock. */
  since: string;
  /** `bot`, or the command (`npm run audit`) holding it. */
  what: string;
  hostname: string;
  /** Tells this holder's lock from a later one with a reused pid. */
  token: string;
}

export interface EmbeddedLock {
  readonly file: string;
  /** Removes the lock file, if it is still this holder's. */
  release(): void;
}

/** A lock file being written is empty for an instant; one this old and unreadable is debris. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;
const TAKEOVER_ATTEMPTS = 3;

export class EmbeddedDatabaseBusyError extends AppError {
  override readonly name = 'EmbeddedDatabaseBusyError';

  constructor(
    message: string,
    readonly holder: EmbeddedLockHolder | undefined,
  ) {
    super('embedded_database_busy', message);
  }
}

export function embeddedLockFile(dataDir: string): string {
  return path.join(dataDir, 'bot.lock');
}

/**
 * Takes the data directory's lock for this process, or throws EmbeddedDatabaseBusyError naming
 * the live process that has it. A lock left by a process that is gone (a crash, a kill -9) is
 * taken over. `what` is `bot` for the bot itself, else the command's name (for the message a
 * later comer gets).
 */
export function acquireEmbeddedLock(dataDir: string, what: string): EmbeddedLock {
  const file = embeddedLockFile(dataDir);
  const mine: EmbeddedLockHolder = {
    pid: process.pid,
    since: new Date().toISOString(),
    what,
    hostname: os.hostname(),
    token: randomUUID(),
  };
  for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS; attempt += 1) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      return { file, release: () => releaseIfMine(file, mine.token) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError('embedded_lock_failed', `Cannot create the lock file ${file}`, {
          cause: error,
        });
      }
    }
    const holder = readHolder(file);
    if (holder === 'missing') continue;
    if (holder === 'unreadable' ? !isOldDebris(file) : isAlive(holder)) {
      throw new EmbeddedDatabaseBusyError(
        busyMessage(dataDir, file, holder === 'unreadable' ? undefined : holder, what),
        holder === 'unreadable' ? undefined : holder,
      );
    }
    // Stale: moved aside rather than deleted, so of several processes taking it over at once
    // only the one whose rename succeeds goes on to create the new lock first.
    const aside = `${file}.stale-${mine.token}`;
    try {
      renameSync(file, aside);
      rmSync(aside, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new EmbeddedDatabaseBusyError(
    `Could not take the lock ${file}: other processes keep taking it. Stop them, then start again.`,
    undefined,
  );
}

/** Who holds the lock now, when a live process does. */
export function currentEmbeddedLockHolder(dataDir: string): EmbeddedLockHolder | undefined {
  const holder = readHolder(embeddedLockFile(dataDir));
  return typeof holder === 'object' && isAlive(holder) ? holder : undefined;
}

function busyMessage(
  dataDir: string,
  file: string,
  holder: EmbeddedLockHolder | undefined,
  what: string,
): string {
  const who = holder
    ? `${holder.what === 'bot' ? 'The bot' : holder.what} (pid ${holder.pid}${
        holder.hostname === os.hostname() ? '' : ` on ${holder.hostname}`
      }, running since ${holder.since})`
    : 'Another process (its lock file is being written)';
  const uses = `${who} is using the embedded database in ${dataDir}, and only one process at a time may.`;
  const advice =
    what === 'bot'
      ? holder?.what === 'bot'
        ? 'Stop that bot first (Ctrl-C in its terminal), or set EMBEDDED_DATA_DIR to another directory for a second one.'
        : 'Wait for it to finish, then start the bot.'
      : holder?.what === 'bot' || holder === undefined
        ? `Stop the bot first, then run ${what} again (with DATABASE_URL set to a PostgreSQL server, commands run beside the bot).`
        : `Wait for it to finish, then run ${what} again.`;
  return `${uses} ${advice} If no such process runs any more, delete ${file}.`;
}

function readHolder(file: string): EmbeddedLockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    return 'unreadable';
  }
  try {
    const parsed = JSON.parse(text) as Partial<EmbeddedLockHolder>;
    if (
      typeof parsed.pid === 'number' &&
      typeof parsed.since === 'string' &&
      typeof parsed.what === 'string' &&
      typeof parsed.hostname === 'string' &&
      typeof parsed.token === 'string'
    ) {
      return parsed as EmbeddedLockHolder;
    }
  } catch {
    // Being written, or debris: told apart by its age.
  }
  return 'unreadable';
}

function isOldDebris(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > UNREADABLE_LOCK_GRACE_MS;
  } catch {
    return true;
  }
}

/** A process on another machine (a shared disk) cannot be checked: it counts as alive. */
function isAlive(holder: EmbeddedLockHolder): boolean {
  if (holder.hostname !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfMine(file: string, token: string): void {
  const holder = readHolder(file);
  if (typeof holder === 'object' && holder.token === token) rmSync(file, { force: true });
}
