import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // ERASURE_DELAY_HOURS: a soft-deleted request waits in `awaiting_erasure` until
  // `erasure_due_at` before its GDPR request is filed. `erasure_reminded_at` is set once, by the
  // reminder that goes to the thread before the erasure, so a retried or duplicated job cannot
  // remind twice.
  await db.schema
    .alterTable('offboarding_requests')
    .addColumn('erasure_due_at', 'timestamptz')
    .addColumn('erasure_reminded_at', 'timestamptz')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
