import type { WebClientOptions } from '@slack/web-api';

/** One HTTP request to Slack is abandoned after this. */
export const SLACK_REQUEST_TIMEOUT_MS = 10_000;
/** No new try of a call starts after this much time since its first. */
export const SLACK_RETRY_WINDOW_MS = 20_000;
const SLACK_MAX_RETRY_DELAY_MS = 5_000;

/**
 * The longest one Web API call can take, tries and waits included: a try may start at the end
 * of the retry window after the longest wait, and then runs into the request timeout.
 */
export const SLACK_CALL_MAX_MS =
  SLACK_RETRY_WINDOW_MS + SLACK_MAX_RETRY_DELAY_MS + SLACK_REQUEST_TIMEOUT_MS;

/**
 * The WebClient's defaults retry for about 30 minutes, with no request timeout, and sleep off
 * any `Retry-After` inside the call: far beyond the 300 s after which the queue hands a notify
 * job to another worker, which then posts the same message again. Here a call is bounded by
 * SLACK_CALL_MAX_MS, and a rate limit fails the call at once with its `retryAfter`, which the
 * notification dispatcher turns into the delay of its next job.
 */
export function slackClientOptions(
  overrides: { retries?: number; requestTimeoutMs?: number; retryWindowMs?: number } = {},
): Pick<WebClientOptions, 'timeout' | 'retryConfig' | 'rejectRateLimitedCalls'> {
  return {
    timeout: overrides.requestTimeoutMs ?? SLACK_REQUEST_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
    retryConfig: {
      retries: overrides.retries ?? 3,
      factor: 2,
      minTimeout: 1_000,
      maxTimeout: SLACK_MAX_RETRY_DELAY_MS,
      maxRetryTime: overrides.retryWindowMs ?? SLACK_RETRY_WINDOW_MS,
      randomize: true,
    },
  };
}
