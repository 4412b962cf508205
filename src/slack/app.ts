import { App, HTTPReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import { SlackAccessPolicy } from './access-policy.js';
import { boltLogger } from './bolt-logger.js';
import { registerListeners } from './listeners/index.js';
import { SlackNotifier } from './notifier.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAdapter {
  app: App;
  /** Handles `POST /slack/events` inside our own HTTP server. */
  receiver: HTTPReceiver;
  policy: SlackAccessPolicy;
  /** Set once the service exists (it needs the policy first). */
  attach(service: OffboardingService): SlackNotifier;
}

export function createSlackAdapter(
  config: NonNullable<Config['slack']>,
  options: { logger: Logger; webApiRetries?: number },
): SlackAdapter {
  const logger = options.logger.child({ platform: 'slack' });
  const receiver = new HTTPReceiver({
    signingSecret: config.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger: boltLogger(logger),
  });
  const app = new App({
    receiver,
    token: config.botToken,
    logger: boltLogger(logger),
    clientOptions: {
      slackApiUrl: config.apiUrl,
      ...(options.webApiRetries === undefined
        ? {}
        : { retryConfig: { retries: options.webApiRetries } }),
    },
  });
  const policy = new SlackAccessPolicy(app.client, config.approvers, config.requesters);
  return {
    app,
    receiver,
    policy,
    attach(service) {
      registerListeners(app, { service, approvers: config.approvers, logger });
      return new SlackNotifier(app.client, service, {
        approvers: config.approvers,
        notifyChannel: config.notifyChannel,
      });
    },
  };
}
