import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Route } from '../http/server.js';
import type { Deployment } from '../offboarding/deployment.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import { type JobQueue, QUEUES } from '../workflow/queue.js';
import { TeamsAccessPolicy } from './access-policy.js';
import { createCloudAdapter } from './adapter.js';
import { BackgroundTasks } from './background.js';
import { OffboardingBot } from './bot.js';
import { deploymentMiddleware } from './deployment-middleware.js';
import type { TeamsHandlerDeps } from './handlers/deps.js';
import { handleQueuedOffboard, type QueuedTeamsCommand } from './handlers/offboard.js';
import { messagesListener } from './http.js';
import { TeamsNotifier } from './notifier.js';
import { NotifyConversations } from './notify-conversations.js';
import { TeamsSender } from './sender.js';
import { foreignActivity, isTenantGuid } from './tenant.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';
const COMMAND_WORKERS = 2;

export interface TeamsAdapter {
  /** `POST /api/messages` inside our own HTTP server. */
  route: Route;
  policy: TeamsAccessPolicy;
  /** Set once the service exists (it needs the policy first). */
  attach(service: OffboardingService, queue: JobQueue): Promise<TeamsNotifier>;
  /** Waits for work that outlived its turn (a request being looked up and posted). */
  stop(): Promise<void>;
}

/** Every botbuilder import lives under src/teams/, so botbuilder can be swapped out here alone. */
export function createTeamsAdapter(
  config: NonNullable<Config['teams']>,
  options: { logger: Logger; db: Db; deployment: Deployment },
): TeamsAdapter {
  const logger = options.logger.child({ platform: 'teams' });
  if (!config.appId) {
    if (!config.allowUnauthenticated) {
      throw new Error(
        'Teams needs MICROSOFT_APP_ID, or TEAMS_ALLOW_UNAUTHENTICATED=true for local testing',
      );
    }
    logger.warn(
      'TEAMS_ALLOW_UNAUTHENTICATED: /api/messages accepts activities without a Bot Framework token. For local testing only; set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for real use.',
    );
  }
  const adapter = createCloudAdapter(config);
  adapter.use(deploymentMiddleware(options.deployment));
  const sender = new TeamsSender(adapter, config.appId ?? '');
  const policy = new TeamsAccessPolicy(config.approvers);
  const notifyConversations = new NotifyConversations(options.db, config.notifyConversationId);
  const background = new BackgroundTasks(logger);
  let bot: OffboardingBot | undefined;

  if (config.tenantId !== undefined && !isTenantGuid(config.tenantId)) {
    logger.warn(
      { tenantId: config.tenantId },
      'MICROSOFT_APP_TENANT_ID is not a Directory (tenant) ID GUID; activities carry the GUID, so every one will be refused. Set the GUID.',
    );
  }
  const listener = messagesListener(
    adapter,
    async (context) => {
      if (!bot) throw new Error('The Teams adapter is not attached to the offboarding service yet');
      // Checked after botbuilder authenticated the activity, before any handler sees it.
      const refused = foreignActivity(context.activity, config.tenantId);
      if (refused) {
        logger.warn(
          {
            reason: refused,
            type: context.activity.type,
            teamsUser: context.activity.from?.id,
            conversation: context.activity.conversation?.id,
          },
          'Teams activity refused: not from Microsoft Teams in our tenant',
        );
        return;
      }
      await bot.run(context);
    },
    { authenticated: config.appId !== undefined, logger },
  );
  return {
    route: { method: 'POST', path: TEAMS_MESSAGES_PATH, handle: listener },
    policy,
    async attach(service, queue) {
      const deps: TeamsHandlerDeps = {
        service,
        policy,
        approvers: config.approvers,
        sender,
        notifyConversations,
        background,
        logger,
        deployment: options.deployment,
        commands: {
          enqueue: async (command) => {
            await queue.send(QUEUES.teamsCommand, command);
          },
        },
      };
      for (let i = 0; i < COMMAND_WORKERS; i++) {
        await queue.work<QueuedTeamsCommand>(
          QUEUES.teamsCommand,
          { pollingIntervalSeconds: 0.5 },
          async ([job]) => {
            if (job) await handleQueuedOffboard(deps, job.data);
          },
        );
      }
      bot = new OffboardingBot(deps);
      return new TeamsNotifier(sender, service, notifyConversations, config.approvers);
    },
    stop: () => background.drain(),
  };
}
