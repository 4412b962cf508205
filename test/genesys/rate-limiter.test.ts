import { describe, expect, it } from 'vitest';
import {
  CallPacer,
  type CallPacerOptions,
  type CallPriority,
} from '../../src/genesys/rate-limiter.js';

/** A pacer on a fake clock: `advance` moves time and fires the timers that came due. */
function pacedClock(options: Omit<CallPacerOptions, 'now' | 'schedule'>) {
  let time = 0;
  let timers: Array<{ at: number; fire: () => void }> = [];
  const pacer = new CallPacer({
    ...options,
    now: () => time,
    schedule: (fire, ms) => timers.push({ at: time + ms, fire }),
  });
  const granted: string[] = [];
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    pacer,
    granted,
    get time() {
      return time;
    },
    request(name: string, priority: CallPriority = 'background') {
      void pacer.acquire(priority).then(() => granted.push(name));
    },
    async advance(ms: number) {
      const end = time + ms;
      for (;;) {
        await flush();
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        time = Math.max(time, due.at);
        due.fire();
      }
      time = end;
      await flush();
    },
  };
}

describe('CallPacer', () => {
  it('lets a burst through at once, then grants at the configured rate', async () => {
    const clock = pacedClock({ requestsPerMinute: 600, burst: 3 }); // 10/s: one per 100 ms
    for (let i = 0; i < 13; i++) clock.request(`c${i}`);
    await clock.advance(0);
    expect(clock.granted).toHaveLength(3);
    await clock.advance(500);
    expect(clock.granted).toHaveLength(8);
    await clock.advance(500);
    expect(clock.granted).toHaveLength(13);
    expect(clock.pacer.queued).toEqual({ interactive: 0, background: 0 });
  });

  it('defaults the burst to one second of the rate: 300 a minute is 5 at once', async () => {
    const clock = pacedClock({ requestsPerMinute: 300 });
    for (let i = 0; i < 10; i++) clock.request(`c${i}`);
    await clock.advance(0);
    expect(clock.granted).toHaveLength(5);
    await clock.advance(1000);
    expect(clock.granted).toHaveLength(10);
  });

  it('halves its rate after a 429 and spends no saved-up burst', async () => {
    const clock = pacedClock({ requestsPerMinute: 600, burst: 5 });
    clock.pacer.rateLimited();
    expect(clock.pacer.requestsPerMinute).toBe(300);
    for (let i = 0; i < 5; i++) clock.request(`c${i}`);
    await clock.advance(0);
    expect(clock.granted).toHaveLength(0);
    // 5/s now: the first after 200 ms, not after 100 ms.
    await clock.advance(150);
    expect(clock.granted).toHaveLength(0);
    await clock.advance(60);
    expect(clock.granted).toHaveLength(1);
  });

  it('repeated 429s slow it down to a floor, not to a stop', () => {
    const clock = pacedClock({ requestsPerMinute: 600, minRateFraction: 0.1 });
    for (let i = 0; i < 20; i++) clock.pacer.rateLimited();
    expect(clock.pacer.requestsPerMinute).toBeCloseTo(60);
  });

  it('recovers gradually (additively) to the configured rate, never beyond', async () => {
    const clock = pacedClock({ requestsPerMinute: 600, recoveryPerSecond: 0.05 });
    clock.pacer.rateLimited(); // 300/min
    await clock.advance(2000); // +2 × 5% of 600 = +60
    expect(clock.pacer.requestsPerMinute).toBeCloseTo(360);
    await clock.advance(4000);
    expect(clock.pacer.requestsPerMinute).toBeCloseTo(480);
    await clock.advance(60_000);
    expect(clock.pacer.requestsPerMinute).toBe(600);
  });

  it('grants queued interactive callers before background ones queued earlier', async () => {
    const clock = pacedClock({ requestsPerMinute: 60, burst: 1 }); // one a second
    for (let i = 0; i < 5; i++) clock.request(`step${i}`, 'background');
    clock.request('lookup', 'interactive');
    await clock.advance(0);
    // The first background caller took the one token before the look-up arrived.
    expect(clock.granted).toEqual(['step0']);
    await clock.advance(1000);
    expect(clock.granted).toEqual(['step0', 'lookup']);
    clock.request('status', 'interactive');
    await clock.advance(3000);
    expect(clock.granted).toEqual(['step0', 'lookup', 'status', 'step1', 'step2']);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new CallPacer({ requestsPerMinute: 0 })).toThrow(/requestsPerMinute/);
  });
});
