import type http from 'node:http';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { assertDeployable, type Config } from './config.js';
import { createDatabase, type DatabaseHandle } from './db/database.js';
import { createEmbeddedDatabase } from './db/embedded.js';
import { migrateToLatest } from './db/migrate.js';
import type { RetryPolicy } from './genesys/call-retry-policy.js';
import { createGenesysClient } from './genesys/client.js';
import { DEMO_ORG_USERS, startGenesysEmulator } from './genesys/emulator/index.js';
import type { RunningEmulator } from './genesys/emulator/types.js';
import { type ActingOrganization, guardOrganization } from './genesys/organization-guard.js';
import type { GenesysClient } from './genesys/types.js';
import { createHttpServer, healthRoute, listen, type Route } from './http/server.js';
import type { Deployment } from './offboarding/deployment.js';
import { OffboardingService } from './offboarding/offboarding.service.js';
import type { AccessPolicy } from './offboarding/policy.js';
import type { ChatPlatform } from './offboarding/request.table.js';
import { PLAYGROUND_PATH, startPlaygroundIfLocal } from './playground/playground.js';
import { createSlackAdapter, SLACK_EVENTS_PATH } from './slack/app.js';
import { type ChatNotifier, NotificationDispatcher } from './workflow/notification-dispatcher.js';
import { type JobQueue, startJobQueue } from './workflow/queue.js';
import { WorkflowRunner } from './workflow/runner.js';
import { startWorkflowWorkers, sweep } from './workflow/worker.js';

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
  /** The in-process Genesys sandbox, when no Genesys credentials are configured. */
  sandbox: RunningEmulator | undefined;
  /** The Genesys org this bot acts on, as recorded in (or checked against) the database. */
  organization: ActingOrganization;
  /** Runs the periodic sweep now (expiry, resuming lost runs, redelivering messages). */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

const SANDBOX_GDPR_POLL_SECONDS = 2;

/** Unauthenticated Teams means anyone who reaches the port can act as anyone: loopback only. */
const LOOPBACK = '127.0.0.1';

async function openDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl) return createDatabase(config.databaseUrl);
  logger.warn(
    { dataDir: config.embeddedDataDir },
    'DATABASE_URL is not set: using the embedded database (PGlite). Fine for a trial; run one instance only, and set DATABASE_URL to a PostgreSQL server for production.',
  );
  return createEmbeddedDatabase(config.embeddedDataDir);
}

/** Wires everything from validated config: database, Genesys, chat adapters, workers, HTTP. */
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

  try {
    if (config.migrateOnStart) {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) {
        logger.info({ migrations: applied.map((m) => m.migrationName) }, 'migrations applied');
      }
    }

    let sandbox: RunningEmulator | undefined;
    let genesys = options.genesysClient;
    if (!genesys) {
      let genesysConfig = config.genesys;
      if (!genesysConfig) {
        sandbox = await startGenesysEmulator({
          users: [...DEMO_ORG_USERS],
          gdpr: { msPerStage: 3000 },
        });
        const emulator = sandbox;
        stoppers.push(() => emulator.close());
        logger.warn(
          { sandboxUrl: sandbox.url },
          config.slack || config.teams
            ? 'SANDBOX MODE (GENESYS_SANDBOX=true): the bot talks to a built-in Genesys Cloud emulator with a demo org, and every card and reply says so. Nothing real is touched.'
            : 'SANDBOX MODE: no GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET set, so the bot talks to a built-in Genesys Cloud emulator with a demo org. Nothing real is touched.',
        );
        genesysConfig = {
          clientId: 'emulator-client',
          clientSecret: 'emulator-secret',
          region: undefined,
          apiUrl: sandbox.url,
        };
      }
      genesys = createGenesysClient({
        clientId: genesysConfig.clientId,
        clientSecret: genesysConfig.clientSecret,
        ...(genesysConfig.region ? { region: genesysConfig.region } : {}),
        ...(genesysConfig.apiUrl ? { apiUrl: genesysConfig.apiUrl } : {}),
        gdprIncludeEmail: config.gdpr.includeEmail,
        timeoutMs: config.workflow.genesysTimeoutSeconds * 1000,
        logger: logger.child({ component: 'genesys' }),
        ...(options.genesysRetry ? { retry: options.genesysRetry } : {}),
      });
    }

    // Before anything else starts: a database keeps the requests and audit trail of one org, and
    // an instance with another org's credentials (or the sandbox's) must not act on them.
    const configuredOrg = await genesys.getOrganization();
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

    // Before the queue, so it stops after it: messages still going out then reach the fake Slack.
    const playground = await startPlaygroundIfLocal(config, {
      logger,
      sandboxRunning: sandbox !== undefined,
      exampleTargets: DEMO_ORG_USERS,
    });
    if (playground) stoppers.push(() => playground.close());

    const queue = await startJobQueue({ ...database.queueConnection, logger });
    stoppers.push(() => queue.stop({ graceful: true, timeout: 8000, wait: true }));

    const routes: Route[] = [
      healthRoute(async () => {
        await sql`select 1`.execute(database.db);
        return true;
      }),
    ];
    const policies: Partial<Record<ChatPlatform, AccessPolicy>> = {};
    if (playground) routes.push(...playground.routes);
    const slackConfig = config.slack ?? playground?.slackConfig;
    // The playground is the local trial and says "sandbox" on its own page; a real chat platform
    // served by the sandbox (GENESYS_SANDBOX=true) must say it on every card and reply.
    const deployment: Deployment = {
      organizationName: organization.name,
      sandbox: sandbox !== undefined && playground === undefined,
    };
    const slack = slackConfig
      ? createSlackAdapter(slackConfig, {
          logger,
          deployment,
          ...(options.slackWebApiRetries === undefined
            ? {}
            : { webApiRetries: options.slackWebApiRetries }),
        })
      : undefined;
    if (slack) {
      policies.slack = slack.policy;
      routes.push({
        method: 'POST',
        path: SLACK_EVENTS_PATH,
        handle: slack.receiver.requestListener,
      });
    }
    // Loaded only when Teams is configured: botbuilder alone costs about 55 MB of memory.
    const teams = config.teams
      ? (await import('./teams/app.js')).createTeamsAdapter(config.teams, {
          logger,
          db: database.db,
          deployment,
        })
      : undefined;
    if (teams) {
      policies.teams = teams.policy;
      routes.push(teams.route);
      stoppers.push(() => teams.stop());
    }

    const runner = new WorkflowRunner({
      locks: database.locks,
      queue,
      genesys,
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
    });
    const service = new OffboardingService({
      db: database.db,
      genesys,
      gdprMode: config.gdpr.mode,
      requestExpiryHours: config.requestExpiryHours,
      policies,
      workflow: runner,
      logger: logger.child({ component: 'offboarding' }),
    });
    const notifiers: Partial<Record<ChatPlatform, ChatNotifier>> = {};
    if (slack) notifiers.slack = await slack.attach(service, queue);
    if (teams) notifiers.teams = await teams.attach(service, queue);
    const dispatcher = new NotificationDispatcher({
      db: database.db,
      locks: database.locks,
      queue,
      notifiers,
      logger: logger.child({ component: 'notifications' }),
    });
    const workers = {
      db: database.db,
      queue,
      runner,
      dispatcher,
      service,
      logger: logger.child({ component: 'worker' }),
      ...(options.workerPollingIntervalSeconds
        ? { pollingIntervalSeconds: options.workerPollingIntervalSeconds }
        : {}),
    };
    const workerTimers = await startWorkflowWorkers(workers);
    stoppers.push(async () => workerTimers.stop());

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
    if (!slack) {
      logger.warn('Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to turn it on');
    }
    if (playground) {
      logger.warn(
        `PLAYGROUND: open http://localhost:${port}${PLAYGROUND_PATH} to try the bot as a requester and approvers (a local fake Slack; Genesys is the sandbox)`,
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
      sandbox,
      organization,
      sweep: () => sweep(workers),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
