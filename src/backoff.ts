/** How long to wait before trying again after failures. The unit (ms, seconds) is the caller's. */
export interface Backoff {
  /** The wait after the first failure; it doubles with each further failure. */
  base: number;
  /** No wait grows beyond this. */
  max: number;
  /**
   * `full` draws the wait uniformly from [0, wait) ("full jitter"); a fraction f draws it from
   * wait × [1 - f, 1 + f]; 0 waits exactly. Jitter spreads the retries of many workers that
   * failed together, so they do not come back in lockstep.
   */
  jitter: 'full' | number;
}

/**
 * Capped exponential backoff: min(max, base × 2^(failures - 1)), then jittered. `failures` counts
 * the failed tries so far, from 1.
 */
export function backoffDelay(
  failures: number,
  backoff: Backoff,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(backoff.max, backoff.base * 2 ** Math.max(0, failures - 1));
  if (backoff.jitter === 'full') return Math.floor(random() * ceiling);
  if (backoff.jitter === 0) return ceiling;
  return ceiling * (1 - backoff.jitter + random() * 2 * backoff.jitter);
}
