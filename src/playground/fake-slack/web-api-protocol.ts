// Slack's Web API wire protocol, without any Slack state: every method is `POST /api/<method>`
// with a form-encoded body (the WebClient's default; nested values such as `blocks` arrive as JSON
// strings) or a JSON body, and the token in `Authorization: Bearer xoxb-…` (form bodies may carry
// `token=` instead). Answers are HTTP 200 with `{ ok: true, … }` or `{ ok: false, error }`, except
// rate limiting: HTTP 429 with `Retry-After` (the WebClient then sleeps that long before failing
// or retrying, unless created with `rejectRateLimitedCalls: true`).
//
// It also hosts response_url endpoints (`responseUrl(name)`), which Bolt's `respond()` POSTs JSON
// to. Like Slack, each accepts 5 posts and then answers 404 `used_url`.
//
// And the upload URLs files.getUploadURLExternal gives out (`/upload/v1/<file id>`): the WebClient's
// filesUploadV2 POSTs the bytes there (multipart/form-data, or a raw body), answered `OK - <length>`.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackApiCall {
  method: string;
  /** The arguments as Slack decodes them: form values are strings, JSON-valued ones are parsed. */
  args: Record<string, unknown>;
  token: string | undefined;
  at: Date;
  /** The error answered, or undefined for `ok: true` (and while the call is being answered). */
  error: string | undefined;
}

export interface ResponseUrlPost {
  name: string;
  body: unknown;
  at: Date;
}

/** A method's answer fields (without `ok`); throw a SlackApiError to answer `ok: false`. */
export type SlackMethod = (args: Record<string, unknown>) => Record<string, unknown>;

/** An answer given in a method's place: `ok: false` with `error` (429 for `ratelimited`). */
export interface CannedFailure {
  error: string;
  retryAfterSeconds: number;
}

/**
 * Seams for the test suite's controls (latency, fault injection, the call log); the playground
 * sets none.
 */
export interface WebApiHooks {
  /** Runs before any request (API call or response_url post) is handled. */
  beforeRequest?(): Promise<void>;
  /** Sees each API call as it arrives; the same object is completed when it is answered. */
  onCall?(call: SlackApiCall): void;
  /** May fail an authenticated call instead of running its method. */
  failureFor?(call: SlackApiCall): CannedFailure | undefined;
  /** Runs after any request was answered (which may have changed the workspace). */
  afterRequest?(): void;
}

/** The response_url posts and how often each URL was used, in plain JSON. */
export interface ResponseUrlState {
  posts: Array<{ name: string; body: unknown; at: string }>;
  uses: Array<[string, number]>;
}

export interface WebApiServerOptions {
  methods: Readonly<Record<string, SlackMethod>>;
  /** When set, only this token is accepted; otherwise any `xoxb-` token is. */
  botToken?: string | undefined;
  hooks?: WebApiHooks;
  /** Receives the bytes POSTed to an upload URL; false answers 404 (unknown or used URL). */
  receiveUpload?(fileId: string, content: Buffer): boolean;
  /** The bytes of a file's url_private_download; undefined answers 404. */
  downloadFile?(fileId: string): Buffer | undefined;
}

/** Thrown inside a method handler to answer `{ ok: false, error }` (plus any extra fields). */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

const RESPONSE_URL_PATH = '/response-url/';
/** Where upload URLs point, on this server: `<url>/upload/v1/<file id>`. */
export const UPLOAD_URL_PATH = '/upload/v1/';
/** Where files' url_private(_download) point: `<url>/files-pri/<file id>/…`, bot token only. */
export const FILE_DOWNLOAD_PATH = '/files-pri/';
/** Slack accepts up to 5 posts to one response_url (within 30 minutes). */
const RESPONSE_URL_MAX_USES = 5;
/** Arguments the WebClient JSON-encodes inside a form body, decoded as Slack decodes them. */
const JSON_ARGUMENTS = new Set(['blocks', 'attachments', 'metadata', 'view', 'unfurls', 'files']);

export class WebApiServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>/api/`: give it to Bolt as `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;

  private readonly recordedResponses: ResponseUrlPost[] = [];
  private readonly responseUrlUses = new Map<string, number>();
  private readonly hooks: WebApiHooks;

  private constructor(
    private readonly server: Server,
    private readonly options: WebApiServerOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.url}/api/`;
    this.hooks = options.hooks ?? {};
  }

  static async start(options: WebApiServerOptions): Promise<WebApiServer> {
    let api: WebApiServer | undefined;
    const server = createServer((request, response) => {
      // Requests cannot arrive before listen() resolved, so `api` is set by then.
      api?.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`fake Slack API failed: ${String(error)}`);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    api = new WebApiServer(server, options);
    return api;
  }

  /** A response_url on this server; what is POSTed there shows in `responses(name)`. */
  responseUrl(name: string): string {
    return `${this.url}${RESPONSE_URL_PATH}${encodeURIComponent(name)}`;
  }

  responses(name?: string): ResponseUrlPost[] {
    return this.recordedResponses.filter((post) => name === undefined || post.name === name);
  }

  /** Forgets the response_url posts seen so far. */
  forgetResponses(): void {
    this.recordedResponses.length = 0;
  }

  persistedResponses(): ResponseUrlState {
    return {
      posts: this.recordedResponses.map((post) => ({ ...post, at: post.at.toISOString() })),
      uses: [...this.responseUrlUses.entries()],
    };
  }

  restoreResponses(state: ResponseUrlState): void {
    this.recordedResponses.splice(
      0,
      this.recordedResponses.length,
      ...state.posts.map((post) => ({ ...post, at: new Date(post.at) })),
    );
    this.responseUrlUses.clear();
    for (const [name, uses] of state.uses) this.responseUrlUses.set(name, uses);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
    // Keep-alive sockets from the WebClient's fetch would otherwise hold close() open.
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const bytes = await readBody(request);
    const body = bytes.toString('utf8');
    await this.hooks.beforeRequest?.();
    if (request.method === 'POST' && url.pathname.startsWith(UPLOAD_URL_PATH)) {
      const fileId = decodeURIComponent(url.pathname.slice(UPLOAD_URL_PATH.length));
      await this.handleUpload(fileId, request, bytes, response);
    } else if (request.method === 'GET' && url.pathname.startsWith(FILE_DOWNLOAD_PATH)) {
      this.handleDownload(url, request, response);
    } else if (request.method === 'POST' && url.pathname.startsWith('/api/')) {
      this.handleApiCall(url, request, body, response);
    } else if (request.method === 'POST' && url.pathname.startsWith(RESPONSE_URL_PATH)) {
      const name = decodeURIComponent(url.pathname.slice(RESPONSE_URL_PATH.length));
      this.handleResponseUrl(name, request, body, response);
    } else {
      sendJson(response, 404, { ok: false, error: 'not_found' });
    }
    this.hooks.afterRequest?.();
  }

  private handleApiCall(
    url: URL,
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
  ) {
    const method = url.pathname.slice('/api/'.length);
    const call: SlackApiCall = {
      method,
      args: {},
      token: undefined,
      at: new Date(),
      error: undefined,
    };
    this.hooks.onCall?.(call);
    const answer = (status: number, payload: Record<string, unknown>, headers = {}) => {
      call.error = payload.ok === true ? undefined : String(payload.error);
      sendJson(response, status, payload, headers);
    };

    const contentType = request.headers['content-type'] ?? '';
    let args: Record<string, unknown>;
    try {
      args = { ...Object.fromEntries(url.searchParams), ...decodeArguments(contentType, body) };
    } catch (error) {
      if (error instanceof SlackApiError) return answer(200, { ok: false, error: error.error });
      throw error;
    }
    const headerToken = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const { token: argumentToken, ...argsWithoutToken } = args;
    call.args = argsWithoutToken;
    call.token = headerToken ?? (typeof argumentToken === 'string' ? argumentToken : undefined);

    if (call.token === undefined) return answer(200, { ok: false, error: 'not_authed' });
    const tokenValid = this.options.botToken
      ? call.token === this.options.botToken
      : call.token.startsWith('xoxb-');
    if (!tokenValid) return answer(200, { ok: false, error: 'invalid_auth' });

    const failure = this.hooks.failureFor?.(call);
    if (failure?.error === 'ratelimited') {
      return answer(
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(failure.retryAfterSeconds) },
      );
    }
    if (failure) return answer(200, { ok: false, error: failure.error });

    // hasOwn: a method named like an Object.prototype member (toString) is unknown, not callable.
    const methods = this.options.methods;
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (handler === undefined) return answer(200, { ok: false, error: 'unknown_method' });
    try {
      return answer(200, { ok: true, ...handler(call.args) });
    } catch (error) {
      if (error instanceof SlackApiError) {
        return answer(200, { ok: false, error: error.error, ...error.extra });
      }
      throw error;
    }
  }

  private async handleUpload(
    fileId: string,
    request: IncomingMessage,
    bytes: Buffer,
    response: ServerResponse,
  ): Promise<void> {
    const contentType = request.headers['content-type'] ?? '';
    let content = bytes;
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(bytes), {
        headers: { 'content-type': contentType },
      }).formData();
      const file = [...form.values()].find((value) => typeof value !== 'string');
      if (file === undefined || typeof file === 'string') {
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end('no file in the form');
        return;
      }
      content = Buffer.from(await file.arrayBuffer());
    }
    if (!this.options.receiveUpload?.(fileId, content)) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(`OK - ${content.length}`);
  }

  /** Like Slack, a private file needs the token in the Authorization header. */
  private handleDownload(url: URL, request: IncomingMessage, response: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const tokenValid =
      token !== undefined &&
      (this.options.botToken ? token === this.options.botToken : token.startsWith('xoxb-'));
    const fileId = decodeURIComponent(
      url.pathname.slice(FILE_DOWNLOAD_PATH.length).split('/')[0] ?? '',
    );
    const content = tokenValid ? this.options.downloadFile?.(fileId) : undefined;
    if (content === undefined) {
      // Slack answers a login page, not the file, to a request without a valid token.
      response.writeHead(tokenValid ? 404 : 302, tokenValid ? {} : { location: '/signin' });
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    response.end(content);
  }

  private handleResponseUrl(
    name: string,
    request: IncomingMessage,
    body: string,
    response: ServerResponse,
  ) {
    const uses = (this.responseUrlUses.get(name) ?? 0) + 1;
    this.responseUrlUses.set(name, uses);
    if (uses > RESPONSE_URL_MAX_USES) {
      return sendJson(response, 404, { ok: false, error: 'used_url' });
    }
    let parsed: unknown;
    try {
      parsed = decodeArguments(request.headers['content-type'] ?? 'application/json', body);
    } catch {
      return sendJson(response, 400, { ok: false, error: 'invalid_payload' });
    }
    this.recordedResponses.push({ name, body: parsed, at: new Date() });
    return sendJson(response, 200, { ok: true });
  }
}

function decodeArguments(contentType: string, body: string): Record<string, unknown> {
  if (body === '') return {};
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(body);
    if (!isRecord(parsed)) throw new SlackApiError('invalid_json');
    return parsed;
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const args: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(body)) {
      args[key] = JSON_ARGUMENTS.has(key) ? parseJsonArgument(key, value) : value;
    }
    return args;
  }
  throw new SlackApiError('invalid_form_data');
}

function parseJsonArgument(key: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new SlackApiError(key === 'blocks' ? 'invalid_blocks_format' : `invalid_${key}`);
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function sendJson(
  response: ServerResponse,
  status: number,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(payload));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
