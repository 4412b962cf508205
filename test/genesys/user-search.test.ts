import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGenesysClient } from '../../src/genesys/client.js';
import { type RunningEmulator, startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type { GenesysClient } from '../../src/genesys/types.js';

let emulator: RunningEmulator;
let client: GenesysClient;
beforeAll(async () => {
  emulator = await startGenesysEmulator({
    users: [
      { name: 'Bob Annandale', email: 'bob@example.com' },
      { name: 'Anna Smith', email: 'anna.smith@example.com', department: 'Support' },
      { name: 'Carl Jones', email: 'carl.anderson@example.com' },
      { name: 'Anne Gone', email: 'anne.gone@example.com', state: 'deleted' },
      { name: 'Dora Lee', email: 'dora@example.com' },
    ],
  });
  client = createGenesysClient({
    clientId: 'emulator-client',
    clientSecret: 'emulator-secret',
    apiUrl: emulator.url,
  });
});
afterAll(async () => {
  await emulator?.close();
});

describe('searchUsers (the people picker)', () => {
  it('finds name or email containing the text, prefix matches first, never deleted users', async () => {
    const found = await client.searchUsers('an', 10);
    expect(found.map((user) => user.email)).toEqual([
      'anna.smith@example.com',
      'bob@example.com',
      'carl.anderson@example.com',
    ]);
    expect(found[0]).toMatchObject({ name: 'Anna Smith', department: 'Support' });
  });

  it('sends a search the emulator accepts as the definition’s UserSearchRequest, one page of at most `limit`', async () => {
    emulator.clearCalls();
    expect(await client.searchUsers('example', 2)).toHaveLength(2);
    const searches = emulator.calls().filter((call) => call.path === '/api/v2/users/search');
    expect(searches).toHaveLength(1);
    expect(searches[0]?.body).toEqual({
      pageSize: 2,
      pageNumber: 1,
      query: [{ type: 'CONTAINS', fields: ['name', 'email'], value: 'example' }],
    });
    // The emulator parses the body as the definition's UserSearchRequest (unknown properties and
    // query types it cannot evaluate are a 400), so a 200 means the shape was accepted.
    expect(searches[0]?.status).toBe(200);
  });

  it('refuses an empty text without calling Genesys', async () => {
    emulator.clearCalls();
    await expect(client.searchUsers('  ', 5)).rejects.toMatchObject({ code: 'invalid.argument' });
    expect(emulator.calls().filter((call) => call.path.startsWith('/api/'))).toEqual([]);
  });
});
