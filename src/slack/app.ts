import { App, HTTPReceiver } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import type { Route } from '../http/server.js';
import type { BatchService } from '../offboarding/batch.service.js';
import type { Deployment } from '../offboarding/deployment.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import { wakeWorkers } from '../workflow/pg-boss-compat.js';
import type { JobQueue } from '../workflow/queue.js';
import type { QueueWorker } from '../workflow/worker.js';
import { SlackBatchNotifier } from './batch-notifier.js';
import { boltLogger } from './bolt-logger.js';
import { SlackCards } from './cards.js';
import { SLACK_COMMAND_QUEUE } from './command-queue.js';
import {
  handleOffboardCommand,
  type QueuedSlashCommand,
} from './commands/handle-offboard-command.js';
import { SlackHomes } from './home.js';
import type { SlackListenerDeps } from './listeners/deps.js';
import { registerListeners } from './listeners/index.js';
import { SlackNotifier } from './notifier.js';
import { type SlackClientSettings, slackWebClientOptions } from './web-client.js';
import { learnWorkspace, workspaceGate } from './workspace.js';

export const SLACK_EVENTS_PATH = '/slack/events';
const COMMAND_WORKERS = 2;

export interface SlackAdapter {
  /** `POST /slack/events`, handled by Bolt inside our own HTTP server. */
  route: Route;
  notifier: SlackNotifier;
  /** Draws batch cards, their progress message and report. */
  batchNotifier: SlackBatchNotifier;
  /** Acknowledged commands wait here; the bot's worker registration works them. */
  queues: QueueWorker[];
}

export interface SlackAdapterDeps extends SlackClientSettings {
  /** The bot token's client (see web-client.ts), shared with the access policy. */
  client: WebClient;
  service: OffboardingService;
  batches: BatchService;
  /** Where the adapter sends acknowledged commands (its own queue, SLACK_COMMAND_QUEUE). */
  queue: JobQueue;
  deployment: Deployment;
}

/** Bolt app, listeners and notifier over a built service. Asks Slack whose token it holds. */
export async function createSlackAdapter(
  config: NonNullable<Config['slack']>,
  deps: SlackAdapterDeps,
): Promise<SlackAdapter> {
  const logger = deps.logger.child({ platform: 'slack' });
  const receiver = new HTTPReceiver({
    signingSecret: config.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger: boltLogger(logger),
  });
  const app = new App({
    receiver,
    token: config.botToken,
    logger: boltLogger(logger),
    clientOptions: slackWebClientOptions(config, { ...deps, logger }),
  });

  const workspace = await learnWorkspace(deps.client);
  logger.info(
    { teamId: workspace.teamId, enterpriseId: workspace.enterpriseId },
    workspace.enterpriseInstall
      ? 'Slack: serving the Enterprise Grid org of the bot token only'
      : 'Slack: serving the workspace of the bot token only',
  );
  app.use(workspaceGate(workspace, logger));
  const homes = new SlackHomes(deps.client, deps.service, {
    approvers: config.approvers,
    deployment: deps.deployment,
    logger,
  });
  const cards = new SlackCards(deps.client, deps.service, {
    approvers: config.approvers,
    deployment: deps.deployment,
  });
  const listenerDeps: SlackListenerDeps = {
    homes,
    cards,
    service: deps.service,
    batches: deps.batches,
    approvers: config.approvers,
    logger,
    deployment: deps.deployment,
    commands: {
      enqueue: async (command) => {
        await deps.queue.send(SLACK_COMMAND_QUEUE.name, command);
        // Someone is waiting for the card: an idle command worker here takes it without a poll.
        wakeWorkers(deps.queue, SLACK_COMMAND_QUEUE.name);
      },
    },
  };
  registerListeners(app, listenerDeps);
  const commandWorker: QueueWorker<QueuedSlashCommand> = {
    ...SLACK_COMMAND_QUEUE,
    concurrency: COMMAND_WORKERS,
    pollingIntervalSeconds: 0.5,
    handle: async (command) => {
      await handleOffboardCommand(listenerDeps, command, deps.client);
      // A new request waits for the approvers and shows among the requester's own.
      homes.refreshLater({ requester_platform: 'slack', requester_id: command.user_id });
    },
  };
  return {
    route: { method: 'POST', path: SLACK_EVENTS_PATH, handle: receiver.requestListener },
    notifier: new SlackNotifier(deps.client, deps.service, cards, {
      approvers: config.approvers,
      notifyChannel: config.notifyChannel,
      deployment: deps.deployment,
      homes,
    }),
    batchNotifier: new SlackBatchNotifier(deps.client, {
      approvers: config.approvers,
      deployment: deps.deployment,
      notifyChannel: config.notifyChannel,
    }),
    queues: [commandWorker],
  };
}
