import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // Bulk offboarding: one card, one approval and one progress message for many people. Each
  // person stays their own request (own steps, own audit trail), tied to the batch here.
  await db.schema
    .createTable('batches')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('state', 'text', (col) =>
      col
        .notNull()
        .defaultTo('pending')
        .check(sql`state in ('pending','approved','rejected','expired','cancelled')`),
    )
    .addColumn('requester_platform', 'text', (col) =>
      col.notNull().check(sql`requester_platform in ('slack','teams','playground')`),
    )
    .addColumn('requester_id', 'text', (col) => col.notNull())
    .addColumn('requester_name', 'text')
    .addColumn('requester_email', 'text')
    .addColumn('reason', 'text')
    .addColumn('run_at', 'timestamptz')
    .addColumn('requester_time_zone', 'text')
    .addColumn('decision_token', 'text', (col) => col.notNull())
    .addColumn('member_count', 'integer', (col) => col.notNull())
    // The batch card, and the one progress message in its thread (updated in place).
    .addColumn('chat_channel_id', 'text')
    .addColumn('chat_message_id', 'text')
    .addColumn('chat_context', 'jsonb')
    .addColumn('progress_message_id', 'text')
    // The CSV report of the run's end; cleared when failed members are retried.
    .addColumn('report_posted_at', 'timestamptz')
    .addColumn('redacted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .alterTable('offboarding_requests')
    .addColumn('batch_id', 'integer', (col) => col.references('batches.id'))
    .execute();
  await sql`create index offboarding_requests_batch
    on offboarding_requests (batch_id, id) where batch_id is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
