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

export async function findLatestRequestForEmail(
  db: DbOrTx,
  email: string,
): Promise<OffboardingRequest | undefined> {
  return db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['target_email']), '=', email.toLowerCase()))
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
  return db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('state', '=', 'pending')
    .where('expires_at', '>', now)
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
