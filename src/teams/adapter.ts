import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Config } from '../config.js';

/**
 * The Bot Framework adapter. With an app id, every incoming request must carry a Bot Framework
 * token for it (otherwise 401) and outgoing calls get tokens from Entra; without one (local
 * testing only, TEAMS_ALLOW_UNAUTHENTICATED) neither side is authenticated.
 */
export function createCloudAdapter(config: NonNullable<Config['teams']>): CloudAdapter {
  const authentication = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppTenantId: config.tenantId,
    MicrosoftAppType: config.appType,
  });
  return new CloudAdapter(authentication);
}
