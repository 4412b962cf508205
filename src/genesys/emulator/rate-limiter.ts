import type { RateLimit } from './types.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token bucket per access token, like Genesys's per-token request limit. */
export class RateLimiter {
  #limit: RateLimit | null = null;
  readonly #buckets = new Map<string, Bucket>();

  constructor(limit: RateLimit | null | undefined) {
    this.set(limit);
  }

  set(limit: RateLimit | null | undefined): void {
    if (limit && !(limit.requestsPerSecond > 0)) {
      throw new Error('rateLimit.requestsPerSecond must be a positive number');
    }
    if (limit?.burst !== undefined && !(limit.burst >= 1)) {
      throw new Error('rateLimit.burst must be at least 1');
    }
    this.#limit = limit ? { ...limit } : null;
    // A new limit starts everyone with a full bucket, so tests get a predictable burst.
    this.#buckets.clear();
  }

  take(key: string, now = Date.now()): RateDecision {
    const limit = this.#limit;
    if (!limit) return { allowed: true };
    const capacity = limit.burst ?? limit.requestsPerSecond;
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * limit.requestsPerSecond,
    );
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const seconds = Math.ceil((1 - bucket.tokens) / limit.requestsPerSecond);
    return { allowed: false, retryAfterSeconds: Math.max(1, seconds) };
  }
}
