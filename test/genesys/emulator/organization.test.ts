import { afterEach, describe, expect, it } from 'vitest';
import {
  type RunningEmulator,
  SANDBOX_ORGANIZATION,
  startGenesysEmulator,
} from '../../../src/genesys/emulator/index.js';

// Genesys's Organization object (Models.Organization of purecloud-platform-client-v2).
const ORGANIZATION_FIELDS = [
  'id',
  'name',
  'defaultLanguage',
  'defaultCountryCode',
  'thirdPartyOrgName',
  'thirdPartyURI',
  'domain',
  'version',
  'state',
  'defaultSiteId',
  'supportURI',
  'voicemailEnabled',
  'productPlatform',
  'selfUri',
  'features',
].sort();

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function token(emu: RunningEmulator): Promise<string> {
  const response = await fetch(`${emu.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('emulator-client:emulator-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('GET /api/v2/organizations/me', () => {
  it('answers the full Organization object of the sandbox org by default', async () => {
    emulator = await startGenesysEmulator();
    const response = await fetch(`${emulator.url}/api/v2/organizations/me`, {
      headers: { authorization: `Bearer ${await token(emulator)}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('inin-correlation-id')).toBeTruthy();
    const org = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(org).sort()).toEqual(ORGANIZATION_FIELDS);
    expect(org).toMatchObject({
      id: SANDBOX_ORGANIZATION.id,
      name: SANDBOX_ORGANIZATION.name,
      state: 'active',
      selfUri: `/api/v2/organizations/${SANDBOX_ORGANIZATION.id}`,
    });
    expect(typeof org.version).toBe('number');
    expect(typeof org.voicemailEnabled).toBe('boolean');
    expect(Object.values(org.features as object).every((v) => typeof v === 'boolean')).toBe(true);
  });

  it('answers the org it was given, and needs a token like every API route', async () => {
    emulator = await startGenesysEmulator({ organization: { id: 'org-b', name: 'Org B' } });
    const anonymous = await fetch(`${emulator.url}/api/v2/organizations/me`);
    expect(anonymous.status).toBe(401);
    const response = await fetch(`${emulator.url}/api/v2/organizations/me`, {
      headers: { authorization: `Bearer ${await token(emulator)}` },
    });
    expect(await response.json()).toMatchObject({
      id: 'org-b',
      name: 'Org B',
      selfUri: '/api/v2/organizations/org-b',
    });
    const wrongMethod = await fetch(`${emulator.url}/api/v2/organizations/me`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await token(emulator)}` },
    });
    expect(wrongMethod.status).toBe(405);
  });
});
