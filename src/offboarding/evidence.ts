import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DbOrTx } from '../db/database.js';
import { chainHashAt, listAuditEvents } from './audit.repository.js';
import { findDecision } from './decision.repository.js';
import { findRecordedOrganization, listGenesysCalls } from './evidence.repository.js';
import { findRequestById } from './request.repository.js';

/** What an auditor is shown of one offboarding: the JSON file, and the HTML page of the same. */
export interface EvidenceRecord {
  kind: 'genesys-offboarding-evidence';
  generatedAt: string;
  bot: { name: string; version: string };
  organization: { id: string; name: string; sandbox: boolean } | null;
  request: {
    id: number;
    state: string;
    createdAt: string;
    finishedAt: string | null;
    /** Set once the leaver's details were removed; the fields below are then null. */
    detailsRemovedAt: string | null;
    target: {
      genesysUserId: string;
      name: string | null;
      email: string | null;
      /** HMAC-SHA256 of the email under RECORD_HASH_KEY; kept after removal. */
      emailHash: string | null;
    };
    requestedBy: { platform: string; id: string; name: string | null };
    reason: string | null;
  };
  decision: {
    decision: string;
    by: { name: string | null; platform: string; id: string };
    at: string;
  } | null;
  genesysCalls: Array<{
    step: string;
    operation: string;
    method: string;
    at: string;
    httpStatus: number | null;
    correlationId: string | null;
  }>;
  gdprRequest: {
    id: string;
    type: 'GDPR_DELETE' | 'GDPR_UPDATE';
    finalStatus: string | null;
    filedAt: string | null;
    finalStatusAt: string | null;
  } | null;
  /** The audit chain's link at the request's completion: `npm run audit -- --verify` checks it. */
  auditChainAtCompletion: { seq: string; hash: string; at: string } | null;
}

function botPackage(): { name: string; version: string } {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const parsed = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      return { name: parsed.name ?? 'unknown', version: parsed.version ?? 'unknown' };
    } catch {
      const parent = path.dirname(folder);
      if (parent === folder) return { name: 'unknown', version: 'unknown' };
      folder = parent;
    }
  }
}

const iso = (date: Date | null | undefined): string | null => date?.toISOString() ?? null;

export async function buildEvidence(
  db: DbOrTx,
  requestId: number,
  now: Date = new Date(),
): Promise<EvidenceRecord | undefined> {
  const request = await findRequestById(db, requestId);
  if (!request) return undefined;
  const decision = await findDecision(db, requestId);
  const calls = await listGenesysCalls(db, requestId);
  const events = await listAuditEvents(db, requestId);
  const redacted = request.redacted_at !== null;
  const gdprEvents = events.filter((event) => event.event === 'gdpr_status_changed');
  const lastGdpr = gdprEvents.at(-1);
  const filing = calls.find((call) => call.step === 'file_gdpr' && call.status !== null);
  const completion = await chainHashAt(db, requestId, 'completed');
  const organization = await findRecordedOrganization(db);
  return {
    kind: 'genesys-offboarding-evidence',
    generatedAt: now.toISOString(),
    bot: botPackage(),
    organization: organization ?? null,
    request: {
      id: request.id,
      state: request.state,
      createdAt: request.created_at.toISOString(),
      finishedAt: iso(request.finished_at),
      detailsRemovedAt: iso(request.redacted_at),
      target: {
        genesysUserId: request.target_genesys_id,
        name: redacted ? null : request.target_name,
        email: redacted ? null : request.target_email,
        emailHash: request.target_email_hash,
      },
      requestedBy: {
        platform: request.requester_platform,
        id: request.requester_id,
        name: request.requester_name,
      },
      reason: redacted ? null : request.reason,
    },
    decision: decision
      ? {
          decision: decision.decision,
          by: {
            name: decision.decider_name,
            platform: decision.decider_platform,
            id: decision.decider_id,
          },
          at: decision.decided_at.toISOString(),
        }
      : null,
    genesysCalls: calls.map((call) => ({
      step: call.step,
      operation: call.operation,
      method: call.method,
      at: call.called_at.toISOString(),
      httpStatus: call.status,
      correlationId: call.correlation_id,
    })),
    gdprRequest:
      request.gdpr_request_id && request.gdpr_mode !== 'none'
        ? {
            id: request.gdpr_request_id,
            type: request.gdpr_mode === 'delete' ? 'GDPR_DELETE' : 'GDPR_UPDATE',
            finalStatus: request.gdpr_status,
            filedAt: iso(filing?.called_at),
            finalStatusAt: iso(lastGdpr?.created_at),
          }
        : null,
    auditChainAtCompletion: completion
      ? { seq: completion.seq, hash: completion.hash, at: completion.at.toISOString() }
      : null,
  };
}

function escapeHtml(value: unknown): string {
  return String(value ?? '—')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function rows(pairs: Array<[string, unknown]>): string {
  return pairs
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
}

/** A self-contained page (no script, no external resource) of the same record; prints to PDF. */
export function renderEvidenceHtml(record: EvidenceRecord): string {
  const { request, decision, gdprRequest, organization } = record;
  const calls = record.genesysCalls
    .map(
      (call) =>
        `<tr><td>${escapeHtml(call.step)}</td><td>${escapeHtml(`${call.method} ${call.operation}`)}</td><td>${escapeHtml(call.at)}</td><td>${escapeHtml(call.httpStatus ?? 'no answer')}</td><td><code>${escapeHtml(call.correlationId)}</code></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Offboarding evidence: request #${escapeHtml(request.id)}</title>
<style>
body { font: 14px/1.5 system-ui, sans-serif; margin: 2rem; color: #111; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } code { font-size: 12px; word-break: break-all; }
@media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>Offboarding evidence: request #${escapeHtml(request.id)}</h1>
<p>Generated ${escapeHtml(record.generatedAt)} by ${escapeHtml(record.bot.name)} ${escapeHtml(record.bot.version)}.</p>
<h2>Request</h2>
<table>
${rows([
  ['State', request.state],
  [
    'Genesys organization',
    organization
      ? `${organization.name} (${organization.id})${organization.sandbox ? ', sandbox' : ''}`
      : null,
  ],
  ['Genesys user id', request.target.genesysUserId],
  ['Name', request.target.name ?? (request.detailsRemovedAt ? 'removed' : null)],
  ['Email', request.target.email ?? (request.detailsRemovedAt ? 'removed' : null)],
  ['Email hash (HMAC-SHA256)', request.target.emailHash],
  ['Requested', request.createdAt],
  [
    'Requested by',
    `${request.requestedBy.name ?? '?'} (${request.requestedBy.platform}:${request.requestedBy.id})`,
  ],
  ['Reason', request.reason ?? (request.detailsRemovedAt ? 'removed' : null)],
  ['Finished', request.finishedAt],
  ['Details removed', request.detailsRemovedAt],
])}
</table>
<h2>Approval</h2>
<table>
${rows(
  decision
    ? [
        ['Decision', decision.decision],
        ['By', `${decision.by.name ?? '?'} (${decision.by.platform}:${decision.by.id})`],
        ['At', decision.at],
      ]
    : [['Decision', 'none recorded']],
)}
</table>
<h2>Genesys calls</h2>
<table>
<tr><th>Step</th><th>Call</th><th>Time</th><th>HTTP status</th><th>Correlation id</th></tr>
${calls}
</table>
<h2>GDPR request</h2>
<table>
${rows(
  gdprRequest
    ? [
        ['Id', gdprRequest.id],
        ['Type', gdprRequest.type],
        ['Final status', gdprRequest.finalStatus],
        ['Filed', gdprRequest.filedAt],
        ['Status reached', gdprRequest.finalStatusAt],
      ]
    : [['GDPR request', 'none filed']],
)}
</table>
<h2>Audit chain</h2>
<table>
${rows(
  record.auditChainAtCompletion
    ? [
        ['Link at completion', record.auditChainAtCompletion.seq],
        ['Hash', record.auditChainAtCompletion.hash],
        ['At', record.auditChainAtCompletion.at],
      ]
    : [['Link at completion', 'not completed']],
)}
</table>
<p>Check the chain with <code>npm run audit -- --verify</code>: the hash above must be the one stored at that link.</p>
</body>
</html>
`;
}

/** The two files' names for a request. */
export function evidenceFileNames(requestId: number): { json: string; html: string } {
  return {
    json: `offboarding-${requestId}-evidence.json`,
    html: `offboarding-${requestId}-evidence.html`,
  };
}

/** Both files of a request's evidence, named and rendered as the CLI writes them. */
export function buildEvidenceFiles(
  record: EvidenceRecord,
): [{ name: string; content: string }, { name: string; content: string }] {
  const names = evidenceFileNames(record.request.id);
  return [
    { name: names.json, content: `${JSON.stringify(record, null, 2)}\n` },
    { name: names.html, content: renderEvidenceHtml(record) },
  ];
}
