import { setTimeout as delay } from 'node:timers/promises';
import platformClient from 'purecloud-platform-client-v2';
import { AccessToken } from './access-token.js';
import { type CallSpec, type GenesysCallObserver, GenesysCalls } from './call.js';
import { type GenesysLogger, NOOP_LOGGER } from './call-logger.js';
import { type RetryPolicy, resolveRetryPolicy } from './call-retry-policy.js';
import { GenesysError } from './errors.js';
import { gdprFiling, gdprFilingCall } from './gdpr-requests.js';
import { CallPacer, type CallPriority } from './rate-limiter.js';
import { GENESYS_REGION_HOSTS, resolveRegionHost } from './regions.js';
import { type SdkGdprRequest, type SdkUser, toGdprRequest, toUser } from './sdk-mapping.js';
import type {
  GdprMode,
  GdprRequest,
  GdprRequestPage,
  GdprTarget,
  GenesysClient,
  GenesysOrganization,
  GenesysUser,
  GenesysUserState,
} from './types.js';

export type { GenesysLogger } from './call-logger.js';

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
  /** Client-side pace of this client's token; unset: calls are not paced. */
  rateLimitPerMinute?: number;
  /** Calls the pacer lets go at once after a quiet spell; unset: one second of rateLimitPerMinute. */
  rateLimitBurst?: number;
  /** A pacer of one's own (tests with a fake clock); takes precedence over rateLimitPerMinute. */
  pacer?: CallPacer;
  /** Told of each call's answers and 429 pauses (metrics). */
  callObserver?: GenesysCallObserver;
}

/** Two views of one client (one token, one pacer): people's calls go before workflow steps. */
export interface GenesysClientViews {
  interactive: GenesysClient;
  background: GenesysClient;
}

type SdkApiClient = InstanceType<typeof platformClient.ApiClientClass>;

const DEFAULT_TIMEOUT_MS = 30_000;
const SEARCH_PAGE_SIZE = 100;
const SEARCH_MAX_PAGES = 10;

export function createGenesysClient(options: GenesysClientOptions): GenesysClient {
  return new SdkGenesysClient(options);
}

export function createGenesysClientViews(options: GenesysClientOptions): GenesysClientViews {
  const interactive = new SdkGenesysClient(options);
  return { interactive, background: interactive.withPriority('background') };
}

/** The bot's Genesys operations over the official SDK; each goes through `GenesysCalls`. */
class SdkGenesysClient implements GenesysClient {
  private readonly apiClient: SdkApiClient;
  private readonly users: platformClient.UsersApi;
  private readonly tokens: platformClient.TokensApi;
  private readonly gdpr: platformClient.GeneralDataProtectionRegulationApi;
  private readonly organizations: platformClient.OrganizationApi;
  private readonly calls: GenesysCalls;
  private readonly priority: CallPriority;

  constructor(
    private readonly options: GenesysClientOptions,
    view?: { of: SdkGenesysClient; priority: CallPriority },
  ) {
    if (view) {
      this.priority = view.priority;
      this.apiClient = view.of.apiClient;
      this.calls = view.of.calls;
      this.users = view.of.users;
      this.tokens = view.of.tokens;
      this.gdpr = view.of.gdpr;
      this.organizations = view.of.organizations;
      return;
    }
    this.priority = 'interactive';
    if (!options.clientId || !options.clientSecret) {
      throw new Error('Genesys clientId and clientSecret are required');
    }
    const policy = resolveRetryPolicy(options.retry);
    const logger = options.logger ?? NOOP_LOGGER;
    const sleep = options.sleep ?? ((ms: number) => delay(ms));
    const now = options.now ?? Date.now;
    const random = options.random ?? Math.random;

    // A client of our own: the SDK's `ApiClient` export is a process-wide singleton whose token
    // and base URL anything else importing the SDK could change.
    this.apiClient = new platformClient.ApiClientClass();
    this.isolateFromSdkConfigFile();
    this.apiClient.setReturnExtendedResponses(true);
    this.apiClient.getHttpClient().setTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);

    let loginUrl: string;
    if (options.apiUrl) {
      const gateway = gatewayFor(options.apiUrl);
      this.apiClient.setGateway(gateway);
      loginUrl = `${options.apiUrl.replace(/\/+$/, '')}/oauth/token`;
    } else {
      const host = regionHostOrThrow(options.region ?? 'mypurecloud.com');
      this.apiClient.setGateway(undefined as unknown as platformClient.GatewayConfiguration);
      this.apiClient.setEnvironment(host);
      loginUrl = `https://login.${host}/oauth/token`;
    }

    const accessToken = new AccessToken({
      apiClient: this.apiClient,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      loginUrl,
      policy,
      logger,
      sleep,
      now,
      random,
    });
    const pacer =
      options.pacer ??
      (options.rateLimitPerMinute
        ? new CallPacer({
            requestsPerMinute: options.rateLimitPerMinute,
            ...(options.rateLimitBurst ? { burst: options.rateLimitBurst } : {}),
          })
        : undefined);
    this.calls = new GenesysCalls({
      accessToken,
      policy,
      logger,
      sleep,
      now,
      random,
      ...(pacer ? { pacer } : {}),
      ...(options.callObserver ? { observer: options.callObserver } : {}),
    });

    this.users = new platformClient.UsersApi(this.apiClient);
    this.tokens = new platformClient.TokensApi(this.apiClient);
    this.gdpr = new platformClient.GeneralDataProtectionRegulationApi(this.apiClient);
    this.organizations = new platformClient.OrganizationApi(this.apiClient);
  }

  /** The same client (token, pacer, SDK) whose calls queue at another priority. */
  withPriority(priority: CallPriority): SdkGenesysClient {
    return new SdkGenesysClient(this.options, { of: this, priority });
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

  async searchUsers(text: string, limit: number): Promise<GenesysUser[]> {
    const wanted = text.trim();
    if (!wanted) throw this.invalidArgument('searchUsers', 'a search text is required');
    const pageSize = Math.min(Math.max(Math.trunc(limit), 1), SEARCH_PAGE_SIZE);
    const page = (await this.call(
      { operation: 'searchUsers', method: 'POST', path: '/api/v2/users/search' },
      () =>
        this.users.postUsersSearch({
          pageSize,
          pageNumber: 1,
          // CONTAINS covers STARTS_WITH; the prefix matches are put first below, because the
          // definition does not say how Genesys orders results.
          query: [{ type: 'CONTAINS', fields: ['name', 'email'], value: wanted }],
        }),
    )) as Partial<platformClient.Models.UsersSearchResponse> | undefined;
    const needle = wanted.toLowerCase();
    const startsWithText = (user: GenesysUser) =>
      user.name.toLowerCase().startsWith(needle) || user.email.toLowerCase().startsWith(needle)
        ? 0
        : 1;
    return (page?.results ?? [])
      .map(toUser)
      .filter((user) => user.state !== 'deleted' && user.email !== '')
      .sort(
        (a, b) =>
          startsWithText(a) - startsWithText(b) ||
          a.name.localeCompare(b.name) ||
          a.email.localeCompare(b.email),
      );
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
    const { body, query } = gdprFiling(target, mode, {
      includeEmail: this.options.gdprIncludeEmail ?? false,
    });
    const created = (await this.call(gdprFilingCall(options.beforeSend), () =>
      this.gdpr.postGdprRequests(body as SdkGdprRequest, query),
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

  private call(spec: CallSpec, send: () => Promise<unknown>): Promise<unknown> {
    return this.calls.call(spec, send, this.priority);
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

function regionHostOrThrow(region: string): string {
  const host = resolveRegionHost(region);
  if (host) return host;
  const valid = Object.entries(GENESYS_REGION_HOSTS)
    .map(([key, known]) => `${known} (${key})`)
    .join(', ');
  throw new Error(`Unknown Genesys Cloud region "${region}". Valid regions: ${valid}`);
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
