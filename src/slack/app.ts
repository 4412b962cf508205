import { App, HTTPReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Deployment } from '../offboarding/deployment.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import { type JobQueue, QUEUES } from '../workflow/queue.js';
import { SlackAccessPolicy } from './access-policy.js';
import { boltLogger } from './bolt-logger.js';
import { slackClientOptions } from './client-options.js';
import {
  handleOffboardCommand,
  type QueuedSlashCommand,
} from './commands/handle-offboard-command.js';
import type { SlackListenerDeps } from './listeners/deps.js';
import { registerListeners } from './listeners/index.js';
import { SlackNotifier } from './notifier.js';
import { learnWorkspace, workspaceGate } from './workspace.js';

export const SLACK_EVENTS_PATH = '/slack/events';
const COMMAND_WORKERS = 2;

export interface SlackAdapter {
  app: App;
  /** Handles `POST /slack/events` inside our own HTTP server. */
  receiver: HTTPReceiver;
  policy: SlackAccessPolicy;
  /** Set once the service exists (it needs the policy first). */
  attach(service: OffboardingService, queue: JobQueue): Promise<SlackNotifier>;
}

export function createSlackAdapter(
  config: NonNullable<Config['slack']>,
  options: { logger: Logger; deployment: Deployment; webApiRetries?: number },
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
      ...slackClientOptions(
        options.webApiRetries === undefined ? {} : { retries: options.webApiRetries },
      ),
    },
  });
  const policy = new SlackAccessPolicy(app.client, config.approvers, config.requesters);
  return {
    app,
    receiver,
    policy,
    async attach(service, queue) {
      const workspace = await learnWorkspace(app.client);
      logger.info(
        { teamId: workspace.teamId, enterpriseId: workspace.enterpriseId },
        workspace.enterpriseInstall
          ? 'Slack: serving the Enterprise Grid org of the bot token only'
          : 'Slack: serving the workspace of the bot token only',
      );
      app.use(workspaceGate(workspace, logger));
      const deps: SlackListenerDeps = {
        service,
        approvers: config.approvers,
        logger,
        deployment: options.deployment,
        commands: {
          enqueue: async (command) => {
            await queue.send(QUEUES.slackCommand, command);
          },
        },
      };
      registerListeners(app, deps);
      for (let i = 0; i < COMMAND_WORKERS; i++) {
        await queue.work<QueuedSlashCommand>(
          QUEUES.slackCommand,
          { pollingIntervalSeconds: 0.5 },
          async ([job]) => {
            if (job) await handleOffboardCommand(deps, job.data, app.client);
          },
        );
      }
      return new SlackNotifier(app.client, service, {
        approvers: config.approvers,
        notifyChannel: config.notifyChannel,
        deployment: options.deployment,
      });
    },
  };
}
