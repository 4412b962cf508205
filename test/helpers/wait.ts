// The one way tests and benchmarks wait for something to happen: poll a check until it answers.

export interface WaitOptions {
  /** Default 30 s. */
  timeoutMs?: number;
  /** Default 100 ms. */
  intervalMs?: number;
  /**
   * Try a check that throws again instead of failing the wait (for checks that read a database
   * that is down on purpose). Default: the error fails the wait.
   */
  retryErrors?: boolean;
}

/** `undefined` and `false` mean "not yet"; any other value ends the wait and is returned. */
export type Check<T> = () => T | undefined | false | Promise<T | undefined | false>;

/**
 * Polls `check` until it returns a value, or fails after the timeout naming `what` (a function is
 * called then, so the error can list what was seen instead).
 */
export async function waitFor<T>(
  what: string | (() => string),
  check: Check<T>,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = options.retryErrors ? await attempt(check) : await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(
        typeof what === 'function' ? what() : `Timed out after ${timeoutMs} ms waiting for ${what}`,
      );
    }
    await sleep(options.intervalMs ?? 100);
  }
}

async function attempt<T>(check: Check<T>): Promise<T | undefined | false> {
  try {
    return await check();
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
