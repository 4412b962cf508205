import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot } from '../src/bot.js';
import { type Config, ConfigError } from '../src/config.js';
import {
  type RunningEmulator,
  SANDBOX_ORGANIZATION,
  startGenesysEmulator,
} from '../src/genesys/emulator/index.js';
import { OrganizationMismatchError } from '../src/genesys/organization-guard.js';
import { createLogger } from '../src/logger.js';
import { spawnProjectScript } from './helpers/bot-process.js';
import { type FakeSlackApi, startFakeSlackApi } from './helpers/fake-slack-api.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from './helpers/test-database.js';

const BOT_TOKEN = 'xoxb-startup-guard-token';
const ORG_A = { id: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa', name: 'Org A (Production)' };
const ORG_B = { id: 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb', name: 'Org B (Test)' };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emulatorFor(organization: { id: string; name: string }): Promise<RunningEmulator> {
  const emulator = await startGenesysEmulator({ organization });
  cleanups.push(() => emulator.close());
  return emulator;
}

async function fakeSlack(): Promise<FakeSlackApi> {
  const slack = await startFakeSlackApi({ botToken: BOT_TOKEN });
  cleanups.push(() => slack.close());
  return slack;
}

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function slackConfig(overrides: Partial<Config> & { slackApiUrl: string }): Config {
  const { slackApiUrl, ...rest } = overrides;
  return {
    port: 0,
    databaseUrl: undefined,
    embeddedDataDir: '.data/unused',
    logLevel: 'silent',
    nodeEnv: 'test',
    migrateOnStart: true,
    requestExpiryHours: 168,
    erasureDelayHours: 0,
    approvals: { required: 1, reminderHours: 24 },
    privacy: { retentionDays: 30, recordHashKey: 'startup-guards-record-hash-key-0123456789' },
    offboardDefaultTime: '18:00',
    workflow: {
      retryBaseSeconds: 1,
      retryMaxSeconds: 2,
      genesysTimeoutSeconds: 30,
      concurrency: 4,
      // Far above what tests send: pacing has its own tests (test/genesys/rate-limiter.test.ts).
      genesysRateLimitPerMinute: 60_000,
    },
    genesys: undefined,
    genesysSandbox: false,
    gdpr: { mode: 'delete', pollIntervalSeconds: 1, includeEmail: false },
    slack: {
      signingSecret: 'startup-guard-signing-secret',
      botToken: BOT_TOKEN,
      apiUrl: slackApiUrl,
      approvers: ['U0APPROVER'],
      requesters: undefined,
      notifyChannel: undefined,
    },
    teams: undefined,
    ...rest,
  };
}

const credentialsFor = (emulator: RunningEmulator): Config['genesys'] => ({
  clientId: 'emulator-client',
  clientSecret: 'emulator-secret',
  region: undefined,
  apiUrl: emulator.url,
});

const silent = () => createLogger({ level: 'silent' });

async function jobCount(db: TestDatabase): Promise<number> {
  const result = await sql<{
    count: string;
  }>`select count(*)::text as count from pgboss.job`.execute(db.db);
  return Number(result.rows[0]?.count);
}

async function refusedPort(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => false,
    () => true,
  );
}

describe('start-up refusals, through startBot', () => {
  it('refuses Slack with no Genesys credentials and no GENESYS_SANDBOX, before touching anything', async () => {
    const slack = await fakeSlack();
    const db = await createTestDatabase({ migrate: false });
    cleanups.push(() => db.drop());
    const port = await freePort();
    const error = await startBot(
      slackConfig({ slackApiUrl: slack.apiUrl, databaseUrl: db.url ?? 'postgres://x/y', port }),
      silent(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET', 'GENESYS_SANDBOX']) {
      expect(message).toContain(name);
    }
    // Nothing set in motion: not even the migrations ran, Slack was not called, no port opened.
    const tables = await sql<{ n: string }>`
      select count(*)::text as n from information_schema.tables where table_schema = 'public'`.execute(
      db.db,
    );
    expect(Number(tables.rows[0]?.n)).toBe(0);
    expect(slack.calls()).toEqual([]);
    expect(await refusedPort(port)).toBe(true);
  });

  it('refuses Slack without DATABASE_URL, and never creates the embedded database', async () => {
    const slack = await fakeSlack();
    const emulator = await emulatorFor(ORG_A);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'offboard-embedded-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const dataDir = path.join(dir, 'db');
    const error = await startBot(
      slackConfig({
        slackApiUrl: slack.apiUrl,
        genesys: credentialsFor(emulator),
        embeddedDataDir: dataDir,
      }),
      silent(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^DATABASE_URL: is required with Slack configured/),
    ]);
    expect(existsSync(dataDir)).toBe(false);
    expect(emulator.calls()).toEqual([]);
    expect(slack.calls()).toEqual([]);
  });
});

describe.skipIf(!hasPostgres)('one Genesys organization per database', () => {
  it('records the org at first start, then refuses credentials of another org, naming both', async () => {
    const slack = await fakeSlack();
    const db = await database();
    const orgA = await emulatorFor(ORG_A);
    const first = await startBot(
      slackConfig({
        slackApiUrl: slack.apiUrl,
        databaseUrl: db.url,
        genesys: credentialsFor(orgA),
      }),
      silent(),
    );
    expect(first.organization).toEqual({ ...ORG_A, sandbox: false });
    await first.stop();
    const recorded = await db.db.selectFrom('genesys_organization').selectAll().execute();
    expect(recorded).toMatchObject([{ org_id: ORG_A.id, org_name: ORG_A.name, sandbox: false }]);

    // The same org starts again.
    const again = await startBot(
      slackConfig({
        slackApiUrl: slack.apiUrl,
        databaseUrl: db.url,
        genesys: credentialsFor(orgA),
      }),
      silent(),
    );
    await again.stop();

    const orgB = await emulatorFor(ORG_B);
    const jobsBefore = await jobCount(db);
    slack.clearCalls();
    const port = await freePort();
    const error = await startBot(
      slackConfig({
        slackApiUrl: slack.apiUrl,
        databaseUrl: db.url,
        genesys: credentialsFor(orgB),
        port,
      }),
      silent(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OrganizationMismatchError);
    const mismatch = error as OrganizationMismatchError;
    expect(mismatch.code).toBe('GENESYS_ORG_MISMATCH');
    for (const part of [ORG_A.name, ORG_A.id, ORG_B.name, ORG_B.id]) {
      expect(mismatch.message).toContain(part);
    }
    // Nothing else started: Genesys only told us who it is, no job, no Slack call, no port,
    // and the record is unchanged.
    expect(orgB.calls().map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /oauth/token',
      'GET /api/v2/organizations/me',
    ]);
    expect(await jobCount(db)).toBe(jobsBefore);
    expect(slack.calls()).toEqual([]);
    expect(await refusedPort(port)).toBe(true);
    expect(await db.db.selectFrom('genesys_organization').selectAll().execute()).toMatchObject([
      { org_id: ORG_A.id, sandbox: false },
    ]);
    expect(await db.db.selectFrom('offboarding_requests').select('id').execute()).toEqual([]);
  });

  it('refuses the sandbox against a real org’s database, and a real client against the sandbox’s', async () => {
    const slack = await fakeSlack();
    const realDb = await database();
    const orgA = await emulatorFor(ORG_A);
    const real = await startBot(
      slackConfig({
        slackApiUrl: slack.apiUrl,
        databaseUrl: realDb.url,
        genesys: credentialsFor(orgA),
      }),
      silent(),
    );
    await real.stop();
    const sandboxed = await startBot(
      slackConfig({ slackApiUrl: slack.apiUrl, databaseUrl: realDb.url, genesysSandbox: true }),
      silent(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(sandboxed).toBeInstanceOf(OrganizationMismatchError);
    expect((sandboxed as Error).message).toContain(`"${ORG_A.name}" (id ${ORG_A.id})`);
    expect((sandboxed as Error).message).toContain(
      `the Genesys sandbox (built-in emulator), org "${SANDBOX_ORGANIZATION.name}"`,
    );

    // A database the sandbox recorded, and credentials of an org that answers with the very
    // same id: the sandbox flag still tells them apart.
    const sandboxDb = await database();
    const sandbox = await startBot(
      slackConfig({ slackApiUrl: slack.apiUrl, databaseUrl: sandboxDb.url, genesysSandbox: true }),
      silent(),
    );
    expect(sandbox.organization).toEqual({ ...SANDBOX_ORGANIZATION, sandbox: true });
    await sandbox.stop();
    const lookalike = await emulatorFor(SANDBOX_ORGANIZATION);
    const error = await startBot(
      slackConfig({
        slackApiUrl: slack.apiUrl,
        databaseUrl: sandboxDb.url,
        genesys: credentialsFor(lookalike),
      }),
      silent(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OrganizationMismatchError);
    expect((error as Error).message).toMatch(
      /belongs to the Genesys sandbox.*belong to Genesys Cloud org/,
    );
  });
});

/** src/main.ts as its own process, expected to refuse: its exit code and everything it printed. */
async function runToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawnProjectScript('src/main.ts', [], { PORT: '0', ...env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, output };
}

describe('start-up refusals of the real process (src/main.ts)', () => {
  const slackEnv = {
    SLACK_SIGNING_SECRET: 'startup-guard-signing-secret',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APPROVERS: 'U0APPROVER',
    RECORD_HASH_KEY: 'startup-guards-record-hash-key-0123456789',
  };

  it('exits 78 naming GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_SANDBOX, and DATABASE_URL', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'offboard-embedded-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const { code, output } = await runToExit({
      ...slackEnv,
      // A misspelt name is as good as none.
      GENESYS_CLIENTID: 'real-client',
      EMBEDDED_DATA_DIR: path.join(dir, 'db'),
    });
    expect(code).toBe(78);
    for (const name of [
      'GENESYS_CLIENT_ID',
      'GENESYS_CLIENT_SECRET',
      'GENESYS_SANDBOX',
      'DATABASE_URL',
    ]) {
      expect(output).toContain(name);
    }
    expect(output).not.toContain('offboarding bot listening');
    expect(output).not.toContain('startup-guard-signing-secret');
    expect(existsSync(path.join(dir, 'db'))).toBe(false);
  }, 40_000);

  it.skipIf(!hasPostgres)(
    'exits 78 naming both organizations on a mismatch',
    async () => {
      const slack = await fakeSlack();
      const db = await database();
      const orgA = await emulatorFor(ORG_A);
      const first = await startBot(
        slackConfig({
          slackApiUrl: slack.apiUrl,
          databaseUrl: db.url,
          genesys: credentialsFor(orgA),
        }),
        silent(),
      );
      await first.stop();
      const orgB = await emulatorFor(ORG_B);
      const { code, output } = await runToExit({
        ...slackEnv,
        SLACK_API_URL: slack.apiUrl,
        DATABASE_URL: db.url ?? '',
        GENESYS_CLIENT_ID: 'emulator-client',
        GENESYS_CLIENT_SECRET: 'emulator-secret',
        GENESYS_API_URL: orgB.url,
      });
      expect(code).toBe(78);
      for (const part of [ORG_A.name, ORG_A.id, ORG_B.name, ORG_B.id])
        expect(output).toContain(part);
      expect(output).not.toContain('offboarding bot listening');
      expect(output).not.toContain('emulator-secret');
    },
    40_000,
  );
});
