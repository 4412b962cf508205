import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * Starts the local trial over: every request and bulk batch with their decisions, steps,
 * notifications, Genesys call journal and audit events, and every queued job. Request and batch
 * numbers start again at #1.
 *
 * The audit log is append-only (a guard refuses UPDATE, DELETE and TRUNCATE) and hash-chained.
 * A trial's reset is the one place that empties it, on purpose and whole: the guards are lifted
 * for this one transaction, log and chain go together, and the next event starts a new chain
 * that `npm run audit -- --verify` accepts. Only the playground calls this, and the playground
 * only runs against the Genesys sandbox, whose database the organization guard keeps apart from
 * any real org's. The sandbox organization record and the record hash key stay.
 */
export async function emptyTrialRequestData(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`alter table audit_events disable trigger audit_events_no_truncate`.execute(trx);
    await sql`alter table audit_event_hashes disable trigger audit_event_hashes_no_truncate`.execute(
      trx,
    );
    await sql`truncate batches, offboarding_requests, decisions, workflow_steps, chat_notifications,
      genesys_calls, audit_events, audit_event_hashes restart identity cascade`.execute(trx);
    await sql`alter table audit_events enable trigger audit_events_no_truncate`.execute(trx);
    await sql`alter table audit_event_hashes enable trigger audit_event_hashes_no_truncate`.execute(
      trx,
    );
    // Runs, reminders, expiries and chat messages still queued would act on requests now gone.
    await sql`delete from pgboss.job`.execute(trx);
  });
}
