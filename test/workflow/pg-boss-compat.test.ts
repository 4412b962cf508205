import { describe, expect, it } from 'vitest';
import {
  assertKnownPgBossVersion,
  installedPgBossVersion,
} from '../../src/workflow/pg-boss-compat.js';

describe('pg-boss compatibility check', () => {
  it('accepts the installed pg-boss', () => {
    expect(() => assertKnownPgBossVersion(installedPgBossVersion())).not.toThrow();
  });

  it('accepts any pg-boss 10', () => {
    for (const version of ['10.0.0', '10.4.2', '10.99.1-beta.1']) {
      expect(() => assertKnownPgBossVersion(version)).not.toThrow();
    }
  });

  it('refuses another major version, saying what to check', () => {
    for (const version of ['9.0.3', '11.0.0', '100.0.0']) {
      expect(() => assertKnownPgBossVersion(version)).toThrow(
        new RegExp(`pg-boss ${version.replace(/\./g, '\\.')} is installed`),
      );
    }
    expect(() => assertKnownPgBossVersion('11.0.0')).toThrow(
      /knows only pg-boss 10\.x.*Manager\.prototype\.complete.*notifyWorker.*KNOWN_PG_BOSS_MAJORS/,
    );
  });

  it('refuses a version it cannot read', () => {
    expect(() => assertKnownPgBossVersion('')).toThrow(/pg-boss {2}is installed/);
    expect(() => assertKnownPgBossVersion('latest')).toThrow(/pg-boss latest is installed/);
  });
});
