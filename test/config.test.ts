import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';

const SLACK_SECRET = 'slack-signing-secret-value';
const SLACK_TOKEN = 'xoxb-1111-2222-bot-token-value';
const GENESYS_SECRET = 'genesys-client-secret-value';
const TEAMS_PASSWORD = 'teams-app-password-value';
const METRICS_TOKEN = 'metrics-token-value';
const APP_ID = '5c1b3f1e-8d9a-4b1c-9f2e-0a1b2c3d4e5f';
const TENANT_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

/** What any deployment with a chat platform needs besides the platform's own variables. */
const DEPLOYED = {
  DATABASE_URL: 'postgres://bot@db.internal:5432/offboarding',
  GENESYS_SANDBOX: 'true',
  RECORD_HASH_KEY: 'config-test-record-hash-key-0123456789',
};

const SLACK_ON = {
  ...DEPLOYED,
  SLACK_SIGNING_SECRET: SLACK_SECRET,
  SLACK_BOT_TOKEN: SLACK_TOKEN,
  SLACK_APPROVERS: 'U012ABCDEF',
};

/** The problems loadConfig reports for `env`; fails the test when it does not throw. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  it('gives defaults for an empty environment: embedded database, emulator, no chat platform', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 3000,
      databaseUrl: undefined,
      embeddedDataDir: '.data/db',
      logLevel: 'info',
      nodeEnv: undefined,
      migrateOnStart: true,
      requestExpiryHours: 168,
      erasureDelayHours: undefined,
      approvals: { required: 1, reminderHours: 24 },
      privacy: { retentionDays: 30, recordHashKey: undefined },
      offboardDefaultTime: '18:00',
      workflow: {
        retryBaseSeconds: 15,
        retryMaxSeconds: 900,
        genesysTimeoutSeconds: 30,
        concurrency: 8,
        genesysRateLimitPerMinute: 300,
      },
      genesys: undefined,
      genesysSandbox: false,
      gdpr: { mode: 'delete', pollIntervalSeconds: 900, includeEmail: false },
      slack: undefined,
      teams: undefined,
    });
  });

  it('reads a full environment, trimming values', () => {
    const config = loadConfig({
      ...SLACK_ON,
      GENESYS_SANDBOX: undefined,
      PORT: ' 8080 ',
      DATABASE_URL: 'postgresql://bot:pw@db.internal:5432/offboarding',
      LOG_LEVEL: 'DEBUG',
      NODE_ENV: 'production',
      MIGRATE_ON_START: 'No',
      REQUEST_EXPIRY_HOURS: '24',
      APPROVALS_REQUIRED: '2',
      APPROVAL_REMINDER_HOURS: '0.01',
      RECORD_RETENTION_DAYS: '0.5',
      OFFBOARD_DEFAULT_TIME: ' 9:30 ',
      GENESYS_CLIENT_ID: 'client-id',
      GENESYS_CLIENT_SECRET: GENESYS_SECRET,
      GENESYS_REGION: 'mypurecloud.ie',
      GDPR_MODE: 'anonymize',
      GDPR_POLL_INTERVAL_SECONDS: '60',
      GDPR_INCLUDE_EMAIL: 'yes',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      SLACK_APPROVERS: 'U012ABCDEF, W0ABC , S0GROUP1,,U012ABCDEF',
      SLACK_REQUESTERS: 'U0REQ1',
      SLACK_NOTIFY_CHANNEL: 'C0NOTIFY',
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: TEAMS_PASSWORD,
      MICROSOFT_APP_TENANT_ID: TENANT_ID,
      MICROSOFT_APP_TYPE: 'singletenant',
      TEAMS_APPROVERS: `Ada@Example.com,${APP_ID.toUpperCase()}`,
      TEAMS_NOTIFY_CONVERSATION_ID: '19:abc@thread.tacv2',
    });
    expect(config).toEqual({
      port: 8080,
      databaseUrl: 'postgresql://bot:pw@db.internal:5432/offboarding',
      embeddedDataDir: '.data/db',
      logLevel: 'debug',
      nodeEnv: 'production',
      migrateOnStart: false,
      requestExpiryHours: 24,
      erasureDelayHours: undefined,
      approvals: { required: 2, reminderHours: 0.01 },
      privacy: { retentionDays: 0.5, recordHashKey: DEPLOYED.RECORD_HASH_KEY },
      offboardDefaultTime: '09:30',
      workflow: {
        retryBaseSeconds: 15,
        retryMaxSeconds: 900,
        genesysTimeoutSeconds: 30,
        concurrency: 8,
        genesysRateLimitPerMinute: 300,
      },
      genesys: {
        clientId: 'client-id',
        clientSecret: GENESYS_SECRET,
        region: 'mypurecloud.ie',
        apiUrl: undefined,
      },
      genesysSandbox: false,
      gdpr: { mode: 'anonymize', pollIntervalSeconds: 60, includeEmail: true },
      slack: {
        signingSecret: SLACK_SECRET,
        botToken: SLACK_TOKEN,
        apiUrl: 'http://127.0.0.1:9999/api/',
        approvers: ['U012ABCDEF', 'W0ABC', 'S0GROUP1'],
        requesters: ['U0REQ1'],
        notifyChannel: 'C0NOTIFY',
      },
      teams: {
        appId: APP_ID,
        appPassword: TEAMS_PASSWORD,
        tenantId: TENANT_ID,
        appType: 'SingleTenant',
        approvers: ['ada@example.com', APP_ID],
        notifyConversationId: '19:abc@thread.tacv2',
        allowUnauthenticated: false,
      },
    });
  });

  it('deep-freezes the result', () => {
    const config = loadConfig({ ...SLACK_ON });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.gdpr)).toBe(true);
    expect(Object.isFrozen(config.slack)).toBe(true);
    expect(Object.isFrozen(config.slack?.approvers)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('treats empty and blank values as unset', () => {
    const config = loadConfig({
      PORT: '',
      DATABASE_URL: '   ',
      GENESYS_CLIENT_ID: '',
      GENESYS_CLIENT_SECRET: ' ',
      SLACK_SIGNING_SECRET: '',
      SLACK_BOT_TOKEN: '',
      TEAMS_ALLOW_UNAUTHENTICATED: '',
    });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.genesys).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.teams).toBeUndefined();
  });

  it('reads from process.env by default', () => {
    const saved = process.env.REQUEST_EXPIRY_HOURS;
    process.env.REQUEST_EXPIRY_HOURS = '5';
    try {
      expect(loadConfig().requestExpiryHours).toBe(5);
    } finally {
      if (saved === undefined) delete process.env.REQUEST_EXPIRY_HOURS;
      else process.env.REQUEST_EXPIRY_HOURS = saved;
    }
  });

  describe('booleans', () => {
    it.each([
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['Yes', true],
      ['false', false],
      ['0', false],
      ['NO', false],
    ])('MIGRATE_ON_START=%s reads as %s', (value, expected) => {
      expect(loadConfig({ MIGRATE_ON_START: value }).migrateOnStart).toBe(expected);
    });

    it.each(['on', 'y', '2', 'truthy', 'constructor'])('rejects MIGRATE_ON_START=%s', (value) => {
      expect(problemsOf({ MIGRATE_ON_START: value })).toEqual([
        `MIGRATE_ON_START: "${value}" is not a boolean; use true or false (or 1/0, yes/no)`,
      ]);
    });
  });

  describe('hours and the default time of day', () => {
    it.each([
      ['0.01', 0.01],
      ['.5', 0.5],
      ['2.', 2],
      ['168', 168],
    ])('REQUEST_EXPIRY_HOURS=%s reads as %s hours', (value, expected) => {
      expect(loadConfig({ REQUEST_EXPIRY_HOURS: value }).requestExpiryHours).toBe(expected);
    });

    it.each(['0', '0.0001', '-1', 'abc', '1e3', '1,5', '90000'])(
      'rejects REQUEST_EXPIRY_HOURS=%s with a fix',
      (value) => {
        expect(problemsOf({ REQUEST_EXPIRY_HOURS: value })).toEqual([
          `REQUEST_EXPIRY_HOURS: "${value}" is not valid; use a number of hours of at least one second (0.0003), e.g. 168 for a week or 0.01 for 36 seconds`,
        ]);
      },
    );

    it.each(['24:00', '18', '6pm', '18:5', '12:60', 'noon'])(
      'rejects OFFBOARD_DEFAULT_TIME=%s with a fix',
      (value) => {
        expect(problemsOf({ OFFBOARD_DEFAULT_TIME: value })).toEqual([
          `OFFBOARD_DEFAULT_TIME: "${value}" is not a time of day; use HH:MM on a 24-hour clock, e.g. 18:00`,
        ]);
      },
    );
  });

  describe('numbers', () => {
    it.each(['abc', '12abc', '1.5', '-1', '1e3', '70000'])('rejects PORT=%s', (value) => {
      expect(problemsOf({ PORT: value })).toEqual([
        `PORT: "${value}" is not valid; use a port from 1 to 65535 (or 0 for any free port)`,
      ]);
    });

    it('reads the Genesys pace and the worker count, and rejects zero with a fix', () => {
      const config = loadConfig({
        GENESYS_RATE_LIMIT_PER_MINUTE: '1200',
        GENESYS_RATE_LIMIT_BURST: '5',
        WORKFLOW_CONCURRENCY: '16',
      });
      expect(config.workflow).toMatchObject({
        genesysRateLimitPerMinute: 1200,
        genesysRateLimitBurst: 5,
        concurrency: 16,
      });
      expect(loadConfig({}).workflow.genesysRateLimitBurst).toBeUndefined();
      const problems = problemsOf({
        GENESYS_RATE_LIMIT_PER_MINUTE: '0',
        GENESYS_RATE_LIMIT_BURST: '0',
        WORKFLOW_CONCURRENCY: 'x',
      });
      expect(problems).toHaveLength(3);
      expect(problems.join('\n')).toMatch(
        /GENESYS_RATE_LIMIT_BURST: "0" is not valid; use the calls this instance may send at once/,
      );
      expect(problems.join('\n')).toMatch(
        /GENESYS_RATE_LIMIT_PER_MINUTE: "0" is not valid; use the requests a minute/,
      );
      expect(problems.join('\n')).toMatch(
        /WORKFLOW_CONCURRENCY: "x" is not valid; use a whole number/,
      );
    });

    it('reads a fractional erasure delay and rejects a bad one with a fix', () => {
      expect(loadConfig({}).erasureDelayHours).toBeUndefined();
      expect(loadConfig({ ERASURE_DELAY_HOURS: '0' }).erasureDelayHours).toBe(0);
      expect(loadConfig({ ERASURE_DELAY_HOURS: '0.01' }).erasureDelayHours).toBe(0.01);
      expect(loadConfig({ ERASURE_DELAY_HOURS: ' 72 ' }).erasureDelayHours).toBe(72);
      for (const value of ['-1', 'three days', '1e3', '9000']) {
        expect(problemsOf({ ERASURE_DELAY_HOURS: value })).toEqual([
          `ERASURE_DELAY_HOURS: "${value}" is not valid; use hours from 0 (file the GDPR request at once) to 8760, fractions allowed, e.g. 72 or 0.01 (36 s)`,
        ]);
      }
    });

    it('reads several approvers and a fractional reminder period, and refuses bad ones with a fix', () => {
      expect(
        loadConfig({ APPROVALS_REQUIRED: '3', APPROVAL_REMINDER_HOURS: '.5' }).approvals,
      ).toEqual({ required: 3, reminderHours: 0.5 });
      const problems = problemsOf({ APPROVALS_REQUIRED: '0', APPROVAL_REMINDER_HOURS: '0' });
      expect(problems).toEqual([
        'APPROVALS_REQUIRED: "0" is not valid; use how many different approvers must approve, from 1 to 10, e.g. 2',
        'APPROVAL_REMINDER_HOURS: "0" is not valid; use a number of hours greater than 0, e.g. 24, or 0.01 (36 seconds) for a trial',
      ]);
      for (const value of ['1.5', 'two', '11']) {
        expect(problemsOf({ APPROVALS_REQUIRED: value })).toHaveLength(1);
      }
      for (const value of ['-1', '1e3', 'daily', '1,5']) {
        expect(problemsOf({ APPROVAL_REMINDER_HOURS: value })).toHaveLength(1);
      }
    });

    it('accepts PORT=0 for a free port', () => {
      expect(loadConfig({ PORT: '0' }).port).toBe(0);
    });

    it('rejects a poll interval or expiry of zero', () => {
      const problems = problemsOf({ GDPR_POLL_INTERVAL_SECONDS: '0', REQUEST_EXPIRY_HOURS: '0' });
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/^REQUEST_EXPIRY_HOURS: "0" is not valid; use a number of hours/);
      expect(problems[1]).toMatch(/^GDPR_POLL_INTERVAL_SECONDS: "0" is not valid; use a whole/);
    });
  });

  it('rejects an unknown LOG_LEVEL or GDPR_MODE, listing the choices', () => {
    expect(problemsOf({ LOG_LEVEL: 'verbose', GDPR_MODE: 'erase' })).toEqual([
      'LOG_LEVEL: "verbose" is not allowed; use one of fatal, error, warn, info, debug, trace, silent',
      'GDPR_MODE: "erase" is not allowed; use one of delete, anonymize, none',
    ]);
  });

  describe('DATABASE_URL', () => {
    it.each(['postgres://u@h/db', 'postgresql://u:p@h:5432/db'])('accepts %s', (url) => {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    });

    it.each(['mysql://u:hunter2@h/db', 'hunter2'])(
      'rejects %s without repeating it (it may hold a password)',
      (url) => {
        const problems = problemsOf({ DATABASE_URL: url });
        expect(problems).toEqual([
          'DATABASE_URL: is not a PostgreSQL URL; use postgres://user:password@host:5432/database, or unset it to use the embedded database',
        ]);
        expect(problems.join('\n')).not.toContain('hunter2');
      },
    );
  });

  describe('Genesys', () => {
    const credentials = { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: GENESYS_SECRET };

    it.each([
      ['mypurecloud.ie', 'mypurecloud.ie'],
      ['usw2.pure.cloud', 'usw2.pure.cloud'],
      ['eu_west_1', 'mypurecloud.ie'],
      ['US_EAST_1', 'mypurecloud.com'],
      ['us_west_2', 'usw2.pure.cloud'],
    ])('GENESYS_REGION=%s resolves to the host %s', (region, host) => {
      expect(loadConfig({ ...credentials, GENESYS_REGION: region }).genesys?.region).toBe(host);
    });

    it('rejects an unknown region with the exact hint', () => {
      expect(problemsOf({ ...credentials, GENESYS_REGION: 'mars' })).toEqual([
        'GENESYS_REGION: "mars" is not a Genesys region; use a region host like mypurecloud.ie or an SDK key like eu_west_1',
      ]);
    });

    it('points a URL given as region to GENESYS_API_URL', () => {
      const [problem] = problemsOf({
        ...credentials,
        GENESYS_REGION: 'https://api.mypurecloud.ie',
      });
      expect(problem).toContain('(a full URL belongs in GENESYS_API_URL)');
    });

    it('needs a region or an API URL with credentials', () => {
      expect(problemsOf(credentials)).toEqual([
        'GENESYS_REGION: is required when Genesys credentials are set; use a region host like mypurecloud.ie or an SDK key like eu_west_1 (or set GENESYS_API_URL)',
      ]);
    });

    it('lets GENESYS_API_URL stand in for the region', () => {
      const config = loadConfig({ ...credentials, GENESYS_API_URL: 'http://127.0.0.1:8089' });
      expect(config.genesys).toEqual({
        clientId: 'id',
        clientSecret: GENESYS_SECRET,
        region: undefined,
        apiUrl: 'http://127.0.0.1:8089',
      });
    });

    it('rejects a GENESYS_API_URL that is not http(s)', () => {
      expect(problemsOf({ ...credentials, GENESYS_API_URL: 'ftp://x' })[0]).toMatch(
        /^GENESYS_API_URL: "ftp:\/\/x" is not an http\(s\) URL/,
      );
    });

    it('needs both credentials or neither, without repeating the secret', () => {
      expect(problemsOf({ GENESYS_CLIENT_ID: 'id', GENESYS_REGION: 'eu_west_1' })).toEqual([
        'GENESYS_CLIENT_SECRET: is required because GENESYS_CLIENT_ID is set; set both to enable Genesys Cloud (unset: sandbox emulator), or neither to disable it',
      ]);
      const problems = problemsOf({ GENESYS_CLIENT_SECRET: GENESYS_SECRET });
      expect(problems[0]).toMatch(/^GENESYS_CLIENT_ID: is required because GENESYS_CLIENT_SECRET/);
      expect(problems.join('\n')).not.toContain(GENESYS_SECRET);
    });
  });

  describe('Slack', () => {
    it('is on with both secrets and approvers, with the default API URL', () => {
      expect(loadConfig(SLACK_ON).slack).toEqual({
        signingSecret: SLACK_SECRET,
        botToken: SLACK_TOKEN,
        apiUrl: 'https://slack.com/api/',
        approvers: ['U012ABCDEF'],
        requesters: undefined,
        notifyChannel: undefined,
      });
    });

    it('refuses one secret without the other', () => {
      expect(problemsOf({ ...DEPLOYED, SLACK_SIGNING_SECRET: SLACK_SECRET })).toEqual([
        'SLACK_BOT_TOKEN: is required because SLACK_SIGNING_SECRET is set; set both to enable Slack, or neither to disable it',
      ]);
      expect(problemsOf({ ...DEPLOYED, SLACK_BOT_TOKEN: SLACK_TOKEN })).toEqual([
        'SLACK_SIGNING_SECRET: is required because SLACK_BOT_TOKEN is set; set both to enable Slack, or neither to disable it',
      ]);
    });

    it('requires approvers, saying why and where to find IDs', () => {
      for (const approvers of [undefined, '', ' , ']) {
        const [problem] = problemsOf({ ...SLACK_ON, SLACK_APPROVERS: approvers });
        expect(problem).toMatch(/^SLACK_APPROVERS: is required when Slack is enabled/);
        expect(problem).toContain('Copy member ID');
      }
    });

    it('names every malformed approver and requester', () => {
      expect(
        problemsOf({
          ...SLACK_ON,
          SLACK_APPROVERS: 'U012ABCDEF,@bob,u0lower',
          SLACK_REQUESTERS: 'x',
        }),
      ).toEqual([
        expect.stringMatching(
          /^SLACK_APPROVERS: "@bob", "u0lower" are not valid; use comma-separated/,
        ),
        expect.stringMatching(/^SLACK_REQUESTERS: "x" is not valid; use comma-separated/),
      ]);
    });

    it('rejects a token that is not a bot token without repeating it', () => {
      const userToken = 'xoxp-secret-user-token';
      const problems = problemsOf({ ...SLACK_ON, SLACK_BOT_TOKEN: userToken });
      expect(problems).toEqual([
        "SLACK_BOT_TOKEN: must be a bot token starting with xoxb- (this is a xoxp- token); copy the Bot User OAuth Token from the Slack app's OAuth & Permissions page",
      ]);
      expect(problems.join('\n')).not.toContain('secret-user-token');
      const [garbled] = problemsOf({ ...SLACK_ON, SLACK_BOT_TOKEN: 'abc-secret' });
      expect(garbled).not.toContain('abc-secret');
      expect(garbled).not.toContain('(this is');
    });

    it('rejects a channel name where an ID belongs', () => {
      expect(problemsOf({ ...SLACK_ON, SLACK_NOTIFY_CHANNEL: '#offboarding' })[0]).toMatch(
        /^SLACK_NOTIFY_CHANNEL: "#offboarding" is not a Slack channel ID; use the ID like C012ABCDEF/,
      );
    });

    it('keeps a trailing slash on SLACK_API_URL and rejects a non-URL', () => {
      expect(loadConfig({ ...SLACK_ON, SLACK_API_URL: 'http://x/api/' }).slack?.apiUrl).toBe(
        'http://x/api/',
      );
      expect(problemsOf({ ...SLACK_ON, SLACK_API_URL: 'slack.com/api' })[0]).toMatch(
        /^SLACK_API_URL: "slack.com\/api" is not an http\(s\) URL/,
      );
    });
  });

  describe('Teams', () => {
    const teamsOn = {
      ...DEPLOYED,
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: TEAMS_PASSWORD,
      TEAMS_APPROVERS: 'ada@example.com',
    };

    it('is on with an app id, MultiTenant by default', () => {
      expect(loadConfig(teamsOn).teams).toEqual({
        appId: APP_ID,
        appPassword: TEAMS_PASSWORD,
        tenantId: undefined,
        appType: 'MultiTenant',
        approvers: ['ada@example.com'],
        notifyConversationId: undefined,
        allowUnauthenticated: false,
      });
    });

    it('is on without an app id when unauthenticated use is allowed outside production', () => {
      const config = loadConfig({
        ...DEPLOYED,
        TEAMS_ALLOW_UNAUTHENTICATED: 'true',
        TEAMS_APPROVERS: APP_ID,
      });
      expect(config.teams).toMatchObject({ appId: undefined, allowUnauthenticated: true });
    });

    it('refuses unauthenticated use in production', () => {
      expect(
        problemsOf({
          ...DEPLOYED,
          NODE_ENV: 'production',
          TEAMS_ALLOW_UNAUTHENTICATED: 'true',
          TEAMS_APPROVERS: APP_ID,
        }),
      ).toEqual([
        'TEAMS_ALLOW_UNAUTHENTICATED: is refused when NODE_ENV=production; set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD instead',
      ]);
    });

    it('refuses unauthenticated use together with an app id', () => {
      expect(problemsOf({ ...teamsOn, TEAMS_ALLOW_UNAUTHENTICATED: '1' })).toEqual([
        'TEAMS_ALLOW_UNAUTHENTICATED: contradicts MICROSOFT_APP_ID, which turns authentication on; unset one of them',
      ]);
    });

    it('requires a tenant for SingleTenant and UserAssignedMSI', () => {
      for (const appType of ['SingleTenant', 'UserAssignedMSI']) {
        expect(problemsOf({ ...teamsOn, MICROSOFT_APP_TYPE: appType })).toEqual([
          `MICROSOFT_APP_TENANT_ID: is required when MICROSOFT_APP_TYPE=${appType}; use the Directory (tenant) ID of the bot's Entra app registration`,
        ]);
      }
    });

    it('needs no password for a managed identity', () => {
      const config = loadConfig({
        ...DEPLOYED,
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_TYPE: 'UserAssignedMSI',
        MICROSOFT_APP_TENANT_ID: 'contoso.onmicrosoft.com',
        TEAMS_APPROVERS: APP_ID,
      });
      expect(config.teams).toMatchObject({ appType: 'UserAssignedMSI', appPassword: undefined });
    });

    it('requires a password for a MultiTenant bot and an app id for a password', () => {
      expect(problemsOf({ ...teamsOn, MICROSOFT_APP_PASSWORD: undefined })[0]).toMatch(
        /^MICROSOFT_APP_PASSWORD: is required for a MultiTenant bot/,
      );
      expect(problemsOf({ MICROSOFT_APP_PASSWORD: TEAMS_PASSWORD })[0]).toMatch(
        /^MICROSOFT_APP_ID: is required because MICROSOFT_APP_PASSWORD is set/,
      );
    });

    it('requires approvers and checks each is a GUID or UPN', () => {
      expect(problemsOf({ ...teamsOn, TEAMS_APPROVERS: undefined })[0]).toMatch(
        /^TEAMS_APPROVERS: is required when Teams is enabled/,
      );
      expect(problemsOf({ ...teamsOn, TEAMS_APPROVERS: 'ada, 1234' })).toEqual([
        'TEAMS_APPROVERS: "ada", "1234" are not valid; use comma-separated Entra object IDs (GUIDs) or user principal names like ada@example.com',
      ]);
    });

    it('rejects a malformed app id and an unknown app type', () => {
      expect(
        problemsOf({ ...teamsOn, MICROSOFT_APP_ID: 'my-bot', MICROSOFT_APP_TYPE: 'Multi' }),
      ).toEqual([
        `MICROSOFT_APP_ID: "my-bot" is not an app ID; use the Application (client) ID GUID of the bot's Entra app registration`,
        'MICROSOFT_APP_TYPE: "Multi" is not allowed; use one of MultiTenant, SingleTenant, UserAssignedMSI',
      ]);
    });
  });

  describe('a real deployment (a chat platform configured)', () => {
    const slackOnly = {
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_APPROVERS: 'U012ABCDEF',
      RECORD_HASH_KEY: DEPLOYED.RECORD_HASH_KEY,
    };
    const teamsOnly = {
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: TEAMS_PASSWORD,
      TEAMS_APPROVERS: 'ada@example.com',
      RECORD_HASH_KEY: DEPLOYED.RECORD_HASH_KEY,
    };

    it('requires RECORD_HASH_KEY with a chat platform, naming it and how to make one', () => {
      for (const platform of [slackOnly, teamsOnly]) {
        const problems = problemsOf({ ...platform, ...DEPLOYED, RECORD_HASH_KEY: undefined });
        expect(problems).toEqual([
          expect.stringMatching(
            /^RECORD_HASH_KEY: is required with (Slack|Teams) configured;.*openssl rand -hex 32/,
          ),
        ]);
      }
      expect(problemsOf({ ...slackOnly, ...DEPLOYED, RECORD_HASH_KEY: 'short-secret' })).toEqual([
        expect.stringMatching(/^RECORD_HASH_KEY: is too short; use at least 32 characters/),
      ]);
      expect(
        problemsOf({ ...slackOnly, ...DEPLOYED, RECORD_HASH_KEY: 'short-secret' })[0],
      ).not.toContain('short-secret');
    });

    it('reads RECORD_RETENTION_DAYS in days, fractions allowed, and refuses anything else', () => {
      expect(loadConfig({ RECORD_RETENTION_DAYS: '0.25' }).privacy.retentionDays).toBe(0.25);
      for (const bad of ['0', '-1', 'thirty', '30d']) {
        expect(problemsOf({ RECORD_RETENTION_DAYS: bad })).toEqual([
          expect.stringMatching(
            /^RECORD_RETENTION_DAYS: ".*" is not valid; use a number of days greater than 0/,
          ),
        ]);
      }
    });
    const credentials = {
      GENESYS_CLIENT_ID: 'client-id',
      GENESYS_CLIENT_SECRET: GENESYS_SECRET,
      GENESYS_REGION: 'mypurecloud.ie',
    };

    it('refuses to fall back to the sandbox silently, naming the three variables', () => {
      for (const platform of [slackOnly, teamsOnly]) {
        const problems = problemsOf({ ...platform, DATABASE_URL: 'postgres://db/x' });
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(/^GENESYS_CLIENT_ID: is required with (Slack|Teams)/);
        for (const name of ['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET', 'GENESYS_SANDBOX=true']) {
          expect(problems[0]).toContain(name);
        }
      }
      // Misspelt names are as good as unset.
      expect(
        problemsOf({ ...slackOnly, DATABASE_URL: 'postgres://db/x', GENESYS_CLIENTID: 'x' })[0],
      ).toMatch(/^GENESYS_CLIENT_ID: is required with Slack/);
      // GENESYS_SANDBOX=false is no choice of the sandbox.
      expect(
        problemsOf({ ...slackOnly, DATABASE_URL: 'postgres://db/x', GENESYS_SANDBOX: 'false' })[0],
      ).toMatch(/^GENESYS_CLIENT_ID: is required with Slack/);
    });

    it('requires DATABASE_URL, naming it', () => {
      for (const platform of [slackOnly, teamsOnly]) {
        expect(problemsOf({ ...platform, ...credentials })).toEqual([
          expect.stringMatching(
            /^DATABASE_URL: is required with (Slack|Teams) configured; use postgres:\/\//,
          ),
        ]);
      }
      expect(
        problemsOf({
          TEAMS_ALLOW_UNAUTHENTICATED: 'true',
          TEAMS_APPROVERS: APP_ID,
          RECORD_HASH_KEY: DEPLOYED.RECORD_HASH_KEY,
          ...credentials,
        }),
      ).toEqual([expect.stringMatching(/^DATABASE_URL: is required with Teams/)]);
    });

    it('accepts credentials, or the sandbox chosen explicitly', () => {
      const withCredentials = loadConfig({
        ...slackOnly,
        ...credentials,
        DATABASE_URL: 'postgres://db/x',
      });
      expect(withCredentials.genesys?.clientId).toBe('client-id');
      const sandbox = loadConfig({ ...slackOnly, ...DEPLOYED, GENESYS_SANDBOX: 'TRUE' });
      expect(sandbox.genesys).toBeUndefined();
      expect(sandbox.slack).toBeDefined();
    });

    it('refuses GENESYS_SANDBOX together with credentials', () => {
      expect(problemsOf({ ...slackOnly, ...credentials, ...DEPLOYED })).toEqual([
        expect.stringMatching(/^GENESYS_SANDBOX: contradicts GENESYS_CLIENT_ID/),
      ]);
    });

    it('leaves the local trial as it was: nothing set is valid', () => {
      expect(loadConfig({}).genesys).toBeUndefined();
      expect(loadConfig({ GENESYS_SANDBOX: 'false' }).databaseUrl).toBeUndefined();
    });
  });

  it('lists every problem at once, in variable order, each naming its variable', () => {
    const env = {
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      GENESYS_CLIENT_ID: 'id',
      GENESYS_REGION: 'mars',
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: TEAMS_PASSWORD,
    };
    let thrown: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.name).toBe('ConfigError');
    expect(error.problems.map((problem) => problem.slice(0, problem.indexOf(':')))).toEqual([
      'PORT',
      'DATABASE_URL',
      'LOG_LEVEL',
      'GENESYS_CLIENT_SECRET',
      'GENESYS_REGION',
      'RECORD_HASH_KEY',
      'SLACK_BOT_TOKEN',
      'MICROSOFT_APP_TENANT_ID',
      'TEAMS_APPROVERS',
    ]);
    expect(error.message).toMatch(/^Configuration is invalid \(9 problems\):\n {2}- PORT: /);
    for (const problem of error.problems) expect(error.message).toContain(problem);
    for (const secret of [SLACK_SECRET, TEAMS_PASSWORD]) {
      expect(error.message).not.toContain(secret);
    }
  });
});

describe('describeConfig', () => {
  it('redacts every secret and the database password, keeping the rest', () => {
    const config = loadConfig({
      ...SLACK_ON,
      GENESYS_SANDBOX: undefined,
      DATABASE_URL: 'postgres://bot:db-password-value@db:5432/offboarding',
      GENESYS_CLIENT_ID: 'client-id',
      GENESYS_CLIENT_SECRET: GENESYS_SECRET,
      GENESYS_REGION: 'eu_west_1',
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: TEAMS_PASSWORD,
      TEAMS_APPROVERS: 'ada@example.com',
      METRICS_TOKEN: METRICS_TOKEN,
    });
    expect(config.metricsToken).toBe(METRICS_TOKEN);
    const described = describeConfig(config);
    const text = JSON.stringify(described);
    expect(described.metricsToken).toBe('[redacted]');
    for (const secret of [
      METRICS_TOKEN,
      GENESYS_SECRET,
      SLACK_SECRET,
      SLACK_TOKEN,
      TEAMS_PASSWORD,
      'db-password',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(described).toMatchObject({
      port: 3000,
      databaseUrl: 'postgres://bot:[redacted]@db:5432/offboarding',
      genesys: { clientId: 'client-id', clientSecret: '[redacted]', region: 'mypurecloud.ie' },
      slack: { signingSecret: '[redacted]', botToken: '[redacted]', approvers: ['U012ABCDEF'] },
      teams: { appId: APP_ID, appPassword: '[redacted]' },
    });
  });

  it('shows unset parts as undefined rather than redacted', () => {
    const described = describeConfig(
      loadConfig({
        ...DEPLOYED,
        DATABASE_URL: 'postgres://db.internal/offboarding',
        TEAMS_ALLOW_UNAUTHENTICATED: 'true',
        TEAMS_APPROVERS: APP_ID,
      }),
    );
    expect(described).toMatchObject({
      databaseUrl: 'postgres://db.internal/offboarding',
      genesys: undefined,
      slack: undefined,
    });
    expect(described.teams).toMatchObject({ appPassword: undefined });
  });

  it('names the embedded database and its directory when DATABASE_URL is unset, in the log too', () => {
    const described = describeConfig(loadConfig({ EMBEDDED_DATA_DIR: '/srv/trial/db' }));
    expect(described.databaseUrl).toBe('(embedded, /srv/trial/db)');
    expect(describeConfig(loadConfig({})).databaseUrl).toBe('(embedded, .data/db)');

    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line) => lines.push(line) },
    });
    logger.info({ config: described }, 'starting');
    const logged = JSON.parse(lines[0] ?? '{}') as { config: { databaseUrl: string } };
    expect(logged.config.databaseUrl).toBe('(embedded, /srv/trial/db)');
  });

  it('still hides a database URL that does not parse, even one that looks like the label', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line) => lines.push(line) },
    });
    logger.info({ databaseUrl: 'postgres://u:secret-pw@(host' }, 'x');
    logger.info({ databaseUrl: '(embedded, x) postgres://u:secret-pw@h' }, 'x');
    expect(lines.join('')).not.toContain('secret-pw');
  });
});
