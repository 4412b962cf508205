import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // Data minimisation: once a request is final and the retention period has passed, the
  // leaver's name, email, title, department, division and the reason are replaced. What stays
  // answers "was this person already offboarded?": a keyed hash (HMAC-SHA256) of the email.
  await db.schema
    .alterTable('offboarding_requests')
    .addColumn('target_email_hash', 'text')
    .addColumn('redacted_at', 'timestamptz')
    .execute();
  await sql`create index offboarding_requests_due_for_redaction
    on offboarding_requests (finished_at) where redacted_at is null`.execute(db);
  await sql`create index offboarding_requests_email_hash
    on offboarding_requests (target_email_hash)`.execute(db);

  // Where each delivered chat message lives, so a message that names the leaver can be edited
  // when the request's details are removed.
  await db.schema
    .alterTable('chat_notifications')
    .addColumn('message_channel', 'text')
    .addColumn('message_id', 'text')
    .execute();

  // Every Genesys call a workflow step made, for the evidence of an offboarding.
  await db.schema
    .createTable('genesys_calls')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('request_id', 'integer', (col) =>
      col.notNull().references('offboarding_requests.id'),
    )
    .addColumn('step', 'text', (col) => col.notNull())
    .addColumn('operation', 'text', (col) => col.notNull())
    .addColumn('method', 'text', (col) => col.notNull())
    // Null when no HTTP answer came (timeout, reset).
    .addColumn('status', 'integer')
    .addColumn('correlation_id', 'text')
    .addColumn('called_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('genesys_calls_request')
    .on('genesys_calls')
    .columns(['request_id', 'id'])
    .execute();

  // Tamper evidence: the audit log is a hash chain. Each event's link is
  // sha256(previous link's hash || canonical event), in `audit_event_hashes`. The link is
  // written by a deferred trigger at commit, under a transaction-scoped advisory lock taken
  // last of all the transaction's locks (so it cannot deadlock with them), so several instances
  // appending at once still form one chain, in commit order.
  await sql`create function audit_event_canonical(e audit_events) returns text
    language sql stable as $$
      select jsonb_build_object(
        'id', e.id,
        'requestId', e.request_id,
        'event', e.event,
        'actor', e.actor,
        'details', e.details,
        'createdAt', to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
      )::text
    $$`.execute(db);
  await db.schema
    .createTable('audit_event_hashes')
    .addColumn('seq', 'bigint', (col) => col.primaryKey())
    .addColumn('event_id', 'bigint', (col) => col.notNull().unique().references('audit_events.id'))
    .addColumn('hash', 'text', (col) => col.notNull())
    .execute();
  await sql`do $$
    declare
      stored audit_events;
      previous text := '';
      link bigint := 0;
    begin
      for stored in select * from audit_events order by id loop
        link := link + 1;
        previous := encode(sha256(convert_to(previous || audit_event_canonical(stored), 'UTF8')), 'hex');
        insert into audit_event_hashes (seq, event_id, hash) values (link, stored.id, previous);
      end loop;
    end $$`.execute(db);
  await sql`create function audit_events_chain() returns trigger language plpgsql as $$
    declare
      previous audit_event_hashes%rowtype;
    begin
      perform pg_advisory_xact_lock(7403);
      select * into previous from audit_event_hashes order by seq desc limit 1;
      insert into audit_event_hashes (seq, event_id, hash) values (
        coalesce(previous.seq, 0) + 1,
        new.id,
        encode(sha256(convert_to(coalesce(previous.hash, '') || audit_event_canonical(new), 'UTF8')), 'hex')
      );
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger audit_events_chain
    after insert on audit_events deferrable initially deferred
    for each row execute function audit_events_chain()`.execute(db);
  // The chain is append-only like the log it seals.
  await sql`create trigger audit_event_hashes_no_update_or_delete
    before update or delete on audit_event_hashes
    for each row execute function audit_events_append_only()`.execute(db);
  await sql`create trigger audit_event_hashes_no_truncate
    before truncate on audit_event_hashes
    for each statement execute function audit_events_append_only()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
