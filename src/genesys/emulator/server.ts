import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CLIENTS } from './access-tokens.js';
import { ApiError, errorBody } from './api-error.js';
import { EmulatorState } from './emulator-state.js';
import type { TerminalFault } from './faults.js';
import {
  CORRELATION_HEADER,
  type DecodedBody,
  decodeBody,
  readBody,
  recordableBody,
  sendJson,
} from './http-io.js';
import { matchRoute, type Route, type RouteResult } from './router.js';
import { controlRoutes } from './routes/control-routes.js';
import { gdprRoutes } from './routes/gdpr-routes.js';
import { oauthRoutes } from './routes/oauth-routes.js';
import { organizationRoutes } from './routes/organization-routes.js';
import { tokenRoutes } from './routes/token-routes.js';
import { userRoutes } from './routes/user-routes.js';
import type { EmulatorOptions, RecordedCall, RunningEmulator } from './types.js';

const CONTROL_PREFIX = '/__emulator/';

interface Incoming {
  req: IncomingMessage;
  method: string;
  url: URL;
  body: DecodedBody;
  correlationId: string;
}

function faultError(fault: Extract<TerminalFault, { kind: 'status' }>): ApiError {
  // Clients are expected to honour Retry-After on every 429, injected ones included.
  const headers: Record<string, string> = fault.status === 429 ? { 'Retry-After': '1' } : {};
  return new ApiError(fault.status, fault.code, fault.message, headers);
}

function bearerToken(req: IncomingMessage): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) {
    throw new ApiError(
      401,
      'authentication.required',
      'No authentication bearer token specified in authorization header.',
    );
  }
  return match[1];
}

function sendError(res: ServerResponse, error: unknown, correlationId: string): number {
  const apiError = error instanceof ApiError ? error : new ApiError(500);
  if (!(error instanceof ApiError)) {
    process.stderr.write(`genesys emulator: unexpected error: ${String(error)}\n`);
  }
  const body = errorBody(apiError.status, apiError.code, apiError.message, correlationId);
  sendJson(res, apiError.status, body, apiError.headers);
  return apiError.status;
}

export async function startGenesysEmulator(
  options: EmulatorOptions = {},
): Promise<RunningEmulator> {
  const state = new EmulatorState(options);
  const lifetime = new AbortController();
  const loginRoutes = oauthRoutes(state);
  const apiRoutes: Route[] = [
    ...userRoutes(state),
    ...tokenRoutes(state),
    ...gdprRoutes(state),
    ...organizationRoutes(state),
  ];
  const adminRoutes = controlRoutes(state);

  async function dispatch(incoming: Incoming): Promise<RouteResult> {
    const { method, url, req } = incoming;
    const context = {
      method,
      pathname: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: incoming.body,
      correlationId: incoming.correlationId,
    };
    if (url.pathname === '/oauth/token') {
      const { route, params } = matchRoute(loginRoutes, method, url.pathname);
      return route.handle({ ...context, params, clientId: '' });
    }
    if (!url.pathname.startsWith('/api/v2/')) throw new ApiError(404);
    const token = bearerToken(req);
    const clientId = state.tokens.verify(token);
    if (!clientId) throw new ApiError(401, 'bad.credentials', 'Invalid login credentials.');
    const decision = state.rateLimiter.take(token);
    if (!decision.allowed) {
      const seconds = decision.retryAfterSeconds;
      throw new ApiError(
        429,
        'too.many.requests.retry.after',
        `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`,
        { 'Retry-After': String(seconds) },
      );
    }
    const { route, params } = matchRoute(apiRoutes, method, url.pathname);
    return route.handle({ ...context, params, clientId });
  }

  async function handleApi(incoming: Incoming, res: ServerResponse): Promise<number> {
    const plan = state.faults.plan(incoming.method, incoming.url.pathname);
    if (plan.delayMs > 0) await sleep(plan.delayMs, undefined, { signal: lifetime.signal });
    if (plan.terminal?.kind === 'reset') {
      incoming.req.socket.destroy();
      return 0;
    }
    if (plan.terminal?.kind === 'status') throw faultError(plan.terminal);
    const result = await dispatch(incoming);
    sendJson(res, result.status, result.body, result.headers);
    return result.status;
  }

  async function handleControl(incoming: Incoming, res: ServerResponse): Promise<void> {
    const { route, params } = matchRoute(adminRoutes, incoming.method, incoming.url.pathname);
    const result = await route.handle({
      method: incoming.method,
      pathname: incoming.url.pathname,
      params,
      query: incoming.url.searchParams,
      headers: incoming.req.headers,
      body: incoming.body,
      correlationId: incoming.correlationId,
      clientId: '',
    });
    sendJson(res, result.status, result.body, result.headers);
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const correlationId = randomUUID();
    const at = Date.now();
    res.setHeader(CORRELATION_HEADER, correlationId);
    const method = (req.method ?? 'GET').toUpperCase();
    let url: URL;
    try {
      // Concatenate origin-form targets: as a relative URL, '//x/y' would read as a host.
      const target = req.url ?? '/';
      url = target.startsWith('/')
        ? new URL(`http://emulator.invalid${target}`)
        : new URL(target, 'http://emulator.invalid');
    } catch {
      sendError(res, new ApiError(400), correlationId);
      return;
    }
    const isControl = url.pathname.startsWith(CONTROL_PREFIX);
    const call: RecordedCall = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      status: 0,
      at,
      correlationId,
    };
    try {
      let body: DecodedBody;
      try {
        body = decodeBody(await readBody(req), req.headers['content-type']);
      } catch (error) {
        // The rest of an oversized body is not worth reading: answer, then hang up.
        res.setHeader('Connection', 'close');
        throw error;
      }
      call.body = recordableBody(body);
      const incoming: Incoming = { req, method, url, body, correlationId };
      if (isControl) {
        await handleControl(incoming, res);
        return;
      }
      call.status = await handleApi(incoming, res);
    } catch (error) {
      if (lifetime.signal.aborted) {
        req.socket.destroy();
        return;
      }
      call.status = sendError(res, error, correlationId);
    }
    if (!isControl) state.calls.record({ ...call, status: res.headersSent ? call.status : 0 });
    options.onChange?.();
  }

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      process.stderr.write(`genesys emulator: request failed: ${String(error)}\n`);
      res.destroy();
    });
  });
  // Malformed HTTP must not take the emulator down; answer like any server would.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        lifetime.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    calls: () => state.calls.all(),
    clearCalls: () => state.calls.clear(),
    seedUsers: (users) => state.directory.seed(users),
    user(id) {
      const user = state.directory.get(id);
      return user ? structuredClone(user) : undefined;
    },
    gdprRequests: () => state.gdpr.snapshot(),
    tokenRevocations: () => state.tokenRevocations.map((revocation) => ({ ...revocation })),
    injectFault: (fault) => state.faults.add(fault),
    clearFaults: () => state.faults.clear(),
    setRateLimit: (limit) => state.rateLimiter.set(limit),
    failGdprRequest: (requestId) => state.gdpr.failRequest(requestId),
    failNextGdprRequests: (count) => state.gdpr.failNext(count),
    setGdprListOrder: (order) => state.gdpr.setListOrder(order),
    seedGdprRequests: (requests) =>
      state.gdpr
        .seed(requests, DEFAULT_CLIENTS[0]?.clientId ?? 'emulator-client')
        .map((record) => structuredClone(record)),
    revokeAllAccessTokens: () => state.tokens.revokeAll(),
    persistedState: () => state.persisted(),
    resetState: () => state.reset(),
  };
}
