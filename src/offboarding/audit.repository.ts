import { sql } from 'kysely';
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

/** One link of the audit hash chain with its event as the database canonicalises it. */
export interface AuditChainRow {
  seq: string | null;
  /** The event the link seals; null when the link names an event that no longer exists. */
  eventId: string | null;
  linkedEventId: string | null;
  hash: string | null;
  /** audit_event_canonical(event): what the link's hash covers. Null without the event. */
  canonical: string | null;
}

/**
 * The whole chain in order, then any event without a link (written with the chain's trigger
 * switched off). Links are ordered by `seq`, the commit order, not by event id.
 */
export async function listAuditChain(db: DbOrTx): Promise<AuditChainRow[]> {
  const result = await sql<AuditChainRow>`
    select h.seq::text as "seq", e.id::text as "eventId", h.event_id::text as "linkedEventId",
      h.hash as "hash", audit_event_canonical(e) as "canonical"
    from audit_event_hashes h
    full join audit_events e on e.id = h.event_id
    order by h.seq nulls last, e.id`.execute(db);
  return result.rows;
}

/** The chain's hash at the request's last event named `event` (its completion), if sealed. */
export async function chainHashAt(
  db: DbOrTx,
  requestId: number,
  event: AuditEventName,
): Promise<{ seq: string; hash: string; at: Date } | undefined> {
  const row = await db
    .selectFrom('audit_events as e')
    .innerJoin('audit_event_hashes as h', 'h.event_id', 'e.id')
    .select(['h.seq', 'h.hash', 'e.created_at'])
    .where('e.request_id', '=', requestId)
    .where('e.event', '=', event)
    .orderBy('e.id', 'desc')
    .executeTakeFirst();
  return row && { seq: String(row.seq), hash: row.hash, at: row.created_at };
}
