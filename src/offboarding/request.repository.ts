import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type {
  ChatPlatform,
  NewOffboardingRequest,
  OffboardingRequest,
  OffboardingRequestUpdate,
  RequestState,
} from './request.table.js';

export const OPEN_STATES: readonly RequestState[] = [
  'pending',
  'approved',
  'scheduled',
  'running',
  'awaiting_erasure',
];

/** Where a request ends; nothing changes it afterwards but the removal of the leaver's details. */
export const FINAL_STATES: readonly RequestState[] = [
  'completed',
  'rejected',
  'expired',
  'cancelled',
  'failed',
  'restored',
];

export async function insertRequest(
  db: DbOrTx,
  values: NewOffboardingRequest,
): Promise<OffboardingRequest> {
  return db
    .insertInto('offboarding_requests')
    .values(values)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findRequestById(
  db: DbOrTx,
  id: number,
): Promise<OffboardingRequest | undefined> {
  return db.selectFrom('offboarding_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOpenRequestForTarget(
  db: DbOrTx,
  targetGenesysId: string,
): Promise<OffboardingRequest | undefined> {
  return db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('target_genesys_id', '=', targetGenesysId)
    .where('state', 'in', OPEN_STATES)
    .executeTakeFirst();
}

/** By the email, or by its keyed hash once the request's details were removed. */
export async function findLatestRequestForEmail(
  db: DbOrTx,
  email: string,
  hash: string,
): Promise<OffboardingRequest | undefined> {
  return db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['target_email']), '=', email.toLowerCase()),
        eb('target_email_hash', '=', hash),
      ]),
    )
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function listRecentRequestsBy(
  db: DbOrTx,
  platform: ChatPlatform,
  requesterId: string,
  limit: number,
): Promise<OffboardingRequest[]> {
  return db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('requester_platform', '=', platform)
    .where('requester_id', '=', requesterId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Pending requests not yet past their expiry, oldest first: what waits for an approver. */
export async function listPendingRequests(
  db: DbOrTx,
  now: Date,
  limit: number,
): Promise<OffboardingRequest[]> {
  // A batch's people are decided on the batch card only, all together: not listed one by one.
  return db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('state', '=', 'pending')
    .where('expires_at', '>', now)
    .where('batch_id', 'is', null)
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
}

/** The latest requests that reached one of `states`, newest first; optionally one requester's. */
export async function listRecentlyFinished(
  db: DbOrTx,
  states: readonly RequestState[],
  limit: number,
  requester?: { platform: ChatPlatform; id: string },
): Promise<OffboardingRequest[]> {
  let query = db.selectFrom('offboarding_requests').selectAll().where('state', 'in', states);
  if (requester) {
    query = query
      .where('requester_platform', '=', requester.platform)
      .where('requester_id', '=', requester.id);
  }
  return query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function listRequestIdsInStates(
  db: DbOrTx,
  states: readonly RequestState[],
): Promise<number[]> {
  const rows = await db
    .selectFrom('offboarding_requests')
    .select('id')
    .where('state', 'in', states)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

export async function listExpiredPendingIds(db: DbOrTx, now: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('offboarding_requests')
    .select('id')
    .where('state', '=', 'pending')
    .where('expires_at', '<=', now)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Whether the request's run time has come, on the database's clock (the job queue's clock). */
export async function isRunDue(db: DbOrTx, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('offboarding_requests')
    .select((eb) =>
      eb.or([eb('run_at', 'is', null), eb('run_at', '<=', sql<Date>`now()`)]).as('due'),
    )
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.due === true;
}

/** Scheduled requests whose time has come, for the sweep to make sure each has its job. */
export async function listDueScheduledIds(db: DbOrTx): Promise<number[]> {
  const rows = await db
    .selectFrom('offboarding_requests')
    .select('id')
    .where('state', '=', 'scheduled')
    .where('run_at', '<=', sql<Date>`now()`)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Compare-and-set: changes the state only while it is still one of `from`, so two instances or
 * two clicks racing for the same request cannot both win. Only the state machine calls this.
 */
export async function updateRequestStateIf(
  db: DbOrTx,
  id: number,
  from: readonly RequestState[],
  to: RequestState,
  patch: Omit<OffboardingRequestUpdate, 'state' | 'id'> = {},
): Promise<OffboardingRequest | undefined> {
  return db
    .updateTable('offboarding_requests')
    .set({ ...patch, state: to, updated_at: new Date() })
    .where('id', '=', id)
    .where('state', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

/** Fields that never change the state: where the request's message lives, GDPR progress. */
export async function updateRequestDetails(
  db: DbOrTx,
  id: number,
  patch: Pick<
    OffboardingRequestUpdate,
    'chat_channel_id' | 'chat_message_id' | 'chat_context' | 'gdpr_request_id' | 'gdpr_status'
  >,
): Promise<void> {
  await db
    .updateTable('offboarding_requests')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/**
 * Marks the erasure reminder as sent, once: true for the one caller that set it while the request
 * still waits for its erasure, false for any other (a retried or duplicated job).
 */
export async function markErasureReminded(db: DbOrTx, id: number, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('offboarding_requests')
    .set({ erasure_reminded_at: now, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'awaiting_erasure')
    .where('erasure_reminded_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** How many requests are in each state (states with none are left out). One grouped query. */
export async function countRequestsByState(
  db: DbOrTx,
): Promise<Array<{ state: RequestState; count: number }>> {
  const rows = await db
    .selectFrom('offboarding_requests')
    .select((eb) => ['state', eb.fn.countAll<string>().as('count')])
    .groupBy('state')
    .execute();
  return rows.map((row) => ({ state: row.state, count: Number(row.count) }));
}

/**
 * Holds the request's row until the transaction ends: approvals arriving together are counted
 * one after the other, so exactly one of them is the last one needed.
 */
export async function lockRequest(
  trx: DbOrTx,
  id: number,
): Promise<OffboardingRequest | undefined> {
  return trx
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** A reminder is due every `periodSeconds` after creation, while the request is pending. */
function reminderDue(periodSeconds: number, now: Date) {
  return sql<boolean>`created_at + (reminders_sent + 1) * ${periodSeconds}::float8 * interval '1 second' <= ${now}`;
}

/** Pending requests whose next approval reminder is due, with how many were sent so far. */
export async function listRequestsDueForReminder(
  db: DbOrTx,
  periodSeconds: number,
  now: Date,
): Promise<Array<{ id: number; reminders_sent: number }>> {
  // Not one reminder per person of a batch: their messages would only redraw its progress.
  return db
    .selectFrom('offboarding_requests')
    .select(['id', 'reminders_sent'])
    .where('state', '=', 'pending')
    .where('batch_id', 'is', null)
    .where('expires_at', '>', now)
    .where(reminderDue(periodSeconds, now))
    .orderBy('id')
    .execute();
}

/**
 * Compare-and-set: records that the reminder due now is sent, if nobody recorded it since
 * `seen` was read. After a long outage the count jumps to the current period: one reminder, not
 * one per missed period. Returns the request when this caller is the one to send it.
 */
export async function claimReminder(
  db: DbOrTx,
  id: number,
  seen: number,
  periodSeconds: number,
  now: Date,
): Promise<OffboardingRequest | undefined> {
  return db
    .updateTable('offboarding_requests')
    .set({
      reminders_sent: sql<number>`floor(extract(epoch from (${now}::timestamptz - created_at)) / ${periodSeconds}::float8)::int`,
    })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('reminders_sent', '=', seen)
    .where('expires_at', '>', now)
    .where(reminderDue(periodSeconds, now))
    .returningAll()
    .executeTakeFirst();
}

/**
 * The requester is warned 24 h before the request expires, or halfway through a shorter window.
 * Read from the row's own `expires_at`, however it was computed.
 */
function expiryWarningDue(now: Date) {
  return sql<boolean>`greatest(expires_at - interval '24 hours', created_at + (expires_at - created_at) / 2) <= ${now}`;
}

export async function listRequestsDueForExpiryWarning(db: DbOrTx, now: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('offboarding_requests')
    .select('id')
    .where('state', '=', 'pending')
    .where('batch_id', 'is', null)
    .where('expiry_warned_at', 'is', null)
    .where('expires_at', '>', now)
    .where(expiryWarningDue(now))
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Compare-and-set, as claimReminder: the warning is sent once, by whoever records it first. */
export async function claimExpiryWarning(
  db: DbOrTx,
  id: number,
  now: Date,
): Promise<OffboardingRequest | undefined> {
  return db
    .updateTable('offboarding_requests')
    .set({ expiry_warned_at: now })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('expiry_warned_at', 'is', null)
    .where('expires_at', '>', now)
    .where(expiryWarningDue(now))
    .returningAll()
    .executeTakeFirst();
}

/** Every request filed in [since, until), for the auditors' export. */
export async function listRequestsForExport(db: DbOrTx, since: Date, until: Date | undefined) {
  let query = db
    .selectFrom('offboarding_requests')
    .select([
      'id',
      'state',
      'created_at',
      'finished_at',
      'redacted_at',
      'target_genesys_id',
      'target_email_hash',
      'requester_platform',
      'requester_id',
      'gdpr_mode',
      'gdpr_request_id',
      'gdpr_status',
    ])
    .where('created_at', '>=', since);
  if (until) query = query.where('created_at', '<', until);
  return query.orderBy('id').execute();
}
