// Public contract of the Genesys Cloud emulator. Other parts of the product (tests, benchmarks,
// local trial mode) code against these names: extend, never rename.

export type EmulatedUserState = 'active' | 'inactive' | 'deleted';

export interface SeedUser {
  id?: string;
  name: string;
  email: string;
  department?: string;
  title?: string;
  division?: { id: string; name: string };
  state?: EmulatedUserState;
  /** ISO-8601; only shown with `expand=dateLastLogin`, like the real API. */
  dateLastLogin?: string;
}

export interface EmulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Default [{ clientId: 'emulator-client', clientSecret: 'emulator-secret' }]. */
  clients?: Array<{ clientId: string; clientSecret: string }>;
  users?: SeedUser[];
  /** Default 86399, what Genesys grants. */
  tokenTtlSeconds?: number;
  /**
   * How fast GDPR requests move through their stages. A stage advances when EITHER threshold is
   * reached. Without this option every poll advances one stage (pollsPerStage 1); with only
   * `msPerStage` given, polls alone never advance a stage, so time alone drives progression.
   */
  gdpr?: { pollsPerStage?: number; msPerStage?: number; listOrder?: GdprListOrder };
  /** Token bucket per access token; null or absent = off. */
  rateLimit?: RateLimit | null;
  /** Where a previous emulator left off (its `persistedState()`), in place of a fresh start. */
  restore?: EmulatorPersistedState;
  /** Called after every request it answered (which may have changed its state). */
  onChange?: () => void;
  /** The org GET /api/v2/organizations/me answers; default the sandbox's demo org. */
  organization?: { id: string; name: string } & Partial<EmulatorOrganization>;
}

/** Genesys's Organization object (Models.Organization in the SDK). */
export interface EmulatorOrganization {
  id: string;
  name: string;
  defaultLanguage: string;
  defaultCountryCode: string;
  thirdPartyOrgName: string;
  thirdPartyURI: string;
  domain: string;
  version: number;
  state: 'active' | 'inactive' | 'deleted';
  defaultSiteId: string;
  supportURI: string;
  voicemailEnabled: boolean;
  productPlatform: string;
  selfUri: string;
  features: Record<string, boolean>;
}

/**
 * The order of GET /api/v2/gdpr/requests, which the API definition leaves open. `shuffled` is a
 * fixed order unrelated to time (stable between pages). Default `newest-first`.
 */
export type GdprListOrder = 'newest-first' | 'oldest-first' | 'shuffled';

/** A GDPR request that existed before the test: finished, filed at `createdDate`. */
export interface SeedGdprRequest {
  requestType: EmulatedGdprRequestType;
  subject: EmulatedGdprSubject;
  createdDate: string;
  status?: 'COMPLETED' | 'ERROR';
}

export interface RateLimit {
  requestsPerSecond: number;
  /** Bucket size; default `requestsPerSecond`. */
  burst?: number;
}

export interface RecordedCall {
  method: string;
  /** Pathname only; the query string is in `query`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON or form body; the raw text when it did not parse; undefined when empty. */
  body: unknown;
  /** 0 when the emulator dropped the connection (fault kind `reset`). */
  status: number;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  correlationId: string;
}

export type FaultSpec = {
  method?: string;
  /** Exact pathname, or a RegExp tested against the pathname. */
  path: string | RegExp;
  /** How many matching requests the fault hits; default forever. */
  times?: number;
} & (
  | { kind: 'status'; status: number; code?: string; message?: string }
  | { kind: 'latency'; ms: number }
  | { kind: 'reset' }
);

/** A user as the emulator stores it, with the bookkeeping tests may want to assert on. */
export interface StoredUser {
  id: string;
  name: string;
  email: string;
  username: string;
  state: EmulatedUserState;
  version: number;
  department?: string;
  title?: string;
  preferredName?: string;
  division: { id: string; name: string };
  acdAutoAnswer: boolean;
  dateLastLogin?: string;
  /** True once a completed GDPR_DELETE erased the personal data: never restorable again. */
  erased: boolean;
  /** ISO-8601 instants of every DELETE /api/v2/tokens/{userId}. */
  tokenRevocations: string[];
}

export type EmulatedGdprRequestType = 'GDPR_EXPORT' | 'GDPR_UPDATE' | 'GDPR_DELETE';

export type EmulatedGdprStatus =
  | 'INITIATED'
  | 'SEARCHING'
  | 'UPDATING'
  | 'DELETING'
  | 'FINALIZING'
  | 'COMPLETED'
  | 'ERROR';

export interface EmulatedGdprSubject {
  name?: string;
  userId?: string;
  externalContactId?: string;
  dialerContactId?: { id?: string; contactListId?: string };
  journeyCustomer?: { type?: string; id?: string };
  socialHandle?: { type?: string; value?: string };
  externalId?: string;
  addresses?: string[];
  phoneNumbers?: string[];
  emailAddresses?: string[];
}

export interface EmulatedReplacementTerm {
  type: string;
  existingValue: string;
  updatedValue: string;
}

/** A GDPR request as the emulator stores it. */
export interface StoredGdprRequest {
  id: string;
  name?: string;
  requestType: EmulatedGdprRequestType;
  status: EmulatedGdprStatus;
  createdDate: string;
  createdBy: { id: string; selfUri: string };
  subject: EmulatedGdprSubject;
  replacementTerms?: EmulatedReplacementTerm[];
  resultsUrl?: string;
  deleteConfirmed: boolean;
  /** Number of GET /api/v2/gdpr/requests/{id} so far. */
  polls: number;
  statusHistory: Array<{ status: EmulatedGdprStatus; at: string }>;
}

export interface TokenRevocation {
  userId: string;
  at: string;
}

export interface EmulatorStateSnapshot {
  users: StoredUser[];
  gdprRequests: StoredGdprRequest[];
  tokenRevocations: TokenRevocation[];
}

/** An emulator's whole state in plain JSON (for the local trial to survive restarts). */
export interface EmulatorPersistedState {
  version: number;
  users: StoredUser[];
  gdpr: {
    requests: Array<{
      record: StoredGdprRequest;
      seq: number;
      stage: number;
      pollsInStage: number;
      stageEnteredAt: number;
      failOnNextAdvance: boolean;
      endsInError: boolean;
    }>;
    nextSeq: number;
    doomed: number;
  };
  tokenRevocations: TokenRevocation[];
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
  calls(): RecordedCall[];
  clearCalls(): void;
  seedUsers(users: SeedUser[]): Array<{ id: string; email: string }>;
  user(id: string): StoredUser | undefined;
  gdprRequests(): StoredGdprRequest[];
  tokenRevocations(): TokenRevocation[];
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  setRateLimit(limit: EmulatorOptions['rateLimit']): void;
  /** The request's next progression ends in ERROR. */
  failGdprRequest(requestId: string): void;
  /** The next `count` requests created end in ERROR instead of COMPLETED. */
  failNextGdprRequests(count: number): void;
  setGdprListOrder(order: GdprListOrder): void;
  seedGdprRequests(requests: SeedGdprRequest[]): StoredGdprRequest[];
  /** Every access token issued so far stops working (401), so clients must log in again. */
  revokeAllAccessTokens(): void;
  /** Users, GDPR requests (with their progress) and revocations, to restore with `restore`. */
  persistedState(): EmulatorPersistedState;
  /** Back to the users it started with, no GDPR request, no revocation. */
  resetState(): void;
}
