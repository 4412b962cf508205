import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, badRequest } from './api-error.js';
import type { DecodedBody } from './http-io.js';

export interface RouteContext {
  method: string;
  pathname: string;
  /** Decoded path parameters, in pattern order. */
  params: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: DecodedBody;
  correlationId: string;
  /** The OAuth client behind the bearer token; set for /api/v2 routes. */
  clientId: string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  /** Anchored; capture groups become `params`. */
  pattern: RegExp;
  handle(context: RouteContext): RouteResult | Promise<RouteResult>;
}

export type RouteMatch = { route: Route; params: string[] };

/** The route for method + path; 404 when no pattern matches, 405 when only the method is wrong. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  let pathKnown = false;
  for (const route of routes) {
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    pathKnown = true;
    if (route.method !== method) continue;
    return { route, params: found.slice(1).map(decodeParam) };
  }
  throw pathKnown ? new ApiError(405) : new ApiError(404);
}

function decodeParam(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    throw badRequest(`Malformed path parameter [${raw ?? ''}]`);
  }
}
