import { performance } from 'node:perf_hooks';
import type { AccessToken } from './access-token.js';
import { noteGenesysCall } from './call-journal.js';
import { childLogger, elapsedMs, type GenesysLogger } from './call-logger.js';
import { decideRetry, type RetryPolicy } from './call-retry-policy.js';
import { describeSdkFailure, GenesysError, type GenesysErrorInit, headerValue } from './errors.js';
import type { CallPacer, CallPriority } from './rate-limiter.js';

export interface CallSpec {
  operation: string;
  method: string;
  path: string;
  /** DELETE user answers 409 on a version conflict with a concurrent change: safe to repeat. */
  retryConflict?: boolean;
  /**
   * DELETE and PATCH user may answer 400 `general.conflict` ("Conflict deleting specified
   * userId"): a version conflict inside the directory, not a bad request. Safe to repeat.
   */
  retryDirectoryConflict?: boolean;
  /**
   * Irreversible calls: after an answer that leaves it unknown whether Genesys acted (5xx,
   * timeout, reset), do not send again; the caller looks for the result before any new try.
   */
  noResendWhenAmbiguous?: boolean;
  /** Runs before every send, resends included; throwing stops the call unsent. */
  beforeSend?: () => Promise<void>;
}

export interface GenesysCallsOptions {
  accessToken: AccessToken;
  policy: RetryPolicy;
  logger: GenesysLogger;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  /** Paces every send, resends included; shared by the client views of one token. */
  pacer?: CallPacer;
  /** Told of every answer (or its absence) and every wait (the pacer, a 429 pause); for metrics. */
  observer?: GenesysCallObserver;
}

export interface GenesysCallObserver {
  /** `status` is undefined when no HTTP answer came (timeout, reset). */
  onAnswer(call: { operation: string; method: string; status: number | undefined }): void;
  onRateLimitWait(seconds: number): void;
}

/** What the SDK resolves with once `setReturnExtendedResponses(true)` is on (its typings ignore it). */
interface ExtendedResponse {
  status: number;
  headers: unknown;
  body: unknown;
}

/**
 * Sends SDK calls with a valid token, retries what may succeed later (429 after its Retry-After,
 * 5xx, timeouts and resets with backoff, one fresh login after a 401), logs each attempt, and
 * ends a failed call with one `GenesysError` that says how many attempts were made.
 */
export class GenesysCalls {
  /** Until when a 429 asked this client (its one token) to send nothing. */
  private rateLimitedUntil = 0;

  constructor(private readonly options: GenesysCallsOptions) {}

  /** One SDK call with auth, retries and logs. Resolves with the response body. */
  async call(
    spec: CallSpec,
    send: () => Promise<unknown>,
    priority: CallPriority = 'interactive',
  ): Promise<unknown> {
    const { accessToken, policy, sleep, now, random, pacer } = this.options;
    const logger = childLogger(this.options.logger, {
      operation: spec.operation,
      method: spec.method,
      path: spec.path,
    });
    let reauthenticated = false;
    // The end of the pause this call has already waited out after its own 429.
    let honouredUntil = 0;
    for (let attempt = 1; ; attempt++) {
      // A 429 seen by any call pauses every call of this client (one token, one limit), so
      // concurrent workers do not each spend a request to discover the same limit.
      if (this.rateLimitedUntil > honouredUntil) {
        const pausedMs = this.rateLimitedUntil - now();
        // A long pause is handed to the caller's job queue, as for the call that got the 429:
        // sleeping here would hold this call's worker and request lock for all of it.
        if (pausedMs > policy.maxRetryAfterMs) throw pausedError(spec, pausedMs, attempt);
        if (pausedMs > 0) {
          await sleep(pausedMs);
          this.options.observer?.onRateLimitWait(pausedMs / 1000);
        }
      }
      if (pacer) {
        const queuedAt = now();
        await pacer.acquire(priority);
        const waitedMs = now() - queuedAt;
        if (waitedMs > 0) this.options.observer?.onRateLimitWait(waitedMs / 1000);
      }
      // Login failures are final here: the login has its own retries.
      const token = await accessToken.current();
      // Last thing before the send, so no wait comes between the caller's check and the call.
      await spec.beforeSend?.();
      const started = performance.now();
      try {
        const response = (await send()) as ExtendedResponse;
        const correlationId = headerValue(response.headers, 'inin-correlation-id');
        this.observe(spec, response.status, correlationId);
        logger.debug(
          { status: response.status, durationMs: elapsedMs(started), correlationId, attempt },
          'Genesys call',
        );
        return response.body;
      } catch (raw) {
        const failure = this.describe(raw, spec);
        this.observe(spec, failure.status, failure.correlationId);
        const outcome = {
          status: failure.status,
          code: failure.code,
          correlationId: failure.correlationId,
          attempt,
        };
        logger.debug({ ...outcome, durationMs: elapsedMs(started) }, 'Genesys call failed');
        if (failure.status === 401 && !reauthenticated) {
          // The token died early (revoked, rotated): one fresh login, not counted as an attempt.
          reauthenticated = true;
          accessToken.drop(token);
          attempt--;
          continue;
        }
        if (failure.status === 429) pacer?.rateLimited();
        if (failure.status === 429 && failure.retryAfterMs !== undefined) {
          this.rateLimitedUntil = Math.max(this.rateLimitedUntil, now() + failure.retryAfterMs);
        }
        const ambiguous = failure.status === undefined || failure.status >= 500;
        if (spec.noResendWhenAmbiguous && ambiguous) {
          throw new GenesysError({ ...failure, attempts: attempt });
        }
        const decision = decideRetry(failure, attempt, policy, random);
        if (!decision.retry) {
          throw new GenesysError({
            ...failure,
            message: decision.reason ? `${failure.message} (${decision.reason})` : failure.message,
            attempts: attempt,
          });
        }
        logger.warn({ ...outcome, waitMs: decision.waitMs }, 'Genesys call failed; retrying');
        await sleep(decision.waitMs);
        if (failure.status === 429) this.options.observer?.onRateLimitWait(decision.waitMs / 1000);
        honouredUntil = this.rateLimitedUntil;
      }
    }
  }

  private observe(
    spec: CallSpec,
    status: number | undefined,
    correlationId: string | undefined,
  ): void {
    this.options.observer?.onAnswer({ operation: spec.operation, method: spec.method, status });
    noteGenesysCall({ operation: spec.operation, method: spec.method, status, correlationId });
  }

  private describe(raw: unknown, spec: CallSpec): GenesysErrorInit {
    const failure = describeSdkFailure(raw, {
      operation: spec.operation,
      method: spec.method,
      path: spec.path,
      redact: (text) => this.options.accessToken.redact(text),
    });
    const conflict =
      (spec.retryConflict && failure.status === 409) ||
      (spec.retryDirectoryConflict &&
        failure.status === 400 &&
        failure.code === 'general.conflict');
    return conflict ? { ...failure, retryable: true } : failure;
  }
}

function pausedError(spec: CallSpec, pausedMs: number, attempt: number): GenesysError {
  return new GenesysError({
    message: `Genesys call ${spec.method} ${spec.path} not sent: a 429 asked this client to wait ${Math.ceil(pausedMs / 1000)} s`,
    code: 'too.many.requests',
    status: 429,
    correlationId: undefined,
    retryable: true,
    genesysMessage: undefined,
    operation: spec.operation,
    method: spec.method,
    path: spec.path,
    retryAfterMs: pausedMs,
    attempts: attempt,
  });
}
