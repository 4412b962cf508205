// Genesys Cloud emulator: an HTTP server that speaks the slice of the Platform API the bot uses
// (OAuth client credentials, users, tokens, GDPR), for tests, benchmarks and local trial mode.

export { DEFAULT_CLIENTS, DEFAULT_TOKEN_TTL_SECONDS } from './access-tokens.js';
export { EmulatorControlClient } from './control-client.js';
export { DEMO_ORG_USERS } from './demo-org.js';
export { directoryConflictFault } from './faults.js';
export { SANDBOX_ORGANIZATION } from './organization.js';
export { startGenesysEmulator } from './server.js';
export type {
  EmulatedGdprRequestType,
  EmulatedGdprStatus,
  EmulatedGdprSubject,
  EmulatedReplacementTerm,
  EmulatedUserState,
  EmulatorOptions,
  EmulatorOrganization,
  EmulatorPersistedState,
  EmulatorStateSnapshot,
  FaultSpec,
  GdprListOrder,
  RateLimit,
  RecordedCall,
  RunningEmulator,
  SeedGdprRequest,
  SeedUser,
  StoredGdprRequest,
  StoredUser,
  TokenRevocation,
} from './types.js';
