import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // Row triggers do not fire for TRUNCATE, which would empty the append-only audit log in one
  // statement. A statement trigger refuses it, for every role the table owner's rights allow.
  await sql`create trigger audit_events_no_truncate
    before truncate on audit_events
    for each statement execute function audit_events_append_only()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
