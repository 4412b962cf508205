import { backoffDelay } from '../backoff.js';

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A 429 asking for a longer wait is handed back to the caller (its job queue waits instead). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export function resolveRetryPolicy(partial: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY };
  for (const key of Object.keys(policy) as (keyof RetryPolicy)[]) {
    const value = partial?.[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(`Genesys retry.${key} must be a non-negative number, got ${value}`);
    }
    policy[key] = value;
  }
  policy.maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
  return policy;
}

/** What a failed attempt tells about the next one. */
export interface AttemptFailure {
  retryable: boolean;
  status: number | undefined;
  retryAfterMs?: number | undefined;
}

export type RetryDecision =
  | { retry: true; waitMs: number }
  /** `reason` completes the error's message when the give-up is the policy's, not Genesys's. */
  | { retry: false; reason: string | undefined };

/** Whether to try again after `attempt` (from 1) failed, and after how long. */
export function decideRetry(
  failure: AttemptFailure,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (!failure.retryable) return { retry: false, reason: undefined };
  if (attempt >= policy.maxAttempts) {
    return { retry: false, reason: attempt > 1 ? `gave up after ${attempt} attempts` : undefined };
  }
  if (failure.status === 429 && failure.retryAfterMs !== undefined) {
    // Sleeping minutes inside one job would hold a worker: hand the wait to the job queue.
    if (failure.retryAfterMs > policy.maxRetryAfterMs) {
      return {
        retry: false,
        reason: `Genesys asks to wait ${Math.ceil(failure.retryAfterMs / 1000)} s`,
      };
    }
    return { retry: true, waitMs: failure.retryAfterMs };
  }
  // Full jitter spreads the retries of many workers hitting the same outage.
  const backoff = { base: policy.baseDelayMs, max: policy.maxDelayMs, jitter: 'full' as const };
  return { retry: true, waitMs: backoffDelay(attempt, backoff, random) };
}
