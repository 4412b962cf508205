import { z } from 'zod';
import { resolveRegionHost } from './genesys/regions.js';
import { GDPR_MODES } from './genesys/types.js';
import { embeddedDatabaseLabel, withoutPassword } from './logger.js';
import { parseTimeOfDay } from './offboarding/schedule.js';

// The configuration is one zod schema: FIELDS reads and checks each variable with zod's own
// primitives, and CONFIG shapes them into the Config the app uses, whose type is derived from it.

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly problems: string[];

  constructor(problems: string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`Configuration is invalid (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const REDACTED = '[redacted]';

/** Config with secrets replaced by '[redacted]', safe to log at start. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    databaseUrl:
      config.databaseUrl === undefined
        ? embeddedDatabaseLabel(config.embeddedDataDir)
        : withoutPassword(config.databaseUrl),
    genesys: config.genesys && { ...config.genesys, clientSecret: REDACTED },
    slack: config.slack && { ...config.slack, signingSecret: REDACTED, botToken: REDACTED },
    metricsToken: config.metricsToken === undefined ? undefined : REDACTED,
    privacy: {
      ...config.privacy,
      recordHashKey: config.privacy.recordHashKey === undefined ? undefined : REDACTED,
    },
    teams: config.teams && {
      ...config.teams,
      // Unset stays visible as undefined: "no password" is a useful thing to see in a start log.
      appPassword: config.teams.appPassword === undefined ? undefined : REDACTED,
    },
  };
}

/**
 * Whether this configuration is the local trial: no chat platform and no Genesys credentials,
 * so the bot serves the playground page against the Genesys sandbox.
 */
export function servesPlayground(config: Pick<Config, 'genesys' | 'slack' | 'teams'>): boolean {
  return config.genesys === undefined && config.slack === undefined && config.teams === undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading one variable. Each schema takes the trimmed value (undefined when unset or empty, which
// gives the default) and rejects with a message that says what is wrong and how to fix it; the
// variable name is added by loadConfig. Messages quote a value only for variables that never
// hold a secret.
// ---------------------------------------------------------------------------------------------

const quote = (value: unknown): string => JSON.stringify(String(value));

/** A zod error option whose message starts with the (quoted) value that was refused. */
const refusing = (problem: string) => ({
  error: (issue: { input?: unknown }) => `${quote(issue.input)} ${problem}`,
});

function integer(options: { min: number; max?: number; hint: string }) {
  const invalid = refusing(`is not valid; ${options.hint}`);
  return z
    .string()
    .regex(/^\d+$/, invalid)
    .transform(Number)
    .pipe(
      z
        .int(invalid)
        .min(options.min, invalid)
        .max(options.max ?? Number.MAX_SAFE_INTEGER, invalid),
    );
}

/**
 * Hours as a decimal number, so trials and tests can wait seconds (0.01 h = 36 s), at most ten
 * years. `above` excludes the minimum itself (a period of 0 would repeat without end).
 */
function hours(options: { min: number; above?: boolean; max?: number; hint: string }) {
  const invalid = refusing(`is not valid; ${options.hint}`);
  const atLeast = z.number(invalid);
  return z
    .string()
    .regex(/^(\d+(\.\d*)?|\.\d+)$/, invalid)
    .transform(Number)
    .pipe(
      (options.above ? atLeast.gt(options.min, invalid) : atLeast.min(options.min, invalid)).max(
        options.max ?? 24 * 366 * 10,
        invalid,
      ),
    );
}

/** `HH:MM` on a 24-hour clock, given back as `HH:MM`. */
function timeOfDay(hint: string) {
  return z.string().transform((value, ctx) => {
    const time = parseTimeOfDay(value);
    if (time)
      return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
    ctx.addIssue({ code: 'custom', message: `${quote(value)} is not a time of day; ${hint}` });
    return z.NEVER;
  });
}

/** A positive number of days; fractions allowed (0.5 is twelve hours). */
const days = (hint: string) => {
  const invalid = refusing(`is not valid; ${hint}`);
  return z
    .string()
    .regex(/^\d+(\.\d+)?$|^\.\d+$/, invalid)
    .transform(Number)
    .pipe(z.number(invalid).positive(invalid));
};

/** Shortest RECORD_HASH_KEY accepted: a key anyone could guess would let them test emails. */
const RECORD_HASH_KEY_MIN_LENGTH = 32;
const RECORD_HASH_KEY_HINT = 'generate one with `openssl rand -hex 32` and keep it for good';

const boolean = () =>
  z.stringbool({
    truthy: ['true', '1', 'yes'],
    falsy: ['false', '0', 'no'],
    case: 'insensitive',
    ...refusing('is not a boolean; use true or false (or 1/0, yes/no)'),
  });

/** One of `choices`, matched ignoring case and given back as spelt in `choices`. */
function oneOf<const T extends readonly [string, ...string[]]>(choices: T) {
  return z
    .string()
    .transform((value) => choices.find((c) => c.toLowerCase() === value.toLowerCase()) ?? value)
    .pipe(z.enum(choices, refusing(`is not allowed; use one of ${choices.join(', ')}`)));
}

const HTTP = /^https?$/;

const httpUrl = (hint: string) =>
  z.url({ protocol: HTTP, ...refusing(`is not an http(s) URL; ${hint}`) });

/** Comma-separated IDs; unset, or only commas, reads as undefined. */
function idList(options: { pattern: RegExp; normalize?: (id: string) => string; hint: string }) {
  return z.string().transform((value, ctx) => {
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (entries.length === 0) return undefined;
    const invalid = entries.filter((entry) => !options.pattern.test(entry));
    if (invalid.length > 0) {
      const list = invalid.map(quote).join(', ');
      const verb = invalid.length === 1 ? 'is' : 'are';
      ctx.addIssue({ code: 'custom', message: `${list} ${verb} not valid; ${options.hint}` });
      return z.NEVER;
    }
    const normalize = options.normalize ?? ((id: string) => id);
    return [...new Set(entries.map(normalize))];
  });
}

const SLACK_USER_ID = /^[UWS][A-Z0-9]+$/;
const SLACK_CHANNEL_ID = /^[CGD][A-Z0-9]+$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

const SLACK_ID_HINT =
  'use comma-separated Slack user IDs like U012ABCDEF (profile → ⋮ → Copy member ID) or user group IDs like S012ABCDEF';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;

const REGION_EXAMPLES = 'use a region host like mypurecloud.ie or an SDK key like eu_west_1';

/** Always the region *host* (`mypurecloud.ie`), even when given as an SDK key (`eu_west_1`). */
const genesysRegion = z.string().transform((value, ctx) => {
  const host = resolveRegionHost(value);
  if (host !== undefined) return host;
  const hint = httpUrl('').safeParse(value).success
    ? ' (a full URL belongs in GENESYS_API_URL)'
    : '';
  ctx.addIssue({
    code: 'custom',
    message: `${quote(value)} is not a Genesys region; ${REGION_EXAMPLES}${hint}`,
  });
  return z.NEVER;
});

// The value may carry a password: the message never repeats it.
const databaseUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error:
    'is not a PostgreSQL URL; use postgres://user:password@host:5432/database, or unset it to use the embedded database',
});

const slackBotToken = z.string().startsWith('xoxb-', {
  error: (issue) => {
    // Naming a token's kind by its public prefix helps without revealing any of the secret part.
    const kind = /^(xox[a-z]|xapp)-/.exec(String(issue.input))?.[1];
    const seen = kind === undefined ? '' : ` (this is a ${kind}- token)`;
    return `must be a bot token starting with xoxb-${seen}; copy the Bot User OAuth Token from the Slack app's OAuth & Permissions page`;
  },
});

/** Every variable the app reads, in the order problems are reported. */
const FIELDS = {
  PORT: integer({
    min: 0,
    max: 65535,
    hint: 'use a port from 1 to 65535 (or 0 for any free port)',
  }).default(3000),
  /** postgres:// URL; unset means the app runs an embedded database. */
  DATABASE_URL: databaseUrl.optional(),
  /** Where the embedded database keeps its files when DATABASE_URL is unset. */
  EMBEDDED_DATA_DIR: z.string().default('.data/db'),
  LOG_LEVEL: oneOf(LOG_LEVELS).default('info'),
  NODE_ENV: z.string().optional(),
  MIGRATE_ON_START: boolean().default(true),
  REQUEST_EXPIRY_HOURS: hours({
    min: 1 / 3600,
    hint: 'use a number of hours of at least one second (0.0003), e.g. 168 for a week or 0.01 for 36 seconds',
  }).default(168),
  ERASURE_DELAY_HOURS: hours({
    min: 0,
    max: 24 * 365,
    hint: 'use hours from 0 (file the GDPR request at once) to 8760, fractions allowed, e.g. 72 or 0.01 (36 s)',
  }).optional(),
  APPROVALS_REQUIRED: integer({
    min: 1,
    max: 10,
    hint: 'use how many different approvers must approve, from 1 to 10, e.g. 2',
  }).default(1),
  APPROVAL_REMINDER_HOURS: hours({
    min: 0,
    above: true,
    hint: 'use a number of hours greater than 0, e.g. 24, or 0.01 (36 seconds) for a trial',
  }).default(24),
  /** The time of day `on YYYY-MM-DD` without `at` means, in the requester's time zone. */
  OFFBOARD_DEFAULT_TIME: timeOfDay('use HH:MM on a 24-hour clock, e.g. 18:00').default('18:00'),
  WORKFLOW_RETRY_BASE_SECONDS: integer({
    min: 1,
    hint: 'use a whole number of seconds, e.g. 15',
  }).default(15),
  WORKFLOW_RETRY_MAX_SECONDS: integer({
    min: 1,
    hint: 'use a whole number of seconds, e.g. 900',
  }).default(900),
  GENESYS_TIMEOUT_SECONDS: integer({
    min: 1,
    hint: 'use a whole number of seconds, e.g. 30',
  }).default(30),
  GENESYS_RATE_LIMIT_PER_MINUTE: integer({
    min: 1,
    hint: 'use the requests a minute Genesys allows one OAuth client token, e.g. 300 (the default)',
  }).default(300),
  /** Unset: one second's worth of GENESYS_RATE_LIMIT_PER_MINUTE (5 at the default 300). */
  GENESYS_RATE_LIMIT_BURST: integer({
    min: 1,
    hint: 'use the calls this instance may send at once after a quiet spell, e.g. 5, or unset it for one second of the rate limit',
  }).optional(),
  WORKFLOW_CONCURRENCY: integer({
    min: 1,
    hint: 'use a whole number of step workers per instance, e.g. 8',
  }).default(8),
  GENESYS_CLIENT_ID: z.string().optional(),
  GENESYS_CLIENT_SECRET: z.string().optional(),
  GENESYS_REGION: genesysRegion.optional(),
  GENESYS_API_URL: httpUrl(
    'use e.g. http://127.0.0.1:8080, or unset it to use GENESYS_REGION',
  ).optional(),
  GENESYS_SANDBOX: boolean().default(false),
  GDPR_MODE: oneOf(GDPR_MODES).default('delete'),
  GDPR_POLL_INTERVAL_SECONDS: integer({
    min: 1,
    hint: 'use a whole number of seconds greater than 0, e.g. 900',
  }).default(900),
  GDPR_INCLUDE_EMAIL: boolean().default(false),
  RECORD_RETENTION_DAYS: days(
    "use a number of days greater than 0 after which a finished request loses the leaver's details, e.g. 30 (fractions allowed: 0.5 is twelve hours)",
  ).default(30),
  // A secret: the message never repeats it.
  RECORD_HASH_KEY: z
    .string()
    .min(RECORD_HASH_KEY_MIN_LENGTH, {
      error: `is too short; use at least ${RECORD_HASH_KEY_MIN_LENGTH} characters (${RECORD_HASH_KEY_HINT})`,
    })
    .optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  /** Bearer token a scrape of GET /metrics must send; unset leaves /metrics open. */
  METRICS_TOKEN: z.string().optional(),
  SLACK_BOT_TOKEN: slackBotToken.optional(),
  /** Always ends with `/`, as the Slack WebClient's `slackApiUrl` expects. */
  SLACK_API_URL: httpUrl('use e.g. https://slack.com/api/ or unset it')
    .transform((url) => (url.endsWith('/') ? url : `${url}/`))
    .default('https://slack.com/api/'),
  /** User (U…/W…) or user group (S…) IDs. */
  SLACK_APPROVERS: idList({ pattern: SLACK_USER_ID, hint: SLACK_ID_HINT }).optional(),
  /** Unset: anyone may request. */
  SLACK_REQUESTERS: idList({
    pattern: SLACK_USER_ID,
    hint: `${SLACK_ID_HINT}, or unset it`,
  }).optional(),
  SLACK_NOTIFY_CHANNEL: z
    .string()
    .regex(
      SLACK_CHANNEL_ID,
      refusing(
        'is not a Slack channel ID; use the ID like C012ABCDEF (channel details → About), not the channel name',
      ),
    )
    .optional(),
  MICROSOFT_APP_ID: z
    .guid(
      refusing(
        "is not an app ID; use the Application (client) ID GUID of the bot's Entra app registration",
      ),
    )
    .optional(),
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  MICROSOFT_APP_TENANT_ID: z
    .string()
    .refine(
      (value) => GUID.test(value) || DOMAIN.test(value),
      refusing(
        "is not a tenant ID; use the Directory (tenant) ID GUID, or the tenant's domain like contoso.onmicrosoft.com",
      ),
    )
    .optional(),
  MICROSOFT_APP_TYPE: oneOf(APP_TYPES).default('MultiTenant'),
  /** Entra object IDs and UPNs, lower-cased so they compare as Entra does. */
  TEAMS_APPROVERS: idList({
    pattern: new RegExp(`${GUID.source}|${EMAIL.source}`, 'i'),
    normalize: (id) => id.toLowerCase(),
    hint: 'use comma-separated Entra object IDs (GUIDs) or user principal names like ada@example.com',
  }).optional(),
  TEAMS_NOTIFY_CONVERSATION_ID: z.string().optional(),
  TEAMS_ALLOW_UNAUTHENTICATED: boolean().default(false),
};

type VariableName = keyof typeof FIELDS;
type RawEnvironment = Record<VariableName, string | undefined>;

const VARIABLE_NAMES = Object.keys(FIELDS) as VariableName[];

/**
 * The variables, shaped as the app uses them. A feature is undefined unless every variable it
 * needs is set; crossVariableProblems reports a feature set up halfway, so loadConfig never
 * returns one silently switched off.
 */
const CONFIG = z.object(FIELDS).transform((env) => {
  const teamsOn = env.MICROSOFT_APP_ID !== undefined || env.TEAMS_ALLOW_UNAUTHENTICATED;
  return {
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    embeddedDataDir: env.EMBEDDED_DATA_DIR,
    logLevel: env.LOG_LEVEL,
    nodeEnv: env.NODE_ENV,
    migrateOnStart: env.MIGRATE_ON_START,
    ...(env.METRICS_TOKEN === undefined ? {} : { metricsToken: env.METRICS_TOKEN }),
    requestExpiryHours: env.REQUEST_EXPIRY_HOURS,
    /**
     * Grace period between the soft delete and the GDPR request, during which Undo restores.
     * Unset: 0, except in the local playground, which shows it with a short one (src/bot.ts).
     */
    erasureDelayHours: env.ERASURE_DELAY_HOURS,
    /** Several approvers and reminders (issue 14 parts 3 and 4). */
    approvals: {
      /** Distinct people (by email, across platforms) who must approve before the run starts. */
      required: env.APPROVALS_REQUIRED,
      /** A pending request reminds its approvers every this many hours (fractions allowed). */
      reminderHours: env.APPROVAL_REMINDER_HOURS,
    },
    privacy: {
      /** A final request keeps the leaver's details this long, then they are removed. */
      retentionDays: env.RECORD_RETENTION_DAYS,
      /**
       * Key of the HMAC-SHA256 of the leaver's email kept after redaction. Required with a chat
       * platform; the local trial makes one up and keeps it beside its embedded data.
       */
      recordHashKey: env.RECORD_HASH_KEY,
    },
    offboardDefaultTime: env.OFFBOARD_DEFAULT_TIME,
    /** Waits between tries of a step while Genesys is unavailable (capped exponential, jittered). */
    workflow: {
      retryBaseSeconds: env.WORKFLOW_RETRY_BASE_SECONDS,
      retryMaxSeconds: Math.max(env.WORKFLOW_RETRY_MAX_SECONDS, env.WORKFLOW_RETRY_BASE_SECONDS),
      /** Longest one Genesys HTTP call may take; a step's lease outlasts it (see runner.ts). */
      genesysTimeoutSeconds: env.GENESYS_TIMEOUT_SECONDS,
      /** Step and notification workers per instance: enough that the Genesys pace is the limit. */
      concurrency: env.WORKFLOW_CONCURRENCY,
      /** Client-side pace of this instance's Genesys token (each instance has its own). */
      genesysRateLimitPerMinute: env.GENESYS_RATE_LIMIT_PER_MINUTE,
      /** Calls the pacer lets go at once after a quiet spell; undefined: one second's worth. */
      ...(env.GENESYS_RATE_LIMIT_BURST === undefined
        ? {}
        : { genesysRateLimitBurst: env.GENESYS_RATE_LIMIT_BURST }),
    },
    /**
     * undefined when no credentials are set: the app then runs the sandbox emulator, which
     * validation allows only for the local trial (no chat platform) or with GENESYS_SANDBOX=true.
     */
    genesys:
      env.GENESYS_CLIENT_ID !== undefined && env.GENESYS_CLIENT_SECRET !== undefined
        ? {
            clientId: env.GENESYS_CLIENT_ID,
            clientSecret: env.GENESYS_CLIENT_SECRET,
            region: env.GENESYS_REGION,
            /** Replaces both the API and the login host (an emulator or a proxy). */
            apiUrl: env.GENESYS_API_URL,
          }
        : undefined,
    /** GENESYS_SANDBOX=true: the emulator serves a chat platform on purpose. */
    genesysSandbox: env.GENESYS_SANDBOX,
    gdpr: {
      mode: env.GDPR_MODE,
      pollIntervalSeconds: env.GDPR_POLL_INTERVAL_SECONDS,
      includeEmail: env.GDPR_INCLUDE_EMAIL,
    },
    slack:
      env.SLACK_SIGNING_SECRET !== undefined &&
      env.SLACK_BOT_TOKEN !== undefined &&
      env.SLACK_APPROVERS !== undefined
        ? {
            signingSecret: env.SLACK_SIGNING_SECRET,
            botToken: env.SLACK_BOT_TOKEN,
            apiUrl: env.SLACK_API_URL,
            approvers: env.SLACK_APPROVERS,
            requesters: env.SLACK_REQUESTERS,
            notifyChannel: env.SLACK_NOTIFY_CHANNEL,
          }
        : undefined,
    teams:
      teamsOn && env.TEAMS_APPROVERS !== undefined
        ? {
            appId: env.MICROSOFT_APP_ID,
            appPassword: env.MICROSOFT_APP_PASSWORD,
            tenantId: env.MICROSOFT_APP_TENANT_ID,
            appType: env.MICROSOFT_APP_TYPE,
            approvers: env.TEAMS_APPROVERS,
            notifyConversationId: env.TEAMS_NOTIFY_CONVERSATION_ID,
            allowUnauthenticated: env.TEAMS_ALLOW_UNAUTHENTICATED,
          }
        : undefined,
  };
});

export type Config = z.output<typeof CONFIG>;

function readRaw(env: NodeJS.ProcessEnv): RawEnvironment {
  const raw: Partial<RawEnvironment> = {};
  for (const name of VARIABLE_NAMES) {
    const trimmed = env[name]?.trim();
    raw[name] = trimmed === '' ? undefined : trimmed;
  }
  return raw as RawEnvironment;
}

/**
 * Rules that join variables. They look at what is set rather than at parsed values (except two
 * small enums), so they still run, and report, when another variable failed to parse.
 */
function crossVariableProblems(raw: RawEnvironment): string[] {
  const problems: string[] = [];
  const isSet = (name: VariableName) => raw[name] !== undefined;
  const requireTogether = (a: VariableName, b: VariableName, feature: string) => {
    if (isSet(a) === isSet(b)) return;
    const [given, missing] = isSet(a) ? [a, b] : [b, a];
    problems.push(
      `${missing}: is required because ${given} is set; set both to enable ${feature}, or neither to disable it`,
    );
  };

  requireTogether(
    'GENESYS_CLIENT_ID',
    'GENESYS_CLIENT_SECRET',
    'Genesys Cloud (unset: sandbox emulator)',
  );
  if (isSet('GENESYS_CLIENT_ID') && !isSet('GENESYS_REGION') && !isSet('GENESYS_API_URL')) {
    problems.push(
      `GENESYS_REGION: is required when Genesys credentials are set; ${REGION_EXAMPLES} (or set GENESYS_API_URL)`,
    );
  }

  const sandbox = FIELDS.GENESYS_SANDBOX.safeParse(raw.GENESYS_SANDBOX).data;
  if (sandbox === true && (isSet('GENESYS_CLIENT_ID') || isSet('GENESYS_CLIENT_SECRET'))) {
    problems.push(
      'GENESYS_SANDBOX: contradicts GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET, which select a real Genesys Cloud org; unset one or the other',
    );
  }

  requireTogether('SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'Slack');
  if (
    isSet('SLACK_SIGNING_SECRET') &&
    isSet('SLACK_BOT_TOKEN') &&
    !hasEntries(raw.SLACK_APPROVERS)
  ) {
    problems.push(
      `SLACK_APPROVERS: is required when Slack is enabled, or nobody could approve a request; ${SLACK_ID_HINT}`,
    );
  }

  const allowUnauthenticated = FIELDS.TEAMS_ALLOW_UNAUTHENTICATED.safeParse(
    raw.TEAMS_ALLOW_UNAUTHENTICATED,
  ).data;
  const appType = FIELDS.MICROSOFT_APP_TYPE.safeParse(raw.MICROSOFT_APP_TYPE).data;
  if (allowUnauthenticated === true && raw.NODE_ENV === 'production') {
    problems.push(
      'TEAMS_ALLOW_UNAUTHENTICATED: is refused when NODE_ENV=production; set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD instead',
    );
  }
  if (allowUnauthenticated === true && isSet('MICROSOFT_APP_ID')) {
    problems.push(
      'TEAMS_ALLOW_UNAUTHENTICATED: contradicts MICROSOFT_APP_ID, which turns authentication on; unset one of them',
    );
  }
  if (isSet('MICROSOFT_APP_ID')) {
    if (
      appType !== 'UserAssignedMSI' &&
      appType !== undefined &&
      !isSet('MICROSOFT_APP_PASSWORD')
    ) {
      problems.push(
        `MICROSOFT_APP_PASSWORD: is required for a ${appType} bot; use a client secret of the bot's Entra app registration`,
      );
    }
    if (
      (appType === 'SingleTenant' || appType === 'UserAssignedMSI') &&
      !isSet('MICROSOFT_APP_TENANT_ID')
    ) {
      problems.push(
        `MICROSOFT_APP_TENANT_ID: is required when MICROSOFT_APP_TYPE=${appType}; use the Directory (tenant) ID of the bot's Entra app registration`,
      );
    }
  } else if (isSet('MICROSOFT_APP_PASSWORD')) {
    problems.push(
      "MICROSOFT_APP_ID: is required because MICROSOFT_APP_PASSWORD is set; use the Application (client) ID of the bot's Entra app registration",
    );
  }
  const teamsOn = isSet('MICROSOFT_APP_ID') || allowUnauthenticated === true;
  if (teamsOn && !hasEntries(raw.TEAMS_APPROVERS)) {
    problems.push(
      'TEAMS_APPROVERS: is required when Teams is enabled, or nobody could approve a request; use comma-separated Entra object IDs or user principal names',
    );
  }

  const chatOn = teamsOn || isSet('SLACK_SIGNING_SECRET') || isSet('SLACK_BOT_TOKEN');
  if (chatOn) {
    problems.push(
      ...realDeploymentProblems({
        platform: teamsOn ? 'Teams' : 'Slack',
        genesysCredentials: isSet('GENESYS_CLIENT_ID') || isSet('GENESYS_CLIENT_SECRET'),
        genesysSandbox: sandbox === true,
        databaseUrl: isSet('DATABASE_URL'),
        recordHashKey: isSet('RECORD_HASH_KEY'),
      }),
    );
  }
  return problems;
}

/**
 * A chat platform means real people act on what the bot says: neither a made-up Genesys org nor
 * a database that vanishes with the disk may stand in for the real ones without being chosen.
 */
function realDeploymentProblems(setup: {
  platform: 'Slack' | 'Teams';
  genesysCredentials: boolean;
  genesysSandbox: boolean;
  databaseUrl: boolean;
  recordHashKey: boolean;
}): string[] {
  const problems: string[] = [];
  if (!setup.genesysCredentials && !setup.genesysSandbox) {
    problems.push(
      `GENESYS_CLIENT_ID: is required with ${setup.platform} configured; set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET to your Genesys Cloud OAuth client, or GENESYS_SANDBOX=true to run against the built-in emulator on purpose (nothing real is changed)`,
    );
  }
  if (!setup.databaseUrl) {
    problems.push(
      `DATABASE_URL: is required with ${setup.platform} configured; use postgres://user:password@host:5432/database (the embedded database is for the local trial only: it is lost with the disk and serves one instance)`,
    );
  }
  if (!setup.recordHashKey) {
    problems.push(
      `RECORD_HASH_KEY: is required with ${setup.platform} configured; it keys the hash of a leaver's email kept after their details are removed (${RECORD_HASH_KEY_HINT}; changing it later means earlier leavers are no longer recognised)`,
    );
  }
  return problems;
}

/**
 * The same rules on a built Config, for startBot: whoever assembles a Config by hand (tests,
 * tools) cannot start a chat platform on a silent sandbox or an embedded database either.
 */
export function assertDeployable(
  config: Config,
  options: { databaseProvided?: boolean } = {},
): void {
  const platform = config.teams ? 'Teams' : config.slack ? 'Slack' : undefined;
  if (!platform) return;
  const problems = realDeploymentProblems({
    platform,
    genesysCredentials: config.genesys !== undefined,
    genesysSandbox: config.genesysSandbox,
    // A database handed over by the caller (tests, benchmarks) is as deliberate as a URL.
    databaseUrl: config.databaseUrl !== undefined || options.databaseProvided === true,
    recordHashKey: config.privacy.recordHashKey !== undefined,
  });
  if (problems.length > 0) throw new ConfigError(problems);
}

function hasEntries(list: string | undefined): boolean {
  return list?.split(',').some((entry) => entry.trim() !== '') ?? false;
}

/** Problems in the order the variables are listed in FIELDS, so related ones sit together. */
function byVariableOrder(problems: string[]): string[] {
  const position = (problem: string) => {
    const index = VARIABLE_NAMES.indexOf(problem.slice(0, problem.indexOf(':')) as VariableName);
    return index === -1 ? VARIABLE_NAMES.length : index;
  };
  return [...problems].sort((a, b) => position(a) - position(b));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads, validates and freezes the configuration. Throws a ConfigError listing every problem at
 * once, so a deployment is fixed in one round rather than one variable per restart.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = readRaw(env);
  const parsed = CONFIG.safeParse(raw);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
  problems.push(...crossVariableProblems(raw));
  if (!parsed.success || problems.length > 0) throw new ConfigError(byVariableOrder(problems));
  return deepFreeze(parsed.data);
}
