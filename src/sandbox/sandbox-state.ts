// The local trial's sandbox (the Genesys emulator and the playground's fake Slack) lives in
// memory, while the embedded database keeps the requests on disk. Saving the sandbox beside the
// database is what lets a restart show the cards, the threads and the Genesys users as they were.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import type { EmulatorPersistedState } from '../genesys/emulator/types.js';
import type { PlaygroundPersistedState } from '../playground/playground.js';

const SANDBOX_STATE_VERSION = 1;

export interface SandboxState {
  version: number;
  savedAt: string;
  genesys: EmulatorPersistedState;
  /** Absent when the sandbox served a real chat platform (GENESYS_SANDBOX=true). */
  playground: PlaygroundPersistedState | undefined;
}

/** Inside the embedded database's directory, so deleting that directory starts everything over. */
export function sandboxStateFile(embeddedDataDir: string): string {
  return path.join(embeddedDataDir, 'sandbox', 'state.json');
}

/** The saved state, or undefined when there is none yet (a first start). */
export function readSandboxState(file: string): SandboxState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('sandbox_state_unreadable', `Cannot read the sandbox state ${file}`, {
      cause: error,
    });
  }
  let state: SandboxState;
  try {
    state = JSON.parse(text) as SandboxState;
  } catch (error) {
    throw new AppError(
      'sandbox_state_unreadable',
      `The sandbox state ${file} is not valid JSON. Run npm run sandbox:reset to start the local trial over.`,
      { cause: error },
    );
  }
  if (state.version !== SANDBOX_STATE_VERSION) {
    throw new AppError(
      'sandbox_state_unreadable',
      `The sandbox state ${file} has version ${String(state.version)}, this bot reads version ${SANDBOX_STATE_VERSION}. Run npm run sandbox:reset to start the local trial over.`,
    );
  }
  return state;
}

/**
 * Written to a temporary file, then renamed over the old one: a crash mid-write leaves the
 * previous state whole, never half a file.
 */
export function writeSandboxState(
  file: string,
  parts: Pick<SandboxState, 'genesys' | 'playground'>,
): void {
  const state: SandboxState = {
    version: SANDBOX_STATE_VERSION,
    savedAt: new Date().toISOString(),
    ...parts,
  };
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, file);
}

/**
 * Coalesces a burst of changes (a run's thread fills with a dozen messages in a second) into one
 * write `delayMs` after the first, and writes at once on flush (stopping, a reset).
 */
export class DebouncedSave {
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly save: () => void,
    private readonly delayMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  changed(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#saveNow();
    }, this.delayMs);
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#saveNow();
  }

  /** A last write; later changes are not saved. */
  stop(): void {
    this.flush();
    this.#stopped = true;
  }

  #saveNow(): void {
    try {
      this.save();
    } catch (error) {
      this.onError(error);
    }
  }
}
