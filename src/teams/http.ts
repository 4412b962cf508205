import type http from 'node:http';
import type { CloudAdapter, Request, Response, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { bufferedBody } from '../http/server.js';

/** Bot Framework activities are small; a card with its data stays far below this. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * `POST /api/messages` as a plain node:http listener. CloudAdapter expects an Express-like
 * request with a parsed body and a response with status/header/send/end; this supplies both.
 * It answers 401 itself when authentication fails and the turn's invoke response otherwise.
 */
export function messagesListener(
  adapter: CloudAdapter,
  logic: (context: TurnContext) => Promise<void>,
  options: { authenticated: boolean; logger: Logger },
): http.RequestListener {
  return async (req, res) => {
    // botbuilder would refuse this too, but only after printing a stack trace to stderr; a
    // request without any token is the commonest probe, so it is answered here. Tokens that are
    // present are always checked by botbuilder.
    if (options.authenticated && !req.headers.authorization) {
      options.logger.debug('Teams request without a token refused');
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'a Bot Framework token is required' }));
      return;
    }
    const body = await readJsonObject(req);
    if (body === 'too_large' || body === 'invalid') {
      res.writeHead(body === 'too_large' ? 413 : 400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: body === 'too_large' ? 'body too large' : 'invalid JSON' }));
      return;
    }
    const request: Request = { body, headers: req.headers, method: req.method ?? 'POST' };
    await adapter.process(request, responseFor(res), logic);
  };
}

function responseFor(res: http.ServerResponse): Response {
  return {
    socket: res.socket,
    status: (code: number) => {
      res.statusCode = code;
    },
    header: (name: string, value: unknown) => {
      res.setHeader(name, String(value));
    },
    send: (body: unknown) => {
      const json = typeof body !== 'string';
      if (!res.headersSent) {
        res.setHeader('content-type', json ? 'application/json' : 'text/plain; charset=utf-8');
      }
      res.write(json ? JSON.stringify(body) : body);
    },
    end: () => {
      res.end();
    },
  };
}

async function readJsonObject(
  req: http.IncomingMessage,
): Promise<Record<string, unknown> | 'too_large' | 'invalid'> {
  // Inside our HTTP server the body was read (and capped) before this handler ran.
  let raw = bufferedBody(req);
  if (!raw) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return 'too_large';
      chunks.push(chunk as Buffer);
    }
    raw = Buffer.concat(chunks);
  }
  if (raw.length > MAX_BODY_BYTES) return 'too_large';
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
    return 'invalid';
  } catch {
    return 'invalid';
  }
}
