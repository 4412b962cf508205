import type { DbOrTx } from '../db/database.js';
import type { Decision, NewDecision } from './decision.table.js';

export async function insertDecision(db: DbOrTx, values: NewDecision): Promise<Decision> {
  return db.insertInto('decisions').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findDecision(db: DbOrTx, requestId: number): Promise<Decision | undefined> {
  return db
    .selectFrom('decisions')
    .selectAll()
    .where('request_id', '=', requestId)
    .executeTakeFirst();
}
