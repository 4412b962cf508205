import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDotEnv } from '../src/env-file.js';

const NAMES = ['ENV_FILE_TEST_SET', 'ENV_FILE_TEST_UNSET', 'ENV_FILE_TEST_EMPTY'];

afterEach(() => {
  for (const name of NAMES) delete process.env[name];
});

function envFile(text: string): { file: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'env-file-'));
  const file = path.join(dir, '.env');
  writeFileSync(file, text);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('loadDotEnv', () => {
  it('fills in variables from the file, and a variable already set wins', () => {
    const { file, remove } = envFile(
      [
        '# Copy to .env',
        'ENV_FILE_TEST_SET=from-file',
        'ENV_FILE_TEST_UNSET="from file, quoted"',
        'ENV_FILE_TEST_EMPTY=from-file',
      ].join('\n'),
    );
    try {
      process.env.ENV_FILE_TEST_SET = 'from-environment';
      // Set but empty is still set: the environment decided.
      process.env.ENV_FILE_TEST_EMPTY = '';
      expect(loadDotEnv(file)).toBe(true);
      expect(process.env.ENV_FILE_TEST_SET).toBe('from-environment');
      expect(process.env.ENV_FILE_TEST_UNSET).toBe('from file, quoted');
      expect(process.env.ENV_FILE_TEST_EMPTY).toBe('');
    } finally {
      remove();
    }
  });

  it('does nothing without a file', () => {
    expect(loadDotEnv(path.join(os.tmpdir(), 'no-such-dir', '.env'))).toBe(false);
    expect(process.env.ENV_FILE_TEST_UNSET).toBeUndefined();
  });
});
