import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import { FINAL_STATES } from './request.repository.js';
import type { OffboardingRequest } from './request.table.js';

/** What replaces the leaver's name and email (the columns are required). */
export const REMOVED = '[removed]';

/**
 * Final requests whose retention period is over and whose details are still there, locked for
 * this transaction; a request another instance is redacting right now is skipped, not waited for.
 */
export async function lockRequestsDueForRedaction(
  trx: DbOrTx,
  cutoff: Date,
  limit: number,
): Promise<OffboardingRequest[]> {
  return trx
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('state', 'in', FINAL_STATES)
    .where('redacted_at', 'is', null)
    .where('finished_at', '<=', cutoff)
    .orderBy('finished_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/**
 * Replaces the leaver's details in the request, its decisions' reasons, its steps and its chat
 * messages. Ids, states,
 * times, the Genesys user id, the GDPR request id and correlation ids stay. Only while not yet
 * redacted: running it twice changes nothing more.
 */
export async function redactRequestRecords(
  trx: DbOrTx,
  request: OffboardingRequest,
  values: { emailHash: string; now: Date },
): Promise<boolean> {
  // Free text elsewhere (Genesys's error messages) may quote the person: scrub it there too.
  const scrub = (column: string) =>
    sql<string>`replace(replace(${sql.ref(column)}, ${request.target_email}, ${REMOVED}), ${request.target_name}, ${REMOVED})`;
  const updated = await trx
    .updateTable('offboarding_requests')
    .set({
      target_name: REMOVED,
      target_email: REMOVED,
      target_title: null,
      target_department: null,
      target_division: null,
      reason: null,
      failure_reason: scrub('failure_reason'),
      target_email_hash: sql`coalesce(target_email_hash, ${values.emailHash})`,
      redacted_at: values.now,
    })
    .where('id', '=', request.id)
    .where('redacted_at', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  // A rejection's reason is free text that may name the leaver; who decided, and when, stay.
  await trx
    .updateTable('decisions')
    .set({ reason: null })
    .where('request_id', '=', request.id)
    .execute();
  await trx
    .updateTable('workflow_steps')
    .set({ error_message: scrub('error_message') })
    .where('request_id', '=', request.id)
    .execute();
  // Delivered or given-up messages keep their type (what was said), not their free text.
  await sql`update chat_notifications
    set event = event - 'detail' - 'error', last_error = null
    where request_id = ${request.id} and status <> 'pending'`.execute(trx);
  return true;
}

/**
 * pg-boss keeps finished jobs, then archives them, with their payloads: a chat command's job
 * holds what was typed (the leaver's email, the reason). Once finished for longer than the
 * retention period, a command job's payload is replaced and any job's output (error texts)
 * dropped, in the live table and the archive. Jobs still to run are left alone.
 */
export async function purgeFinishedJobPayloads(
  trx: DbOrTx,
  options: { schema: string; commandQueues: readonly string[]; cutoff: Date },
): Promise<number> {
  const { cutoff, commandQueues } = options;
  let purged = 0;
  for (const table of ['job', 'archive']) {
    const target = sql.table(`${options.schema}.${table}`);
    const result = await sql`update ${target}
      set data = case when name in (${sql.join(commandQueues)})
                   then '{"removed": true}'::jsonb else data end,
          output = null
      where state in ('completed', 'failed', 'cancelled')
        and coalesce(completed_on, created_on) <= ${cutoff}
        and (output is not null
             or (name in (${sql.join(commandQueues)}) and data is distinct from '{"removed": true}'::jsonb))`.execute(
      trx,
    );
    purged += Number(result.numAffectedRows ?? 0);
  }
  return purged;
}
