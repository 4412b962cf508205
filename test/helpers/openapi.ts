import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// A deliberately small swagger 2.0 checker: enough of JSON schema to catch drift between what a
// fake Genesys answers and what the published definitions declare. Stricter than the spec in one
// way on purpose: a property a definition does not declare is an error, so an emulator cannot
// invent fields the real API never sends.

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
}

interface Operation {
  responses?: Record<string, { schema?: Schema }>;
}

export interface SwaggerSpec {
  definitions: Record<string, Schema>;
  paths: Record<string, Record<string, Operation>>;
}

const CONTRACT_FIXTURE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/genesys-contract.json',
);

/**
 * The Genesys contract the emulator is held to: the operations the bot uses and the definitions
 * they reach, extracted from the published API definitions by `npm run contract:genesys` and
 * committed, so the test needs nothing outside the repository.
 */
export function loadContract(): SwaggerSpec {
  return JSON.parse(readFileSync(CONTRACT_FIXTURE, 'utf8')) as SwaggerSpec;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const INT32 = 2 ** 31;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function resolve(spec: SwaggerSpec, schema: Schema, where: string): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/definitions\//, '');
  const target = spec.definitions[name];
  if (!target) throw new Error(`${where}: unresolvable $ref ${schema.$ref}`);
  return target;
}

function check(
  spec: SwaggerSpec,
  rawSchema: Schema,
  value: unknown,
  at: string,
  problems: string[],
): void {
  const schema = resolve(spec, rawSchema, at);
  const actual = typeOf(value);
  if (value === null) {
    // Genesys omits absent fields instead of sending null.
    problems.push(`${at}: null is not allowed`);
    return;
  }
  switch (schema.type) {
    case 'string':
      if (actual !== 'string') problems.push(`${at}: expected string, got ${actual}`);
      else checkStringFormat(schema, value as string, at, problems);
      break;
    case 'integer':
      if (actual !== 'number' || !Number.isInteger(value)) {
        problems.push(`${at}: expected integer, got ${JSON.stringify(value)}`);
      } else if (schema.format === 'int32' && Math.abs(value as number) >= INT32) {
        problems.push(`${at}: ${String(value)} does not fit int32`);
      }
      break;
    case 'number':
      if (actual !== 'number') problems.push(`${at}: expected number, got ${actual}`);
      break;
    case 'boolean':
      if (actual !== 'boolean') problems.push(`${at}: expected boolean, got ${actual}`);
      break;
    case 'array':
      if (actual !== 'array') {
        problems.push(`${at}: expected array, got ${actual}`);
      } else if (schema.items) {
        (value as unknown[]).forEach((item, index) => {
          check(spec, schema.items as Schema, item, `${at}[${index}]`, problems);
        });
      }
      break;
    default:
      if (actual !== 'object') problems.push(`${at}: expected object, got ${actual}`);
      else checkObject(spec, schema, value as Record<string, unknown>, at, problems);
  }
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
}

function checkStringFormat(schema: Schema, value: string, at: string, problems: string[]): void {
  if (
    schema.format === 'date-time' &&
    !(DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)))
  ) {
    problems.push(`${at}: ${JSON.stringify(value)} is not an ISO-8601 date-time`);
  }
  // Genesys renders selfUri and paging links relative to the API host.
  if (schema.format === 'uri' && !/^(\/|https?:\/\/)/.test(value)) {
    problems.push(`${at}: ${JSON.stringify(value)} is not a URI`);
  }
}

function checkObject(
  spec: SwaggerSpec,
  schema: Schema,
  value: Record<string, unknown>,
  at: string,
  problems: string[],
): void {
  for (const name of schema.required ?? []) {
    if (!(name in value)) problems.push(`${at}: missing required property ${name}`);
  }
  const declared = schema.properties ?? {};
  for (const [name, propertyValue] of Object.entries(value)) {
    const propertySchema = declared[name];
    if (propertySchema) {
      check(spec, propertySchema, propertyValue, `${at}.${name}`, problems);
    } else if (typeof schema.additionalProperties === 'object') {
      check(spec, schema.additionalProperties, propertyValue, `${at}.${name}`, problems);
    } else if (schema.additionalProperties !== true) {
      problems.push(`${at}: property ${name} is not declared by the definition`);
    }
  }
}

/** Every way `value` strays from definition `name`; empty when it conforms. */
export function validateDefinition(spec: SwaggerSpec, name: string, value: unknown): string[] {
  const problems: string[] = [];
  check(spec, { $ref: `#/definitions/${name}` }, value, name, problems);
  return problems;
}

/**
 * Checks an answer against the operation the spec declares for it: the status must be one the
 * operation lists, and the body must match that response's schema (or be absent if it has none).
 */
export function validateResponse(
  spec: SwaggerSpec,
  operation: { method: string; path: string },
  status: number,
  body: unknown,
): string[] {
  const declared = spec.paths[operation.path]?.[operation.method.toLowerCase()];
  const where = `${operation.method.toUpperCase()} ${operation.path} ${status}`;
  if (!declared) return [`${where}: operation not in the spec`];
  const response = declared.responses?.[String(status)];
  if (!response) return [`${where}: status not declared by the operation`];
  if (!response.schema) {
    return body === undefined ? [] : [`${where}: the spec declares no body, got one`];
  }
  const problems: string[] = [];
  check(spec, response.schema, body, where, problems);
  return problems;
}
