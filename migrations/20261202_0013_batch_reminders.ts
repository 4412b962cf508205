import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // A batch waiting for approval is reminded as a request is (one reminder per period for the
  // whole batch, not one per person), and its requester warned once before its people expire.
  // Counts and a time only: nothing here names anyone.
  await db.schema
    .alterTable('batches')
    .addColumn('reminders_sent', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('expiry_warned_at', 'timestamptz')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
