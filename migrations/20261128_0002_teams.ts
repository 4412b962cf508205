import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // Where Teams completion notices go, registered with `offboard notify here`. One row per
  // purpose (only 'notices' so far): registering again replaces the conversation. The reference
  // is the Bot Framework conversation reference a proactive message needs (service URL, ids).
  await db.schema
    .createTable('teams_notify_conversations')
    .addColumn('purpose', 'text', (col) => col.primaryKey().check(sql`purpose in ('notices')`))
    .addColumn('conversation_id', 'text', (col) => col.notNull())
    .addColumn('conversation_reference', 'jsonb', (col) => col.notNull())
    .addColumn('registered_by_id', 'text', (col) => col.notNull())
    .addColumn('registered_by_name', 'text')
    .addColumn('registered_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
