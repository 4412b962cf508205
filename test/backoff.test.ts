import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff.js';

describe('backoffDelay', () => {
  const genesys = { base: 500, max: 30_000, jitter: 'full' as const };

  it('backs off exponentially with full jitter under a cap', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, genesys, () => 0.999999))).toEqual([
      499, 999, 1999, 3999,
    ]);
    expect(backoffDelay(20, genesys, () => 0.999999)).toBe(29_999);
    expect(backoffDelay(3, genesys, () => 0)).toBe(0);
  });

  it('spreads a proportional jitter around the capped delay', () => {
    const steps = { base: 15, max: 900, jitter: 0.25 };
    expect(backoffDelay(1, steps, () => 0)).toBe(11.25);
    expect(backoffDelay(1, steps, () => 0.5)).toBe(15);
    expect(backoffDelay(3, steps, () => 1)).toBe(75);
    expect(backoffDelay(20, steps, () => 0.5)).toBe(900);
  });

  it('doubles exactly without jitter', () => {
    const notify = { base: 10, max: Number.POSITIVE_INFINITY, jitter: 0 };
    expect([1, 2, 3, 4].map((failures) => backoffDelay(failures, notify))).toEqual([
      10, 20, 40, 80,
    ]);
  });
});
