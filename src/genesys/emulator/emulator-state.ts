import { AccessTokenStore, DEFAULT_CLIENTS, DEFAULT_TOKEN_TTL_SECONDS } from './access-tokens.js';
import { CallRecorder } from './call-recorder.js';
import { FaultRegistry } from './faults.js';
import { GdprRequestStore, gdprProgression } from './gdpr-requests.js';
import { organizationView, SANDBOX_ORGANIZATION } from './organization.js';
import { RateLimiter } from './rate-limiter.js';
import type {
  EmulatorOptions,
  EmulatorOrganization,
  EmulatorStateSnapshot,
  TokenRevocation,
} from './types.js';
import { UserDirectory } from './user-directory.js';

/** Everything one emulator instance remembers; routes and the control API share it. */
export class EmulatorState {
  readonly directory = new UserDirectory();
  readonly gdpr: GdprRequestStore;
  readonly tokens: AccessTokenStore;
  readonly rateLimiter: RateLimiter;
  readonly faults = new FaultRegistry();
  readonly calls = new CallRecorder();
  readonly tokenRevocations: TokenRevocation[] = [];
  readonly organization: EmulatorOrganization;

  constructor(options: EmulatorOptions) {
    const ttl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    if (!(ttl > 0)) throw new Error('tokenTtlSeconds must be positive');
    this.tokens = new AccessTokenStore(options.clients ?? DEFAULT_CLIENTS, ttl);
    this.rateLimiter = new RateLimiter(options.rateLimit);
    this.gdpr = new GdprRequestStore(this.directory, gdprProgression(options.gdpr));
    this.organization = organizationView(options.organization ?? SANDBOX_ORGANIZATION);
    if (options.gdpr?.listOrder) this.gdpr.setListOrder(options.gdpr.listOrder);
    if (options.users) this.directory.seed(options.users);
  }

  snapshot(): EmulatorStateSnapshot {
    return {
      users: this.directory.snapshot(),
      gdprRequests: this.gdpr.snapshot(),
      tokenRevocations: this.tokenRevocations.map((revocation) => ({ ...revocation })),
    };
  }
}
