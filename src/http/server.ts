import http from 'node:http';
import type { Logger } from 'pino';

/** A route of our own server; `handle` answers the request fully. */
export interface Route {
  method: string;
  path: string;
  handle: http.RequestListener;
}

/**
 * One HTTP server for everything: Slack's `/slack/events` (Bolt's receiver as a request
 * listener), Teams' `/api/messages`, `/healthz`. Owning the server keeps the platforms
 * independent: each one only adds routes when it is configured.
 */
export function createHttpServer(
  routes: readonly Route[],
  logger: Logger,
  options: { maxBodyBytes?: number } = {},
): http.Server {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path && r.method === req.method);
    if (!route) {
      const known = routes.some((r) => r.path === path);
      res.writeHead(known ? 405 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: known ? 'method not allowed' : 'not found' }));
      return;
    }
    const handle = async () => {
      const body = await readCappedBody(req, maxBodyBytes);
      if (body === 'too_large') {
        logger.warn(
          { path, contentLength: req.headers['content-length'], limit: maxBodyBytes },
          'request body over the limit refused unread',
        );
        refuseTooLarge(req, res, maxBodyBytes);
        return;
      }
      // Bolt takes a request whose `rawBody` is set as already read, so the capped buffer is
      // what it verifies; the other handlers read it through bufferedBody().
      (req as BufferedRequest).rawBody = body;
      await route.handle(req, res);
    };
    handle().catch((error: unknown) => {
      logger.error({ err: error, path }, 'request handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error' }));
    });
  });
}

/**
 * Slack's payloads stay under a few kB and Bot Framework activities far under 1 MB, while Bolt
 * buffers a body of any size before it checks the signature: the cap applies before any handler.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

type BufferedRequest = http.IncomingMessage & { rawBody?: Buffer };

/** The body the server read (within the cap) for this request; undefined outside the server. */
export function bufferedBody(req: http.IncomingMessage): Buffer | undefined {
  const raw = (req as BufferedRequest).rawBody;
  return Buffer.isBuffer(raw) ? raw : undefined;
}

/**
 * Reads at most `limit` bytes. A declared Content-Length over the limit is refused before a
 * byte is read; a chunked body is refused as soon as it passes the limit.
 */
async function readCappedBody(
  req: http.IncomingMessage,
  limit: number,
): Promise<Buffer | 'too_large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return 'too_large';
  // Listeners rather than `for await`: leaving a for-await early destroys the request, and the
  // socket with it, before the 413 could be written.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        req.pause();
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => {
      stop();
      reject(
        Object.assign(new Error('the client closed the request before its end'), {
          code: 'REQUEST_ABORTED',
        }),
      );
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}

function refuseTooLarge(req: http.IncomingMessage, res: http.ServerResponse, limit: number): void {
  // Stop reading: the rest of the body is never buffered. The connection cannot carry another
  // request after an unread body, so it is closed once the answer is out.
  req.pause();
  const socket = req.socket;
  res.once('finish', () => socket?.destroy());
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ error: `body too large; the limit is ${limit} bytes` }));
}

export function healthRoute(isHealthy: () => Promise<boolean>): Route {
  return {
    method: 'GET',
    path: '/healthz',
    handle: async (_req, res) => {
      const ok = await isHealthy().catch(() => false);
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'database unavailable' }));
    },
  };
}

export async function listen(server: http.Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}
