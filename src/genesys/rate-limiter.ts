/** Who waits on a call: a person (look-up, status, org check) or a workflow step. */
export type CallPriority = 'interactive' | 'background';

export interface CallPacerOptions {
  /** The token's limit: Genesys allows 300 requests a minute per client-credentials token. */
  requestsPerMinute: number;
  /** Calls that may go at once after a quiet spell. Default: one second's worth (at least 1). */
  burst?: number;
  /** After a 429 the rate is multiplied by this (default 0.5)... */
  decreaseFactor?: number;
  /** ...but never below this share of the configured rate (default 0.1). */
  minRateFraction?: number;
  /** ...and grows back by this share of the configured rate per second (default 0.05). */
  recoveryPerSecond?: number;
  now?: () => number;
  /** Runs `fire` after `ms`; injected by tests with a fake clock. */
  schedule?: (fire: () => void, ms: number) => void;
}

/**
 * Client-side pacing of one access token's calls: a token bucket whose rate drops after a 429
 * (multiplicative decrease) and climbs back to the configured rate over time (additive
 * increase). Queued interactive callers are always granted before queued background ones.
 */
export class CallPacer {
  private readonly configuredPerMs: number;
  private readonly burst: number;
  private readonly decreaseFactor: number;
  private readonly minPerMs: number;
  private readonly recoveryPerMsPerMs: number;
  private readonly now: () => number;
  private readonly schedule: (fire: () => void, ms: number) => void;
  private ratePerMs: number;
  private tokens: number;
  private updatedAt: number;
  private timerPending = false;
  private readonly waiting: Record<CallPriority, Array<() => void>> = {
    interactive: [],
    background: [],
  };

  constructor(options: CallPacerOptions) {
    if (!(options.requestsPerMinute > 0)) {
      throw new Error('requestsPerMinute must be a positive number');
    }
    this.configuredPerMs = options.requestsPerMinute / 60_000;
    this.burst = Math.max(1, options.burst ?? Math.floor(options.requestsPerMinute / 60));
    this.decreaseFactor = options.decreaseFactor ?? 0.5;
    this.minPerMs = this.configuredPerMs * (options.minRateFraction ?? 0.1);
    this.recoveryPerMsPerMs = (this.configuredPerMs * (options.recoveryPerSecond ?? 0.05)) / 1000;
    this.now = options.now ?? Date.now;
    this.schedule =
      options.schedule ??
      ((fire, ms) => {
        // Unref'd: a queued call must not keep a stopping process alive.
        setTimeout(fire, ms).unref();
      });
    this.ratePerMs = this.configuredPerMs;
    this.tokens = this.burst;
    this.updatedAt = this.now();
  }

  /** Current pace in requests a minute (lower than configured for a while after a 429). */
  get requestsPerMinute(): number {
    this.refill();
    return this.ratePerMs * 60_000;
  }

  /** Callers waiting for a turn, per priority. */
  get queued(): Record<CallPriority, number> {
    return {
      interactive: this.waiting.interactive.length,
      background: this.waiting.background.length,
    };
  }

  /** Resolves when this caller may send one request. */
  acquire(priority: CallPriority): Promise<void> {
    return new Promise((resolve) => {
      this.waiting[priority].push(resolve);
      this.pump();
    });
  }

  /** Genesys answered 429: slow down, and send nothing more from the bucket's saved-up burst. */
  rateLimited(): void {
    this.refill();
    this.ratePerMs = Math.max(this.minPerMs, this.ratePerMs * this.decreaseFactor);
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.updatedAt = now;
    // Tokens at the rate in force during the interval, then the rate recovers for the next one.
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerMs);
    this.ratePerMs = Math.min(
      this.configuredPerMs,
      this.ratePerMs + elapsed * this.recoveryPerMsPerMs,
    );
  }

  private pump(): void {
    this.refill();
    while (this.tokens >= 1) {
      const next = this.waiting.interactive.shift() ?? this.waiting.background.shift();
      if (!next) return;
      this.tokens -= 1;
      next();
    }
    if (this.timerPending) return;
    if (this.waiting.interactive.length === 0 && this.waiting.background.length === 0) return;
    this.timerPending = true;
    const waitMs = Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerMs));
    this.schedule(() => {
      this.timerPending = false;
      this.pump();
    }, waitMs);
  }
}
