import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Route } from '../http/server.js';
import type { BotMetrics } from './metrics.js';

/**
 * `GET /metrics` in Prometheus text format. With a token, a scrape must send
 * `Authorization: Bearer <token>`; without one the endpoint is open (see the README).
 */
export function metricsRoute(metrics: BotMetrics, token: string | undefined): Route {
  return {
    method: 'GET',
    path: '/metrics',
    handle: async (req, res) => {
      if (token !== undefined && !bearerMatches(req, token)) {
        res.writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': 'Bearer realm="metrics"',
        });
        res.end(JSON.stringify({ error: 'a valid bearer token is required' }));
        return;
      }
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(body);
    },
  };
}

function bearerMatches(req: http.IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(token);
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent
  // of where a wrong token differs.
  if (given.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(given, expected);
}
