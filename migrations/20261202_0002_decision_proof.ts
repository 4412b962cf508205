import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // decision_token: a secret put in the request's own buttons. Request numbers start again at 1
  // on a fresh database, so a number alone cannot tell an old card from the current request.
  // Requests filed before this migration have none: their cards cannot decide anything.
  // requester_email: who filed it, as one person whatever the chat platform, so nobody approves
  // their own request from the other platform.
  await db.schema
    .alterTable('offboarding_requests')
    .addColumn('decision_token', 'text')
    .addColumn('requester_email', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
