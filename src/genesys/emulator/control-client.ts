import type {
  EmulatorStateSnapshot,
  FaultSpec,
  GdprListOrder,
  RateLimit,
  RecordedCall,
  SeedUser,
} from './types.js';

// Typed access to /__emulator/* for tests whose emulator lives in another process (e.g. the bot
// started as a child process against `tsx src/genesys/emulator/cli.ts`).

export class EmulatorControlClient {
  readonly #baseUrl: string;

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async #send(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.#baseUrl}/__emulator/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${method} /__emulator/${path} answered ${response.status}: ${text}`);
    }
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }

  async calls(): Promise<RecordedCall[]> {
    return (await this.#send('GET', 'calls')) as RecordedCall[];
  }

  async clearCalls(): Promise<void> {
    await this.#send('DELETE', 'calls');
  }

  async state(): Promise<EmulatorStateSnapshot> {
    return (await this.#send('GET', 'state')) as EmulatorStateSnapshot;
  }

  async seedUsers(users: SeedUser[]): Promise<Array<{ id: string; email: string }>> {
    return (await this.#send('POST', 'users', users)) as Array<{ id: string; email: string }>;
  }

  async injectFault(fault: FaultSpec): Promise<void> {
    const path =
      typeof fault.path === 'string'
        ? fault.path
        : { regex: fault.path.source, flags: fault.path.flags };
    await this.#send('POST', 'faults', { ...fault, path });
  }

  async clearFaults(): Promise<void> {
    await this.#send('DELETE', 'faults');
  }

  async setRateLimit(limit: RateLimit | null): Promise<void> {
    await this.#send('PUT', 'rate-limit', limit);
  }

  async failGdprRequest(requestId: string): Promise<void> {
    await this.#send('POST', `gdpr/requests/${encodeURIComponent(requestId)}/fail`);
  }

  async failNextGdprRequests(count: number): Promise<void> {
    await this.#send('POST', 'gdpr/fail-next', { count });
  }

  async setGdprListOrder(order: GdprListOrder): Promise<void> {
    await this.#send('PUT', 'gdpr/list-order', { order });
  }

  async revokeAllAccessTokens(): Promise<void> {
    await this.#send('POST', 'tokens/revoke-all');
  }
}
