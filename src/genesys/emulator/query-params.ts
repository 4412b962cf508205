import { badRequest, invalidQueryParam } from './api-error.js';

export function positiveIntParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw badRequest(
      `Value [${raw}] is not valid for parameter [${name}]`,
      'invalid.query.param.value',
    );
  }
  return value;
}

export function enumParam<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw invalidQueryParam(name, raw, allowed);
  return raw as T;
}

export function requiredParam(query: URLSearchParams, name: string): string {
  const raw = query.get(name);
  if (raw === null || raw === '') throw badRequest(`Missing required query parameter [${name}]`);
  return raw;
}

/** Paging links the way Genesys renders them: relative, with the same page size. */
export function pageLinks(
  basePath: string,
  pageSize: number,
  pageNumber: number,
  pageCount: number,
): Record<string, string> {
  const link = (page: number) => `${basePath}?pageSize=${pageSize}&pageNumber=${page}`;
  const links: Record<string, string> = {
    firstUri: link(1),
    selfUri: link(pageNumber),
    lastUri: link(Math.max(1, pageCount)),
  };
  if (pageNumber < pageCount) links.nextUri = link(pageNumber + 1);
  if (pageNumber > 1) links.previousUri = link(Math.min(pageNumber - 1, Math.max(1, pageCount)));
  return links;
}
