import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import platformClient from 'purecloud-platform-client-v2';
import { GenesysError, headerValue, toGenesysError } from './errors.js';
import { backoffDelayMs, type RetryPolicy, resolveRetryPolicy } from './call-retry-policy.js';
import type {
  GdprMode,
  GdprReplacementTerm,
  GdprRequest,
  GdprRequestPage,
  GdprRequestType,
  GdprStatus,
  GdprSubject,
  GdprTarget,
  GenesysClient,
  GenesysOrganization,
  GenesysUser,
  GenesysUserState,
} from './types.js';

export { GenesysError, isGenesysError } from './errors.js';

export type GenesysLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface GenesysClientOptions {
  clientId: string;
  clientSecret: string;
  /** A region host (`mypurecloud.ie`) or an SDK region key (`eu_west_1`). Default `mypurecloud.com`. */
  region?: string;
  /**
   * Base URL replacing both `https://api.<region>` and `https://login.<region>` (an emulator, a
   * corporate gateway): login goes to `<url>/oauth/token`, API calls to `<url>/api/v2/...`.
   */
  apiUrl?: string;
  /** What callers file with `createGdprRequest`; the method itself takes the mode as argument. */
  gdprMode: GdprMode;
  /** GDPR_DELETE names the user's email in `subject.emailAddresses` too (default: userId only). */
  gdprIncludeEmail?: boolean;
  logger?: GenesysLogger;
  retry?: Partial<RetryPolicy>;
  /** Per HTTP call; a hung connection then becomes a retryable `timeout`. Default 30 s. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Clock for token renewal. */
  now?: () => number;
  /** Jitter source, for tests. */
  random?: () => number;
}

type SdkApiClient = InstanceType<typeof platformClient.ApiClientClass>;
type SdkUser = platformClient.Models.User;
type SdkGdprRequest = platformClient.Models.GDPRRequest;

/** What the SDK resolves with once `setReturnExtendedResponses(true)` is on (its typings ignore it). */
interface ExtendedResponse {
  status: number;
  headers: unknown;
  body: unknown;
}

interface CallSpec {
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

interface Token {
  generation: number;
  /** Undefined when Genesys gave no lifetime: then only a 401 renews it. */
  renewAt: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const SEARCH_PAGE_SIZE = 100;
const SEARCH_MAX_PAGES = 10;
const RENEW_MARGIN_MIN_MS = 5 * 60_000;

const NOOP_LOGGER: GenesysLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as GenesysLogger;

/** Accepts `mypurecloud.ie` or `eu_west_1` (also `eu-west-1`) and answers the region host. */
export function resolveRegionHost(region: string): string {
  const hosts = platformClient.PureCloudRegionHosts;
  const wanted = region
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^(api|login)\./, '')
    .replace(/\/+$/, '');
  if (Object.values(hosts).includes(wanted)) return wanted;
  const byKey = hosts[wanted.replace(/-/g, '_')];
  if (byKey) return byKey;
  const valid = Object.entries(hosts)
    .map(([key, host]) => `${host} (${key})`)
    .join(', ');
  throw new Error(`Unknown Genesys Cloud region "${region}". Valid regions: ${valid}`);
}

/**
 * Deterministic, so a retried GDPR_UPDATE sends the same replacement and two requests for one
 * person agree. Derived from the user id through a hash so the pseudonym does not reveal the id.
 */
export function pseudonymFor(userId: string): { name: string; email: string } {
  const tag = createHash('sha256').update(userId).digest('hex').slice(0, 8);
  return { name: `Former employee ${tag}`, email: `former-employee-${tag}@invalid.example` };
}

export function createGenesysClient(options: GenesysClientOptions): GenesysClient {
  return new SdkGenesysClient(options);
}

class SdkGenesysClient implements GenesysClient {
  private readonly apiClient: SdkApiClient;
  private readonly users: platformClient.UsersApi;
  private readonly tokens: platformClient.TokensApi;
  private readonly gdpr: platformClient.GeneralDataProtectionRegulationApi;
  private readonly organizations: platformClient.OrganizationApi;
  private readonly policy: RetryPolicy;
  private readonly logger: GenesysLogger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly loginUrl: string;
  private readonly secrets = new Set<string>();
  private token: Token | undefined;
  private tokenGeneration = 0;
  private login: Promise<Token> | undefined;
  /** Until when a 429 asked this client (its one token) to send nothing. */
  private rateLimitedUntil = 0;

  constructor(private readonly options: GenesysClientOptions) {
    if (!options.clientId || !options.clientSecret) {
      throw new Error('Genesys clientId and clientSecret are required');
    }
    this.policy = resolveRetryPolicy(options.retry);
    this.logger = options.logger ?? NOOP_LOGGER;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.remember(options.clientSecret);
    this.remember(Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64'));

    // A client of our own: the SDK's `ApiClient` export is a process-wide singleton whose token
    // and base URL anything else importing the SDK could change.
    this.apiClient = new platformClient.ApiClientClass();
    this.isolateFromSdkConfigFile();
    this.apiClient.setReturnExtendedResponses(true);
    this.apiClient.getHttpClient().setTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);

    if (options.apiUrl) {
      const gateway = gatewayFor(options.apiUrl);
      this.apiClient.setGateway(gateway);
      this.loginUrl = `${options.apiUrl.replace(/\/+$/, '')}/oauth/token`;
    } else {
      const host = resolveRegionHost(options.region ?? 'mypurecloud.com');
      this.apiClient.setGateway(undefined as unknown as platformClient.GatewayConfiguration);
      this.apiClient.setEnvironment(host);
      this.loginUrl = `https://login.${host}/oauth/token`;
    }

    this.users = new platformClient.UsersApi(this.apiClient);
    this.tokens = new platformClient.TokensApi(this.apiClient);
    this.gdpr = new platformClient.GeneralDataProtectionRegulationApi(this.apiClient);
    this.organizations = new platformClient.OrganizationApi(this.apiClient);
  }

  async getOrganization(): Promise<GenesysOrganization> {
    const org = (await this.call(
      { operation: 'getOrganization', method: 'GET', path: '/api/v2/organizations/me' },
      () => this.organizations.getOrganizationsMe(),
    )) as Partial<platformClient.Models.Organization> | undefined;
    if (!org?.id) {
      throw new GenesysError({
        message: 'Genesys answered GET /api/v2/organizations/me without an organization id',
        code: 'organization.id.missing',
        status: 200,
        correlationId: undefined,
        retryable: false,
        genesysMessage: undefined,
        operation: 'getOrganization',
        method: 'GET',
        path: '/api/v2/organizations/me',
        attempts: 1,
        cause: undefined,
      });
    }
    // An org always has a name in Genesys; the id stands in so a message never shows "undefined".
    return { id: org.id, name: org.name || org.id };
  }

  async findUsersByEmail(email: string): Promise<GenesysUser[]> {
    const wanted = email.trim();
    if (!wanted) throw this.invalidArgument('findUsersByEmail', 'an email address is required');
    const found: GenesysUser[] = [];
    for (let pageNumber = 1; pageNumber <= SEARCH_MAX_PAGES; pageNumber++) {
      const page = (await this.call(
        { operation: 'findUsersByEmail', method: 'POST', path: '/api/v2/users/search' },
        () =>
          this.users.postUsersSearch({
            pageSize: SEARCH_PAGE_SIZE,
            pageNumber,
            query: [{ type: 'EXACT', fields: ['email'], value: wanted }],
          }),
      )) as Partial<platformClient.Models.UsersSearchResponse> | undefined;
      const results = page?.results ?? [];
      // The search index lags: a user deleted a moment ago can still show up.
      found.push(...results.map(toUser).filter((user) => user.state !== 'deleted'));
      if (results.length === 0 || pageNumber >= (page?.pageCount ?? 1)) break;
    }
    return found;
  }

  async getUser(
    userId: string,
    options: { state?: GenesysUserState } = {},
  ): Promise<GenesysUser | undefined> {
    this.requireId('getUser', userId);
    try {
      const user = (await this.call(
        { operation: 'getUser', method: 'GET', path: userPath(userId) },
        () => this.users.getUser(userId, options.state ? { state: options.state } : {}),
      )) as SdkUser;
      return toUser(user);
    } catch (error) {
      if (error instanceof GenesysError && error.status === 404) return undefined;
      throw error;
    }
  }

  async revokeTokens(userId: string): Promise<void> {
    this.requireId('revokeTokens', userId);
    await this.call(
      {
        operation: 'revokeTokens',
        method: 'DELETE',
        path: `/api/v2/tokens/${encodeURIComponent(userId)}`,
      },
      () => this.tokens.deleteToken(userId),
    );
  }

  async softDeleteUser(userId: string): Promise<void> {
    this.requireId('softDeleteUser', userId);
    try {
      await this.call(
        {
          operation: 'softDeleteUser',
          method: 'DELETE',
          path: userPath(userId),
          retryConflict: true,
          retryDirectoryConflict: true,
        },
        () => this.users.deleteUser(userId),
      );
    } catch (error) {
      // A retry answered 404: an earlier attempt that timed out or got a 5xx may have deleted the
      // user after all. A user that was already deleted before the first attempt still fails.
      if (error instanceof GenesysError && error.status === 404 && error.attempts > 1) {
        if (await this.getUser(userId, { state: 'deleted' })) return;
      }
      throw error;
    }
  }

  async restoreUser(userId: string): Promise<GenesysUser> {
    this.requireId('restoreUser', userId);
    const deleted = await this.getUser(userId, { state: 'deleted' });
    if (!deleted) {
      // Restoring twice (a job retried after the PATCH went through) must not fail.
      const active = await this.getUser(userId);
      if (active) return active;
      throw new GenesysError({
        message: `Genesys has no deleted user ${userId} to restore (GET ${userPath(userId)}?state=deleted: 404)`,
        code: 'not.found',
        status: 404,
        correlationId: undefined,
        retryable: false,
        genesysMessage: undefined,
        operation: 'restoreUser',
        method: 'GET',
        path: userPath(userId),
      });
    }
    try {
      const restored = (await this.call(
        {
          operation: 'restoreUser',
          method: 'PATCH',
          path: userPath(userId),
          retryDirectoryConflict: true,
        },
        () => this.users.patchUser(userId, { state: 'active', version: deleted.version }),
      )) as SdkUser;
      return toUser(restored);
    } catch (error) {
      // A 409 means the version moved: when it moved because an earlier attempt of this PATCH
      // went through (timeout, 5xx), the user is active now and the restore is done.
      if (error instanceof GenesysError && error.status === 409) {
        const active = await this.getUser(userId);
        if (active) return active;
      }
      throw error;
    }
  }

  async createGdprRequest(
    target: GdprTarget,
    mode: Exclude<GdprMode, 'none'>,
    options: { beforeSend?: () => Promise<void> } = {},
  ): Promise<GdprRequest> {
    this.requireId('createGdprRequest', target.userId);
    const body = this.gdprRequestBody(target, mode);
    const created = (await this.call(
      {
        operation: 'createGdprRequest',
        method: 'POST',
        path: '/api/v2/gdpr/requests',
        // Filing twice would leave two erasures to track. The workflow's GDPR step owns the one
        // look-up for a request an ambiguous attempt may have filed (workflow/gdpr-lookup.ts).
        noResendWhenAmbiguous: true,
        ...(options.beforeSend ? { beforeSend: options.beforeSend } : {}),
      },
      () =>
        this.gdpr.postGdprRequests(
          body as SdkGdprRequest,
          mode === 'delete' ? { deleteConfirmed: true } : {},
        ),
    )) as SdkGdprRequest;
    return toGdprRequest(created);
  }

  async getGdprRequest(requestId: string): Promise<GdprRequest> {
    this.requireId('getGdprRequest', requestId);
    const request = (await this.call(
      {
        operation: 'getGdprRequest',
        method: 'GET',
        path: `/api/v2/gdpr/requests/${encodeURIComponent(requestId)}`,
      },
      () => this.gdpr.getGdprRequest(requestId),
    )) as SdkGdprRequest;
    return toGdprRequest(request);
  }

  async listGdprRequests(
    page: { pageNumber?: number; pageSize?: number } = {},
  ): Promise<GdprRequestPage> {
    const pageNumber = page.pageNumber ?? 1;
    const pageSize = page.pageSize ?? 25;
    const listing = (await this.call(
      { operation: 'listGdprRequests', method: 'GET', path: '/api/v2/gdpr/requests' },
      () => this.gdpr.getGdprRequests({ pageNumber, pageSize }),
    )) as platformClient.Models.GDPRRequestEntityListing | undefined;
    const entities = (listing?.entities ?? []).map(toGdprRequest);
    return {
      entities,
      pageNumber: listing?.pageNumber ?? pageNumber,
      pageSize: listing?.pageSize ?? pageSize,
      pageCount: listing?.pageCount ?? 1,
      total: listing?.total ?? entities.length,
    };
  }

  private gdprRequestBody(
    target: GdprTarget,
    mode: Exclude<GdprMode, 'none'>,
  ): {
    requestType: GdprRequestType;
    subject: GdprSubject;
    replacementTerms?: GdprReplacementTerm[];
  } {
    if (mode === 'delete') {
      const subject: GdprSubject = { userId: target.userId };
      if (this.options.gdprIncludeEmail && target.email) subject.emailAddresses = [target.email];
      return { requestType: 'GDPR_DELETE', subject };
    }
    const pseudonym = pseudonymFor(target.userId);
    const replacementTerms: GdprReplacementTerm[] = [];
    if (target.name) {
      replacementTerms.push({
        type: 'NAME',
        existingValue: target.name,
        updatedValue: pseudonym.name,
      });
    }
    if (target.email) {
      replacementTerms.push({
        type: 'EMAIL',
        existingValue: target.email,
        updatedValue: pseudonym.email,
      });
    }
    return { requestType: 'GDPR_UPDATE', subject: { userId: target.userId }, replacementTerms };
  }

  /** One SDK call with auth, retries and logs. Resolves with the response body. */
  private async call(spec: CallSpec, send: () => Promise<unknown>): Promise<unknown> {
    let reauthenticated = false;
    // The end of the pause this call has already waited out after its own 429.
    let honouredUntil = 0;
    for (let attempt = 1; ; attempt++) {
      // A 429 seen by any call pauses every call of this client (one token, one limit), so
      // concurrent workers do not each spend a request to discover the same limit.
      if (this.rateLimitedUntil > honouredUntil) {
        const pausedMs = this.rateLimitedUntil - this.now();
        // A long pause is handed to the caller's job queue, as for the call that got the 429:
        // sleeping here would hold this call's worker and request lock for all of it.
        if (pausedMs > this.policy.maxRetryAfterMs) throw this.pausedError(spec, pausedMs, attempt);
        if (pausedMs > 0) await this.sleep(pausedMs);
      }
      // Login failures are final here: the login has its own retries.
      const token = await this.currentToken();
      // Last thing before the send, so no wait comes between the caller's check and the call.
      await spec.beforeSend?.();
      const started = performance.now();
      try {
        const response = (await send()) as ExtendedResponse;
        this.logger.debug(
          {
            operation: spec.operation,
            method: spec.method,
            path: spec.path,
            status: response.status,
            durationMs: elapsed(started),
            correlationId: headerValue(response.headers, 'inin-correlation-id'),
            attempt,
          },
          'Genesys call',
        );
        return response.body;
      } catch (raw) {
        const error = this.toError(raw, spec);
        error.attempts = attempt;
        this.logger.debug(
          {
            operation: spec.operation,
            method: spec.method,
            path: spec.path,
            status: error.status,
            code: error.code,
            durationMs: elapsed(started),
            correlationId: error.correlationId,
            attempt,
          },
          'Genesys call failed',
        );
        if (error.status === 401 && !reauthenticated) {
          // The token died early (revoked, rotated): one fresh login, not counted as an attempt.
          reauthenticated = true;
          this.dropToken(token);
          attempt--;
          continue;
        }
        if (error.status === 429 && error.retryAfterMs !== undefined) {
          this.rateLimitedUntil = Math.max(this.rateLimitedUntil, this.now() + error.retryAfterMs);
        }
        const ambiguous = error.status === undefined || error.status >= 500;
        if (spec.noResendWhenAmbiguous && ambiguous) throw error;
        const waitMs = this.waitBeforeRetry(error, attempt);
        if (waitMs === undefined) throw error;
        this.logger.warn(
          {
            operation: spec.operation,
            method: spec.method,
            path: spec.path,
            status: error.status,
            code: error.code,
            correlationId: error.correlationId,
            attempt,
            waitMs,
          },
          'Genesys call failed; retrying',
        );
        await this.sleep(waitMs);
        honouredUntil = this.rateLimitedUntil;
      }
    }
  }

  /** Milliseconds to wait before the next attempt, or undefined to give up with `error`. */
  private waitBeforeRetry(error: GenesysError, attempt: number): number | undefined {
    if (!error.retryable) return undefined;
    if (attempt >= this.policy.maxAttempts) {
      if (attempt > 1) error.message += ` (gave up after ${attempt} attempts)`;
      return undefined;
    }
    if (error.status === 429 && error.retryAfterMs !== undefined) {
      // Sleeping minutes inside one job would hold a worker: hand the wait to the job queue.
      if (error.retryAfterMs > this.policy.maxRetryAfterMs) {
        error.message += ` (Genesys asks to wait ${Math.ceil(error.retryAfterMs / 1000)} s)`;
        return undefined;
      }
      return error.retryAfterMs;
    }
    return backoffDelayMs(attempt, this.policy, this.random);
  }

  private pausedError(spec: CallSpec, pausedMs: number, attempt: number): GenesysError {
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

  private toError(raw: unknown, spec: CallSpec): GenesysError {
    const error = toGenesysError(raw, {
      operation: spec.operation,
      method: spec.method,
      path: spec.path,
      redact: (text) => this.redact(text),
    });
    const conflict =
      (spec.retryConflict && error.status === 409) ||
      (spec.retryDirectoryConflict && error.status === 400 && error.code === 'general.conflict');
    if (conflict && !error.retryable) {
      return new GenesysError({
        message: error.message,
        code: error.code,
        status: error.status,
        correlationId: error.correlationId,
        retryable: true,
        genesysMessage: error.genesysMessage,
        operation: error.operation,
        method: error.method,
        path: error.path,
        cause: error.cause,
      });
    }
    return error;
  }

  private async currentToken(): Promise<number> {
    const token = this.token;
    if (token && (token.renewAt === undefined || this.now() < token.renewAt)) {
      return token.generation;
    }
    // Concurrent calls share one login.
    this.login ??= this.logIn().finally(() => {
      this.login = undefined;
    });
    return (await this.login).generation;
  }

  private dropToken(generation: number): void {
    // Several calls can fail with the same dead token: only the first forgets it.
    if (this.token?.generation === generation) this.token = undefined;
  }

  private async logIn(): Promise<Token> {
    const spec = { operation: 'login', method: 'POST', path: '/oauth/token' };
    for (let attempt = 1; ; attempt++) {
      const obtainedAt = this.now();
      const started = performance.now();
      try {
        const auth = await this.apiClient.loginClientCredentialsGrant(
          this.options.clientId,
          this.options.clientSecret,
        );
        this.remember(auth.accessToken);
        // The SDK turns expires_in into an absolute time on the real clock.
        const lifetimeMs = Math.round((auth.tokenExpiryTime - Date.now()) / 1000) * 1000;
        const token: Token = {
          generation: ++this.tokenGeneration,
          renewAt: Number.isFinite(lifetimeMs) ? obtainedAt + renewAfterMs(lifetimeMs) : undefined,
        };
        this.token = token;
        this.logger.debug(
          { ...spec, durationMs: elapsed(started), attempt, expiresInMs: lifetimeMs },
          'Genesys login',
        );
        return token;
      } catch (raw) {
        const error = this.toError(raw, spec);
        error.attempts = attempt;
        this.logger.debug(
          {
            ...spec,
            status: error.status,
            code: error.code,
            durationMs: elapsed(started),
            correlationId: error.correlationId,
            attempt,
          },
          'Genesys login failed',
        );
        const waitMs = this.waitBeforeRetry(error, attempt);
        if (waitMs === undefined) {
          if (error.status === 400 || error.status === 401 || error.status === 403) {
            // The message reaches chat threads and notices: which client and which login URL
            // were refused is for the operator, so they go to the log only.
            this.logger.warn(
              {
                ...spec,
                status: error.status,
                code: error.code,
                correlationId: error.correlationId,
                clientId: this.options.clientId,
                loginUrl: this.loginUrl,
              },
              'Genesys login refused: check GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION/GENESYS_API_URL',
            );
            throw new GenesysError({
              message: `Genesys login refused: ${error.status} ${error.code}${
                error.genesysMessage ? `: ${error.genesysMessage}` : ''
              }. Check the client id, the client secret, the region and that the client uses the client credentials grant (details in the bot's log).`,
              code: error.code,
              status: error.status,
              correlationId: error.correlationId,
              retryable: false,
              genesysMessage: error.genesysMessage,
              operation: error.operation,
              method: error.method,
              path: error.path,
              attempts: attempt,
              cause: error.cause,
            });
          }
          throw error;
        }
        this.logger.warn(
          {
            ...spec,
            status: error.status,
            code: error.code,
            correlationId: error.correlationId,
            attempt,
            waitMs,
          },
          'Genesys login failed; retrying',
        );
        await this.sleep(waitMs);
      }
    }
  }

  /**
   * The SDK reads ~/.genesyscloudjavascript/config in its constructor and then polls it (every
   * 5 s, `persistent: false`, so the process can still exit). A change to that file would re-run
   * its settings and silently reset the gateway and environment set here, so stop watching, and
   * silence its own logger (pino logs the calls instead).
   */
  private isolateFromSdkConfigFile(): void {
    const config = this.apiClient.config;
    config.setConfigPath('');
    config.logger.log_level = 'none';
    config.logger.log_file_path = '';
    config.logger.log_to_console = false;
    config.logger.setLogger();
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

  private redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join('[redacted]');
    return result;
  }

  private requireId(operation: string, id: string): void {
    if (typeof id !== 'string' || id.trim() === '') {
      throw this.invalidArgument(operation, 'an id is required');
    }
  }

  private invalidArgument(operation: string, reason: string): GenesysError {
    return new GenesysError({
      message: `Genesys ${operation} was not called: ${reason}`,
      code: 'invalid.argument',
      status: undefined,
      correlationId: undefined,
      retryable: false,
      genesysMessage: undefined,
      operation,
      method: '',
      path: '',
    });
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

function gatewayFor(apiUrl: string): platformClient.GatewayConfiguration {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new Error(
      `Genesys apiUrl "${apiUrl}" is not a URL (expected e.g. http://127.0.0.1:8080)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Genesys apiUrl "${apiUrl}" must be http or https`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  const gateway: platformClient.GatewayConfiguration = {
    host: url.hostname,
    protocol: url.protocol.slice(0, -1),
  };
  if (url.port) gateway.port = Number(url.port);
  if (path) {
    gateway.path_params_login = path;
    gateway.path_params_api = path;
  }
  return gateway;
}

function userPath(userId: string): string {
  return `/api/v2/users/${encodeURIComponent(userId)}`;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function toUser(user: SdkUser): GenesysUser {
  const result: GenesysUser = {
    id: user.id ?? '',
    name: user.name ?? '',
    email: user.email ?? '',
    state: (user.state ?? 'active') as GenesysUserState,
    version: user.version,
  };
  if (user.department) result.department = user.department;
  if (user.title) result.title = user.title;
  if (user.division?.id) {
    result.division = { id: user.division.id };
    if (user.division.name) result.division.name = user.division.name;
  }
  return result;
}

function toGdprRequest(request: SdkGdprRequest): GdprRequest {
  const result: GdprRequest = {
    id: request.id ?? '',
    requestType: request.requestType as GdprRequestType,
    status: request.status as GdprStatus,
    createdDate: request.createdDate,
    subject: (request.subject ?? {}) as GdprSubject,
  };
  if (request.createdBy) {
    result.createdBy = {};
    if (request.createdBy.id) result.createdBy.id = request.createdBy.id;
    if (request.createdBy.name) result.createdBy.name = request.createdBy.name;
  }
  if (request.replacementTerms) {
    result.replacementTerms = request.replacementTerms as GdprReplacementTerm[];
  }
  if (request.resultsUrl) result.resultsUrl = request.resultsUrl;
  return result;
}
