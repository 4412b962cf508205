import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // A request may name when it runs (`on 2026-12-18 at 18:00`). `run_at` is that instant; null
  // runs as soon as it is approved. `requester_time_zone` is the zone the time was read in (the
  // requester's, or UTC), so the card shows the time as the requester meant it.
  await db.schema
    .alterTable('offboarding_requests')
    .addColumn('run_at', 'timestamptz')
    .addColumn('requester_time_zone', 'text')
    .execute();
  // The sweep looks for scheduled runs that are due (a lost job): few rows, kept small.
  await sql`create index offboarding_requests_scheduled_run_at
    on offboarding_requests (run_at) where state = 'scheduled'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
