// Regenerates test/fixtures/genesys-contract.json from the Genesys Cloud API definitions (swagger
// 2.0 YAML), when a copy is at hand:
//   npm run contract:genesys -- [directory with users.yml, general-data-protection-regulation.yml, tokens.yml]
// The default directory is $GENESYS_OPENAPI_DIR. The fixture keeps only what the emulator's
// contract test checks (the operations the bot calls, their statuses, and for every definition
// they reach: types, formats, enums, required and declared properties), without descriptions or
// examples, so the repository carries what its tests need and nothing else.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const SOURCE_FILES = ['users.yml', 'general-data-protection-regulation.yml', 'tokens.yml'];

/** The operations the bot (and so the emulator) uses; each is kept with every status it lists. */
const PATHS = [
  '/api/v2/users/{userId}',
  '/api/v2/users/search',
  '/api/v2/tokens/{userId}',
  '/api/v2/gdpr/requests',
  '/api/v2/gdpr/requests/{requestId}',
  '/api/v2/gdpr/subjects',
];

/** The schema keywords the checker in test/helpers/openapi.ts reads; everything else is prose. */
const SCHEMA_KEYS = [
  '$ref',
  'type',
  'format',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'items',
] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Definitions {
  [name: string]: JsonObject;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CONTRACT_FIXTURE = path.join(repoRoot, 'test/fixtures/genesys-contract.json');

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refName(ref: string): string {
  return ref.replace(/^#\/definitions\//, '');
}

/** Keeps the checked keywords of a schema, recursively, and notes every definition it names. */
function pruneSchema(schema: JsonObject, reached: Set<string>): JsonObject {
  const kept: JsonObject = {};
  for (const key of SCHEMA_KEYS) {
    const value = schema[key];
    if (value === undefined) continue;
    if (key === '$ref' && typeof value === 'string') {
      reached.add(refName(value));
      kept[key] = value;
    } else if (key === 'properties' && isObject(value)) {
      const properties: JsonObject = {};
      for (const [name, property] of Object.entries(value)) {
        if (isObject(property)) properties[name] = pruneSchema(property, reached);
      }
      kept[key] = properties;
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      kept[key] = pruneSchema(value, reached);
    } else {
      kept[key] = value;
    }
  }
  return kept;
}

export function buildContract(directory: string): JsonObject {
  const definitions: Definitions = {};
  const paths: Record<string, JsonObject> = {};
  for (const file of SOURCE_FILES) {
    const document = parse(readFileSync(path.resolve(directory, file), 'utf8')) as {
      definitions?: Definitions;
      paths?: Record<string, JsonObject>;
    };
    for (const [name, schema] of Object.entries(document.definitions ?? {})) {
      const existing = definitions[name];
      if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
        throw new Error(`Definition ${name} differs between swagger files (${file})`);
      }
      definitions[name] = schema;
    }
    Object.assign(paths, document.paths ?? {});
  }

  const reached = new Set<string>();
  const keptPaths: JsonObject = {};
  for (const apiPath of PATHS) {
    const operations = paths[apiPath];
    if (!operations) throw new Error(`${apiPath} is not in the API definition`);
    const keptOperations: JsonObject = {};
    for (const [method, operation] of Object.entries(operations)) {
      if (!isObject(operation) || !isObject(operation.responses)) continue;
      const responses: JsonObject = {};
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!isObject(response)) continue;
        responses[status] = isObject(response.schema)
          ? { schema: pruneSchema(response.schema, reached) }
          : {};
      }
      keptOperations[method] = { responses };
    }
    keptPaths[apiPath] = keptOperations;
  }

  const keptDefinitions: JsonObject = {};
  const queue = [...reached];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (name in keptDefinitions) continue;
    const schema = definitions[name];
    if (!schema) throw new Error(`Definition ${name} is referenced but not defined`);
    const before = new Set(reached);
    keptDefinitions[name] = pruneSchema(schema, reached);
    for (const added of reached) if (!before.has(added)) queue.push(added);
  }
  const sortedDefinitions: JsonObject = {};
  for (const name of Object.keys(keptDefinitions).sort()) {
    sortedDefinitions[name] = keptDefinitions[name] as Json;
  }
  return { swagger: '2.0', paths: keptPaths, definitions: sortedDefinitions };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const directory = process.argv[2] ?? process.env.GENESYS_OPENAPI_DIR;
  if (!directory) {
    console.error(
      'Tell me where the Genesys API definitions are: npm run contract:genesys -- <directory>, or set GENESYS_OPENAPI_DIR',
    );
    process.exit(2);
  }
  const contract = buildContract(directory);
  writeFileSync(CONTRACT_FIXTURE, `${JSON.stringify(contract, null, 2)}\n`);
  // In the layout `npm run lint` expects, so a regenerated fixture diffs only where Genesys changed.
  execFileSync(
    path.join(repoRoot, 'node_modules/.bin/biome'),
    ['format', '--write', CONTRACT_FIXTURE],
    {
      stdio: 'ignore',
    },
  );
  const definitions = Object.keys(contract.definitions as JsonObject).length;
  console.log(
    `wrote ${path.relative(process.cwd(), CONTRACT_FIXTURE)}: ${PATHS.length} paths, ${definitions} definitions`,
  );
}
