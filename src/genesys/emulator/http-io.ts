import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export const CORRELATION_HEADER = 'ININ-Correlation-Id';

/** A body as the client sent it, decoded once so routes and the call log agree. */
export type DecodedBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; value: Record<string, string> }
  | { kind: 'invalid-json'; text: string }
  | { kind: 'other'; text: string; contentType: string };

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError(
        413,
        'request.entity.too.large',
        `The request is over the size limit. Maximum bytes: ${MAX_BODY_BYTES}`,
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function decodeBody(text: string, contentType: string | undefined): DecodedBody {
  if (text.trim() === '') return { kind: 'none' };
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    return { kind: 'form', value: Object.fromEntries(new URLSearchParams(text)) };
  }
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return { kind: 'json', value: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'invalid-json', text };
    }
  }
  return { kind: 'other', text, contentType: type };
}

/** What the call log keeps of a body. */
export function recordableBody(body: DecodedBody): unknown {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'json':
    case 'form':
      return body.value;
    default:
      return body.text;
  }
}

/** A JSON body or the 400/415 Genesys gives for anything else. */
export function requireJson(body: DecodedBody): unknown {
  switch (body.kind) {
    case 'json':
      return body.value;
    case 'none':
      throw new ApiError(400, 'bad.request', 'A request body is required.');
    case 'other':
      throw new ApiError(415);
    default:
      throw new ApiError(400);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined || status === 204) {
    res.writeHead(status);
    res.end();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
