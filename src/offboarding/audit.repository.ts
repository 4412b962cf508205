import type { DbOrTx } from '../db/database.js';
import type { AuditEvent, AuditEventName } from './audit.table.js';

export async function appendAudit(
  db: DbOrTx,
  entry: { requestId: number | null; event: AuditEventName; actor?: string; details?: object },
): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      request_id: entry.requestId,
      event: entry.event,
      actor: entry.actor ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export async function listAuditEvents(db: DbOrTx, requestId: number): Promise<AuditEvent[]> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}
