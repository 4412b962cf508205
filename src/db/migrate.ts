import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResult,
  Migrator,
} from 'kysely';

export const MIGRATIONS_FOLDER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../migrations',
);

export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
}

/**
 * Loads `migrations/*.ts|js` with this module's own `import()`, so the same files load under
 * tsx, vitest and compiled JavaScript (kysely's FileMigrationProvider imports from node_modules,
 * where TypeScript files are not understood).
 */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(this.folder))
      .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const module = (await import(pathToFileURL(path.join(this.folder, file)).href)) as Migration;
      migrations[file.replace(/\.(ts|js)$/, '')] = module;
    }
    return migrations;
  }
}

/** Applies every pending migration; a second run applies nothing. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema, frozen in time
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(MIGRATIONS_FOLDER) });
  // Looking first needs only SELECT on the bookkeeping tables, where migrating would start with
  // DDL: so the bot's restricted role (see grantBotRole) starts without error once the owner
  // has migrated, and still fails loudly if a migration is pending.
  const known = await migrator.getMigrations();
  if (known.every((migration) => migration.executedAt !== undefined)) return [];
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationError(
      `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return results ?? [];
}
