import { listAuditEvents } from '../offboarding/audit.repository.js';
import { listDecisions } from '../offboarding/decision.repository.js';
import { findRequestById } from '../offboarding/request.repository.js';
import { listSteps } from '../workflow/step.repository.js';
import { openConfiguredDatabase, requestIdArgument } from './open-database.js';

/** `npm run audit -- <request id>`: everything recorded about one request, oldest first. */
async function run(): Promise<void> {
  const requestId = requestIdArgument('Usage: npm run audit -- <request id>');
  const database = await openConfiguredDatabase();
  try {
    const request = await findRequestById(database.db, requestId);
    if (!request) {
      process.stderr.write(`There is no request #${requestId}.\n`);
      process.exitCode = 1;
      return;
    }
    const decisions = await listDecisions(database.db, requestId);
    const line = (text: string) => process.stdout.write(`${text}\n`);
    line(`Request #${request.id}: ${request.state}`);
    line(
      `  target     ${request.target_name} <${request.target_email}> (Genesys ${request.target_genesys_id})`,
    );
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
