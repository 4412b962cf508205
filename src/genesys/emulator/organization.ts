import type { EmulatorOrganization } from './types.js';

/**
 * The org every emulator answers for unless told otherwise: the sandbox's demo org. Its id is
 * fixed so that a local trial keeps matching the organization its embedded database recorded.
 */
export const SANDBOX_ORGANIZATION: Readonly<{ id: string; name: string }> = {
  id: '0a5d6b1e-5a4d-4b8e-9a3f-5a4db0c0ffee',
  name: 'Genesys sandbox (demo org)',
};

/** The full Organization object of GET /api/v2/organizations/me, as Genesys answers it. */
export function organizationView(
  org: { id: string; name: string } & Partial<EmulatorOrganization>,
): EmulatorOrganization {
  return {
    id: org.id,
    name: org.name,
    defaultLanguage: org.defaultLanguage ?? 'en-us',
    defaultCountryCode: org.defaultCountryCode ?? 'US',
    thirdPartyOrgName: org.thirdPartyOrgName ?? org.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    thirdPartyURI: org.thirdPartyURI ?? '',
    domain: org.domain ?? `${org.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example.com`,
    version: org.version ?? 1,
    state: org.state ?? 'active',
    defaultSiteId: org.defaultSiteId ?? '2e6b1f3a-8c4d-4f5e-9a0b-1c2d3e4f5a6b',
    supportURI: org.supportURI ?? '',
    voicemailEnabled: org.voicemailEnabled ?? true,
    productPlatform: org.productPlatform ?? 'PureCloud',
    selfUri: `/api/v2/organizations/${org.id}`,
    features: org.features ?? { realtimeCIC: false, purecloud: true, hipaa: false },
  };
}
