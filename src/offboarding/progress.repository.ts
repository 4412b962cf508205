import type { DbOrTx } from '../db/database.js';
import type { StepRecord } from './progress.js';

/** The request's steps as the card shows them, in the order the run takes them. */
export async function listStepRecords(db: DbOrTx, requestId: number): Promise<StepRecord[]> {
  return db
    .selectFrom('workflow_steps')
    .select(['step', 'status', 'result', 'updated_at'])
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}
