import { afterEach, describe, expect, it } from 'vitest';
import {
  CHANNEL,
  type Harness,
  JANE,
  NOTIFY_CHANNEL,
  startHarness,
} from '../helpers/bot-harness.js';
import { hasPostgres, type TestBackend } from '../helpers/test-database.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const TOKEN = 'metrics-token-s3cret-0123456789';

async function scrape(h: Harness, token?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${h.bot.url}/metrics`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, text: await response.text() };
}

/** The value of one sample, by metric name and exact labels as prom-client prints them. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const [series, value] = line.split(/ (?=[^ ]+$)/);
    const seen = Object.fromEntries(
      [...(series ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const sameKeys = Object.keys(seen).length === Object.keys(labels).length;
    if (sameKeys && Object.entries(labels).every(([k, v]) => seen[k] === v)) return Number(value);
  }
  return undefined;
}

async function offboardJane(h: Harness): Promise<void> {
  expect((await h.command(`${JANE.email} Last day Friday`)).status).toBe(200);
  await h.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === CHANNEL && !c.args.thread_ts,
    10_000,
  );
  const request = await h.waitFor('request row', async () =>
    h.database.db.selectFrom('offboarding_requests').selectAll().executeTakeFirst(),
  );
  const message = h.slack.messages(CHANNEL).find((m) => m.threadTs === undefined);
  if (!message) throw new Error('no request message');
  expect((await h.click('approve', request.id, message.ts)).status).toBe(200);
  await h.waitFor('completion', async () => {
    const row = await h.bot.service.findRequest(request.id);
    return row?.state === 'completed' ? row : undefined;
  });
}

// Scrape-time queries run on both databases: PostgreSQL and the embedded one (first run).
const backends: TestBackend[] = hasPostgres ? ['postgres', 'embedded'] : ['embedded'];

describe.each(backends)('GET /metrics on %s', (backend) => {
  it('shows requests by state, step outcomes, Genesys calls by status (429 too), queue and process metrics after an offboarding', async () => {
    harness = await startHarness({ backend });
    const h = harness;
    // The first soft delete is refused once with a 429; the client retries it.
    h.emulator.injectFault({
      method: 'DELETE',
      path: /^\/api\/v2\/users\/[^/]+$/,
      kind: 'status',
      status: 429,
      times: 1,
    });
    // The completion notice fails once, and is delivered on its retry.
    h.slack.failMethod('chat.postMessage', 'service_unavailable', {
      times: 1,
      channel: NOTIFY_CHANNEL,
    });
    await offboardJane(h);
    await h.waitFor('the failed notice delivery counted', async () => {
      const { text } = await scrape(h);
      return (
        sample(text, 'chat_deliveries_failed_total', {
          platform: 'slack',
          failure: 'retrying',
        }) === 1
      );
    });

    const { status, text } = await scrape(h);
    expect(status).toBe(200);
    expect(sample(text, 'offboarding_requests', { state: 'completed' })).toBe(1);
    expect(sample(text, 'offboarding_requests', { state: 'pending' })).toBe(0);

    const steps = await h.database.db.selectFrom('workflow_steps').select('step').execute();
    expect(steps.length).toBeGreaterThan(0);
    for (const { step } of steps) {
      expect(
        sample(text, 'workflow_step_attempts_total', { step, outcome: 'succeeded' }),
        step,
      ).toBe(1);
      expect(
        sample(text, 'workflow_step_duration_seconds_count', { step, outcome: 'succeeded' }),
      ).toBe(1);
    }

    const genesysLines = text.split('\n').filter((l) => l.startsWith('genesys_calls_total{'));
    expect(
      genesysLines.some((l) => l.includes('status="429"') && l.includes('method="DELETE"')),
    ).toBe(true);
    expect(genesysLines.some((l) => l.includes('status="200"'))).toBe(true);
    expect(text).toContain('# TYPE genesys_limiter_wait_seconds histogram');

    for (const queue of ['offboarding-step', 'offboarding-notify']) {
      for (const state of ['created', 'retry', 'active']) {
        expect(sample(text, 'job_queue_jobs', { queue, state }), `${queue} ${state}`).toBeTypeOf(
          'number',
        );
      }
      expect(sample(text, 'job_queue_oldest_waiting_seconds', { queue })).toBeGreaterThanOrEqual(0);
    }
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  it('needs the bearer token, and never logs it', async () => {
    harness = await startHarness({ metricsToken: TOKEN });
    const h = harness;
    expect((await scrape(h)).status).toBe(401);
    expect((await scrape(h, 'wrong-token')).status).toBe(401);
    expect((await scrape(h, `${TOKEN}x`)).status).toBe(401);
    const allowed = await scrape(h, TOKEN);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('offboarding_requests');
    expect(h.logs.join('\n')).not.toContain(TOKEN);
  });
});
