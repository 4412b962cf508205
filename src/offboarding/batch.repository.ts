import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { Batch, BatchState, NewBatch } from './batch.table.js';
import { FINAL_STATES } from './request.repository.js';
import type { OffboardingRequest, RequestState } from './request.table.js';

export async function insertBatch(db: DbOrTx, values: NewBatch): Promise<Batch> {
  return db.insertInto('batches').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findBatchById(db: DbOrTx, id: number): Promise<Batch | undefined> {
  return db.selectFrom('batches').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Holds the batch's row until the transaction ends: one decision of the batch at a time. */
export async function lockBatch(trx: DbOrTx, id: number): Promise<Batch | undefined> {
  return trx.selectFrom('batches').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Compare-and-set of the batch's decision state. */
export async function updateBatchStateIf(
  db: DbOrTx,
  id: number,
  from: readonly BatchState[],
  to: BatchState,
): Promise<Batch | undefined> {
  return db
    .updateTable('batches')
    .set({ state: to, updated_at: new Date() })
    .where('id', '=', id)
    .where('state', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

export async function updateBatchDetails(
  db: DbOrTx,
  id: number,
  patch: Partial<
    Pick<
      Batch,
      'chat_channel_id' | 'chat_message_id' | 'progress_message_id' | 'report_posted_at'
    > & { chat_context: string | null }
  >,
): Promise<void> {
  await db
    .updateTable('batches')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The batch's requests in the order they were filed (the order of the lines typed). */
export async function listBatchMembers(db: DbOrTx, batchId: number): Promise<OffboardingRequest[]> {
  return db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('id')
    .execute();
}

/** How many of the batch's requests are in each state. One grouped query. */
export async function countBatchMembersByState(
  db: DbOrTx,
  batchId: number,
): Promise<Partial<Record<RequestState, number>>> {
  const rows = await db
    .selectFrom('offboarding_requests')
    .select((eb) => ['state', eb.fn.countAll<string>().as('count')])
    .where('batch_id', '=', batchId)
    .groupBy('state')
    .execute();
  const counts: Partial<Record<RequestState, number>> = {};
  for (const row of rows) counts[row.state] = Number(row.count);
  return counts;
}

/** What the CSV report lists per person: no names or emails, only ids and outcomes. */
export async function listBatchReportRows(
  db: DbOrTx,
  batchId: number,
): Promise<
  Array<{
    target_genesys_id: string;
    state: RequestState;
    gdpr_request_id: string | null;
    failure_reason: string | null;
    target_name: string;
    target_email: string;
  }>
> {
  return db
    .selectFrom('offboarding_requests')
    .select([
      'target_genesys_id',
      'state',
      'gdpr_request_id',
      'failure_reason',
      'target_name',
      'target_email',
    ])
    .where('batch_id', '=', batchId)
    .orderBy('id')
    .execute();
}

/**
 * Batches the sweep redraws: approved ones still running or owing their report, and pending
 * ones whose card was never posted. A pending batch waiting for approval changes only through
 * events that redraw it themselves.
 */
export async function listUnsettledBatchIds(db: DbOrTx): Promise<number[]> {
  const rows = await db
    .selectFrom('batches as b')
    .select('b.id')
    .where((eb) =>
      eb.or([
        eb.and([eb('b.state', '=', 'pending'), eb('b.chat_message_id', 'is', null)]),
        eb.and([
          eb('b.state', '=', 'approved'),
          eb.or([
            eb('b.report_posted_at', 'is', null),
            eb.exists(
              eb
                .selectFrom('offboarding_requests as r')
                .select(sql`1`.as('one'))
                .whereRef('r.batch_id', '=', 'b.id')
                .where('r.state', 'not in', FINAL_STATES),
            ),
          ]),
        ]),
      ]),
    )
    .orderBy('b.id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Removes the batch's reason once every one of its requests is redacted (the requests' own
 * redaction removed their copies). Returns the ids of the batches it redacted.
 */
export async function redactSettledBatches(db: DbOrTx, now: Date): Promise<number[]> {
  const rows = await db
    .updateTable('batches as b')
    .set({ reason: null, redacted_at: now, updated_at: now })
    .where('b.redacted_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('offboarding_requests as r')
            .select(sql`1`.as('one'))
            .whereRef('r.batch_id', '=', 'b.id')
            .where('r.redacted_at', 'is', null),
        ),
      ),
    )
    .returning('b.id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * When the batch's people expire: they were filed together with one expiry, read from the
 * earliest of those still pending (a batch holds no expiry of its own).
 */
function batchExpiresAt() {
  return sql<Date>`(select min(r.expires_at) from offboarding_requests r where r.batch_id = batches.id and r.state = 'pending')`;
}

/** As for a request: a reminder is due every `periodSeconds` after creation, while pending. */
function batchReminderDue(periodSeconds: number, now: Date) {
  return sql<boolean>`created_at + (reminders_sent + 1) * ${periodSeconds}::float8 * interval '1 second' <= ${now}`;
}

/** The card is posted and its people have not expired yet: a reminder has somewhere to go. */
function batchRemindable(now: Date) {
  return sql<boolean>`chat_message_id is not null and ${batchExpiresAt()} > ${now}`;
}

/** Pending batches whose next approval reminder is due, with how many were sent so far. */
export async function listBatchesDueForReminder(
  db: DbOrTx,
  periodSeconds: number,
  now: Date,
): Promise<Array<{ id: number; reminders_sent: number }>> {
  return db
    .selectFrom('batches')
    .select(['id', 'reminders_sent'])
    .where('state', '=', 'pending')
    .where(batchRemindable(now))
    .where(batchReminderDue(periodSeconds, now))
    .orderBy('id')
    .execute();
}

/**
 * Compare-and-set, as claimReminder for a request: one reminder per period for the whole batch,
 * sent by whoever records it first; after an outage the count jumps to the current period (one
 * reminder, not a burst). Returns the batch when this caller is the one to send it.
 */
export async function claimBatchReminder(
  db: DbOrTx,
  id: number,
  seen: number,
  periodSeconds: number,
  now: Date,
): Promise<Batch | undefined> {
  return db
    .updateTable('batches')
    .set({
      reminders_sent: sql<number>`floor(extract(epoch from (${now}::timestamptz - created_at)) / ${periodSeconds}::float8)::int`,
    })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('reminders_sent', '=', seen)
    .where(batchRemindable(now))
    .where(batchReminderDue(periodSeconds, now))
    .returningAll()
    .executeTakeFirst();
}

/** As for a request: 24 h before the people expire, or halfway through a shorter window. */
function batchExpiryWarningDue(now: Date) {
  return sql<boolean>`greatest(${batchExpiresAt()} - interval '24 hours', created_at + (${batchExpiresAt()} - created_at) / 2) <= ${now}`;
}

export async function listBatchesDueForExpiryWarning(db: DbOrTx, now: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('batches')
    .select('id')
    .where('state', '=', 'pending')
    .where('expiry_warned_at', 'is', null)
    .where(batchRemindable(now))
    .where(batchExpiryWarningDue(now))
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Compare-and-set: the requester is warned once, by whoever records it first. */
export async function claimBatchExpiryWarning(
  db: DbOrTx,
  id: number,
  now: Date,
): Promise<(Batch & { expires_at: Date }) | undefined> {
  return db
    .updateTable('batches')
    .set({ expiry_warned_at: now })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('expiry_warned_at', 'is', null)
    .where(batchRemindable(now))
    .where(batchExpiryWarningDue(now))
    .returningAll()
    .returning(batchExpiresAt().as('expires_at'))
    .executeTakeFirst();
}
