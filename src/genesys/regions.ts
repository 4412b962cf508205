// Genesys Cloud environments, as a plain table so that config can check GENESYS_REGION without
// loading the SDK. test/genesys/regions.test.ts compares it with the SDK's PureCloudRegionHosts.

/** SDK region key → environment host (`https://api.<host>`, `https://login.<host>`). */
export const GENESYS_REGION_HOSTS: Readonly<Record<string, string>> = {
  us_east_1: 'mypurecloud.com',
  eu_west_1: 'mypurecloud.ie',
  ap_southeast_2: 'mypurecloud.com.au',
  ap_northeast_1: 'mypurecloud.jp',
  eu_central_1: 'mypurecloud.de',
  us_west_2: 'usw2.pure.cloud',
  ca_central_1: 'cac1.pure.cloud',
  ap_northeast_2: 'apne2.pure.cloud',
  eu_west_2: 'euw2.pure.cloud',
  ap_south_1: 'aps1.pure.cloud',
  us_east_2: 'use2.us-gov-pure.cloud',
  sa_east_1: 'sae1.pure.cloud',
  me_central_1: 'mec1.pure.cloud',
  ap_northeast_3: 'apne3.pure.cloud',
  eu_central_2: 'euc2.pure.cloud',
  mx_central_1: 'mxc1.pure.cloud',
  ap_southeast_1: 'apse1.pure.cloud',
  eusc_de_east_1: 'edee1.eusc-pure.cloud',
};

/**
 * The environment host for a region given as host (`mypurecloud.ie`) or SDK key (`eu_west_1`,
 * also `EU-WEST-1`), or undefined. A URL is not a region: it belongs in GENESYS_API_URL.
 */
export function resolveRegionHost(value: string): string | undefined {
  const wanted = value.trim().toLowerCase();
  const hosts = Object.values(GENESYS_REGION_HOSTS);
  if (hosts.includes(wanted)) return wanted;
  const key = wanted.replace(/-/g, '_');
  return Object.hasOwn(GENESYS_REGION_HOSTS, key) ? GENESYS_REGION_HOSTS[key] : undefined;
}
