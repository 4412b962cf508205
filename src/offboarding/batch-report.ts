import type { DbOrTx } from '../db/database.js';
import { listBatchReportRows } from './batch.repository.js';

/** The report's columns (issue 15): ids and outcomes only, no names or emails. */
export const BATCH_REPORT_COLUMNS = [
  'genesys_user_id',
  'outcome',
  'gdpr_request_id',
  'error',
] as const;

/**
 * One cell: quoted when it holds a comma, a quote or a line break; a text a spreadsheet would
 * read as a formula (Genesys error messages are free text) is prefixed with a quote mark.
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV report of a batch's run: one row per person, in the order they were filed. */
export async function batchReportCsv(db: DbOrTx, batchId: number): Promise<string> {
  const lines = [BATCH_REPORT_COLUMNS.join(',')];
  for (const row of await listBatchReportRows(db, batchId)) {
    lines.push(
      [row.target_genesys_id, row.state, row.gdpr_request_id, row.failure_reason]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
