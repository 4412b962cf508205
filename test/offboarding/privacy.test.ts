import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/offboarding/audit-chain.js';
import { emailHash } from '../../src/offboarding/record-hash.js';
import {
  CHANNEL,
  type Harness,
  JANE,
  NOTIFY_CHANNEL,
  startHarness,
  TEST_RECORD_HASH_KEY,
} from '../helpers/bot-harness.js';
import { hasPostgres } from '../helpers/test-database.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

let harness: Harness | undefined;
let folder: string | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

/** Runs one of the project's CLI tools against the harness's database, as an operator would. */
async function cli(h: Harness, script: string, args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: h.database.url,
    LOG_LEVEL: 'silent',
  };
  for (const name of ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'MICROSOFT_APP_ID']) {
    delete env[name];
  }
  try {
    const { stdout } = await run(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'src/cli', script), ...args],
      { env, cwd: ROOT },
    );
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: `${failed.stdout}${failed.stderr}` };
  }
}

/** Files Jane's offboarding, approves it and waits until it is completed and told. */
async function completedOffboarding(h: Harness) {
  await h.command(`${JANE.email} Moving to a competitor, confidential`);
  await h.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === CHANNEL && !c.args.thread_ts,
    10_000,
  );
  const request = await h.waitFor('request row', () =>
    h.database.db.selectFrom('offboarding_requests').selectAll().executeTakeFirst(),
  );
  const card = h.slack.messages(CHANNEL).find((m) => m.threadTs === undefined);
  if (!card) throw new Error('no request card');
  await h.click('approve', request.id, card.ts);
  await h.waitFor('completion', async () => {
    const row = await h.bot.service.findRequest(request.id);
    return row?.state === 'completed' ? row : undefined;
  });
  await h.waitFor('notice', () =>
    h.slack.messages(NOTIFY_CHANNEL).some((m) => m.text?.includes('Offboarded')),
  );
  return { request, cardTs: card.ts };
}

describe.skipIf(!hasPostgres)('privacy and evidence (PostgreSQL)', () => {
  it('after completion and the retention period, pg_dump holds neither the email nor the name', async () => {
    // A retention of two seconds, so the test can wait it out.
    harness = await startHarness({ retentionDays: 2 / 86_400 });
    const h = harness;
    const { request, cardTs } = await completedOffboarding(h);

    // The audit log never held the leaver's details, even before the retention period is over.
    const auditText = JSON.stringify(
      await h.database.db.selectFrom('audit_events').select(['actor', 'details']).execute(),
    );
    expect(auditText).not.toContain(JANE.email);
    expect(auditText).not.toContain(JANE.name);
    expect(auditText).not.toContain('competitor');

    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await h.bot.sweep();
    // A second sweep (another instance, say) finds nothing more to do.
    await h.bot.sweep();

    const row = await h.bot.service.findRequest(request.id);
    expect(row).toMatchObject({
      state: 'completed',
      target_genesys_id: request.target_genesys_id,
      target_email_hash: emailHash(TEST_RECORD_HASH_KEY, JANE.email),
      target_title: null,
      target_department: null,
      target_division: null,
      reason: null,
    });
    expect(row?.redacted_at).toBeInstanceOf(Date);
    expect(row?.gdpr_status).toBe('COMPLETED');
    const redactedEvents = await h.database.db
      .selectFrom('audit_events')
      .select('event')
      .where('event', '=', 'redacted')
      .execute();
    expect(redactedEvents).toHaveLength(1);

    // The card and the messages that named Jane are edited in Slack.
    await h.waitFor('card edited', () =>
      h.slack.message(CHANNEL, cardTs)?.text?.includes(`Offboarded: request #${request.id}`),
    );
    // Once the redaction is delivered, nothing in the database names her: not the requests,
    // not the chat outbox, not pg-boss's jobs (the typed command) or archive.
    await h.waitFor('outbox delivered', async () => {
      const pending = await h.database.db
        .selectFrom('chat_notifications')
        .select('id')
        .where('status', '=', 'pending')
        .execute();
      return pending.length === 0;
    });
    const slackText = JSON.stringify([
      h.slack.messages(CHANNEL).map((m) => [m.text, m.blocks]),
      h.slack.messages(NOTIFY_CHANNEL).map((m) => [m.text, m.blocks]),
    ]);
    expect(slackText).not.toContain(JANE.email);
    expect(slackText).not.toContain(JANE.name);
    expect(h.slack.message(CHANNEL, cardTs)?.text).toContain('details removed after');

    const { stdout: dump } = await run('pg_dump', ['--no-owner', h.database.url as string], {
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(dump).toContain('offboarding_requests');
    expect(dump).toContain(request.target_genesys_id);
    expect(dump.toLowerCase()).not.toContain(JANE.email.toLowerCase());
    expect(dump).not.toContain(JANE.name);
    expect(dump).not.toContain('competitor');
  }, 60_000);

  it('chains the audit log, and --verify names the first broken link', async () => {
    harness = await startHarness();
    const h = harness;
    const { request } = await completedOffboarding(h);

    const intact = await verifyAuditChain(h.database.db);
    expect(intact).toMatchObject({ intact: true, head: expect.any(String) });

    // The evidence names the chain's hash at completion, the approval and each Genesys call.
    folder = await mkdtemp(path.join(os.tmpdir(), 'evidence-'));
    const evidence = await cli(h, 'evidence.ts', [String(request.id), '--out', folder]);
    expect(evidence.code).toBe(0);
    const [jsonPath, htmlPath] = evidence.stdout.trim().split('\n');
    const record = JSON.parse(await readFile(jsonPath as string, 'utf8'));
    expect(record.request.target).toMatchObject({ name: JANE.name, email: JANE.email });
    expect(record.decision.by).toMatchObject({ platform: 'slack' });
    expect(record.gdprRequest).toMatchObject({ type: 'GDPR_DELETE', finalStatus: 'COMPLETED' });
    expect(record.organization.id).toBe(h.bot.organization.id);
    const steps = record.genesysCalls.map((c: { step: string }) => c.step);
    expect(steps).toEqual(expect.arrayContaining(['revoke_tokens', 'soft_delete', 'file_gdpr']));
    for (const call of record.genesysCalls) {
      expect(call.httpStatus).toBeGreaterThanOrEqual(200);
      expect(call.correlationId).toEqual(expect.any(String));
    }
    const links = await h.database.db
      .selectFrom('audit_event_hashes')
      .select(['seq', 'hash'])
      .orderBy('seq')
      .execute();
    expect(links.map((l) => l.hash)).toContain(record.auditChainAtCompletion.hash);
    const html = await readFile(htmlPath as string, 'utf8');
    expect(html).toContain(`request #${request.id}`);
    expect(html).toContain(record.auditChainAtCompletion.hash);
    expect(html).not.toMatch(/<script|src=|href=/i);

    // Someone with the owner's rights switches the guard off and rewrites one event.
    const target = await h.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('request_id', '=', request.id)
      .where('event', '=', 'approved')
      .executeTakeFirstOrThrow();
    await sql`alter table audit_events disable trigger audit_events_no_update_or_delete`.execute(
      h.database.db,
    );
    await sql`update audit_events set actor = 'slack:USOMEONEELSE' where id = ${target.id}`.execute(
      h.database.db,
    );
    await sql`alter table audit_events enable trigger audit_events_no_update_or_delete`.execute(
      h.database.db,
    );

    const broken = await cli(h, 'audit.ts', ['--verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`audit event #${target.id}`);
    expect(broken.stdout).toContain('BROKEN');

    // The guard is back: edits are refused again.
    await expect(
      sql`update audit_events set actor = 'x' where id = ${target.id}`.execute(h.database.db),
    ).rejects.toThrow(/append-only/);

    // The auditors' export: ids, states, deciders and GDPR outcomes, in CSV and JSON lines.
    const csv = await cli(h, 'audit.ts', ['--since', '2000-01-01', '--format', 'csv']);
    expect(csv.code).toBe(0);
    const [header, first] = csv.stdout.trim().split('\n');
    expect(header).toContain('request_id,state,created_at,decision');
    expect(first).toContain(`${request.id},completed,`);
    expect(first).toContain('COMPLETED');
    expect(csv.stdout).not.toContain(JANE.email);
  }, 240_000);
});
