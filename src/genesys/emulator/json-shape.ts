import { badRequest, invalidProperty, invalidValue } from './api-error.js';

// Request bodies are untrusted JSON; these guards turn wrong shapes into the 400s Genesys gives
// instead of letting a TypeError reach the server loop.

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(value: unknown, objectName: string): JsonObject {
  if (!isJsonObject(value)) throw badRequest(`Expected a JSON object for [${objectName}]`);
  return value;
}

/** Genesys rejects properties its definition does not declare (invalid.property). */
export function rejectUnknownProperties(
  value: JsonObject,
  allowed: readonly string[],
  objectName: string,
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw invalidProperty(key, objectName);
  }
}

export function optionalString(
  value: JsonObject,
  key: string,
  objectName: string,
): string | undefined {
  const field = value[key];
  if (field === undefined || field === null) return undefined;
  if (typeof field !== 'string') throw badRequest(`${objectName}.${key} must be a string`);
  return field;
}

export function optionalStringArray(
  value: JsonObject,
  key: string,
  objectName: string,
): string[] | undefined {
  const field = value[key];
  if (field === undefined || field === null) return undefined;
  if (!Array.isArray(field) || field.some((item) => typeof item !== 'string')) {
    throw badRequest(`${objectName}.${key} must be an array of strings`);
  }
  return field as string[];
}

export function optionalInteger(
  value: JsonObject,
  key: string,
  objectName: string,
): number | undefined {
  const field = value[key];
  if (field === undefined || field === null) return undefined;
  if (typeof field !== 'number' || !Number.isInteger(field)) {
    throw badRequest(`${objectName}.${key} must be an integer`);
  }
  return field;
}

export function optionalBoolean(
  value: JsonObject,
  key: string,
  objectName: string,
): boolean | undefined {
  const field = value[key];
  if (field === undefined || field === null) return undefined;
  if (typeof field !== 'boolean') throw badRequest(`${objectName}.${key} must be a boolean`);
  return field;
}

export function optionalEnum<T extends string>(
  value: JsonObject,
  key: string,
  allowed: readonly T[],
  fieldType: string,
): T | undefined {
  const field = value[key];
  if (field === undefined || field === null) return undefined;
  if (typeof field !== 'string' || !(allowed as readonly string[]).includes(field)) {
    throw invalidValue(field, fieldType, allowed);
  }
  return field as T;
}
