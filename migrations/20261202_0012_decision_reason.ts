import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // Why an approver rejected a request, as they typed it (optional). Free text that may name the
  // leaver: it is cleared with the request's other details after RECORD_RETENTION_DAYS, and the
  // audit log only records whether one was given.
  await db.schema.alterTable('decisions').addColumn('reason', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
