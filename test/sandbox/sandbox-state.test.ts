import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { EmulatorPersistedState } from '../../src/genesys/emulator/types.js';
import {
  DebouncedSave,
  readSandboxState,
  sandboxStateFile,
  writeSandboxState,
} from '../../src/sandbox/sandbox-state.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
const GENESYS: EmulatorPersistedState = {
  version: 1,
  users: [],
  gdpr: { requests: [], nextSeq: 3, doomed: 0 },
  tokenRevocations: [{ userId: 'u1', at: '2026-12-02T10:00:00.000Z' }],
};

afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

describe('the sandbox state file', () => {
  it('lives inside the embedded data directory, so deleting that starts everything over', () => {
    expect(sandboxStateFile('.data/db')).toBe(path.join('.data/db', 'sandbox', 'state.json'));
  });

  it('is absent before a first start, and read back as written', () => {
    const file = sandboxStateFile(path.join(scratch, 'first'));
    expect(readSandboxState(file)).toBeUndefined();
    writeSandboxState(file, { genesys: GENESYS, playground: undefined });
    expect(readSandboxState(file)).toMatchObject({ version: 1, genesys: GENESYS });
    // Written beside and renamed: no temporary file is left.
    expect(readdirSync(path.dirname(file))).toEqual(['state.json']);
  });

  it('refuses a damaged file with a code and the way out', () => {
    const file = sandboxStateFile(path.join(scratch, 'damaged'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"version":1,"genes');
    let refusal: unknown;
    try {
      readSandboxState(file);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('sandbox_state_unreadable');
    expect((refusal as AppError).message).toContain('npm run sandbox:reset');
    expect((refusal as AppError).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('DebouncedSave', () => {
  it('writes a burst of changes once, at once on flush, and never after stop', () => {
    vi.useFakeTimers();
    const save = vi.fn();
    const saver = new DebouncedSave(save, 250, () => {});
    for (let change = 0; change < 5; change += 1) saver.changed();
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(250);
    expect(save).toHaveBeenCalledTimes(1);

    saver.changed();
    saver.flush();
    expect(save).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    expect(save).toHaveBeenCalledTimes(2);

    saver.stop();
    expect(save).toHaveBeenCalledTimes(3);
    saver.changed();
    vi.advanceTimersByTime(1000);
    expect(save).toHaveBeenCalledTimes(3);
  });

  it('reports a failed write and tries again on the next change', () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let fail = true;
    const file = path.join(scratch, 'retry', 'state.json');
    const saver = new DebouncedSave(
      () => {
        if (fail) throw new Error('disk full');
        writeSandboxState(file, { genesys: GENESYS, playground: undefined });
      },
      10,
      (error) => errors.push(error),
    );
    saver.changed();
    vi.advanceTimersByTime(10);
    expect(errors).toHaveLength(1);
    fail = false;
    saver.changed();
    vi.advanceTimersByTime(10);
    expect(existsSync(file)).toBe(true);
  });
});
