import type { Logger } from 'pino';

export type GenesysLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export const NOOP_LOGGER: GenesysLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as GenesysLogger;

type LogFields = Record<string, unknown>;

/**
 * A logger that adds `bindings` to every line, like pino's `child`, for loggers given as the four
 * methods only (the client's option allows that). Each line's own fields win.
 */
export function childLogger(logger: GenesysLogger, bindings: LogFields): GenesysLogger {
  const at =
    (level: keyof GenesysLogger) =>
    (fields: LogFields, message: string): void => {
      logger[level]({ ...bindings, ...fields }, message);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  } as unknown as GenesysLogger;
}

/** Milliseconds since `started` (a `performance.now()` reading), rounded for the log. */
export function elapsedMs(started: number): number {
  return Math.round(performance.now() - started);
}
