import pino from 'pino';
import pinoPretty from 'pino-pretty';

export type Logger = pino.Logger;

export const SERVICE_NAME = 'genesys-offboarding-bot';

/** Keys whose value is a secret wherever they appear in a log record. */
const SECRET_KEYS = [
  'clientSecret',
  'client_secret',
  'signingSecret',
  'botToken',
  'appPassword',
  'password',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'authorization',
  'Authorization',
  'cookie',
];

/** Keys holding a connection URL: only the password inside is hidden, the host stays readable. */
const URL_KEYS = ['databaseUrl', 'connectionString'];

/**
 * Redaction paths do not recurse, so each key is listed at the depths a log record reaches in
 * practice: `{ token }`, `{ slack: { botToken } }`, `{ config: { slack: { botToken } } }`,
 * `{ req: { headers: { authorization } } }`.
 */
const MAX_DEPTH = 3;

function atEveryDepth(keys: string[]): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    for (let depth = 0; depth <= MAX_DEPTH; depth += 1) {
      paths.push([...Array<string>(depth).fill('*'), key].join('.'));
    }
  }
  return paths;
}

export const REDACTED_PATHS: readonly string[] = [
  ...atEveryDepth(SECRET_KEYS),
  ...atEveryDepth(URL_KEYS),
  'headers["x-slack-signature"]',
  'req.headers["x-slack-signature"]',
];

const REDACTED = '[redacted]';

/** What describeConfig shows for a database URL that is not set: no secret in it. */
const EMBEDDED_DATABASE_LABEL = /^\(embedded, [^)]*\)$/;

export function embeddedDatabaseLabel(dataDir: string): string {
  return `(embedded, ${dataDir.replace(/[()]/g, '')})`;
}

function censor(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1];
  if (key !== undefined && URL_KEYS.includes(key) && typeof value === 'string') {
    return EMBEDDED_DATABASE_LABEL.test(value) ? value : withoutPassword(value);
  }
  return REDACTED;
}

/** The URL with its password (if any) replaced, so a connection string can be logged. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    // Rebuilt by hand: assigning `parsed.password` would percent-encode the brackets.
    const { protocol, username, host, pathname, search, hash } = parsed;
    return `${protocol}//${username}:${REDACTED}@${host}${pathname}${search}${hash}`;
  } catch {
    return REDACTED;
  }
}

/**
 * A JSON logger on stdout (or `destination`) that hides secrets logged under known keys. With
 * `pretty` (a person at a terminal), the same records as readable lines instead of JSON.
 */
export function createLogger(options: {
  level: string;
  destination?: pino.DestinationStream;
  pretty?: boolean;
}): Logger {
  const loggerOptions: pino.LoggerOptions = {
    level: options.level,
    base: { service: SERVICE_NAME },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names read better than pino's numbers in a JSON line a person greps.
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACTED_PATHS], censor },
  };
  if (options.pretty) {
    // In this thread and synchronous: a crash's last lines are not lost in a worker's buffer.
    const readable = pinoPretty({
      sync: true,
      colorize: options.destination === undefined && pinoPretty.isColorSupported,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,service',
      ...(options.destination === undefined
        ? {}
        : { destination: options.destination as NodeJS.WritableStream }),
    });
    return pino(loggerOptions, readable);
  }
  return options.destination === undefined
    ? pino(loggerOptions)
    : pino(loggerOptions, options.destination);
}
