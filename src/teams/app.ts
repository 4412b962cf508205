import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Route } from '../http/server.js';
import type { BatchService } from '../offboarding/batch.service.js';
import { CardRedraws } from '../offboarding/card-refresh.js';
import type { Deployment } from '../offboarding/deployment.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import type { JobQueue } from '../workflow/queue.js';
import type { QueueWorker } from '../workflow/worker.js';
import type { TeamsAccessPolicy } from './access-policy.js';
import { createCloudAdapter } from './adapter.js';
import { BackgroundTasks } from './background.js';
import { TeamsBatchNotifier } from './batch-notifier.js';
import { OffboardingBot } from './bot.js';
import { TEAMS_COMMAND_QUEUE } from './command-queue.js';
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
  notifier: TeamsNotifier;
  /** Draws batch cards, their progress and their report. */
  batchNotifier: TeamsBatchNotifier;
  /** `offboard` commands wait here; the bot's worker registration works them. */
  queues: QueueWorker[];
  /** Waits for work that outlived its turn (a request being looked up and posted). */
  stop(): Promise<void>;
}

export interface TeamsAdapterDeps {
  logger: Logger;
  db: Db;
  service: OffboardingService;
  batches: BatchService;
  /** Built from config before the service, which holds it too. */
  policy: TeamsAccessPolicy;
  /** Where the adapter sends `offboard` commands (its own queue, TEAMS_COMMAND_QUEUE). */
  queue: JobQueue;
  deployment: Deployment;
}

/** Every botbuilder import lives under src/teams/, so botbuilder can be swapped out here alone. */
export function createTeamsAdapter(
  config: NonNullable<Config['teams']>,
  deps: TeamsAdapterDeps,
): TeamsAdapter {
  const logger = deps.logger.child({ platform: 'teams' });
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
  if (config.tenantId !== undefined && !isTenantGuid(config.tenantId)) {
    logger.warn(
      { tenantId: config.tenantId },
      'MICROSOFT_APP_TENANT_ID is not a Directory (tenant) ID GUID; activities carry the GUID, so every one will be refused. Set the GUID.',
    );
  }
  const adapter = createCloudAdapter(config);
  adapter.use(deploymentMiddleware(deps.deployment));
  const sender = new TeamsSender(adapter, config.appId ?? '');
  const notifyConversations = new NotifyConversations(deps.db, config.notifyConversationId);
  const background = new BackgroundTasks(logger);
  const cardRedraws = new CardRedraws();
  const handlerDeps: TeamsHandlerDeps = {
    cardRedraws,
    service: deps.service,
    batches: deps.batches,
    policy: deps.policy,
    approvers: config.approvers,
    sender,
    notifyConversations,
    background,
    logger,
    deployment: deps.deployment,
    commands: {
      enqueue: async (command) => {
        await deps.queue.send(TEAMS_COMMAND_QUEUE.name, command);
      },
    },
  };
  const bot = new OffboardingBot(handlerDeps);

  const listener = messagesListener(
    adapter,
    async (context) => {
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
  const commandWorker: QueueWorker<QueuedTeamsCommand> = {
    ...TEAMS_COMMAND_QUEUE,
    concurrency: COMMAND_WORKERS,
    pollingIntervalSeconds: 0.5,
    handle: (command) => handleQueuedOffboard(handlerDeps, command),
  };
  return {
    route: { method: 'POST', path: TEAMS_MESSAGES_PATH, handle: listener },
    notifier: new TeamsNotifier(
      sender,
      deps.service,
      notifyConversations,
      config.approvers,
      cardRedraws,
    ),
    batchNotifier: new TeamsBatchNotifier(sender, deps.db, config.approvers, notifyConversations),
    queues: [commandWorker],
    stop: () => background.drain(),
  };
}
