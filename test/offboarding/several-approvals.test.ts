import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import type { GenesysClient, GenesysUser } from '../../src/genesys/types.js';
import { auditExportRecords } from '../../src/offboarding/audit-export.js';
import { OffboardingService } from '../../src/offboarding/offboarding.service.js';
import type { Actor } from '../../src/offboarding/policy.js';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import { stepsFor } from '../../src/offboarding/steps.js';
import { type JobQueue, startJobQueue } from '../../src/workflow/queue.js';
import { WorkflowRunner } from '../../src/workflow/runner.js';
import { TEST_RECORD_HASH_KEY } from '../helpers/bot-harness.js';
import {
  createPostgresTestDatabase,
  hasPostgres,
  type TestDatabase,
} from '../helpers/test-database.js';

// APPROVALS_REQUIRED = 2, through the real service and the real workflow runner (step rows and
// pg-boss jobs) on PostgreSQL. Two service instances, each with its own connection pool, stand
// for two bot instances taking the clicks of two approvers at the same moment. Genesys is never
// called here: only the start of the run is looked at (no worker takes the jobs).

const silent = pino({ level: 'silent' });
const REQUESTER: Actor = { platform: 'slack', id: 'U0REQ', name: 'req', email: 'req@example.com' };
const ADAM: Actor = { platform: 'slack', id: 'U0ADAM', name: 'adam', email: 'adam@example.com' };
const ANN: Actor = { platform: 'slack', id: 'U0ANN', name: 'ann', email: 'ann@example.com' };
/** Adam again, clicking on Teams: another account, the same person (his email, other case). */
const ADAM_ON_TEAMS: Actor = {
  platform: 'teams',
  id: 'aad-adam',
  name: 'Adam (Teams)',
  email: 'Adam@Example.com',
};

function genesysUser(email: string): GenesysUser {
  return { id: `genesys-${email}`, name: email, email, state: 'active', version: 1 };
}

const notCalled = () => Promise.reject(new Error('Genesys is not called in these tests'));
const genesys: GenesysClient = {
  findUsersByEmail: async (email) => [genesysUser(email.toLowerCase())],
  getUser: async () => undefined,
  revokeTokens: notCalled,
  softDeleteUser: notCalled,
  restoreUser: notCalled,
  createGdprRequest: notCalled,
  getGdprRequest: notCalled,
  listGdprRequests: notCalled,
  getOrganization: notCalled,
  searchUsers: notCalled,
};

interface Instance {
  pool: DatabaseHandle;
  service: OffboardingService;
}

let database: TestDatabase & { url: string };
let queue: JobQueue;
const instances: Instance[] = [];
let people = 0;

function startInstance(url: string): Instance {
  const pool = createDatabase(url, { max: 4 });
  const everyoneMay = { canRequest: async () => true, isApprover: async () => true };
  const runner = new WorkflowRunner({
    locks: pool.locks,
    queue,
    genesys,
    logger: silent,
    gdprPollIntervalSeconds: 1,
  });
  const service = new OffboardingService({
    db: pool.db,
    genesys,
    gdprMode: 'delete',
    requestExpiryHours: 24,
    approvalsRequired: 2,
    recordHashKey: TEST_RECORD_HASH_KEY,
    policies: { slack: everyoneMay, teams: everyoneMay },
    workflow: runner,
    logger: silent,
  });
  return { pool, service };
}

beforeAll(async () => {
  if (!hasPostgres) return;
  database = await createPostgresTestDatabase();
  queue = await startJobQueue({ connectionString: database.url, logger: silent });
  instances.push(startInstance(database.url), startInstance(database.url));
});

afterAll(async () => {
  if (!hasPostgres) return;
  await queue.stop({ graceful: false, wait: true });
  for (const instance of instances) await instance.pool.close();
  await database.drop();
});

function instance(index: number): Instance {
  const found = instances[index];
  if (!found) throw new Error(`no instance ${index}`);
  return found;
}

async function newRequest(): Promise<OffboardingRequest> {
  people += 1;
  const outcome = await instance(0).service.requestOffboarding({
    requester: REQUESTER,
    targetEmail: `leaver${people}@example.com`,
    reason: undefined,
  });
  if (outcome.kind !== 'created') throw new Error(`not created: ${outcome.kind}`);
  return outcome.request;
}

function decide(
  which: number,
  request: OffboardingRequest,
  actor: Actor,
  decision: 'approved' | 'rejected' = 'approved',
) {
  return instance(which).service.decide({
    requestId: request.id,
    actor,
    decision,
    proof: { token: request.decision_token ?? undefined },
  });
}

/** What was set in motion for a request: its state, decisions, step rows, jobs, audit. */
async function consequences(requestId: number) {
  const db = database.db;
  const request = await db
    .selectFrom('offboarding_requests')
    .select('state')
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  const decisions = await db
    .selectFrom('decisions')
    .select(['decision', 'decider_email'])
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
  const steps = await db
    .selectFrom('workflow_steps')
    .select('step')
    .where('request_id', '=', requestId)
    .execute();
  const jobs = await sql<{ count: string }>`select count(*) as count from pgboss.job
    where name = 'offboarding-step' and data->>'requestId' = ${String(requestId)}`.execute(db);
  const audit = await db
    .selectFrom('audit_events')
    .select('event')
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
  return {
    state: request.state,
    decisions,
    steps: steps.length,
    jobs: Number(jobs.rows[0]?.count),
    audit: audit.map((row) => row.event),
  };
}

describe.skipIf(!hasPostgres)('two approvals needed', () => {
  it('the first approval is recorded and audited, and nothing starts', async () => {
    const request = await newRequest();
    const outcome = await decide(0, request, ADAM);
    expect(outcome).toMatchObject({ kind: 'approval_recorded', required: 2 });
    expect(await consequences(request.id)).toEqual({
      state: 'pending',
      decisions: [{ decision: 'approved', decider_email: 'adam@example.com' }],
      steps: 0,
      jobs: 0,
      audit: ['requested', 'approval_recorded'],
    });
  });

  it('the same person on the other platform counts once, and is told so', async () => {
    const request = await newRequest();
    await decide(0, request, ADAM);
    const again = await decide(1, request, ADAM_ON_TEAMS);
    expect(again).toMatchObject({ kind: 'already_approved_by_you', required: 2 });
    const twice = await decide(1, request, ADAM);
    expect(twice.kind).toBe('already_approved_by_you');
    const after = await consequences(request.id);
    expect(after).toMatchObject({ state: 'pending', steps: 0, jobs: 0 });
    expect(after.decisions).toHaveLength(1);
  });

  it('the second distinct approver starts the run, once', async () => {
    const request = await newRequest();
    await decide(0, request, ADAM);
    const outcome = await decide(1, request, ANN);
    expect(outcome.kind).toBe('decided');
    const after = await consequences(request.id);
    expect(after).toMatchObject({
      state: 'approved',
      steps: stepsFor('delete').length,
      jobs: 1,
      audit: ['requested', 'approval_recorded', 'approved'],
    });
    expect(after.decisions.map((d) => d.decider_email)).toEqual([
      'adam@example.com',
      'ann@example.com',
    ]);
  });

  it('one Reject ends the request, whatever approvals it has; nothing starts', async () => {
    const request = await newRequest();
    await decide(0, request, ADAM);
    expect((await decide(1, request, ANN, 'rejected')).kind).toBe('decided');
    expect((await decide(0, request, ADAM_ON_TEAMS)).kind).toBe('already_decided');
    expect(await consequences(request.id)).toMatchObject({
      state: 'rejected',
      steps: 0,
      jobs: 0,
      audit: ['requested', 'approval_recorded', 'rejected'],
    });
  });

  it('two approvers racing on two instances: exactly one run per request', async () => {
    const requests = await Promise.all(Array.from({ length: 8 }, () => newRequest()));
    await Promise.all(
      requests.flatMap((request) => [
        decide(0, request, ADAM),
        decide(1, request, ANN),
        // The same people clicking again at the same moment, from the other instance.
        decide(1, request, ADAM),
        decide(0, request, ANN),
      ]),
    );
    for (const request of requests) {
      const after = await consequences(request.id);
      expect(after.state).toBe('approved');
      expect(after.decisions).toHaveLength(2);
      expect(after.steps).toBe(stepsFor('delete').length);
      expect(after.jobs).toBe(1);
      expect(after.audit.filter((event) => event === 'approved')).toHaveLength(1);
      expect(after.audit.filter((event) => event === 'approval_recorded')).toHaveLength(1);
    }
  });

  it('the auditors’ export has one record per request, naming both approvers', async () => {
    const since = new Date();
    const request = await newRequest();
    await decide(0, request, ADAM);
    await decide(1, request, ANN);
    const records = await auditExportRecords(database.db, since, undefined);
    expect(records.map((r) => r.request_id)).toEqual([request.id]);
    expect(records[0]).toMatchObject({
      state: 'approved',
      decision: 'approved',
      approvals: 2,
      decider: `slack:${ADAM.id}; slack:${ANN.id}`,
      decider_name: `${ADAM.name}; ${ANN.name}`,
    });
  });
});
