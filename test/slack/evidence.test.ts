import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '../../src/offboarding/evidence.js';
import { emailHash } from '../../src/offboarding/record-hash.js';
import {
  APPROVER,
  CHANNEL,
  type Harness,
  JANE,
  NOTIFY_CHANNEL,
  OUTSIDER,
  REQUESTER,
  startHarness,
  TEST_RECORD_HASH_KEY,
} from '../helpers/bot-harness.js';
import { hasPostgres } from '../helpers/test-database.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Jane has a Slack account too: the person offboarded may see the card and click. */
const JANE_IN_SLACK = { id: 'U0JANE', name: 'jane', email: JANE.email };

async function completedOffboarding(h: Harness) {
  h.slack.addUser({ ...JANE_IN_SLACK, realName: JANE.name });
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
  await h.waitFor('Evidence button on the card', () =>
    JSON.stringify(h.slack.message(CHANNEL, card.ts)?.blocks).includes('offboarding_evidence'),
  );
  return { request, cardTs: card.ts };
}

async function auditOf(h: Harness, event: 'evidence_sent' | 'evidence_refused') {
  return h.database.db
    .selectFrom('audit_events')
    .select(['actor', 'details'])
    .where('event', '=', event)
    .orderBy('id')
    .execute();
}

/** What a click could set in motion: queued jobs, Genesys calls, step rows. */
async function activity(h: Harness) {
  const jobs = await sql<{ count: string }>`select count(*)::text as count from pgboss.job`.execute(
    h.database.db,
  );
  const steps = await h.database.db.selectFrom('workflow_steps').select('id').execute();
  return { jobs: jobs.rows[0]?.count, steps: steps.length, genesys: h.emulator.calls().length };
}

function dmFiles(h: Harness, userId: string) {
  const dm = `D${userId.slice(1)}`;
  return h.slack.files(dm).map((file) => ({
    name: file.filename,
    text: file.content?.toString('utf8') ?? '',
    messageTs: file.messageTs,
  }));
}

describe.skipIf(!hasPostgres)('Evidence button in Slack', () => {
  it('uploads the JSON and the HTML to a DM with the approver and the requester, and audits it', async () => {
    harness = await startHarness();
    const h = harness;
    const { request, cardTs } = await completedOffboarding(h);

    const click = await h.click('evidence', request.id, cardTs, APPROVER);
    expect(click.status).toBe(200);
    const reply = await h.slack.waitForResponse(click.responseName, () => true, 10_000);
    expect(JSON.stringify(reply.body)).toContain(`evidence of request #${request.id}`);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral' });

    // filesUploadV2's three steps, each against the fake: URL, bytes, completion in the DM.
    expect(h.slack.calls('files.getUploadURLExternal')).toHaveLength(2);
    const completion = h.slack.calls('files.completeUploadExternal');
    expect(completion).toHaveLength(1);
    expect(completion[0]?.args.channel_id).toBe(`D${APPROVER.id.slice(1)}`);
    const files = dmFiles(h, APPROVER.id);
    expect(files.map((file) => file.name).sort()).toEqual([
      `offboarding-${request.id}-evidence.html`,
      `offboarding-${request.id}-evidence.json`,
    ]);
    const json = files.find((file) => file.name.endsWith('.json'));
    const record = JSON.parse(json?.text ?? '{}') as EvidenceRecord;
    expect(record.request).toMatchObject({ id: request.id, state: 'completed' });
    expect(record.decision?.by).toMatchObject({ platform: 'slack', id: APPROVER.id });
    expect(record.gdprRequest).toMatchObject({ type: 'GDPR_DELETE', finalStatus: 'COMPLETED' });
    expect(record.genesysCalls.length).toBeGreaterThan(0);
    expect(record.auditChainAtCompletion?.hash).toMatch(/^[0-9a-f]{64}$/);
    const html = files.find((file) => file.name.endsWith('.html'))?.text ?? '';
    expect(html).toContain(`Offboarding evidence: request #${request.id}`);
    // Both files arrive with one message in the DM, which says what they are.
    const message = h.slack.message(`D${APPROVER.id.slice(1)}`, files[0]?.messageTs ?? '');
    expect(message?.text).toContain(`request #${request.id}`);

    const requesterClick = await h.click('evidence', request.id, cardTs, REQUESTER);
    await h.slack.waitForResponse(requesterClick.responseName, () => true, 10_000);
    expect(dmFiles(h, REQUESTER.id)).toHaveLength(2);

    const sent = await auditOf(h, 'evidence_sent');
    expect(sent.map((row) => row.actor)).toEqual([`slack:${APPROVER.id}`, `slack:${REQUESTER.id}`]);
    const details = JSON.stringify(sent.map((row) => row.details));
    expect(details).not.toContain(JANE.email);
    expect(details).not.toContain(JANE.name);
  });

  it('refuses others, the person offboarded and a forged button, and uploads nothing', async () => {
    harness = await startHarness();
    const h = harness;
    const { request, cardTs } = await completedOffboarding(h);
    await h.waitFor('workflow quiet', async () => {
      const before = await activity(h);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await activity(h);
      return JSON.stringify(before) === JSON.stringify(after);
    });
    const before = await activity(h);
    h.slack.clearCalls();

    const outsider = await h.click('evidence', request.id, cardTs, OUTSIDER);
    const outsiderReply = await h.slack.waitForResponse(outsider.responseName, () => true, 10_000);
    expect(JSON.stringify(outsiderReply.body)).toContain(
      `Only the person who filed request #${request.id} or an approver can get its evidence`,
    );
    const jane = await h.click('evidence', request.id, cardTs, JANE_IN_SLACK);
    const janeReply = await h.slack.waitForResponse(jane.responseName, () => true, 10_000);
    expect(JSON.stringify(janeReply.body)).toContain('This request is about you');
    const forged = await h.click('evidence', request.id, cardTs, APPROVER, {
      value: `${request.id}.not-the-token`,
    });
    const forgedReply = await h.slack.waitForResponse(forged.responseName, () => true, 10_000);
    expect(JSON.stringify(forgedReply.body)).toContain('This card is out of date');

    expect(h.slack.calls('files.getUploadURLExternal')).toEqual([]);
    expect(h.slack.calls('files.completeUploadExternal')).toEqual([]);
    expect(h.slack.calls('conversations.open')).toEqual([]);
    expect(h.slack.files()).toEqual([]);
    expect(await activity(h)).toEqual(before);
    const refused = await auditOf(h, 'evidence_refused');
    expect(refused.map((row) => [row.actor, (row.details as { reason: string }).reason])).toEqual([
      [`slack:${OUTSIDER.id}`, 'not_allowed'],
      [`slack:${JANE_IN_SLACK.id}`, 'own_offboarding'],
      [`slack:${APPROVER.id}`, 'stale_card'],
    ]);
    expect(await auditOf(h, 'evidence_sent')).toEqual([]);
  });

  it('still gives the evidence of a redacted request: what is retained, and not to the leaver', async () => {
    harness = await startHarness({ retentionDays: 2 / 86_400 });
    const h = harness;
    const { request, cardTs } = await completedOffboarding(h);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await h.bot.sweep();
    await h.waitFor('card redacted', () =>
      h.slack.message(CHANNEL, cardTs)?.text?.includes(`Offboarded: request #${request.id}`),
    );
    const card = JSON.stringify(h.slack.message(CHANNEL, cardTs)?.blocks);
    expect(card).toContain('offboarding_evidence');
    expect(card).not.toContain(JANE.name);

    const click = await h.click('evidence', request.id, cardTs, REQUESTER);
    await h.slack.waitForResponse(click.responseName, () => true, 10_000);
    const files = dmFiles(h, REQUESTER.id);
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file.text).not.toContain(JANE.email);
      expect(file.text).not.toContain(JANE.name);
      expect(file.text).not.toContain('competitor');
    }
    const record = JSON.parse(
      files.find((file) => file.name.endsWith('.json'))?.text ?? '{}',
    ) as EvidenceRecord;
    expect(record.request.detailsRemovedAt).not.toBeNull();
    expect(record.request.target).toEqual({
      genesysUserId: request.target_genesys_id,
      name: null,
      email: null,
      emailHash: emailHash(TEST_RECORD_HASH_KEY, JANE.email),
    });
    expect(record.gdprRequest?.finalStatus).toBe('COMPLETED');

    // Her email is gone from the request, but its keyed hash still recognises her.
    h.slack.clearCalls();
    const jane = await h.click('evidence', request.id, cardTs, JANE_IN_SLACK);
    const janeReply = await h.slack.waitForResponse(jane.responseName, () => true, 10_000);
    expect(JSON.stringify(janeReply.body)).toContain('This request is about you');
    expect(h.slack.calls('files.getUploadURLExternal')).toEqual([]);
    expect(dmFiles(h, JANE_IN_SLACK.id)).toEqual([]);
  });
});
