import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // The lifecycle gains three states: `scheduled` (approved, waiting for its run time),
  // `awaiting_erasure` (soft-deleted, waiting for the grace period before the GDPR request) and
  // `restored` (final: undone during the grace period). The two waiting states are open: the
  // person may not be requested twice while one of them holds.
  await sql`alter table offboarding_requests drop constraint offboarding_requests_state_check`.execute(
    db,
  );
  await sql`alter table offboarding_requests add constraint offboarding_requests_state_check
    check (state in ('pending','approved','scheduled','running','awaiting_erasure','completed',
      'rejected','expired','cancelled','failed','restored'))`.execute(db);
  await sql`drop index offboarding_requests_one_open_per_target`.execute(db);
  await sql`create unique index offboarding_requests_one_open_per_target
    on offboarding_requests (target_genesys_id)
    where state in ('pending','approved','scheduled','running','awaiting_erasure')`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
