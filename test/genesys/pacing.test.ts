import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createGenesysClient,
  createGenesysClientViews,
  type GenesysClientOptions,
} from '../../src/genesys/client.js';
import type { RunningEmulator } from '../../src/genesys/emulator/index.js';
import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import { CallPacer } from '../../src/genesys/rate-limiter.js';

const CLIENT_ID = 'emulator-client';
const CLIENT_SECRET = 'emulator-secret';

describe('client-side pacing against the emulator', () => {
  let emu: RunningEmulator;
  let userId: string;

  const options = (overrides: Partial<GenesysClientOptions> = {}): GenesysClientOptions => ({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    apiUrl: emu.url,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
  const statuses = () =>
    emu
      .calls()
      .filter((call) => call.path !== '/oauth/token')
      .map((call) => call.status);

  beforeAll(async () => {
    emu = await startGenesysEmulator({
      users: [],
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
      rateLimit: null,
    });
    const [seeded] = emu.seedUsers([
      {
        name: 'Paced Person',
        email: `paced-${randomUUID().slice(0, 8)}@example.com`,
        department: 'Ops',
        title: 'Agent',
      },
    ]);
    if (!seeded) throw new Error('seedUsers returned nothing');
    userId = seeded.id;
  });

  afterAll(async () => {
    await emu.close();
  });

  beforeEach(() => {
    emu.setRateLimit(null);
    emu.clearCalls();
  });

  it('an unpaced client sending 60 calls at once against 20/s is mostly refused', async () => {
    // Sleeps nothing: what matters is how many sends the emulator refused, not the outcome.
    const client = createGenesysClient(options({ sleep: async () => {} }));
    await client.getUser(userId); // logs in before the limit applies
    emu.setRateLimit({ requestsPerSecond: 20 });
    emu.clearCalls();
    await Promise.allSettled(Array.from({ length: 60 }, () => client.getUser(userId)));
    const refused = statuses().filter((status) => status === 429).length;
    expect(refused).toBeGreaterThan(20);
  });

  it('a paced client sending the same 60 calls at once gets (almost) no 429', async () => {
    // 18/s against the emulator's 20/s (burst 20): paced, every call succeeds on its first send.
    const client = createGenesysClient(options({ rateLimitPerMinute: 1080 }));
    await client.getUser(userId);
    emu.setRateLimit({ requestsPerSecond: 20 });
    emu.clearCalls();
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, () => client.getUser(userId)),
    );
    expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
    const sent = statuses();
    // Allows for a network hiccup bunching two sends on a busy machine.
    expect(sent.filter((status) => status === 429).length).toBeLessThanOrEqual(2);
    expect(sent.filter((status) => status === 200).length).toBe(60);
  }, 20_000);

  it('an interactive call queued behind many background calls is served first', async () => {
    // One token a 50 ms: the 30 background calls take about 1.5 s in all.
    const pacer = new CallPacer({ requestsPerMinute: 1200, burst: 1 });
    const { interactive, background } = createGenesysClientViews(options({ pacer }));
    await interactive.getUser(userId);
    const finished: string[] = [];
    const steps = Array.from({ length: 30 }, (_, i) =>
      background.getUser(userId).then(() => finished.push(`step${i}`)),
    );
    // Let the background calls reach the pacer's queue first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pacer.queued.background).toBeGreaterThan(20);
    const lookup = interactive.getUser(userId).then(() => finished.push('lookup'));
    await Promise.all([...steps, lookup]);
    // Granted at the next token; the rest finish after it. Generous for a noisy machine.
    expect(finished.indexOf('lookup')).toBeLessThan(5);
    expect(finished).toHaveLength(31);
  }, 20_000);
});
