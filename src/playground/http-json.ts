import type { IncomingMessage, ServerResponse } from 'node:http';
import { bufferedBody } from '../http/server.js';

/** The playground's API takes small JSON objects only; anything bigger is a mistake or abuse. */
const MAX_BODY_BYTES = 16 * 1024;

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * Requiring `application/json` is also the CSRF guard: a page on another origin cannot send
 * that content type without a CORS preflight, which this server never grants.
 */
export async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new BadRequest('send the body as application/json', 415);
  }
  // Inside our HTTP server the body was read (under the server's larger cap) before this ran.
  let raw = bufferedBody(request);
  if (!raw) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new BadRequest('body too large', 413);
      chunks.push(chunk);
    }
    raw = Buffer.concat(chunks);
  }
  if (raw.length > MAX_BODY_BYTES) throw new BadRequest('body too large', 413);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BadRequest('body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequest('body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(response: ServerResponse, status: number, payload: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(JSON.stringify(payload));
}

export function requiredString(
  body: Record<string, unknown>,
  key: string,
  maxLength = 200,
): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '' || value.length > maxLength) {
    throw new BadRequest(`${key} must be a non-empty string of at most ${maxLength} characters`);
  }
  return value;
}
