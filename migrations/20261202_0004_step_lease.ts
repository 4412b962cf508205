import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // The advisory lock dies with its connection (failover, pg_terminate_backend, PgBouncer in
  // transaction mode) while the worker that held it may still be talking to Genesys. The lease
  // fences that worker: each attempt stores its own token, re-checks it before the irreversible
  // call and in the statement that records the result, and a stale attempt's writes match no row.
  await db.schema
    .alterTable('workflow_steps')
    .addColumn('lease_token', 'uuid')
    .addColumn('lease_expires_at', 'timestamptz')
    .execute();
  await sql`comment on column workflow_steps.lease_token is
    'The attempt that may act for this step; null once an attempt has recorded its outcome'`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
