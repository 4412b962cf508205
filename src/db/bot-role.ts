import { sql } from 'kysely';
import type { Db } from './database.js';

export class BotRoleError extends Error {
  readonly code = 'BOT_ROLE_INVALID';
}

/** A PostgreSQL role name as `DATABASE_BOT_ROLE` may give it: plain, so it reads as one in logs. */
const ROLE_NAME = /^[a-z_][a-z0-9_$]{0,62}$/;

export function parseBotRole(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const role = value.trim();
  if (!ROLE_NAME.test(role)) {
    throw new BotRoleError(
      `DATABASE_BOT_ROLE=${JSON.stringify(role)} is not a plain PostgreSQL role name (lower-case letters, digits, _ and $, at most 63 characters)`,
    );
  }
  return role;
}

/**
 * Gives the bot's own role what it needs and no more, in the database the owner just migrated:
 * read and write the bot's tables, but only INSERT and SELECT on `audit_events`, so neither a
 * bug nor a stolen bot password can rewrite the audit log (its triggers are the second line,
 * against the owner); read the migration bookkeeping, so a bot starting with MIGRATE_ON_START
 * sees there is nothing to apply; and use pg-boss's tables, which the owner created. Runs after
 * every migration, so tables a later migration or pg-boss version adds are covered too.
 */
export async function grantBotRole(db: Db, role: string, queueSchema: string): Promise<void> {
  const bot = sql.id(role);
  const queue = sql.id(queueSchema);
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = sql.id(rows[0]?.schema ?? 'public');
  await sql`grant usage on schema ${schema} to ${bot}`.execute(db);
  await sql`grant select, insert, update on all tables in schema ${schema} to ${bot}`.execute(db);
  await sql`revoke delete, truncate, references, trigger on all tables in schema ${schema} from ${bot}`.execute(
    db,
  );
  await sql`revoke insert, update on kysely_migration, kysely_migration_lock from ${bot}`.execute(
    db,
  );
  await sql`revoke update on audit_events, audit_event_hashes from ${bot}`.execute(db);
  await sql`grant usage on all sequences in schema ${schema} to ${bot}`.execute(db);

  // pg-boss moves jobs between its tables (insert, update, delete, archive) as the bot's role.
  await sql`grant usage on schema ${queue} to ${bot}`.execute(db);
  await sql`grant select, insert, update, delete on all tables in schema ${queue} to ${bot}`.execute(
    db,
  );
  await sql`grant usage, select, update on all sequences in schema ${queue} to ${bot}`.execute(db);
  await sql`grant execute on all functions in schema ${queue} to ${bot}`.execute(db);
}
