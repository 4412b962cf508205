import type { DbOrTx } from '../db/database.js';
import type { JournalledCall } from '../genesys/call-journal.js';
import type { GenesysCallRow } from './audit.table.js';

/** Records the Genesys calls one attempt of a step made (committed at once, outcome or not). */
export async function insertGenesysCalls(
  db: DbOrTx,
  requestId: number,
  step: string,
  calls: readonly JournalledCall[],
): Promise<void> {
  if (calls.length === 0) return;
  await db
    .insertInto('genesys_calls')
    .values(
      calls.map((call) => ({
        request_id: requestId,
        step,
        operation: call.operation,
        method: call.method,
        status: call.status ?? null,
        correlation_id: call.correlationId ?? null,
        called_at: call.at,
      })),
    )
    .execute();
}

export async function listGenesysCalls(db: DbOrTx, requestId: number): Promise<GenesysCallRow[]> {
  return db
    .selectFrom('genesys_calls')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}

/** The Genesys organization this database is about (recorded at the bot's first start). */
export async function findRecordedOrganization(
  db: DbOrTx,
): Promise<{ id: string; name: string; sandbox: boolean } | undefined> {
  const row = await db
    .selectFrom('genesys_organization')
    .select(['org_id', 'org_name', 'sandbox'])
    .executeTakeFirst();
  return row && { id: row.org_id, name: row.org_name, sandbox: row.sandbox };
}
