import { afterEach, describe, expect, it } from 'vitest';
import {
  APPROVER,
  CHANNEL,
  type Harness,
  JANE,
  NOTIFY_CHANNEL,
  REQUESTER,
  startHarness,
} from '../helpers/bot-harness.js';
import { hasPostgres, type TestBackend } from '../helpers/test-database.js';
import { waitForQuiet } from '../helpers/wait.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function postedRequest(h: Harness) {
  const call = await h.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === CHANNEL && !c.args.thread_ts,
    10_000,
  );
  const request = await h.waitFor('request row', async () =>
    h.database.db
      .selectFrom('offboarding_requests')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirst(),
  );
  const message = h.slack.messages(CHANNEL).find((m) => m.threadTs === undefined);
  if (!message) throw new Error('no request message');
  return { call, request, ts: message.ts };
}

function threadTexts(h: Harness, ts: string): string[] {
  return h.slack
    .messages(CHANNEL)
    .filter((m) => m.threadTs === ts)
    .map((m) => m.text ?? '');
}

// The whole flow runs on both databases: PostgreSQL (production) and the embedded one (first run).
const backends: TestBackend[] = hasPostgres ? ['postgres', 'embedded'] : ['embedded'];

describe.each(backends)('/offboard in Slack, end to end, on %s', (backend) => {
  it('requests, is approved by another person, and runs every step to a completed GDPR erasure', async () => {
    harness = await startHarness({ backend });
    const h = harness;
    const ack = await h.command(`${JANE.email} Last day Friday`);
    expect(ack.status).toBe(200);

    const { call, request, ts } = await postedRequest(h);
    const card = JSON.stringify(call.args.blocks);
    expect(card).toContain('Jane Doe');
    expect(card).toContain('jane.doe@example.com');
    expect(card).toContain('Department: Support');
    expect(card).toContain('Last day Friday');
    expect(card).toContain(`<@${REQUESTER.id}>`);
    expect(card).toContain(`<@${APPROVER.id}>`);
    expect(card).toContain('GDPR_DELETE');
    expect(card).toContain('Irreversible');
    expect(card).toContain('"text":"Approve"');
    expect(card).toContain('"text":"Reject"');
    expect(request.state).toBe('pending');
    // Nothing happens in Genesys before the approval.
    expect(
      h.emulator
        .calls()
        .filter((c) => c.method !== 'POST' || !c.path.includes('search'))
        .filter((c) => c.path.startsWith('/api/')),
    ).toEqual([]);

    const click = await h.click('approve', request.id, ts);
    expect(click.status).toBe(200);

    const done = await h.waitFor('completion', async () => {
      const row = await h.bot.service.findRequest(request.id);
      return row?.state === 'completed' ? row : undefined;
    });
    expect(done.gdpr_status).toBe('COMPLETED');

    const genesysCalls = h.emulator.calls().map((c) => `${c.method} ${c.path}`);
    const janeId = request.target_genesys_id;
    // Before the soft delete, and again after it for sessions opened in between.
    const revokes = genesysCalls.flatMap((c, i) =>
      c === `DELETE /api/v2/tokens/${janeId}` ? [i] : [],
    );
    expect(revokes).toHaveLength(2);
    expect(revokes[1]).toBeGreaterThan(genesysCalls.indexOf(`DELETE /api/v2/users/${janeId}`));
    expect(genesysCalls.filter((c) => c === `DELETE /api/v2/users/${janeId}`)).toHaveLength(1);
    expect(genesysCalls.filter((c) => c === 'POST /api/v2/gdpr/requests')).toHaveLength(1);
    const order = [
      'DELETE /api/v2/tokens/',
      'DELETE /api/v2/users/',
      'POST /api/v2/gdpr/requests',
    ].map((p) => genesysCalls.findIndex((c) => c.startsWith(p)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const filed = h.emulator
      .calls()
      .find((c) => c.method === 'POST' && c.path === '/api/v2/gdpr/requests');
    expect(filed?.query.deleteConfirmed).toBe('true');
    expect(filed?.body).toMatchObject({ requestType: 'GDPR_DELETE', subject: { userId: janeId } });

    await h.waitFor('final thread reply', () =>
      threadTexts(h, ts).some((t) => t.includes('is complete')),
    );
    const thread = threadTexts(h, ts).join('\n');
    for (const expected of [
      'Revoke sessions: started',
      'Revoke sessions: done',
      'Soft delete the user: done',
      'Revoke sessions again: done',
      'File the GDPR request: done',
      'COMPLETED',
    ]) {
      expect(thread).toContain(expected);
    }
    await h.waitFor('notice', () =>
      h.slack.messages(NOTIFY_CHANNEL).some((m) => m.text?.includes('Offboarded')),
    );

    // While it ran, the card named the step under way (drawn from the stored steps when the
    // thread's message for a step is delivered, so a fast run may skip some), never "starting".
    const redraws = h.slack
      .calls('chat.update')
      .filter((c) => c.args.ts === ts)
      .map((c) => JSON.stringify(c.args.blocks));
    const running = redraws.findIndex((card) => /Running: [a-z A-Z]+ \([1-5] of 5\)/.test(card));
    expect(running).toBeGreaterThan(-1);
    // "Approved, starting" only until the run shows its first step.
    expect(redraws.slice(running).some((card) => card.includes('Approved, starting'))).toBe(false);
    expect(redraws[0]).toContain('Genesys state: active');
    expect(redraws.some((card) => card.includes('Genesys state: deleted'))).toBe(true);

    const finalCard = await h.waitFor('final card', () => {
      const blocks = JSON.stringify(h.slack.message(CHANNEL, ts)?.blocks);
      return blocks.includes('Completed') ? blocks : undefined;
    });
    expect(finalCard).not.toContain('offboarding_approve');
    expect(finalCard).toContain(`Approved by <@${APPROVER.id}>`);
    expect(finalCard).toContain('Genesys state: deleted');
    expect(finalCard).toContain(`GDPR request: ${done.gdpr_request_id} (COMPLETED)`);
    expect(finalCard).not.toContain('Running:');

    const audit = await h.database.db
      .selectFrom('audit_events')
      .select(['event', 'actor'])
      .where('request_id', '=', request.id)
      .orderBy('id')
      .execute();
    const events = audit.map((a) => a.event);
    expect(events.slice(0, 3)).toEqual(['requested', 'approved', 'run_started']);
    expect(events).toContain('completed');
    // ERASURE_DELAY_HOURS=0 (the default): no grace period, so no Undo at any point.
    expect(events).not.toContain('erasure_scheduled');
    expect(
      h.slack
        .calls('chat.update')
        .filter((c) => JSON.stringify(c.args).includes('offboarding_undo')),
    ).toEqual([]);
    expect(audit.find((a) => a.event === 'approved')?.actor).toBe(`slack:${APPROVER.id}`);
    const decision = await h.bot.service.decisionFor(request.id);
    expect(decision).toMatchObject({ decision: 'approved', decider_id: APPROVER.id });

    const logs = h.logs.join('');
    expect(logs).not.toContain('emulator-secret');
    expect(logs).not.toContain('xoxb-test-bot-token-secret');
  });

  it('rejects: the card shows who rejected, and nothing reaches Genesys', async () => {
    harness = await startHarness({ backend });
    const h = harness;
    await h.command(JANE.email);
    const { request, ts } = await postedRequest(h);
    h.emulator.clearCalls();
    await h.reject(request.id, ts);
    await h.waitFor('rejected card', () =>
      JSON.stringify(h.slack.message(CHANNEL, ts)?.blocks ?? '').includes(
        `Rejected by <@${APPROVER.id}>`,
      ),
    );
    const row = await h.bot.service.findRequest(request.id);
    expect(row?.state).toBe('rejected');
    expect(JSON.stringify(h.slack.message(CHANNEL, ts)?.blocks)).not.toContain(
      'offboarding_approve',
    );
    await waitForQuiet(h.database.db);
    expect(
      h.emulator.calls().filter((c) => c.method === 'DELETE' || c.path.includes('gdpr')),
    ).toEqual([]);
  });
});
