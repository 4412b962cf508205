import { afterEach, describe, expect, it } from 'vitest';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import { retryFailedRequest } from '../../src/workflow/retry-failed-request.js';
import {
  CHANNEL,
  type Harness,
  JANE,
  NOTIFY_CHANNEL,
  REQUESTER,
  startHarness,
} from '../helpers/bot-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function requestAndApprove(harness: Harness, email: string): Promise<OffboardingRequest> {
  await harness.command(`${email} leaving`);
  const request = await harness.waitFor('posted request', async () => {
    const row = await harness.database.db
      .selectFrom('offboarding_requests')
      .selectAll()
      .where('target_email', '=', email)
      .executeTakeFirst();
    return row?.chat_message_id ? row : undefined;
  });
  await harness.click('approve', request.id, request.chat_message_id as string);
  return request;
}

function thread(harness: Harness, ts: string): string {
  return harness.slack
    .messages(CHANNEL)
    .filter((m) => m.threadTs === ts)
    .map((m) => `${m.text}`)
    .join('\n');
}

describe('failures during a run', () => {
  it('a Genesys error quoting the person reaches the admin, but not the append-only audit log', async () => {
    h = await startHarness();
    const quoted = JANE.email.toUpperCase();
    h.emulator.injectFault({
      method: 'DELETE',
      path: /^\/api\/v2\/users\//,
      kind: 'status',
      status: 400,
      code: 'bad.request',
      message: `User ${quoted} (${JANE.name}) cannot be deleted while a contact someone@example.org holds`,
    });
    const request = await requestAndApprove(h, JANE.email);
    const harness = h;
    const failed = await h.waitFor('failed state', async () => {
      const row = await harness.bot.service.findRequest(request.id);
      return row?.state === 'failed' ? row : undefined;
    });
    // The request row is redacted after the retention period; until then it says what happened.
    expect(failed.failure_reason).toContain(quoted);
    const audited = await h.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('request_id', '=', request.id)
      .where('event', '=', 'step_failed')
      .executeTakeFirstOrThrow();
    const text = JSON.stringify(audited.details).toLowerCase();
    expect(text).toContain('cannot be deleted');
    expect(text).not.toContain(JANE.email.toLowerCase());
    expect(text).not.toContain(JANE.name.toLowerCase());
    expect(text).not.toContain('someone@example.org');
  });

  it('a permanent Genesys refusal stops the run at that step; nothing after it runs', async () => {
    h = await startHarness();
    h.emulator.injectFault({
      method: 'DELETE',
      path: /^\/api\/v2\/users\//,
      kind: 'status',
      status: 403,
      code: 'missing.permissions',
      message:
        'Unable to perform the requested action. You are missing the following permission(s): directory:user:delete',
    });
    const request = await requestAndApprove(h, JANE.email);
    const harness = h;
    const failed = await h.waitFor('failed state', async () => {
      const row = await harness.bot.service.findRequest(request.id);
      return row?.state === 'failed' ? row : undefined;
    });
    expect(failed.failure_reason).toContain('directory:user:delete');

    const calls = h.emulator.calls();
    expect(
      calls.filter((c) => c.method === 'DELETE' && c.path.startsWith('/api/v2/users/')),
    ).toHaveLength(1);
    expect(calls.filter((c) => c.path.startsWith('/api/v2/gdpr'))).toEqual([]);
    expect(h.emulator.gdprRequests()).toEqual([]);

    const steps = await h.database.db
      .selectFrom('workflow_steps')
      .selectAll()
      .where('request_id', '=', request.id)
      .orderBy('id')
      .execute();
    expect(steps.map((s) => [s.step, s.status])).toEqual([
      ['revoke_tokens', 'succeeded'],
      ['soft_delete', 'failed'],
      ['revoke_tokens_again', 'pending'],
      ['file_gdpr', 'pending'],
      ['poll_gdpr', 'pending'],
    ]);
    expect(steps[1]?.error_code).toBe('missing.permissions');
    expect(steps[1]?.correlation_id).toMatch(/[0-9a-f-]{36}/);

    const ts = request.chat_message_id as string;
    await h.waitFor('failure reply', () => thread(harness, ts).includes('Offboarding stopped'));
    expect(thread(harness, ts)).toContain('directory:user:delete');
    await h.waitFor('notice', () =>
      harness.slack.messages(NOTIFY_CHANNEL).some((m) => m.text?.includes('Offboarding failed')),
    );
    expect(JSON.stringify(h.slack.message(CHANNEL, ts)?.blocks)).toContain('Failed');

    // The admin grants the permission and retries: the run resumes at the failed step.
    h.emulator.clearFaults();
    await retryFailedRequest(h.database.db, request.id, 'test-admin');
    await h.bot.sweep();
    await h.waitFor('completed after retry', async () =>
      (await harness.bot.service.findRequest(request.id))?.state === 'completed' ? true : undefined,
    );
    const after = h.emulator.calls();
    expect(
      after.filter((c) => c.method === 'DELETE' && c.path.startsWith('/api/v2/tokens/')),
    ).toHaveLength(2); // the first revoke is not repeated; the one after the delete runs
    expect(h.emulator.gdprRequests()).toHaveLength(1);
  });

  it('Genesys unavailable: the run waits, the thread says so, and it completes when Genesys is back', async () => {
    h = await startHarness();
    h.emulator.injectFault({
      method: 'DELETE',
      path: /^\/api\/v2\/tokens\//,
      kind: 'status',
      status: 503,
      times: 4,
    });
    const request = await requestAndApprove(h, JANE.email);
    const harness = h;
    await h.waitFor(
      'completed',
      async () => (await harness.bot.service.findRequest(request.id))?.state === 'completed',
      30_000,
    );
    const ts = request.chat_message_id as string;
    expect(thread(harness, ts)).toContain('Genesys unavailable, retrying');
    expect(
      h.emulator.calls().filter((c) => c.method === 'POST' && c.path === '/api/v2/gdpr/requests'),
    ).toHaveLength(1);
  });

  it('a GDPR request that ends in ERROR fails the run and says so', async () => {
    h = await startHarness();
    h.emulator.failNextGdprRequests(1);
    const request = await requestAndApprove(h, JANE.email);
    const harness = h;
    const failed = await h.waitFor('failed', async () => {
      const row = await harness.bot.service.findRequest(request.id);
      return row?.state === 'failed' ? row : undefined;
    });
    expect(failed.gdpr_status).toBe('ERROR');
    expect(failed.failure_reason).toContain('Genesys reported ERROR');
  });

  it('a chat outage delays messages but never the Genesys work', async () => {
    h = await startHarness();
    const harness = h;
    await h.command(`${JANE.email} leaving`);
    const request = await h.waitFor('posted', async () => {
      const row = await harness.database.db
        .selectFrom('offboarding_requests')
        .selectAll()
        .executeTakeFirst();
      return row?.chat_message_id ? row : undefined;
    });
    h.slack.failMethod('chat.postMessage', 'service_unavailable', { times: 3 });
    await h.click('approve', request.id, request.chat_message_id as string);
    await h.waitFor(
      'completed',
      async () => (await harness.bot.service.findRequest(request.id))?.state === 'completed',
      30_000,
    );
    expect(h.emulator.gdprRequests()).toHaveLength(1);
  });
});

describe('escaping and posting', () => {
  it('renders names from Genesys literally: no @channel ping, no formatting', async () => {
    h = await startHarness({
      users: [
        {
          name: '<!channel> *bold* Eve',
          email: 'eve@example.com',
          department: '<https://evil.example|click>',
        },
      ],
    });
    await h.command('eve@example.com <!here> _please_');
    const post = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === CHANNEL,
      10_000,
    );
    const raw = JSON.stringify(post.args);
    // Every mrkdwn text object holds the user text escaped; plain_text ones hold it verbatim.
    const blocks = post.args.blocks as Array<Record<string, unknown>>;
    const mrkdwnTexts: string[] = [];
    const visit = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (record.type === 'mrkdwn' && typeof record.text === 'string')
          mrkdwnTexts.push(record.text);
        Object.values(record).forEach(visit);
      }
    };
    visit(blocks);
    for (const text of mrkdwnTexts) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<!here>');
      expect(text).not.toContain('*bold*');
      expect(text).not.toContain('<https://evil.example');
    }
    expect(String(post.args.text)).not.toContain('<!channel>');
    expect(String(post.args.text)).toContain('&lt;!channel&gt;');
    expect(raw).toContain('<!channel> *bold* Eve');
  });

  it('when the bot is not in the channel, the requester is told how to add it and the request is cancelled', async () => {
    h = await startHarness();
    h.slack.failMethod('chat.postMessage', 'not_in_channel', { channel: CHANNEL });
    const { responseName } = await h.command(JANE.email);
    const post = await h.slack.waitForResponse(responseName, () => true, 10_000);
    expect((post.body as { text: string }).text).toContain('/invite @Offboarding');
    const row = await h.database.db
      .selectFrom('offboarding_requests')
      .selectAll()
      .executeTakeFirst();
    expect(row?.state).toBe('cancelled');
    // A new request is possible once the bot is added.
    h.slack.clearFailures();
    await h.command(JANE.email);
    const harness = h;
    await h.waitFor('posted', () => harness.slack.messages(CHANNEL).length === 1);
  });

  it('a request recorded by a command that stopped before posting its card gets its card on the next try', async () => {
    h = await startHarness();
    const harness = h;
    // The first try crashed after recording the request: it has no message.
    const outcome = await h.bot.service.requestOffboarding({
      requester: { platform: 'slack', id: REQUESTER.id, email: REQUESTER.email },
      targetEmail: JANE.email,
      reason: 'first try',
    });
    if (outcome.kind !== 'created') throw new Error(outcome.kind);
    await h.command(JANE.email);
    const posted = await h.waitFor('the card of the recorded request', async () => {
      const row = await harness.bot.service.findRequest(outcome.request.id);
      return row?.chat_message_id ? row : undefined;
    });
    const card = h.slack.message(CHANNEL, posted.chat_message_id as string);
    expect(JSON.stringify(card?.blocks)).toContain(`#${outcome.request.id}`);
    const rows = await h.database.db.selectFrom('offboarding_requests').select('id').execute();
    expect(rows).toHaveLength(1);
  });

  it("an @mention is resolved to the Slack user's email", async () => {
    h = await startHarness();
    h.slack.addUser({ id: 'U0JANE', name: 'jane', realName: 'Jane Doe', email: JANE.email });
    await h.command('<@U0JANE|jane> Last day');
    const post = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === CHANNEL,
      10_000,
    );
    expect(JSON.stringify(post.args.blocks)).toContain(JANE.email);
  });
});
