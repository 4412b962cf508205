import type { Deployment } from '../deployment.js';

/** Said on every card and reply while the built-in emulator serves a real chat platform. */
export const SANDBOX_NOTICE = 'Sandbox: nothing real is changed';

/** Plain text: the organization's name is Genesys's, so escape it where markup is read. */
export function organizationLine(deployment: Deployment): string {
  return `Genesys Cloud organization: ${deployment.organizationName}`;
}
