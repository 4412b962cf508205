import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // Several approvers (APPROVALS_REQUIRED): a request gets one decision row per person who
  // approved it, instead of one row in all. A person is their email, lower-cased, so the same
  // person clicking on Slack and on Teams counts once; the database, not the handler, keeps it
  // so. One rejection ends a request, so a request still has at most one.
  await sql`alter table decisions drop constraint decisions_request_id_key`.execute(db);
  await db.schema.alterTable('decisions').addColumn('decider_email', 'text').execute();
  await sql`create unique index decisions_one_approval_per_person
    on decisions (request_id, decider_email) where decision = 'approved'`.execute(db);
  await sql`create unique index decisions_one_rejection
    on decisions (request_id) where decision = 'rejected'`.execute(db);

  // Reminders (APPROVAL_REMINDER_HOURS) and the requester's warning before expiry: what was
  // already sent is recorded here, so a sweep on any instance, before or after a crash, sends
  // each one once (a compare-and-set on these columns commits with the message it queues).
  await db.schema
    .alterTable('offboarding_requests')
    .addColumn('reminders_sent', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('expiry_warned_at', 'timestamptz')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
