// Turns whatever the Genesys SDK rejects with into one typed error.
//
// What the SDK (purecloud-platform-client-v2 262) rejects with, as read in its ApiClient:
// - an API call with `setReturnExtendedResponses(true)` and an HTTP answer: a plain object
//   `{ status, statusText, headers, body, text, error }` where `error` is the AxiosError;
// - an API call without an HTTP answer (reset, refused, timeout): the AxiosError itself;
// - `loginClientCredentialsGrant`: always the raw AxiosError (never the extended shape);
// - a missing required argument (e.g. an empty user id): a thrown *string*, synchronously.
// AxiosErrors carry `config.headers.Authorization` (the bearer token, or Basic base64(id:secret)
// on login), so they are never kept as `cause` as they are: a structured logger would print them.

export type GenesysErrorCode = string;

export interface GenesysErrorInit {
  message: string;
  code: GenesysErrorCode;
  status: number | undefined;
  correlationId: string | undefined;
  retryable: boolean;
  genesysMessage: string | undefined;
  operation: string;
  method: string;
  path: string;
  retryAfterMs?: number | undefined;
  attempts?: number;
  cause?: unknown;
}

export class GenesysError extends Error {
  override readonly name = 'GenesysError';
  /** Genesys's own code (`not.found`, `bad.request`...), or `network.error` / `timeout`. */
  readonly code: GenesysErrorCode;
  /** HTTP status; undefined when no answer came back. */
  readonly status: number | undefined;
  /** The `ININ-Correlation-Id` of the answer: quote it to Genesys support. */
  readonly correlationId: string | undefined;
  /** True when trying again later may succeed (429, 5xx, transport errors, version conflicts). */
  readonly retryable: boolean;
  readonly genesysMessage: string | undefined;
  /** The client method that failed (`softDeleteUser`, `login`...). */
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  /** Set on a 429 whose `Retry-After` was longer than the client agreed to wait in-process. */
  readonly retryAfterMs: number | undefined;
  /** Attempts made before giving up. */
  readonly attempts: number;

  constructor(init: GenesysErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.correlationId = init.correlationId;
    this.retryable = init.retryable;
    this.genesysMessage = init.genesysMessage;
    this.operation = init.operation;
    this.method = init.method;
    this.path = init.path;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }
}

export function isGenesysError(error: unknown): error is GenesysError {
  return error instanceof GenesysError;
}

/**
 * The part of a failed SDK call worth keeping: no request config, so no Authorization header.
 * Kept as `cause` so the original transport error stays inspectable.
 */
export class GenesysSdkFailure extends Error {
  override readonly name: string;
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly body: unknown;

  constructor(init: {
    name: string;
    message: string;
    code?: string;
    status?: number;
    body?: unknown;
  }) {
    super(init.message);
    this.name = init.name;
    this.code = init.code;
    this.status = init.status;
    this.body = init.body;
  }
}

export interface ErrorContext {
  operation: string;
  method: string;
  path: string;
  /** Strings that must never reach a message (client secret, tokens). */
  redact: (text: string) => string;
}

interface HttpFailure {
  status: number;
  headers: unknown;
  body: unknown;
  transport: unknown;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * What an SDK rejection says, ready to build the one `GenesysError` a call ends with once its
 * retries are decided (`attempts`, a message suffix). A `GenesysError` passes through as it was.
 */
export function describeSdkFailure(raw: unknown, context: ErrorContext): GenesysErrorInit {
  if (raw instanceof GenesysError) return initOf(raw);
  const http = asHttpFailure(raw);
  if (http) return fromHttpFailure(http, context);
  if (typeof raw === 'string') {
    // The SDK validates required arguments by throwing a bare string.
    const message = context.redact(raw);
    return {
      message: `Genesys call ${context.method} ${context.path} was not sent: ${message}`,
      code: 'invalid.argument',
      status: undefined,
      correlationId: undefined,
      retryable: false,
      genesysMessage: undefined,
      operation: context.operation,
      method: context.method,
      path: context.path,
      cause: new GenesysSdkFailure({ name: 'SdkValidationError', message }),
    };
  }
  if (isTransportError(raw)) {
    const transportCode = stringProp(raw, 'code');
    const rawMessage = context.redact(stringProp(raw, 'message') ?? 'unknown transport error');
    const timedOut =
      (transportCode !== undefined && TIMEOUT_CODES.has(transportCode)) ||
      /timeout/i.test(rawMessage);
    const code = timedOut ? 'timeout' : 'network.error';
    return {
      message: timedOut
        ? `Genesys did not answer ${context.method} ${context.path} in time (timeout): ${rawMessage}`
        : `Genesys call ${context.method} ${context.path} failed (network.error): ${rawMessage}${
            transportCode && !rawMessage.includes(transportCode) ? ` [${transportCode}]` : ''
          }`,
      code,
      status: undefined,
      correlationId: undefined,
      retryable: true,
      genesysMessage: undefined,
      operation: context.operation,
      method: context.method,
      path: context.path,
      cause: new GenesysSdkFailure({
        name: stringProp(raw, 'name') ?? 'Error',
        message: rawMessage,
        ...(transportCode === undefined ? {} : { code: transportCode }),
      }),
    };
  }
  // Anything else is a bug on our side or in the SDK: retrying will not help.
  const rawMessage = context.redact(
    raw instanceof Error ? raw.message : safeString(raw) || 'unknown error',
  );
  return {
    message: `Genesys call ${context.method} ${context.path} failed: ${rawMessage}`,
    code: 'unknown.error',
    status: undefined,
    correlationId: undefined,
    retryable: false,
    genesysMessage: undefined,
    operation: context.operation,
    method: context.method,
    path: context.path,
    cause: new GenesysSdkFailure({
      name: raw instanceof Error ? raw.name : 'Error',
      message: rawMessage,
    }),
  };
}

function fromHttpFailure(failure: HttpFailure, context: ErrorContext): GenesysErrorInit {
  const { status, body } = failure;
  const correlationId =
    headerValue(failure.headers, 'inin-correlation-id') ?? stringProp(body, 'contextId');
  // Platform API errors are {message, code, status, contextId...}; the OAuth endpoint answers
  // {error, error_description} like any OAuth 2 server.
  const code =
    stringProp(body, 'code') ?? stringProp(body, 'error') ?? defaultCodeForStatus(status);
  const rawGenesysMessage =
    stringProp(body, 'message') ??
    stringProp(body, 'error_description') ??
    stringProp(body, 'description') ??
    (typeof body === 'string' && body.length > 0 ? body.slice(0, 300) : undefined);
  const genesysMessage =
    rawGenesysMessage === undefined ? undefined : context.redact(rawGenesysMessage);
  const retryAfterSeconds = parseRetryAfter(headerValue(failure.headers, 'retry-after'));
  const transportName = stringProp(failure.transport, 'name') ?? 'HttpError';
  const transportMessage = stringProp(failure.transport, 'message');
  return {
    message: `Genesys refused ${context.method} ${context.path}: ${status} ${code}${
      genesysMessage ? `: ${genesysMessage}` : ''
    }`,
    code,
    status,
    correlationId,
    retryable: status === 429 || status >= 500,
    genesysMessage,
    operation: context.operation,
    method: context.method,
    path: context.path,
    retryAfterMs: retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000,
    cause: new GenesysSdkFailure({
      name: transportName,
      message: context.redact(transportMessage ?? `HTTP ${status}`),
      status,
      body: redactBody(body, context.redact),
    }),
  };
}

function initOf(error: GenesysError): GenesysErrorInit {
  return {
    message: error.message,
    code: error.code,
    status: error.status,
    correlationId: error.correlationId,
    retryable: error.retryable,
    genesysMessage: error.genesysMessage,
    operation: error.operation,
    method: error.method,
    path: error.path,
    retryAfterMs: error.retryAfterMs,
    attempts: error.attempts,
    cause: error.cause,
  };
}

/** Both the extended-response rejection and an AxiosError that carries a response. */
function asHttpFailure(raw: unknown): HttpFailure | undefined {
  if (!isObject(raw)) return undefined;
  if (typeof raw.status === 'number' && 'headers' in raw && 'body' in raw) {
    return { status: raw.status, headers: raw.headers, body: raw.body, transport: raw.error };
  }
  const response = raw.response;
  if (isObject(response) && typeof response.status === 'number') {
    return {
      status: response.status,
      headers: response.headers,
      body: response.data,
      transport: raw,
    };
  }
  return undefined;
}

function isTransportError(raw: unknown): boolean {
  if (!isObject(raw)) return false;
  if (raw.isAxiosError === true) return true;
  const code = raw.code;
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code);
}

function defaultCodeForStatus(status: number): string {
  if (status === 400) return 'bad.request';
  if (status === 401) return 'authentication.required';
  if (status === 403) return 'missing.permissions';
  if (status === 404) return 'not.found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'too.many.requests';
  if (status >= 500) return 'server.error';
  return `http.${status}`;
}

/** `Retry-After` in seconds (Genesys sends seconds; an HTTP date is accepted too). */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** Reads a header from a plain object or an AxiosHeaders instance, case-insensitively. */
export function headerValue(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lower) continue;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return undefined;
}

function redactBody(body: unknown, redact: (text: string) => string): unknown {
  if (body === undefined || body === null) return body;
  try {
    return JSON.parse(redact(JSON.stringify(body)));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringProp(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const found = value[key];
  return typeof found === 'string' && found.length > 0 ? found : undefined;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}
