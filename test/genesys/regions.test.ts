import platformClient from 'purecloud-platform-client-v2';
import { describe, expect, it } from 'vitest';
import { GENESYS_REGION_HOSTS, resolveRegionHost } from '../../src/genesys/regions.js';

describe('Genesys regions', () => {
  it('lists exactly the SDK regions', () => {
    // A new SDK region fails here: add it to src/genesys/regions.ts.
    expect(GENESYS_REGION_HOSTS).toEqual({ ...platformClient.PureCloudRegionHosts });
  });

  it('resolves every SDK key and host', () => {
    for (const [key, host] of Object.entries(platformClient.PureCloudRegionHosts)) {
      expect(resolveRegionHost(key)).toBe(host);
      expect(resolveRegionHost(key.toUpperCase().replace(/_/g, '-'))).toBe(host);
      expect(resolveRegionHost(host)).toBe(host);
    }
  });

  it('refuses what is not a region', () => {
    expect(resolveRegionHost('mars')).toBeUndefined();
    expect(resolveRegionHost('https://api.mypurecloud.ie')).toBeUndefined();
    expect(resolveRegionHost('toString')).toBeUndefined();
    expect(resolveRegionHost('')).toBeUndefined();
  });
});
