import type { DbOrTx } from '../db/database.js';
import type { Decision, NewDecision } from './decision.table.js';

export async function insertDecision(db: DbOrTx, values: NewDecision): Promise<Decision> {
  return db.insertInto('decisions').values(values).returningAll().executeTakeFirstOrThrow();
}

/**
 * Records one person's approval; undefined when that person (by email) had already approved
 * the request, so a second click, or a click on the other platform, adds nothing.
 */
export async function insertApproval(
  db: DbOrTx,
  values: Omit<NewDecision, 'decision'> & { decider_email: string },
): Promise<Decision | undefined> {
  return db
    .insertInto('decisions')
    .values({ ...values, decision: 'approved' })
    .onConflict((oc) =>
      oc.columns(['request_id', 'decider_email']).where('decision', '=', 'approved').doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
}

/** The decision that settled the request: its rejection, or the approval that completed it. */
export async function findDecision(db: DbOrTx, requestId: number): Promise<Decision | undefined> {
  return db
    .selectFrom('decisions')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Every approval of the request, in the order they came. */
export async function listApprovals(db: DbOrTx, requestId: number): Promise<Decision[]> {
  return db
    .selectFrom('decisions')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('decision', '=', 'approved')
    .orderBy('id')
    .execute();
}

/** Every decision recorded for the request (each approval, a rejection), oldest first. */
export async function listDecisions(db: DbOrTx, requestId: number): Promise<Decision[]> {
  return db
    .selectFrom('decisions')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}

/** The decisions on several requests, each request's in the order they were made. */
export async function listDecisionsForRequests(
  db: DbOrTx,
  requestIds: readonly number[],
): Promise<Decision[]> {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('decisions')
    .selectAll()
    .where('request_id', 'in', requestIds)
    .orderBy('request_id')
    .orderBy('id')
    .execute();
}
