// Benchmark 2 (and 3's figures after load): many approved offboardings against the emulator
// with a request-rate limit, run by one or more bot processes sharing one database.
//
// The requests are created and approved through the domain service of an in-process bot on the
// same database, not through Slack (the ack benchmark covers the Slack path). That bot's workers
// poll once an hour, so the child processes under test do all the offboarding work.

import { WebClient } from '@slack/web-api';
import { sql } from 'kysely';
import pino from 'pino';
import { startBot as startInProcessBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import { startGenesysEmulator } from '../src/genesys/emulator/index.js';
import type { RecordedCall, RunningEmulator } from '../src/genesys/emulator/types.js';
import { createLogger } from '../src/logger.js';
import {
  blockActionBody,
  interactivityBody,
  postToSlackEndpoint,
  signSlackRequest,
  slashCommandBody,
  viewSubmissionPayload,
} from '../src/playground/slack-requests.js';
import { BATCH_APPROVE_ACTION } from '../src/slack/batch-blocks.js';
import { slackBatchPoster } from '../src/slack/batch-notifier.js';
import {
  MODAL_BLOCKS,
  PEOPLE_ACTION,
  PEOPLE_FILE_ACTION,
  REQUEST_MODAL_CALLBACK,
} from '../src/slack/request-modal.js';
import { type FakeSlackApi, startFakeSlackApi } from '../test/helpers/fake-slack-api.js';
import { waitFor } from '../test/helpers/wait.js';
import { mapConcurrent, progress, type Scope, type Summary, sleep, summarize } from './common.js';
import {
  APPROVERS,
  addSlackPeople,
  BOT_TOKEN,
  botEnvironment,
  CHANNEL,
  createBenchDatabase,
  GENESYS_CALLS_PER_OFFBOARDING,
  REQUESTER,
  SIGNING_SECRET,
  targetEmail,
  targetUsers,
} from './fixtures.js';
import { MemorySampler, type ProcessMemory, readMemory } from './proc.js';
import { type BenchProcess, startBot } from './processes.js';

export interface BulkOptions {
  name: string;
  instances: number;
  requests: number;
  /** Emulator limit per access token; each instance has its own token. */
  requestsPerSecond: number;
  burst: number;
  /** The run is cut off after this; the figures then cover what was done until then. */
  timeoutSeconds: number;
  /**
   * Managers' `/offboard` commands sent through the real Slack path while the bulk run works,
   * one every `intervalMs`; each is timed from the command to its card's chat.postMessage. The
   * run then ends once every card is posted (or at the cut-off), not when the bulk is done.
   */
  interactive?: { commands: number; intervalMs: number };
  /**
   * Bulk offboarding (issue 15): the requests are one batch, submitted as the "Several people"
   * modal (a signed view_submission to the bot under test) and approved with one click on its
   * card (a signed block_actions), both through the real Slack path.
   */
  batch?: true;
}

export interface BatchSubmissionResult {
  people: number;
  /** From sending the view_submission to the bot's answer (every line looked up in Genesys). */
  submissionSeconds: number;
  /** The bot's answer: `clear` (the modal closes), `errors`, or an HTTP status (Bolt's 3 s timeout). */
  submissionAnswer: string;
  /** User searches the check made (interactive calls, ahead of background work). */
  lookups: number;
  /** From the answer to the batch card's chat.postMessage. */
  cardSeconds: number;
  /**
   * How the batch was filed: through the modal, or (when the modal filed nothing) through the
   * domain API, BatchService.checkBatch + fileBatch posting the same Slack card; the approval is a
   * click on that card either way.
   */
  filedThrough: 'slack modal' | 'domain API';
  /** From the Approve all click to its HTTP answer (the one approval starts every request). */
  approvalSeconds: number;
  /** chat.update calls of the one progress message, and thread messages other than it. */
  progressUpdates: number;
  otherThreadMessages: number;
  /** The CSV report was uploaded to the card's thread once every person was final. */
  reportUploaded: boolean;
}

export interface InteractiveResult {
  sent: number;
  /** Commands whose card was posted before the run ended. */
  posted: number;
  non2xx: number;
  /** From sending the command to the fake Slack API receiving the card's chat.postMessage. */
  commandToCard: Summary;
}

export interface BulkResult {
  settings: BulkOptions;
  finishedAll: boolean;
  /** From the first approval to the last request finished (or to the cut-off). */
  elapsedSeconds: number;
  requests: { completed: number; failed: number; unfinished: number };
  genesys: {
    /** API calls answered other than 429: the work itself. */
    calls: number;
    tooManyRequests: number;
    logins: number;
    byOperation: Record<string, number>;
    /** calls / completed, when every request finished. */
    callsPerOffboarding: number | undefined;
  };
  /** requestsPerSecond x instances: each instance's token has its own bucket. */
  limitPerSecond: number;
  callsPerSecond: number;
  /** The time the calls made would take at exactly the limit. */
  floorSecondsForCallsMade: number;
  /** The floor of the whole job: requests x calls per offboarding / limit. */
  floorSecondsForAll: number;
  /** callsPerSecond / limitPerSecond: 100 % means the bot ran at the limit. */
  throughputPercentOfFloor: number;
  /** At the rate reached, how long all the requests would take. */
  projectedSecondsForAll: number;
  /** Steps that got a 429 back from the client and waited in the job queue (WORKFLOW_RETRY_*). */
  stepRetries: number;
  approvalToSoftDelete: Summary;
  jobs: {
    stepJobsCompleted: number;
    stepJobsPerSecond: number;
    activeMsMean: number;
    activeMsP50: number;
    /** From a job's start_after (when it became due) to when a worker picked it up. */
    queueWaitMsMean: number;
    queueWaitMsP50: number;
    /** Time workers spent running step jobs / (workers x elapsed). */
    stepWorkerBusyPercent: number;
  };
  interactive: InteractiveResult | undefined;
  batch?: BatchSubmissionResult | undefined;
  memory: Array<{
    instance: string;
    idle: ProcessMemory | undefined;
    after: ProcessMemory | undefined;
    maxTreeRssMb: number;
    /** [seconds since the instance was idle, RSS MB] every 5 s. */
    rssOverTime: Array<[number, number]>;
  }>;
}

/** Step workers per instance (WORKFLOW_CONCURRENCY default, src/config.ts). */
const STEP_WORKERS_PER_INSTANCE = 8;

const requester = {
  platform: 'slack' as const,
  id: REQUESTER.id,
  name: REQUESTER.name,
  email: REQUESTER.email,
};

export interface Creator {
  /** Files `count` requests for targets 0..count-1 and posts a card for each; resolves their ids. */
  createPending(count: number): Promise<number[]>;
  /** Approves each request (approvers in turn); resolves when each approval committed. */
  approveAll(requestIds: readonly number[]): Promise<Map<number, number>>;
  stop(): Promise<void>;
}

/**
 * Requests and approvals through the domain service of an in-process bot on the same database,
 * whose workers poll once an hour, so that the bots under test do all the offboarding work.
 */
export async function startCreator(
  scope: Scope,
  env: Record<string, string>,
  slackApiUrl: string,
): Promise<Creator> {
  const bot = await startInProcessBot(
    loadConfig({ ...env, PORT: '0' }),
    createLogger({ level: 'warn', destination: pino.destination(2) }),
    { workerPollingIntervalSeconds: 3600, host: '127.0.0.1' },
  );
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= bot.stop();
    return stopped;
  };
  scope.add('creator bot', stop);
  const web = new WebClient(BOT_TOKEN, { slackApiUrl, retryConfig: { retries: 0 } });
  return {
    stop,
    createPending: (count) =>
      mapConcurrent(
        Array.from({ length: count }, (_, i) => i),
        10,
        async (i) => {
          const outcome = await bot.service.fileRequest(
            { requester, targetEmail: targetEmail(i), reason: 'bulk benchmark' },
            {
              post: async (request) => {
                const posted = await web.chat.postMessage({
                  channel: CHANNEL,
                  text: `Offboarding request #${request.id}`,
                });
                return {
                  posted: { channelId: posted.channel as string, messageId: posted.ts as string },
                };
              },
            },
          );
          if (outcome.kind !== 'posted') throw new Error(`request ${i}: ${outcome.kind}`);
          return outcome.request.id;
        },
      ),
    async approveAll(requestIds) {
      const approvedAt = new Map<number, number>();
      await mapConcurrent(requestIds, 10, async (requestId, i) => {
        const approver = APPROVERS[i % APPROVERS.length] as (typeof APPROVERS)[number];
        // As a click on the posted card would: its token, channel and message ts.
        const request = await bot.service.findRequest(requestId);
        const outcome = await bot.service.decide({
          requestId,
          decision: 'approved',
          actor: { platform: 'slack', id: approver.id, name: approver.name, email: approver.email },
          proof: {
            token: request?.decision_token ?? undefined,
            channelId: request?.chat_channel_id ?? undefined,
            messageId: request?.chat_message_id ?? undefined,
          },
        });
        if (outcome.kind !== 'decided')
          throw new Error(`approval of ${requestId}: ${outcome.kind}`);
        approvedAt.set(requestId, Date.now());
      });
      return approvedAt;
    },
  };
}

export async function runBulk(scope: Scope, options: BulkOptions): Promise<BulkResult> {
  const database = await createBenchDatabase();
  scope.add(`${options.name} database`, () => database.drop());
  const emulator = await startGenesysEmulator({
    // The interactive look-ups are for the users after the bulk run's.
    users: targetUsers(options.requests + (options.interactive?.commands ?? 0)),
    gdpr: { pollsPerStage: 1 },
  });
  scope.add(`${options.name} emulator`, () => emulator.close());
  const slack = await startFakeSlackApi({ botToken: BOT_TOKEN });
  scope.add(`${options.name} fake Slack`, () => slack.close());
  addSlackPeople(slack);
  const env = {
    ...botEnvironment({ databaseUrl: database.url, emulator, slack }),
    // Each bot paces its token at the emulator's per-token limit and burst, as a bot configured
    // with its org's limit would at Genesys.
    GENESYS_RATE_LIMIT_PER_MINUTE: String(Math.round(options.requestsPerSecond * 60)),
    GENESYS_RATE_LIMIT_BURST: String(options.burst),
  };
  const db = database.db;

  let creator: Creator | undefined;
  let requestIds: number[] = [];
  if (!options.batch) {
    progress(`${options.name}: creating ${options.requests} pending requests`);
    creator = await startCreator(scope, env, slack.apiUrl);
    requestIds = await creator.createPending(options.requests);
  }

  // ---- the instances under test ----
  progress(`${options.name}: starting ${options.instances} bot process(es)`);
  const bots: BenchProcess[] = await Promise.all(
    Array.from({ length: options.instances }, (_, i) =>
      startBot(scope, `${options.name}-bot-${i + 1}`, env),
    ),
  );
  await sleep(3000);
  const idle = bots.map((bot) => readMemory(bot.child.pid));
  const samplers = bots.map((bot) => new MemorySampler(bot.child.pid));

  emulator.setRateLimit({ requestsPerSecond: options.requestsPerSecond, burst: options.burst });
  emulator.clearCalls();

  let t0: number;
  let approvedAt: Map<number, number>;
  let batchFigures:
    | Omit<BatchSubmissionResult, 'progressUpdates' | 'otherThreadMessages' | 'reportUploaded'>
    | undefined;
  let batchCardTs: string | undefined;
  if (options.batch) {
    const submitted = await submitBatchThroughSlack(options.requests, {
      url: `${bots[0]?.url}/slack/events`,
      slack,
      db,
      emulator,
      fileThroughDomain: () => fileBatchThroughDomain(scope, env, slack.apiUrl, options.requests),
    });
    ({ t0, approvedAt } = submitted);
    batchFigures = submitted.figures;
    batchCardTs = submitted.cardTs;
    requestIds = [...approvedAt.keys()];
  } else {
    // ---- approve everything, as fast as the service takes it ----
    progress(
      `${options.name}: approving ${options.requests} requests; limit ${options.requestsPerSecond} req/s per token, burst ${options.burst}`,
    );
    t0 = Date.now();
    approvedAt = await (creator as Creator).approveAll(requestIds);
    progress(`${options.name}: all approved in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await creator?.stop();
  }
  const interactive =
    options.interactive &&
    sendInteractiveCommands(options.interactive, {
      url: `${bots[0]?.url}/slack/events`,
      firstTarget: options.requests,
      slack,
    });

  // ---- wait for the runs ----
  const deadline = t0 + options.timeoutSeconds * 1000;
  let counts = { completed: 0, failed: 0, unfinished: options.requests };
  let lastReport = 0;
  for (;;) {
    const rows = await db
      .selectFrom('offboarding_requests')
      .select(['state', sql<number>`count(*)::int`.as('n')])
      .groupBy('state')
      .execute();
    const byState = new Map(rows.map((row) => [row.state, row.n]));
    const completed = byState.get('completed') ?? 0;
    const failed = byState.get('failed') ?? 0;
    counts = { completed, failed, unfinished: options.requests - completed - failed };
    if (interactive ? interactive.done() : counts.unfinished === 0) break;
    if (Date.now() >= deadline) break;
    const ended = bots.map((bot) => bot.endedEarly()).find((reason) => reason !== undefined);
    if (ended) throw new Error(`${ended}; ${completed} of ${options.requests} completed by then`);
    if (Date.now() - lastReport >= 15_000) {
      lastReport = Date.now();
      progress(
        `${options.name}: ${Math.round((Date.now() - t0) / 1000)} s: ${completed} completed, ${failed} failed, ${counts.unfinished} to go`,
      );
    }
    await sleep(500);
  }
  const interactiveResult = interactive?.result();
  const finishedAll = counts.unfinished === 0;
  let batchResult: BatchSubmissionResult | undefined;
  if (batchFigures && batchCardTs) {
    const cardTs = batchCardTs;
    // The report follows the last redraw (BATCH_PROGRESS_SECONDS): given a little time, not waited on.
    const reportDeadline = Date.now() + 15_000;
    const reportUploaded = async () =>
      slack.files(CHANNEL).some((file) => /^bulk-offboarding-\d+\.csv$/.test(file.filename));
    while (finishedAll && !(await reportUploaded()) && Date.now() < reportDeadline)
      await sleep(500);
    const inThread = slack.messages(CHANNEL).filter((message) => message.threadTs === cardTs);
    const progressTs = (
      await db.selectFrom('batches').select('progress_message_id').executeTakeFirst()
    )?.progress_message_id;
    batchResult = {
      ...batchFigures,
      progressUpdates: slack.calls('chat.update').filter((call) => call.args.ts === progressTs)
        .length,
      otherThreadMessages: inThread.filter((message) => message.ts !== progressTs).length,
      reportUploaded: await reportUploaded(),
    };
  }
  let endAt = Math.min(Date.now(), deadline);
  if (finishedAll) {
    const last = await db
      .selectFrom('offboarding_requests')
      .select(sql<Date>`max(finished_at)`.as('at'))
      .executeTakeFirstOrThrow();
    endAt = new Date(last.at).getTime();
  }
  const elapsedSeconds = (endAt - t0) / 1000;

  // ---- what reached Genesys ----
  const calls = emulator.calls().filter((c) => c.at >= t0 && c.at <= endAt);
  const apiCalls = calls.filter((c) => c.path.startsWith('/api/v2/'));
  const work = apiCalls.filter((c) => c.status !== 429);
  const byOperation: Record<string, number> = {};
  for (const call of work) {
    const key = operationOf(call);
    byOperation[key] = (byOperation[key] ?? 0) + 1;
  }
  const limitPerSecond = options.requestsPerSecond * options.instances;
  const callsPerSecond = work.length / elapsedSeconds;
  const expectedCalls = options.requests * GENESYS_CALLS_PER_OFFBOARDING;

  const deleteAt = new Map<string, number>();
  for (const call of work) {
    if (call.method === 'DELETE' && call.path.startsWith('/api/v2/users/') && call.status === 200) {
      deleteAt.set(call.path.slice('/api/v2/users/'.length), call.at);
    }
  }
  const targets = await db
    .selectFrom('offboarding_requests')
    .select(['id', 'target_genesys_id'])
    .execute();
  const approvalLatencies: number[] = [];
  for (const target of targets) {
    const at = deleteAt.get(target.target_genesys_id);
    const approved = approvedAt.get(target.id);
    if (at !== undefined && approved !== undefined) approvalLatencies.push(at - approved);
  }

  const retries = await db
    .selectFrom('audit_events')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('event', '=', 'step_retrying')
    .executeTakeFirstOrThrow();

  const jobs = await jobFigures(database.db, t0, endAt);
  const workers = STEP_WORKERS_PER_INSTANCE * options.instances;

  const result: BulkResult = {
    settings: options,
    finishedAll,
    elapsedSeconds,
    requests: counts,
    genesys: {
      calls: work.length,
      tooManyRequests: apiCalls.length - work.length,
      logins: calls.filter((c) => c.path === '/oauth/token').length,
      byOperation,
      callsPerOffboarding: finishedAll ? work.length / options.requests : undefined,
    },
    limitPerSecond,
    callsPerSecond,
    floorSecondsForCallsMade: work.length / limitPerSecond,
    floorSecondsForAll: expectedCalls / limitPerSecond,
    throughputPercentOfFloor: (100 * callsPerSecond) / limitPerSecond,
    projectedSecondsForAll: finishedAll ? elapsedSeconds : expectedCalls / callsPerSecond,
    stepRetries: retries.n,
    approvalToSoftDelete: summarize(approvalLatencies),
    interactive: interactiveResult,
    batch: batchResult,
    jobs: {
      stepJobsCompleted: jobs.count,
      stepJobsPerSecond: jobs.count / elapsedSeconds,
      activeMsMean: jobs.activeMsMean,
      activeMsP50: jobs.activeMsP50,
      queueWaitMsMean: jobs.waitMsMean,
      queueWaitMsP50: jobs.waitMsP50,
      stepWorkerBusyPercent: (100 * jobs.activeMsTotal) / (workers * elapsedSeconds * 1000),
    },
    memory: bots.map((bot, i) => ({
      instance: bot.name,
      idle: idle[i],
      after: readMemory(bot.child.pid),
      maxTreeRssMb: samplers[i]?.maxTreeRssMb ?? Number.NaN,
      rssOverTime: samplers[i]?.points ?? [],
    })),
  };
  for (const sampler of samplers) sampler.stop();
  return result;
}

function operationOf(call: RecordedCall): string {
  if (call.path.startsWith('/api/v2/tokens/')) return 'revoke tokens';
  if (call.path.startsWith('/api/v2/users/search')) return 'user search';
  if (call.path.startsWith('/api/v2/users/')) return `${call.method} user`;
  if (call.path === '/api/v2/gdpr/requests') return `${call.method} gdpr requests`;
  if (call.path.startsWith('/api/v2/gdpr/requests/')) return 'poll gdpr request';
  return `${call.method} ${call.path}`;
}

/** Step jobs that pg-boss completed in the window: how long they ran and waited for a worker. */
async function jobFigures(
  db: Db,
  from: number,
  to: number,
): Promise<{
  count: number;
  activeMsMean: number;
  activeMsP50: number;
  activeMsTotal: number;
  waitMsMean: number;
  waitMsP50: number;
}> {
  const { rows } = await sql<{
    count: number;
    active_mean: number | null;
    active_p50: number | null;
    active_total: number | null;
    wait_mean: number | null;
    wait_p50: number | null;
  }>`
    with finished as (
      select extract(epoch from (completed_on - started_on)) * 1000 as active_ms,
             extract(epoch from (started_on - start_after)) * 1000 as wait_ms
      from pgboss.job
      where name = 'offboarding-step' and state = 'completed'
        and completed_on >= ${new Date(from)} and completed_on <= ${new Date(to)}
    )
    select count(*)::int as count,
           avg(active_ms)::float8 as active_mean,
           percentile_cont(0.5) within group (order by active_ms)::float8 as active_p50,
           sum(active_ms)::float8 as active_total,
           avg(wait_ms)::float8 as wait_mean,
           percentile_cont(0.5) within group (order by wait_ms)::float8 as wait_p50
    from finished`.execute(db);
  const row = rows[0];
  return {
    count: row?.count ?? 0,
    activeMsMean: row?.active_mean ?? Number.NaN,
    activeMsP50: row?.active_p50 ?? Number.NaN,
    activeMsTotal: row?.active_total ?? 0,
    waitMsMean: row?.wait_mean ?? Number.NaN,
    waitMsP50: row?.wait_p50 ?? Number.NaN,
  };
}

/**
 * Sends signed `/offboard` commands to the bot at a steady pace, each for a user of its own, and
 * times each from its sending to the fake Slack API receiving its card (a chat.postMessage
 * outside a thread that names the user's email).
 */
function sendInteractiveCommands(
  settings: { commands: number; intervalMs: number },
  target: { url: string; firstTarget: number; slack: FakeSlackApi },
): { done(): boolean; result(): InteractiveResult } {
  const sentAt = new Map<string, number>();
  let non2xx = 0;
  let finishedSending = false;
  const cardAt = new Map<string, number>();
  let scanned = 0;
  /** Looks at the calls recorded since the last look only (the bulk run posts thousands). */
  const collectCards = () => {
    const calls = target.slack.calls('chat.postMessage');
    for (; scanned < calls.length; scanned++) {
      const call = calls[scanned];
      if (!call || call.args.thread_ts !== undefined || call.args.channel !== CHANNEL) continue;
      const text = JSON.stringify(call.args);
      for (const email of sentAt.keys()) {
        if (!cardAt.has(email) && text.includes(email)) cardAt.set(email, call.at.getTime());
      }
    }
  };
  void (async () => {
    for (let i = 0; i < settings.commands; i++) {
      const email = targetEmail(target.firstTarget + i);
      const body = slashCommandBody({
        text: `${email} Last day Friday, look-up during bulk`,
        userId: REQUESTER.id,
        userName: REQUESTER.name,
        channelId: CHANNEL,
        responseUrl: target.slack.responseUrl(`interactive-${i}`),
      });
      sentAt.set(email, Date.now());
      fetch(target.url, { method: 'POST', headers: signSlackRequest(SIGNING_SECRET, body), body })
        .then((response) => {
          if (!response.ok) non2xx += 1;
          return response.arrayBuffer();
        })
        .catch(() => {
          non2xx += 1;
        });
      await sleep(settings.intervalMs);
    }
    finishedSending = true;
  })();
  const latencies = () => {
    collectCards();
    return [...sentAt].flatMap(([email, at]) => {
      const card = cardAt.get(email);
      return card === undefined ? [] : [card - at];
    });
  };
  return {
    done: () => finishedSending && latencies().length === settings.commands,
    result: () => {
      const measured = latencies();
      return {
        sent: sentAt.size,
        posted: measured.length,
        non2xx,
        commandToCard: summarize(measured),
      };
    },
  };
}

/**
 * The bulk request as a requester makes it in Slack: the "Several people" modal submitted with
 * one email per line (every line is looked up before the answer), then Approve all on the one
 * card, clicked by an approver. Resolves when that click is answered; t0 is the click.
 */
async function submitBatchThroughSlack(
  people: number,
  target: {
    url: string;
    slack: FakeSlackApi;
    db: Db;
    emulator: RunningEmulator;
    fileThroughDomain: () => Promise<void>;
  },
): Promise<{
  t0: number;
  approvedAt: Map<number, number>;
  cardTs: string;
  figures: Omit<
    BatchSubmissionResult,
    'progressUpdates' | 'otherThreadMessages' | 'reportUploaded'
  >;
}> {
  const { slack, db } = target;
  const values: Record<string, Record<string, unknown>> = {
    [MODAL_BLOCKS.people]: {
      [PEOPLE_ACTION]: {
        type: 'plain_text_input',
        value: Array.from({ length: people }, (_, i) => targetEmail(i)).join('\n'),
      },
    },
    [MODAL_BLOCKS.peopleFile]: { [PEOPLE_FILE_ACTION]: { type: 'file_input', files: [] } },
    [MODAL_BLOCKS.lastDay]: { offboarding_last_day: { type: 'datepicker', selected_date: null } },
    [MODAL_BLOCKS.lastTime]: { offboarding_last_time: { type: 'timepicker', selected_time: null } },
    [MODAL_BLOCKS.reason]: {
      offboarding_reason: { type: 'plain_text_input', value: 'bulk benchmark: team closed' },
    },
    [MODAL_BLOCKS.channel]: {
      offboarding_channel: { type: 'conversations_select', selected_conversation: CHANNEL },
    },
  };
  const body = interactivityBody(
    viewSubmissionPayload({
      callbackId: REQUEST_MODAL_CALLBACK,
      userId: REQUESTER.id,
      userName: REQUESTER.name,
      privateMetadata: JSON.stringify({ mode: 'several', origin: CHANNEL }),
      values,
      responseUrls: [
        {
          block_id: MODAL_BLOCKS.channel,
          action_id: 'offboarding_channel',
          channel_id: CHANNEL,
          response_url: slack.responseUrl('bulk-batch-submission'),
        },
      ],
    }),
  );
  progress(`bulk-batch: submitting the "Several people" modal with ${people} emails`);
  const submittedAt = Date.now();
  const answer = await postToSlackEndpoint(target.url, SIGNING_SECRET, body);
  const answeredAt = Date.now();
  const submissionAnswer =
    (answer.json as { response_action?: string } | undefined)?.response_action ??
    `HTTP ${answer.status}`;
  // Anything but `clear` is recorded, not fatal: past Slack's 3 s Bolt answers 404 on its own
  // while the listener goes on checking and may still file the batch, as it would in Slack.
  if (submissionAnswer !== 'clear') {
    progress(
      `bulk-batch: the modal was answered ${submissionAnswer}: ${answer.body.slice(0, 200)}`,
    );
  }
  const lookups = target.emulator
    .calls()
    .filter((call) => call.path === '/api/v2/users/search' && call.at >= submittedAt).length;
  progress(
    `bulk-batch: modal answered in ${((answeredAt - submittedAt) / 1000).toFixed(1)} s after ${lookups} look-ups`,
  );
  const findCard = () =>
    slack
      .messages(CHANNEL)
      .find(
        (message) =>
          message.threadTs === undefined && message.text?.startsWith('Bulk offboarding #'),
      );
  let filedThrough: BatchSubmissionResult['filedThrough'] = 'slack modal';
  let card = await waitFor('the batch card', findCard, {
    timeoutMs: 30_000,
    intervalMs: 100,
  }).catch(() => undefined);
  if (!card) {
    progress('bulk-batch: the modal filed no batch in 30 s; filing it through the domain API');
    filedThrough = 'domain API';
    await target.fileThroughDomain();
    card = await waitFor('the batch card', findCard, { timeoutMs: 60_000, intervalMs: 100 });
  }
  const posted = slack
    .calls('chat.postMessage')
    .find((call) => String(call.args.text ?? '').startsWith('Bulk offboarding #'));
  const cardSeconds = ((posted?.at.getTime() ?? Date.now()) - answeredAt) / 1000;
  const approver = APPROVERS[0] as (typeof APPROVERS)[number];
  const value = buttonValueOf(card.blocks, BATCH_APPROVE_ACTION);
  if (!value) throw new Error('the batch card has no Approve all button');
  progress(`bulk-batch: approving the batch of ${people} with one click`);
  const t0 = Date.now();
  const click = await postToSlackEndpoint(
    target.url,
    SIGNING_SECRET,
    blockActionBody({
      actionId: BATCH_APPROVE_ACTION,
      value,
      userId: approver.id,
      userName: approver.name,
      channelId: CHANNEL,
      messageTs: card.ts,
      responseUrl: slack.responseUrl('bulk-batch-approval'),
    }),
  );
  if (click.status !== 200) throw new Error(`Approve all answered HTTP ${click.status}`);
  const members = await waitFor(
    'every member approved',
    async () => {
      const rows = await db
        .selectFrom('offboarding_requests')
        .select(['id', 'state'])
        .where('batch_id', 'is not', null)
        .execute();
      return rows.length === people && rows.every((row) => row.state !== 'pending')
        ? rows
        : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  const approvedAtMs = Date.now();
  progress(`bulk-batch: ${people} approved in ${((approvedAtMs - t0) / 1000).toFixed(1)} s`);
  return {
    t0,
    cardTs: card.ts,
    approvedAt: new Map(members.map((member) => [member.id, t0])),
    figures: {
      people,
      submissionSeconds: (answeredAt - submittedAt) / 1000,
      submissionAnswer,
      lookups,
      cardSeconds,
      filedThrough,
      approvalSeconds: (approvedAtMs - t0) / 1000,
    },
  };
}

function buttonValueOf(blocks: unknown[] | undefined, actionId: string): string | undefined {
  for (const block of blocks ?? []) {
    for (const element of (block as { elements?: unknown[] }).elements ?? []) {
      const button = element as { action_id?: string; value?: string };
      if (button.action_id === actionId) return button.value;
    }
  }
  return undefined;
}

/**
 * The batch through the domain, as the modal would file it: BatchService.checkBatch, then
 * fileBatch posting the Slack batch card, from an in-process bot on the same database whose
 * workers poll once an hour (the bot under test does the work).
 */
async function fileBatchThroughDomain(
  scope: Scope,
  env: Record<string, string>,
  slackApiUrl: string,
  people: number,
): Promise<void> {
  const logger = createLogger({ level: 'warn', destination: pino.destination(2) });
  const bot = await startInProcessBot(loadConfig({ ...env, PORT: '0' }), logger, {
    workerPollingIntervalSeconds: 3600,
    host: '127.0.0.1',
  });
  scope.add('batch filer bot', () => bot.stop());
  try {
    const check = await bot.batches.checkBatch({
      requester,
      lines: Array.from({ length: people }, (_, i) => targetEmail(i)),
      reason: 'bulk benchmark: team closed',
    });
    if (check.kind !== 'ready') throw new Error(`the batch check answered ${check.kind}`);
    const web = new WebClient(BOT_TOKEN, { slackApiUrl, retryConfig: { retries: 0 } });
    const filed = await bot.batches.fileBatch(
      check.plan,
      slackBatchPoster(web, CHANNEL, {
        approvers: APPROVERS.map((approver) => approver.id),
        deployment: { organizationName: bot.organization.name, sandbox: false },
        logger,
      }),
    );
    if (filed.kind !== 'posted') throw new Error(`the batch was not filed: ${filed.kind}`);
  } finally {
    await bot.stop();
  }
}
