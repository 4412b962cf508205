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
export function createHttpServer(routes: readonly Route[], logger: Logger): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path && r.method === req.method);
    if (!route) {
      const known = routes.some((r) => r.path === path);
      res.writeHead(known ? 405 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: known ? 'method not allowed' : 'not found' }));
      return;
    }
    Promise.resolve(route.handle(req, res)).catch((error: unknown) => {
      logger.error({ err: error, path }, 'request handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error' }));
    });
  });
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
