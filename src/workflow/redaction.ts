import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { QUEUE_SCHEMA } from '../db/prepare.js';
import { appendAudit } from '../offboarding/audit.repository.js';
import { redactSettledBatches } from '../offboarding/batch.repository.js';
import type { BatchProgressPort } from '../offboarding/batch.service.js';
import type { WorkflowPort } from '../offboarding/offboarding.service.js';
import { emailHash } from '../offboarding/record-hash.js';
import {
  lockRequestsDueForRedaction,
  purgeFinishedJobPayloads,
  redactRequestRecords,
} from '../offboarding/redaction.repository.js';
import { SLACK_COMMAND_QUEUE } from '../slack/command-queue.js';
import { TEAMS_COMMAND_QUEUE } from '../teams/command-queue.js';

export interface RedactionDeps {
  db: Db;
  workflow: Pick<WorkflowPort, 'notify'>;
  /** RECORD_RETENTION_DAYS: how long a final request keeps the leaver's details. */
  retentionDays: number;
  recordHashKey: string;
  logger: Logger;
  now?: () => Date;
  /** Redraws a batch card once its people's names are gone. */
  batches?: Pick<BatchProgressPort, 'refresh'>;
}

const BATCH = 50;

/**
 * Removes the leaver's details from every final request whose retention period is over, and
 * job payloads finished as long ago. Called by the sweep on every instance: each request is
 * taken under a skip-locked row lock and only while not yet redacted, so it happens once; the
 * audit event and the chat update (through the notification outbox) commit with it.
 */
export async function redactDueRecords(deps: RedactionDeps): Promise<number[]> {
  const now = deps.now?.() ?? new Date();
  const cutoff = new Date(now.getTime() - deps.retentionDays * 86_400_000);
  const redacted: number[] = [];
  for (;;) {
    const batch = await deps.db.transaction().execute(async (trx) => {
      const done: number[] = [];
      for (const request of await lockRequestsDueForRedaction(trx, cutoff, BATCH)) {
        const changed = await redactRequestRecords(trx, request, {
          emailHash: emailHash(deps.recordHashKey, request.target_email),
          now,
        });
        if (!changed) continue;
        await appendAudit(trx, {
          requestId: request.id,
          event: 'redacted',
          actor: 'system',
          details: { retentionDays: deps.retentionDays },
        });
        await deps.workflow.notify(trx, request.id, {
          type: 'redacted',
          retentionDays: deps.retentionDays,
        });
        done.push(request.id);
      }
      return done;
    });
    redacted.push(...batch);
    if (batch.length < BATCH) break;
  }
  // A batch's reason goes with the last of its people's details; its card is drawn again.
  const redactedBatches = await deps.db.transaction().execute(async (trx) => {
    const ids = await redactSettledBatches(trx, now);
    for (const id of ids) await deps.batches?.refresh(trx, id);
    return ids;
  });
  const purgedJobs = await purgeFinishedJobPayloads(deps.db, {
    schema: QUEUE_SCHEMA,
    commandQueues: [SLACK_COMMAND_QUEUE.name, TEAMS_COMMAND_QUEUE.name],
    cutoff,
  });
  if (redacted.length > 0 || purgedJobs > 0 || redactedBatches.length > 0) {
    deps.logger.info(
      {
        requestIds: redacted,
        batchIds: redactedBatches,
        purgedJobs,
        retentionDays: deps.retentionDays,
      },
      "retention period over: the leavers' details were removed",
    );
  }
  return redacted;
}
