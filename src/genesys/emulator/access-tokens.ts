import { randomBytes } from 'node:crypto';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export const DEFAULT_CLIENTS: readonly OAuthClient[] = [
  { clientId: 'emulator-client', clientSecret: 'emulator-secret' },
];

export const DEFAULT_TOKEN_TTL_SECONDS = 86_399;

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

/** Client-credentials tokens: opaque, per client, expiring after the configured TTL. */
export class AccessTokenStore {
  readonly #clients: readonly OAuthClient[];
  readonly #ttlSeconds: number;
  readonly #tokens = new Map<string, IssuedToken>();

  constructor(clients: readonly OAuthClient[], ttlSeconds: number) {
    this.#clients = clients;
    this.#ttlSeconds = ttlSeconds;
  }

  get ttlSeconds(): number {
    return this.#ttlSeconds;
  }

  /** The client whose id and secret both match, or undefined. */
  authenticateClient(clientId: string, clientSecret: string): OAuthClient | undefined {
    return this.#clients.find(
      (client) => client.clientId === clientId && client.clientSecret === clientSecret,
    );
  }

  issue(clientId: string, now = Date.now()): string {
    const token = randomBytes(48).toString('base64url');
    this.#tokens.set(token, { clientId, expiresAt: now + this.#ttlSeconds * 1000 });
    return token;
  }

  /** The client id behind a live token. */
  verify(token: string, now = Date.now()): string | undefined {
    const issued = this.#tokens.get(token);
    if (!issued) return undefined;
    if (issued.expiresAt <= now) {
      this.#tokens.delete(token);
      return undefined;
    }
    return issued.clientId;
  }

  revokeAll(): void {
    this.#tokens.clear();
  }
}
