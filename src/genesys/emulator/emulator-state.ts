import { AccessTokenStore, DEFAULT_CLIENTS, DEFAULT_TOKEN_TTL_SECONDS } from './access-tokens.js';
import { CallRecorder } from './call-recorder.js';
import { FaultRegistry } from './faults.js';
import { GdprRequestStore, gdprProgression } from './gdpr-requests.js';
import { organizationView, SANDBOX_ORGANIZATION } from './organization.js';
import { RateLimiter } from './rate-limiter.js';
import type {
  EmulatorOptions,
  EmulatorOrganization,
  EmulatorPersistedState,
  EmulatorStateSnapshot,
  TokenRevocation,
} from './types.js';
import { UserDirectory } from './user-directory.js';

const EMULATOR_STATE_VERSION = 1;

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
  readonly #seedUsers: NonNullable<EmulatorOptions['users']>;

  constructor(options: EmulatorOptions) {
    const ttl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    if (!(ttl > 0)) throw new Error('tokenTtlSeconds must be positive');
    this.tokens = new AccessTokenStore(options.clients ?? DEFAULT_CLIENTS, ttl);
    this.rateLimiter = new RateLimiter(options.rateLimit);
    this.gdpr = new GdprRequestStore(this.directory, gdprProgression(options.gdpr));
    this.organization = organizationView(options.organization ?? SANDBOX_ORGANIZATION);
    if (options.gdpr?.listOrder) this.gdpr.setListOrder(options.gdpr.listOrder);
    this.#seedUsers = options.users ?? [];
    this.directory.seed(this.#seedUsers);
    if (options.restore) this.restore(options.restore);
  }

  /** The directory and GDPR requests in plain JSON, to start another emulator where this one is. */
  persisted(): EmulatorPersistedState {
    return {
      version: EMULATOR_STATE_VERSION,
      users: this.directory.snapshot(),
      gdpr: this.gdpr.persisted(),
      tokenRevocations: this.tokenRevocations.map((revocation) => ({ ...revocation })),
    };
  }

  restore(state: EmulatorPersistedState): void {
    if (state.version !== EMULATOR_STATE_VERSION) {
      throw new Error(
        `Saved emulator state has version ${String(state.version)}; this emulator reads version ${EMULATOR_STATE_VERSION}`,
      );
    }
    this.directory.restore(state.users);
    this.gdpr.restore(state.gdpr);
    this.tokenRevocations.splice(0, this.tokenRevocations.length, ...state.tokenRevocations);
  }

  /** Back to the users it was started with, no GDPR request and no revocation. */
  reset(): void {
    this.directory.restore([]);
    this.directory.seed(this.#seedUsers);
    this.gdpr.restore({ requests: [], nextSeq: 0, doomed: 0 });
    this.tokenRevocations.length = 0;
  }

  snapshot(): EmulatorStateSnapshot {
    return {
      users: this.directory.snapshot(),
      gdprRequests: this.gdpr.snapshot(),
      tokenRevocations: this.tokenRevocations.map((revocation) => ({ ...revocation })),
    };
  }
}
