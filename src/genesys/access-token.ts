import { performance } from 'node:perf_hooks';
import type platformClient from 'purecloud-platform-client-v2';
import { childLogger, elapsedMs, type GenesysLogger } from './call-logger.js';
import { decideRetry, type RetryPolicy } from './call-retry-policy.js';
import { describeSdkFailure, GenesysError, type GenesysErrorInit } from './errors.js';

type SdkApiClient = InstanceType<typeof platformClient.ApiClientClass>;

export interface AccessTokenOptions {
  apiClient: SdkApiClient;
  clientId: string;
  clientSecret: string;
  /** Where the SDK logs in; for the operator's log only. */
  loginUrl: string;
  policy: RetryPolicy;
  logger: GenesysLogger;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
}

interface Token {
  generation: number;
  /** Undefined when Genesys gave no lifetime: then only a 401 renews it. */
  renewAt: number | undefined;
}

const RENEW_MARGIN_MIN_MS = 5 * 60_000;
const LOGIN = { operation: 'login', method: 'POST', path: '/oauth/token' };

/**
 * The client-credentials token of one Genesys client: logs in on first use, renews before expiry
 * and when a call met a 401, and knows every secret it handled so errors and logs can hide them.
 * The SDK's ApiClient holds the token itself; callers only see its generation.
 */
export class AccessToken {
  private readonly secrets = new Set<string>();
  private readonly logger: GenesysLogger;
  private token: Token | undefined;
  private generation = 0;
  private login: Promise<Token> | undefined;

  constructor(private readonly options: AccessTokenOptions) {
    this.logger = childLogger(options.logger, LOGIN);
    this.remember(options.clientSecret);
    this.remember(Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64'));
  }

  /** The generation of a token valid now, logging in first when needed. */
  async current(): Promise<number> {
    const token = this.token;
    if (token && (token.renewAt === undefined || this.options.now() < token.renewAt)) {
      return token.generation;
    }
    // Concurrent calls share one login.
    this.login ??= this.logIn().finally(() => {
      this.login = undefined;
    });
    return (await this.login).generation;
  }

  /** A call met a 401 with this token: the next `current()` logs in again. */
  drop(generation: number): void {
    // Several calls can fail with the same dead token: only the first forgets it.
    if (this.token?.generation === generation) this.token = undefined;
  }

  /** `text` without the client secret or any token this client obtained. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join('[redacted]');
    return result;
  }

  private async logIn(): Promise<Token> {
    const { apiClient, clientId, clientSecret, policy, now, random } = this.options;
    for (let attempt = 1; ; attempt++) {
      const obtainedAt = now();
      const started = performance.now();
      try {
        const auth = await apiClient.loginClientCredentialsGrant(clientId, clientSecret);
        this.remember(auth.accessToken);
        // The SDK turns expires_in into an absolute time on the real clock.
        const lifetimeMs = Math.round((auth.tokenExpiryTime - Date.now()) / 1000) * 1000;
        const token: Token = {
          generation: ++this.generation,
          renewAt: Number.isFinite(lifetimeMs) ? obtainedAt + renewAfterMs(lifetimeMs) : undefined,
        };
        this.token = token;
        this.logger.debug(
          { durationMs: elapsedMs(started), attempt, expiresInMs: lifetimeMs },
          'Genesys login',
        );
        return token;
      } catch (raw) {
        const failure = describeSdkFailure(raw, { ...LOGIN, redact: (text) => this.redact(text) });
        const outcome = {
          status: failure.status,
          code: failure.code,
          correlationId: failure.correlationId,
        };
        this.logger.debug(
          { ...outcome, durationMs: elapsedMs(started), attempt },
          'Genesys login failed',
        );
        const decision = decideRetry(failure, attempt, policy, random);
        if (!decision.retry) {
          if (failure.status === 400 || failure.status === 401 || failure.status === 403) {
            throw this.refused(failure, attempt);
          }
          throw new GenesysError({
            ...failure,
            message: decision.reason ? `${failure.message} (${decision.reason})` : failure.message,
            attempts: attempt,
          });
        }
        this.logger.warn(
          { ...outcome, attempt, waitMs: decision.waitMs },
          'Genesys login failed; retrying',
        );
        await this.options.sleep(decision.waitMs);
      }
    }
  }

  private refused(failure: GenesysErrorInit, attempt: number): GenesysError {
    // The message reaches chat threads and notices: which client and which login URL were
    // refused is for the operator, so they go to the log only.
    this.logger.warn(
      {
        status: failure.status,
        code: failure.code,
        correlationId: failure.correlationId,
        clientId: this.options.clientId,
        loginUrl: this.options.loginUrl,
      },
      'Genesys login refused: check GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION/GENESYS_API_URL',
    );
    return new GenesysError({
      ...failure,
      message: `Genesys login refused: ${failure.status} ${failure.code}${
        failure.genesysMessage ? `: ${failure.genesysMessage}` : ''
      }. Check the client id, the client secret, the region and that the client uses the client credentials grant (details in the bot's log).`,
      retryable: false,
      retryAfterMs: undefined,
      attempts: attempt,
    });
  }

  private remember(secret: string | undefined): void {
    if (!secret) return;
    this.secrets.add(secret);
    // Old tokens stay redacted for a while, in case an old error is still being formatted.
    if (this.secrets.size > 10) {
      const oldest = [...this.secrets][2];
      if (oldest) this.secrets.delete(oldest);
    }
  }
}

/**
 * Renew at 90% of the lifetime, but at least 5 minutes before the end, and never in the first
 * half of a short-lived token.
 */
function renewAfterMs(lifetimeMs: number): number {
  if (lifetimeMs <= 0) return 0;
  const margin = Math.min(Math.max(lifetimeMs * 0.1, RENEW_MARGIN_MIN_MS), lifetimeMs * 0.5);
  return lifetimeMs - margin;
}
