import type { DbOrTx } from '../db/database.js';
import { listBatchReportRows } from './batch.repository.js';
import { REMOVED } from './redaction.repository.js';

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

/**
 * Genesys's error text may quote the person; the file, once in the chat, is not redacted with
 * the request, so it never names them.
 */
function withoutPerson(row: {
  failure_reason: string | null;
  target_name: string;
  target_email: string;
}): string | null {
  if (row.failure_reason === null) return null;
  return [row.target_email, row.target_name]
    .filter((value) => value !== '')
    .reduce((text, value) => text.split(value).join(REMOVED), row.failure_reason);
}

/** The CSV report of a batch's run: one row per person, in the order they were filed. */
export async function batchReportCsv(db: DbOrTx, batchId: number): Promise<string> {
  const lines = [BATCH_REPORT_COLUMNS.join(',')];
  for (const row of await listBatchReportRows(db, batchId)) {
    lines.push(
      [row.target_genesys_id, row.state, row.gdpr_request_id, withoutPerson(row)]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
