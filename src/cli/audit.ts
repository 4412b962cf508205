import { loadDotEnv } from '../env-file.js';
import { listAuditEvents } from '../offboarding/audit.repository.js';
import { verifyAuditChain } from '../offboarding/audit-chain.js';
import { auditExportRecords, EXPORT_COLUMNS } from '../offboarding/audit-export.js';
import { findBatchById } from '../offboarding/batch.repository.js';
import { batchReportCsv } from '../offboarding/batch-report.js';
import { listDecisions } from '../offboarding/decision.repository.js';
import { findRequestById } from '../offboarding/request.repository.js';
import { listSteps } from '../workflow/step.repository.js';
import { openConfiguredDatabase } from './open-database.js';

loadDotEnv();

const USAGE = `Usage:
  npm run audit -- <request id>                      everything recorded about one request
  npm run audit -- --verify                          check the audit log's hash chain
  npm run audit -- --batch <batch id>                a bulk offboarding's CSV report
  npm run audit -- --since YYYY-MM-DD [--until YYYY-MM-DD] --format csv|jsonl
                                                     every request filed in the period`;

const line = (text: string) => process.stdout.write(`${text}\n`);

function usage(problem?: string): never {
  process.stderr.write(`${problem ? `${problem}\n` : ''}${USAGE}\n`);
  process.exit(64);
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) usage(`${name} needs a value.`);
  return value;
}

function dateOption(args: string[], name: string): Date | undefined {
  const value = option(args, name);
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    usage(`${name} ${JSON.stringify(value)} is not a date; use YYYY-MM-DD.`);
  }
  return date;
}

async function run(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--verify')) return verify();
  if (args.includes('--batch')) {
    const raw = option(args, '--batch')?.replace(/^#/, '');
    if (!raw || !/^\d+$/.test(raw)) usage('--batch needs the number of a bulk offboarding.');
    return printBatchReport(Number(raw));
  }
  if (args.includes('--since')) {
    const since = dateOption(args, '--since') as Date;
    const until = dateOption(args, '--until');
    const format = option(args, '--format') ?? 'csv';
    if (format !== 'csv' && format !== 'jsonl') {
      usage(`--format ${JSON.stringify(format)} is not known; use csv or jsonl.`);
    }
    return exportRequests(since, until, format);
  }
  const raw = args[0]?.replace(/^#/, '');
  if (!raw || !/^\d+$/.test(raw)) usage();
  return describeRequest(Number(raw));
}

/**
 * The same CSV as the end-of-run report (one row per person: Genesys id, outcome, GDPR request
 * id, error): Teams cannot carry the file, so its report card points here.
 */
async function printBatchReport(batchId: number): Promise<void> {
  const database = await openConfiguredDatabase('npm run audit');
  try {
    if (!(await findBatchById(database.db, batchId))) {
      process.stderr.write(`There is no bulk offboarding #${batchId}.\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(await batchReportCsv(database.db, batchId));
  } finally {
    await database.close();
  }
}

/** Exit code 1 and the first broken link when the chain does not hold. */
async function verify(): Promise<void> {
  const database = await openConfiguredDatabase('npm run audit');
  try {
    const verdict = await verifyAuditChain(database.db);
    if (verdict.intact) {
      line(
        `Audit chain intact: ${verdict.links} events${verdict.head ? `, head ${verdict.head}` : ''}.`,
      );
      return;
    }
    const { broken } = verdict;
    line(
      `Audit chain BROKEN at ${broken.seq === undefined ? 'an unlinked event' : `link ${broken.seq}`}${broken.eventId ? ` (audit event #${broken.eventId})` : ''}: ${broken.problem}. ${verdict.linksVerified} links before it verified.`,
    );
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Ids, dates, states, deciders and GDPR outcomes; no detail of the leaver but their ids. */
async function exportRequests(
  since: Date,
  until: Date | undefined,
  format: 'csv' | 'jsonl',
): Promise<void> {
  const database = await openConfiguredDatabase('npm run audit');
  try {
    const records = await auditExportRecords(database.db, since, until);
    if (format === 'csv') line(EXPORT_COLUMNS.join(','));
    for (const record of records) {
      line(
        format === 'csv'
          ? EXPORT_COLUMNS.map((column) => csvCell(record[column])).join(',')
          : JSON.stringify(record),
      );
    }
  } finally {
    await database.close();
  }
}

/** `npm run audit -- <request id>`: everything recorded about one request, oldest first. */
async function describeRequest(requestId: number): Promise<void> {
  const database = await openConfiguredDatabase('npm run audit');
  try {
    const request = await findRequestById(database.db, requestId);
    if (!request) {
      process.stderr.write(`There is no request #${requestId}.\n`);
      process.exitCode = 1;
      return;
    }
    const decisions = await listDecisions(database.db, requestId);
    line(`Request #${request.id}: ${request.state}`);
    line(
      `  target     ${request.target_name} <${request.target_email}> (Genesys ${request.target_genesys_id})`,
    );
    if (request.redacted_at)
      line(`  removed    details removed ${request.redacted_at.toISOString()}`);
    line(
      `  requested  ${request.created_at.toISOString()} by ${request.requester_platform}:${request.requester_id} (${request.requester_name ?? '?'})`,
    );
    line(`  reason     ${request.reason ?? '-'}`);
    line(
      `  GDPR       mode ${request.gdpr_mode}, request ${request.gdpr_request_id ?? '-'}, status ${request.gdpr_status ?? '-'}`,
    );
    // Several approvers (APPROVALS_REQUIRED): one line per person's approval, then any rejection.
    for (const decision of decisions) {
      line(
        `  decision   ${decision.decision} ${decision.decided_at.toISOString()} by ${decision.decider_platform}:${decision.decider_id} (${decision.decider_name ?? '?'})`,
      );
    }
    if (request.failure_reason) line(`  failure    ${request.failure_reason}`);
    line('Steps:');
    for (const step of await listSteps(database.db, requestId)) {
      line(
        `  ${step.step.padEnd(14)} ${step.status.padEnd(10)} attempts ${step.attempts}${step.correlation_id ? ` correlation ${step.correlation_id}` : ''}${step.error_message ? ` error ${step.error_code}: ${step.error_message}` : ''}`,
      );
    }
    line('Audit trail:');
    for (const event of await listAuditEvents(database.db, requestId)) {
      line(
        `  ${event.created_at.toISOString()} ${event.event.padEnd(20)} ${event.actor ?? ''} ${JSON.stringify(event.details)}`,
      );
    }
  } finally {
    await database.close();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
