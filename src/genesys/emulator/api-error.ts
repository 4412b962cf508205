// Genesys answers every failure with the same ErrorBody shape; handlers throw ApiError and the
// server turns it into that body, so no handler can forget a field.

export interface ErrorBody {
  message: string;
  code: string;
  status: number;
  messageParams: Record<string, string>;
  contextId: string;
  details: never[];
  errors: never[];
}

/** Codes and messages the spec's x-inin-error-codes list for each status. */
const DEFAULTS: Record<number, { code: string; message: string }> = {
  400: {
    code: 'bad.request',
    message: 'The request could not be understood by the server due to malformed syntax.',
  },
  401: { code: 'bad.credentials', message: 'Invalid login credentials.' },
  403: {
    code: 'not.authorized',
    message: 'You are not authorized to perform the requested action.',
  },
  404: { code: 'not.found', message: 'The requested resource was not found.' },
  405: { code: 'method.not.allowed', message: 'HTTP 405 Method Not Allowed' },
  408: {
    code: 'client.timeout',
    message:
      'The client did not produce a request within the server timeout limit. This can be caused by a slow network connection and/or large payloads.',
  },
  409: {
    code: 'request.conflict',
    message: 'The request conflicts with the current state of the target resource.',
  },
  413: { code: 'request.entity.too.large', message: 'The request is over the size limit.' },
  415: {
    code: 'unsupported.media.type',
    message:
      'Unsupported Media Type - Unsupported or incorrect media type, such as an incorrect Content-Type value in the header.',
  },
  429: {
    code: 'too.many.requests.retry.after',
    message: 'Rate limit exceeded the maximum. Retry the request in [1] seconds',
  },
  500: {
    code: 'internal.server.error',
    message:
      'The server encountered an unexpected condition which prevented it from fulfilling the request.',
  },
  502: { code: 'bad.gateway', message: 'Bad Gateway' },
  503: {
    code: 'service.unavailable',
    message:
      'Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance).',
  },
  504: { code: 'request.timeout', message: 'The request timed out.' },
};

export function defaultErrorFor(status: number): { code: string; message: string } {
  return DEFAULTS[status] ?? { code: `http.${status}`, message: `HTTP ${status}` };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code?: string,
    message?: string,
    headers: Record<string, string> = {},
  ) {
    const fallback = defaultErrorFor(status);
    super(message ?? fallback.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code ?? fallback.code;
    this.headers = headers;
  }
}

export const badRequest = (message?: string, code = 'bad.request'): ApiError =>
  new ApiError(400, code, message);

export const notFound = (message?: string): ApiError => new ApiError(404, 'not.found', message);

export function invalidQueryParam(
  name: string,
  value: string,
  allowed: readonly string[],
): ApiError {
  return badRequest(
    `Value [${value}] is not valid for parameter [${name}]. Allowable values are: ${allowed.join(', ')}`,
    'invalid.query.param.value',
  );
}

export function invalidProperty(property: string, objectName: string): ApiError {
  return badRequest(
    `Value [${property}] is not a valid property for object [${objectName}]`,
    'invalid.property',
  );
}

export function invalidValue(
  value: unknown,
  fieldType: string,
  allowed: readonly string[],
): ApiError {
  return badRequest(
    `Value [${String(value)}] is not valid for field type [${fieldType}]. Allowable values are: ${allowed.join(', ')}`,
    'invalid.value',
  );
}

export function errorBody(
  status: number,
  code: string,
  message: string,
  contextId: string,
): ErrorBody {
  return { message, code, status, messageParams: {}, contextId, details: [], errors: [] };
}
