import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Config } from '../config.js';

/** One HTTP request to the Bot Framework connector is abandoned after this. */
export const TEAMS_REQUEST_TIMEOUT_MS = 10_000;
/**
 * The longest one connector call may take. Under botbuilder, the Azure pipeline retries a 5xx
 * up to 3 times (waits of about 1, 2 and 4 s, at most 1.2 times that) and sleeps off any
 * `Retry-After`, with no request timeout: that could outlast the notify job's expiry
 * (NOTIFY_JOB_EXPIRE_SECONDS) and have the job redelivered while its card post is in flight.
 * With the HTTP client below, each try ends after TEAMS_REQUEST_TIMEOUT_MS and no
 * `Retry-After` reaches the pipeline, so a call is at most 4 tries and 3 short waits.
 */
export const TEAMS_CALL_MAX_MS = 4 * TEAMS_REQUEST_TIMEOUT_MS + 1.2 * (1_000 + 2_000 + 4_000);

type ConnectorClientOptions = NonNullable<
  ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[4]
>;
type CompatHttpClient = NonNullable<ConnectorClientOptions['httpClient']>;
type CompatRequest = Parameters<CompatHttpClient['sendRequest']>[0];
type CompatResponse = Awaited<ReturnType<CompatHttpClient['sendRequest']>>;

/**
 * The connector's HTTP client (botbuilder overwrites any request policy we give it, so the
 * client is where calls can be bounded): a timeout per try, and `Retry-After` kept from the
 * pipeline's throttling retry, so a rate-limited post fails at once and the notification
 * dispatcher tries it again later, from a new job, instead of a worker sleeping inside this one.
 */
function boundedHttpClient(requestTimeoutMs: number): CompatHttpClient {
  return {
    async sendRequest(request: CompatRequest): Promise<CompatResponse> {
      const signals = [AbortSignal.timeout(requestTimeoutMs)];
      if (request.abortSignal) signals.push(request.abortSignal as AbortSignal);
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers.toJson({ preserveCase: true }),
        body:
          request.body === undefined || request.body === null ? undefined : String(request.body),
        signal: AbortSignal.any(signals),
      });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'retry-after' && name !== 'retry-after-ms' && name !== 'x-ms-retry-after-ms') {
          headers[name] = value;
        }
      });
      const headersLike = request.headers.clone();
      for (const name of headersLike.headerNames()) headersLike.remove(name);
      for (const [name, value] of Object.entries(headers)) headersLike.set(name, value);
      return {
        request,
        status: response.status,
        headers: headersLike,
        bodyAsText: await response.text(),
      } as CompatResponse;
    },
  };
}

/**
 * The Bot Framework adapter. With an app id, every incoming request must carry a Bot Framework
 * token for it (otherwise 401) and outgoing calls get tokens from Entra; without one (local
 * testing only, TEAMS_ALLOW_UNAUTHENTICATED) neither side is authenticated.
 */
export function createCloudAdapter(
  config: NonNullable<Config['teams']>,
  requestTimeoutMs = TEAMS_REQUEST_TIMEOUT_MS,
): CloudAdapter {
  const authentication = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: config.appId,
      MicrosoftAppPassword: config.appPassword,
      MicrosoftAppTenantId: config.tenantId,
      MicrosoftAppType: config.appType,
    },
    undefined,
    undefined,
    undefined,
    { httpClient: boundedHttpClient(requestTimeoutMs) },
  );
  return new CloudAdapter(authentication);
}
