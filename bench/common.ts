// Small shared pieces of the benchmarks: timing, statistics, a cleanup scope, progress lines.

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Progress goes to stderr, so stdout carries only the result table. */
export function progress(message: string): void {
  const time = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${time}] ${message}\n`);
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile: with 100 samples, p99 is the 99th smallest. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : Number.NaN,
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
  };
}

export const round = (value: number, digits = 1): number => {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/** Runs `task` over `items` with at most `concurrency` at once; results keep the input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      results[index] = await task(items[index] as T, index);
    }
  });
  await Promise.all(runners);
  return results;
}

/**
 * Cleanups run last-added first. Each benchmark opens a child scope so it frees its databases and
 * processes before the next one starts; the root scope also runs on SIGINT and on the watchdog.
 */
export class Scope {
  private readonly cleanups: Array<{ what: string; run: () => Promise<void> }> = [];
  private closing: Promise<void> | undefined;

  add(what: string, run: () => Promise<void>): void {
    this.cleanups.push({ what, run });
  }

  child(): Scope {
    const scope = new Scope();
    this.add('child scope', () => scope.close());
    return scope;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      while (this.cleanups.length > 0) {
        const cleanup = this.cleanups.pop();
        if (!cleanup) break;
        try {
          await withTimeout(cleanup.run(), 20_000, cleanup.what);
        } catch (error) {
          progress(`cleanup of ${cleanup.what} failed: ${String(error)}`);
        }
      }
    })();
    return this.closing;
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
