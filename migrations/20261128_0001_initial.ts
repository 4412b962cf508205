import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('offboarding_requests')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('state', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`state in ('pending','approved','rejected','expired','cancelled','running','completed','failed')`,
        ),
    )
    .addColumn('target_genesys_id', 'text', (col) => col.notNull())
    .addColumn('target_name', 'text', (col) => col.notNull())
    .addColumn('target_email', 'text', (col) => col.notNull())
    .addColumn('target_department', 'text')
    .addColumn('target_title', 'text')
    .addColumn('target_division', 'text')
    .addColumn('target_state', 'text', (col) => col.notNull())
    .addColumn('requester_platform', 'text', (col) =>
      col.notNull().check(sql`requester_platform in ('slack','teams','playground')`),
    )
    .addColumn('requester_id', 'text', (col) => col.notNull())
    .addColumn('requester_name', 'text')
    .addColumn('reason', 'text')
    .addColumn('gdpr_mode', 'text', (col) =>
      col.notNull().check(sql`gdpr_mode in ('delete','anonymize','none')`),
    )
    .addColumn('gdpr_request_id', 'text')
    .addColumn('gdpr_status', 'text')
    .addColumn('chat_channel_id', 'text')
    .addColumn('chat_message_id', 'text')
    .addColumn('chat_context', 'jsonb')
    .addColumn('failure_reason', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('finished_at', 'timestamptz')
    .execute();

  // At most one open request per Genesys user: the database, not the handler, decides a race.
  await sql`create unique index offboarding_requests_one_open_per_target
    on offboarding_requests (target_genesys_id)
    where state in ('pending','approved','running')`.execute(db);
  await db.schema
    .createIndex('offboarding_requests_requester')
    .on('offboarding_requests')
    .columns(['requester_platform', 'requester_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('offboarding_requests_pending_expiry')
    .on('offboarding_requests')
    .column('expires_at')
    .where(sql.ref('state'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('decisions')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    // unique: a request is decided once, whatever the number of clicks or instances
    .addColumn('request_id', 'integer', (col) =>
      col.notNull().unique().references('offboarding_requests.id'),
    )
    .addColumn('decision', 'text', (col) =>
      col.notNull().check(sql`decision in ('approved','rejected')`),
    )
    .addColumn('decider_platform', 'text', (col) => col.notNull())
    .addColumn('decider_id', 'text', (col) => col.notNull())
    .addColumn('decider_name', 'text')
    .addColumn('decided_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('workflow_steps')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('request_id', 'integer', (col) =>
      col.notNull().references('offboarding_requests.id'),
    )
    .addColumn('step', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('pending','running','succeeded','failed')`),
    )
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('result', 'jsonb')
    .addColumn('correlation_id', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('workflow_steps_request_step', ['request_id', 'step'])
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('request_id', 'integer', (col) => col.references('offboarding_requests.id'))
    .addColumn('event', 'text', (col) => col.notNull())
    .addColumn('actor', 'text')
    .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('audit_events_request')
    .on('audit_events')
    .columns(['request_id', 'id'])
    .execute();

  // Transactional outbox for chat messages: a workflow step writes its message in the same
  // transaction as its result, and a separate job delivers them in order. A chat outage delays
  // messages; it never blocks or undoes Genesys work.
  await db.schema
    .createTable('chat_notifications')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('request_id', 'integer', (col) =>
      col.notNull().references('offboarding_requests.id'),
    )
    .addColumn('event', 'jsonb', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().defaultTo('pending').check(sql`status in ('pending','sent','failed')`),
    )
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await sql`create index chat_notifications_pending
    on chat_notifications (request_id, id) where status = 'pending'`.execute(db);

  // The audit log is append-only: the database refuses edits, whatever the application does.
  await sql`create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only';
    end $$`.execute(db);
  await sql`create trigger audit_events_no_update_or_delete
    before update or delete on audit_events
    for each row execute function audit_events_append_only()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
