import type http from 'node:http';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { assertDeployable, type Config } from './config.js';
import { createDatabase, type DatabaseHandle } from './db/database.js';
import { createEmbeddedDatabase } from './db/embedded.js';
import { migrateToLatest } from './db/migrate.js';
import { resolveRecordHashKey } from './db/record-hash-key.js';
import type { RetryPolicy } from './genesys/call-retry-policy.js';
import { createGenesysClientViews, type GenesysClientViews } from './genesys/client.js';
import type { RunningEmulator } from './genesys/emulator/types.js';
import { type ActingOrganization, guardOrganization } from './genesys/organization-guard.js';
import type { GenesysClient } from './genesys/types.js';
import { createHttpServer, healthRoute, listen, type Route } from './http/server.js';
import { createBotMetrics } from './metrics/metrics.js';
import { metricsRoute } from './metrics/route.js';
import { BatchService } from './offboarding/batch.service.js';
import type { Deployment } from './offboarding/deployment.js';
import {
  OffboardingService,
  type OffboardingServiceDeps,
} from './offboarding/offboarding.service.js';
import type { AccessPolicy } from './offboarding/policy.js';
import type { ChatPlatform } from './offboarding/request.table.js';
import type { Sandbox } from './sandbox/index.js';
import { SlackAccessPolicy } from './slack/access-policy.js';
import { createSlackAdapter } from './slack/app.js';
import { createSlackWebClient } from './slack/web-client.js';
import { TeamsAccessPolicy } from './teams/access-policy.js';
import { type BatchNotifier, BatchProgress } from './workflow/batch-progress.js';
import { type ChatNotifier, NotificationDispatcher } from './workflow/notification-dispatcher.js';
import { type JobQueue, startJobQueue } from './workflow/queue.js';
import { CHAINED_STEPS_PER_JOB, WorkflowRunner } from './workflow/runner.js';
import { type SweepDeps, startSweeping, sweep } from './workflow/sweep.js';
import { type QueueWorker, startQueueWorkers, workflowQueueWorkers } from './workflow/worker.js';

export interface BotOptions {
  /** Overrides for tests and benchmarks; production uses the defaults. */
  database?: DatabaseHandle;
  genesysClient?: GenesysClient;
  slackWebApiRetries?: number;
  workerPollingIntervalSeconds?: number;
  genesysRetry?: Partial<RetryPolicy>;
  host?: string;
}

export interface RunningBot {
  url: string;
  port: number;
  server: http.Server;
  database: DatabaseHandle;
  queue: JobQueue;
  service: OffboardingService;
  /** Bulk offboarding: several people under one card and one approval. */
  batches: BatchService;
  /** The in-process Genesys sandbox, when no Genesys credentials are configured. */
  sandbox: RunningEmulator | undefined;
  /** The Genesys org this bot acts on, as recorded in (or checked against) the database. */
  organization: ActingOrganization;
  /** Runs the periodic sweep now (expiry, resuming lost runs, redelivering messages). */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

const SANDBOX_GDPR_POLL_SECONDS = 2;
/** The playground shows the grace period and its Undo in 36 s unless ERASURE_DELAY_HOURS is set. */
const PLAYGROUND_ERASURE_DELAY_HOURS = 0.01;
/** The playground shows approval reminders within a minute rather than a day. */
const PLAYGROUND_REMINDER_HOURS = 1 / 60;

/** Unauthenticated Teams means anyone who reaches the port can act as anyone: loopback only. */
const LOOPBACK = '127.0.0.1';

async function openDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    // Each step and notification worker holds a connection for its request's lock while it
    // works (and while its Genesys call waits for the pacer): room for all of them, plus some
    // for HTTP requests and chat commands, so a manager's look-up never queues behind a bulk run.
    return createDatabase(config.databaseUrl, { max: 2 * config.workflow.concurrency + 6 });
  }
  logger.warn(
    { dataDir: config.embeddedDataDir },
    'DATABASE_URL is not set: using the embedded database (PGlite). Fine for a trial; run one instance only, and set DATABASE_URL to a PostgreSQL server for production.',
  );
  return createEmbeddedDatabase(config.embeddedDataDir);
}

/**
 * Wires everything from validated config, each part built whole from the ones before it:
 * database, Genesys, access policies, runner, service, chat adapters, queue workers, HTTP.
 */
export async function startBot(
  config: Config,
  logger: Logger,
  options: BotOptions = {},
): Promise<RunningBot> {
  assertDeployable(config, { databaseProvided: options.database !== undefined });
  const database = options.database ?? (await openDatabase(config, logger));
  // A database handed in by the caller (tests) is the caller's to close.
  const stoppers: Array<() => Promise<void>> = options.database ? [] : [() => database.close()];
  let stopped: Promise<void> | undefined;
  // Last started, first stopped: HTTP (no new work), then the queue (finishes or releases the
  // steps in flight), then the sandbox, then the database pool.
  const stopAll = () => {
    stopped ??= (async () => {
      for (const stop of [...stoppers].reverse()) {
        await stop().catch((error: unknown) => logger.warn({ err: error }, 'error while stopping'));
      }
    })();
    return stopped;
  };

  // Per instance, not prom-client's global registry: several bots may share a process (tests).
  const metrics = createBotMetrics({ db: database.db });

  try {
    if (config.migrateOnStart) {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) {
        logger.info({ migrations: applied.map((m) => m.migrationName) }, 'migrations applied');
      }
    }

    let sandbox: Sandbox | undefined;
    // An injected client (tests) serves both priorities unpaced.
    let genesys: GenesysClientViews | undefined = options.genesysClient && {
      interactive: options.genesysClient,
      background: options.genesysClient,
    };
    if (!genesys) {
      let connection = config.genesys;
      if (!connection) {
        // Loaded only without Genesys credentials, so production never loads the emulator or the
        // playground. Started before the queue, so it stops after it: messages still going out
        // then reach the playground's fake Slack.
        const { startSandbox, sandboxStateFile } = await import('./sandbox/index.js');
        // Kept beside the embedded database the bot opened, so both survive a restart together.
        // With DATABASE_URL (or a database handed in) there is no such directory: the sandbox
        // stays in memory and starts over at each start (README, Starting over).
        const embeddedOwn = !options.database && !config.databaseUrl;
        if (!embeddedOwn) {
          logger.warn(
            'The Genesys sandbox (and the playground, if on) is kept in memory: a restart starts it over while the database keeps its requests, so runs in progress then fail. Unset DATABASE_URL for a local trial that survives restarts.',
          );
        }
        const started = await startSandbox(config, {
          logger,
          db: database.db,
          stateFile: embeddedOwn ? sandboxStateFile(config.embeddedDataDir) : undefined,
        });
        stoppers.push(() => started.close());
        sandbox = started;
        connection = { ...started.genesys, region: undefined };
      }
      // One token, one pacer; people's calls (look-ups, status, the org check) queue ahead of
      // workflow steps.
      genesys = createGenesysClientViews({
        clientId: connection.clientId,
        clientSecret: connection.clientSecret,
        ...(connection.region ? { region: connection.region } : {}),
        ...(connection.apiUrl ? { apiUrl: connection.apiUrl } : {}),
        gdprIncludeEmail: config.gdpr.includeEmail,
        timeoutMs: config.workflow.genesysTimeoutSeconds * 1000,
        logger: logger.child({ component: 'genesys' }),
        rateLimitPerMinute: config.workflow.genesysRateLimitPerMinute,
        ...(config.workflow.genesysRateLimitBurst
          ? { rateLimitBurst: config.workflow.genesysRateLimitBurst }
          : {}),
        ...(options.genesysRetry ? { retry: options.genesysRetry } : {}),
        callObserver: metrics.genesysObserver,
      });
    }

    // Before anything else starts: a database keeps the requests and audit trail of one org, and
    // an instance with another org's credentials (or the sandbox's) must not act on them.
    const configuredOrg = await genesys.interactive.getOrganization();
    const { organization, recordedNow } = await guardOrganization(database.db, {
      ...configuredOrg,
      sandbox: sandbox !== undefined,
    });
    logger.info(
      { organization },
      recordedNow
        ? 'Genesys organization recorded in the database; from now on only its credentials start against it'
        : 'Genesys organization matches the one recorded in the database',
    );
    if (!sandbox && !config.slack && !config.teams) {
      logger.warn(
        'Playground is off: it has no login, so it only runs against the Genesys sandbox. Unset GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET to try the bot there.',
      );
    }

    const queue = await startJobQueue({ ...database.queueConnection, logger });
    stoppers.push(() => queue.stop({ graceful: true, timeout: 8000, wait: true }));

    const playground = sandbox?.playground;
    const slackConfig = config.slack ?? playground?.slackConfig;
    // The playground is the local trial and says "sandbox" on its own page; a real chat platform
    // served by the sandbox (GENESYS_SANDBOX=true) must say it on every card and reply.
    const deployment: Deployment = {
      organizationName: organization.name,
      sandbox: sandbox !== undefined && playground === undefined,
    };

    // The access policies come from config alone (Slack's reads user groups with the bot token),
    // so the service is built whole before any adapter that uses it.
    const slackLogger = logger.child({ platform: 'slack' });
    const slackClient =
      slackConfig &&
      createSlackWebClient(slackConfig, {
        logger: slackLogger,
        ...(options.slackWebApiRetries === undefined
          ? {}
          : { retries: options.slackWebApiRetries }),
      });
    const teamsPolicy = config.teams && new TeamsAccessPolicy(config.teams.approvers);
    const policies: Partial<Record<ChatPlatform, AccessPolicy>> = {};
    if (slackConfig && slackClient) {
      policies.slack = new SlackAccessPolicy(
        slackClient,
        slackConfig.approvers,
        slackConfig.requesters,
      );
    }
    if (teamsPolicy) policies.teams = teamsPolicy;

    const recordHashKey = await resolveRecordHashKey(config, logger);
    const runner = new WorkflowRunner({
      locks: database.locks,
      queue,
      genesys: genesys.background,
      logger: logger.child({ component: 'workflow' }),
      // The sandbox processes GDPR requests in seconds: follow them at that pace.
      gdprPollIntervalSeconds: sandbox
        ? Math.min(config.gdpr.pollIntervalSeconds, SANDBOX_GDPR_POLL_SECONDS)
        : config.gdpr.pollIntervalSeconds,
      retryBackoff: {
        baseSeconds: config.workflow.retryBaseSeconds,
        maxSeconds: config.workflow.retryMaxSeconds,
      },
      // Twice the HTTP timeout plus a margin: an attempt whose lock was lost has given up on its
      // Genesys call well before another worker may act for the same step.
      stepLeaseSeconds: config.workflow.genesysTimeoutSeconds * 2 + 10,
      stepsPerJob: CHAINED_STEPS_PER_JOB,
      metrics,
      erasureDelayHours:
        config.erasureDelayHours ?? (playground ? PLAYGROUND_ERASURE_DELAY_HOURS : 0),
    });
    const reminderHours = playground
      ? Math.min(config.approvals.reminderHours, PLAYGROUND_REMINDER_HOURS)
      : config.approvals.reminderHours;
    // Stopped before the queue: a job in flight finishes its step and queues the next.
    stoppers.push(async () => runner.stopChaining());
    const serviceDeps: OffboardingServiceDeps = {
      db: database.db,
      genesys: genesys.interactive,
      gdprMode: config.gdpr.mode,
      requestExpiryHours: config.requestExpiryHours,
      approvalsRequired: config.approvals.required,
      approvalReminderHours: reminderHours,
      recordHashKey,
      offboardDefaultTime: config.offboardDefaultTime,
      policies,
      workflow: runner,
      logger: logger.child({ component: 'offboarding' }),
    };
    const service = new OffboardingService(serviceDeps);
    // Filled in below, as each chat adapter is built: it draws its own platform's batch cards.
    const batchNotifiers: Partial<Record<ChatPlatform, BatchNotifier>> = {};
    const batchProgress = new BatchProgress({
      db: database.db,
      locks: database.locks,
      queue,
      runner,
      notifiers: batchNotifiers,
      approvalsRequired: config.approvals.required,
      approvalReminderHours: reminderHours,
      logger: logger.child({ component: 'batches' }),
    });
    const batches = new BatchService({ ...serviceDeps, progress: batchProgress }, service);

    const routes: Route[] = [
      healthRoute(async () => {
        await sql`select 1`.execute(database.db);
        return true;
      }),
      metricsRoute(metrics, config.metricsToken),
      ...(playground?.routes ?? []),
    ];
    const notifiers: Partial<Record<ChatPlatform, ChatNotifier>> = {};
    const chatQueues: QueueWorker[] = [];
    if (slackConfig && slackClient) {
      const slack = await createSlackAdapter(slackConfig, {
        client: slackClient,
        service,
        batches,
        queue,
        logger,
        deployment,
        ...(options.slackWebApiRetries === undefined
          ? {}
          : { retries: options.slackWebApiRetries }),
      });
      routes.push(slack.route);
      notifiers.slack = slack.notifier;
      batchNotifiers.slack = slack.batchNotifier;
      chatQueues.push(...slack.queues);
    }
    if (config.teams && teamsPolicy) {
      // Loaded only when Teams is configured: botbuilder alone costs about 55 MB of memory.
      const { createTeamsAdapter } = await import('./teams/app.js');
      const teams = createTeamsAdapter(config.teams, {
        logger,
        db: database.db,
        service,
        batches,
        policy: teamsPolicy,
        queue,
        deployment,
      });
      routes.push(teams.route);
      notifiers.teams = teams.notifier;
      batchNotifiers.teams = teams.batchNotifier;
      chatQueues.push(...teams.queues);
      stoppers.push(() => teams.stop());
    }

    const dispatcher = new NotificationDispatcher({
      db: database.db,
      locks: database.locks,
      queue,
      notifiers,
      logger: logger.child({ component: 'notifications' }),
      metrics,
      batches: batchProgress,
    });
    await startQueueWorkers(queue, [
      ...workflowQueueWorkers({
        runner,
        dispatcher,
        batchProgress,
        concurrency: config.workflow.concurrency,
        ...(options.workerPollingIntervalSeconds
          ? { pollingIntervalSeconds: options.workerPollingIntervalSeconds }
          : {}),
      }),
      ...chatQueues,
    ]);
    const sweepDeps: SweepDeps = {
      db: database.db,
      queue,
      runner,
      service,
      logger: logger.child({ component: 'worker' }),
      // Reminders fire within a quarter of their period (short ones in trials), else 15 s late.
      intervalMs: Math.max(1_000, Math.min(15_000, (reminderHours * 3_600_000) / 4)),
      retention: { retentionDays: config.privacy.retentionDays, recordHashKey },
      batches: batchProgress,
      batchReminders: batchProgress,
    };
    const sweeping = await startSweeping(sweepDeps);
    stoppers.push(async () => sweeping.stop());

    const server = createHttpServer(routes, logger);
    const host = config.teams?.allowUnauthenticated ? LOOPBACK : options.host;
    const port = await listen(server, config.port, host);
    if (config.teams?.allowUnauthenticated) {
      logger.warn(
        { host: LOOPBACK, port },
        'TEAMS_ALLOW_UNAUTHENTICATED: listening on 127.0.0.1 only, since /api/messages takes activities without a token. Only this machine can reach the bot.',
      );
    }
    stoppers.push(async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    });
    if (!slackConfig) {
      logger.warn('Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to turn it on');
    }
    if (playground) {
      logger.warn(
        `PLAYGROUND: open http://localhost:${port}${playground.path} to try the bot as a requester and approvers (a local fake Slack; Genesys is the sandbox)`,
      );
    }
    logger.info({ port, platforms: Object.keys(notifiers) }, 'offboarding bot listening');

    return {
      url: `http://${host ?? '127.0.0.1'}:${port}`,
      port,
      server,
      database,
      queue,
      service,
      batches,
      sandbox: sandbox?.emulator,
      organization,
      sweep: () => sweep(sweepDeps),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
