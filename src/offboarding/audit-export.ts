import type { DbOrTx } from '../db/database.js';
import { listDecisionsForRequests } from './decision.repository.js';
import type { Decision } from './decision.table.js';
import { listRequestsForExport } from './request.repository.js';

export const EXPORT_COLUMNS = [
  'request_id',
  'state',
  'created_at',
  'decision',
  'decided_at',
  'approvals',
  'decider',
  'decider_name',
  'finished_at',
  'details_removed_at',
  'requester',
  'genesys_user_id',
  'email_hash',
  'gdpr_mode',
  'gdpr_request_id',
  'gdpr_status',
] as const;

export type ExportRecord = Record<(typeof EXPORT_COLUMNS)[number], string | number | null>;

/** Several approvers share one cell, in the order they decided. */
const SEPARATOR = '; ';

/**
 * One record per request filed in [since, until): ids, dates, states, deciders and GDPR
 * outcomes, and nothing of the leaver but their ids and the email's keyed hash. With
 * APPROVALS_REQUIRED above 1, a request still has one record: its deciders in one cell, and
 * `decision`/`decided_at` from the decision that settled it (the last one).
 */
export async function auditExportRecords(
  db: DbOrTx,
  since: Date,
  until: Date | undefined,
): Promise<ExportRecord[]> {
  const requests = await listRequestsForExport(db, since, until);
  const decisions = await listDecisionsForRequests(
    db,
    requests.map((request) => request.id),
  );
  const byRequest = new Map<number, Decision[]>();
  for (const decision of decisions) {
    byRequest.set(decision.request_id, [...(byRequest.get(decision.request_id) ?? []), decision]);
  }
  return requests.map((row) => {
    const its = byRequest.get(row.id) ?? [];
    const last = its.at(-1);
    return {
      request_id: row.id,
      state: row.state,
      created_at: row.created_at.toISOString(),
      decision: last?.decision ?? null,
      decided_at: last?.decided_at.toISOString() ?? null,
      approvals: its.filter((d) => d.decision === 'approved').length,
      decider: its.length
        ? its.map((d) => `${d.decider_platform}:${d.decider_id}`).join(SEPARATOR)
        : null,
      decider_name: its.length ? its.map((d) => d.decider_name ?? '?').join(SEPARATOR) : null,
      finished_at: row.finished_at?.toISOString() ?? null,
      details_removed_at: row.redacted_at?.toISOString() ?? null,
      requester: `${row.requester_platform}:${row.requester_id}`,
      genesys_user_id: row.target_genesys_id,
      email_hash: row.target_email_hash,
      gdpr_mode: row.gdpr_mode,
      gdpr_request_id: row.gdpr_request_id,
      gdpr_status: row.gdpr_status,
    };
  });
}
