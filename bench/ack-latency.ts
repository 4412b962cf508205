// Benchmarks 1 and 4: how fast the bot acknowledges slash commands and button clicks compared
// with a bare Bolt app that only acks, and how long an approval click takes to reach Genesys as
// the soft delete.
//
// Processes: the bot (src/main.ts, production defaults) and the bare app each run as a child
// process; a third child sends the load and measures it; this process hosts the Genesys emulator
// and the fake Slack Web API that serve the bot's work after each ack.

import { sql } from 'kysely';
import { startGenesysEmulator } from '../src/genesys/emulator/index.js';
import type { RunningEmulator } from '../src/genesys/emulator/types.js';
import {
  blockActionBody,
  interactivityBody,
  signSlackRequest,
  slashCommandBody,
  viewSubmissionPayload,
} from '../src/playground/slack-requests.js';
import { decisionButtonValue } from '../src/slack/blocks.js';
import { REJECT_MODAL_CALLBACK } from '../src/slack/reject-modal.js';
import { startFakeSlackApi } from '../test/helpers/fake-slack-api.js';
import { waitFor } from '../test/helpers/wait.js';
import { progress, type Scope, type Summary, sleep, summarize } from './common.js';
import {
  APPROVERS,
  addSlackPeople,
  BOT_TOKEN,
  botEnvironment,
  CHANNEL,
  createBenchDatabase,
  REQUESTER,
  SIGNING_SECRET,
  targetEmail,
  targetUsers,
} from './fixtures.js';
import type { LoadBatch, LoadReply, LoadRequest, LoadResult } from './load-client.js';
import { type ProcessMemory, readCpuMs, readMemory } from './proc.js';
import { type BenchProcess, startBareBolt, startBot, startScript } from './processes.js';

export interface AckLatencyOptions {
  /** Measured slash commands and measured clicks, each (the issue: 100). */
  load: number;
  concurrency: number;
  /** Unmeasured requests of each kind sent to both apps first. */
  warmup: number;
  /** Approvals clicked one at a time, each waited for until its soft delete reaches Genesys. */
  isolatedApprovals: number;
  /** How long to wait for the soft deletes of the measured clicks. */
  burstDeleteTimeoutMs: number;
  /** Commands sent one at a time to each app, each after the bot finished the previous one. */
  sequentialCommands: number;
}

export interface LatencySummary extends Summary {
  non2xx: number;
}

export interface Comparison {
  bot: LatencySummary;
  bare: LatencySummary;
  /** bot / bare. */
  ratio: { p50: number; p95: number; p99: number };
  /** p99 within 1.5x of the bare app. */
  goalMet: boolean;
}

export interface AckLatencyResult {
  settings: AckLatencyOptions & { rounds: number; order: string };
  commands: Comparison;
  clicks: Comparison;
  /** No other request's work in flight: what the bot's ack costs by itself. */
  sequentialCommands: Comparison;
  /** CPU time each process used during the measured rounds, per measured request (bot: with the
   * work each request starts after its ack and the job queue's polling). */
  cpuMsPerRequest: {
    commands: { bot: number; bare: number };
    clicks: { bot: number; bare: number };
  };
  approvalToSoftDelete: {
    /** One approval at a time on an otherwise idle bot. */
    isolated: Summary;
    /** The measured clicks, which approve `load` requests within a few seconds. */
    burst: Summary & { expected: number; arrivedWithinTimeout: number; timeoutMs: number };
  };
  memory: {
    botIdle: ProcessMemory | undefined;
    botAfter: ProcessMemory | undefined;
    bareIdle: ProcessMemory | undefined;
    bareAfter: ProcessMemory | undefined;
  };
  checks: {
    cardsPosted: number;
    cardsExpected: number;
    decisions: number;
    decisionsExpected: number;
  };
}

const GOAL_RATIO = 1.5;

class LoadClient {
  private nextId = 0;
  private readonly waiting = new Map<number, (results: LoadResult[]) => void>();

  constructor(private readonly process: BenchProcess) {
    process.child.on('message', (message: LoadReply) => {
      if (message?.type !== 'result') return;
      this.waiting.get(message.id)?.(message.results);
      this.waiting.delete(message.id);
    });
  }

  run(url: string, requests: LoadRequest[], concurrency: number): Promise<LoadResult[]> {
    const id = ++this.nextId;
    const batch: LoadBatch = { type: 'run', id, url, concurrency, requests };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('load client did not answer')), 120_000);
      this.waiting.set(id, (results) => {
        clearTimeout(timer);
        resolve(results);
      });
      this.process.child.send(batch);
    });
  }
}

function latencySummary(results: readonly LoadResult[]): LatencySummary {
  return {
    ...summarize(results.map((r) => r.ms)),
    non2xx: results.filter((r) => r.status < 200 || r.status > 299).length,
  };
}

function compare(bot: readonly LoadResult[], bare: readonly LoadResult[]): Comparison {
  const botSummary = latencySummary(bot);
  const bareSummary = latencySummary(bare);
  const ratio = {
    p50: botSummary.p50 / bareSummary.p50,
    p95: botSummary.p95 / bareSummary.p95,
    p99: botSummary.p99 / bareSummary.p99,
  };
  return {
    bot: botSummary,
    bare: bareSummary,
    ratio,
    goalMet: ratio.p99 <= GOAL_RATIO && botSummary.non2xx === 0,
  };
}

let responseSequence = 0;

function signed(body: string): LoadRequest {
  return { body, headers: signSlackRequest(SIGNING_SECRET, body) };
}

export async function runAckLatency(
  scope: Scope,
  options: AckLatencyOptions,
): Promise<AckLatencyResult> {
  const started: { bot?: BenchProcess } = {};
  try {
    return await measure(scope, options, started);
  } catch (error) {
    // A timeout is often the consequence: name the cause.
    const ended = started.bot?.endedEarly();
    if (ended) throw new Error(`${ended}; then: ${String(error)}`);
    throw error;
  }
}

async function measure(
  scope: Scope,
  options: AckLatencyOptions,
  started: { bot?: BenchProcess },
): Promise<AckLatencyResult> {
  const { load, concurrency, warmup, isolatedApprovals } = options;
  const rounds = Math.max(1, Math.ceil(load / concurrency));
  const totalTargets = warmup + load + options.sequentialCommands + isolatedApprovals;

  const database = await createBenchDatabase();
  scope.add('ack database', () => database.drop());
  const emulator: RunningEmulator = await startGenesysEmulator({
    users: targetUsers(totalTargets),
    gdpr: { pollsPerStage: 1 },
  });
  scope.add('ack emulator', () => emulator.close());
  const slack = await startFakeSlackApi({ botToken: BOT_TOKEN });
  scope.add('ack fake Slack', () => slack.close());
  addSlackPeople(slack);
  const env = botEnvironment({ databaseUrl: database.url, emulator, slack });

  progress('ack latency: starting the bot, the bare Bolt app and the load client');
  const [bot, bare, clientProcess] = await Promise.all([
    startBot(scope, 'ack-bot', env),
    startBareBolt(scope, {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'info',
    }),
    startScript(scope, 'load-client', 'bench/load-client.ts', {}, { ipc: true }),
  ]);
  started.bot = bot;
  const client = new LoadClient(clientProcess);
  const botUrl = `${bot.url}/slack/events`;
  const bareUrl = `${bare.url}/slack/events`;
  await sleep(2000);
  const botIdle = readMemory(bot.child.pid);
  const bareIdle = readMemory(bare.child.pid);

  const db = database.db;
  const countCards = async () => {
    const row = await db
      .selectFrom('offboarding_requests')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('chat_message_id', 'is not', null)
      .executeTakeFirstOrThrow();
    return row.n;
  };
  /**
   * Every click of the benchmark is one the bot must accept: a refused one records no decision
   * and starts no run, and a wait for either would only time out. Fails at once, with the reason.
   */
  const failOnRefusedClick = async () => {
    const refused = await db
      .selectFrom('audit_events')
      .select(['request_id', 'details'])
      .where('event', '=', 'decision_refused')
      .limit(1)
      .executeTakeFirst();
    if (refused) {
      throw new Error(
        `the bot refused a click on request ${refused.request_id}: ${JSON.stringify(refused.details)}`,
      );
    }
  };
  const countDecisions = async () => {
    await failOnRefusedClick();
    const row = await db
      .selectFrom('decisions')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  };
  /**
   * Between rounds: the work a round set off in the bot (offboarding runs, thread messages) is
   * the bot's cost, and must not spill into the next round, least of all the bare app's.
   */
  const botQuiet = async () => {
    await waitFor(
      'the bot to finish the work of the previous round',
      async () => {
        const running = await db
          .selectFrom('offboarding_requests')
          .select('id')
          .where('state', 'in', ['approved', 'running'])
          .limit(1)
          .execute();
        if (running.length > 0) return false;
        const unsent = await db
          .selectFrom('chat_notifications')
          .select('id')
          .where('status', '=', 'pending')
          .limit(1)
          .execute();
        return unsent.length === 0;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    await sleep(200);
  };

  let nextTarget = 0;
  const commandBody = (target: number) =>
    signed(
      slashCommandBody({
        text: `${targetEmail(target)} Last day Friday, benchmark`,
        userId: REQUESTER.id,
        userName: REQUESTER.name,
        channelId: CHANNEL,
        responseUrl: slack.responseUrl(`command-${++responseSequence}`),
      }),
    );
  /** Bot and bare app get the same commands; only the bot's create requests. */
  const commandBatch = (count: number) => {
    const targets = Array.from({ length: count }, () => nextTarget++);
    return {
      bot: targets.map(commandBody),
      bare: targets.map(commandBody),
    };
  };

  // ---- slash commands ------------------------------------------------------------------------
  let cardsExpected = 0;
  const botCards = async (expected: number) => {
    cardsExpected = expected;
    await waitFor(
      `${expected} request cards posted`,
      async () => (await countCards()) >= expected,
      { timeoutMs: 60_000, intervalMs: 50 },
    );
  };

  progress(`ack latency: warming up with ${warmup} commands to each app`);
  const warm = commandBatch(warmup);
  await client.run(botUrl, warm.bot, concurrency);
  await client.run(bareUrl, warm.bare, concurrency);
  await botCards(warmup);
  await botQuiet();

  progress(`ack latency: ${load} commands to each app, ${concurrency} at a time, ${rounds} rounds`);
  const commandResults = { bot: [] as LoadResult[], bare: [] as LoadResult[] };
  const cpu = () => ({ bot: readCpuMs(bot.child.pid) ?? 0, bare: readCpuMs(bare.child.pid) ?? 0 });
  const perRequest = (before: { bot: number; bare: number }, count: number) => {
    const after = cpu();
    return { bot: (after.bot - before.bot) / count, bare: (after.bare - before.bare) / count };
  };
  const commandCpuBefore = cpu();
  for (let r = 0; r < rounds; r++) {
    const size = Math.min(concurrency, load - r * concurrency);
    const batch = commandBatch(size);
    // ABBA order: bot first in even rounds, bare first in odd ones.
    const order = r % 2 === 0 ? (['bot', 'bare'] as const) : (['bare', 'bot'] as const);
    for (const which of order) {
      const url = which === 'bot' ? botUrl : bareUrl;
      commandResults[which].push(...(await client.run(url, batch[which], concurrency)));
      // Let the bot finish the work its acks started before the next round.
      if (which === 'bot') await botCards(cardsExpected + size);
      await botQuiet();
    }
  }

  const commandCpu = perRequest(commandCpuBefore, load);

  progress(`ack latency: ${options.sequentialCommands} commands to each app, one at a time`);
  const sequentialResults = { bot: [] as LoadResult[], bare: [] as LoadResult[] };
  for (let i = 0; i < options.sequentialCommands; i++) {
    const batch = commandBatch(1);
    const order = i % 2 === 0 ? (['bot', 'bare'] as const) : (['bare', 'bot'] as const);
    for (const which of order) {
      const url = which === 'bot' ? botUrl : bareUrl;
      sequentialResults[which].push(...(await client.run(url, batch[which], 1)));
      if (which === 'bot') await botCards(cardsExpected + 1);
      await sleep(20);
    }
  }

  // Requests for the one-at-a-time approvals, not measured.
  const isolatedBatch = commandBatch(isolatedApprovals);
  await client.run(botUrl, isolatedBatch.bot, 5);
  await botCards(cardsExpected + isolatedApprovals);

  // Whole rows: a click carries the button value of the posted card, with the request's
  // decision token; a click without it is refused as coming from no card of ours.
  const requests = await db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('state', '=', 'pending')
    .where('chat_message_id', 'is not', null)
    .orderBy('id')
    .execute();
  const warmupRequests = requests.slice(0, warmup);
  const measuredRequests = requests.slice(warmup, warmup + load);
  const isolatedRequests = requests.slice(warmup + load, warmup + load + isolatedApprovals);

  let clickNumber = 0;
  const clickBody = (
    request: (typeof requests)[number],
    action: 'offboarding_approve' | 'offboarding_reject',
  ) => {
    const approver = APPROVERS[clickNumber++ % APPROVERS.length] as (typeof APPROVERS)[number];
    return signed(
      blockActionBody({
        actionId: action,
        value: decisionButtonValue(request),
        userId: approver.id,
        userName: approver.name,
        channelId: CHANNEL,
        messageTs: request.chat_message_id as string,
        responseUrl: slack.responseUrl(`click-${++responseSequence}`),
      }),
    );
  };

  /**
   * A submitted Reject modal, as Slack sends it after the card's Reject opened it: the modal's
   * private_metadata carries the card's button value and location, and the submission decides.
   */
  const rejectSubmission = (request: (typeof requests)[number]) => {
    const approver = APPROVERS[clickNumber++ % APPROVERS.length] as (typeof APPROVERS)[number];
    return signed(
      interactivityBody(
        viewSubmissionPayload({
          callbackId: REJECT_MODAL_CALLBACK,
          userId: approver.id,
          userName: approver.name,
          privateMetadata: JSON.stringify({
            button: decisionButtonValue(request),
            channel: CHANNEL,
            ts: request.chat_message_id,
          }),
          values: {},
        }),
      ),
    );
  };

  // ---- approvals one at a time ---------------------------------------------------------------
  progress(`approval latency: ${isolatedApprovals} approvals, one at a time`);
  const deleteArrival = (userId: string) =>
    emulator
      .calls()
      .find(
        (c) => c.method === 'DELETE' && c.path === `/api/v2/users/${userId}` && c.status === 200,
      )?.at;
  const isolatedLatencies: number[] = [];
  for (const [index, request] of isolatedRequests.entries()) {
    const [result] = await client.run(botUrl, [clickBody(request, 'offboarding_approve')], 1);
    await waitFor(
      `the approval of request ${request.id}`,
      async () => (await countDecisions()) >= index + 1,
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    await waitFor(
      `soft delete of request ${request.id}`,
      () => emulator.user(request.target_genesys_id)?.state === 'deleted',
      { timeoutMs: 30_000, intervalMs: 5 },
    );
    const at = deleteArrival(request.target_genesys_id);
    if (result && at !== undefined) isolatedLatencies.push(at - result.sentAt);
    await sleep(300);
  }
  // Let those runs finish, so the click rounds start from an idle workflow.
  await waitFor(
    'the one-at-a-time approvals to complete',
    async () => {
      const open = await db
        .selectFrom('offboarding_requests')
        .select('id')
        .where('state', 'in', ['approved', 'running'])
        .execute();
      return open.length === 0;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  ).catch((error: unknown) => progress(String(error)));

  // ---- button clicks -------------------------------------------------------------------------
  // Warm-up rejects (the Reject modal's submission, which decides through the same path as a
  // click) without queueing offboarding runs.
  progress(`ack latency: warming up with ${warmup} clicks to each app`);
  const decisionsBefore = await countDecisions();
  const warmClicks = warmupRequests.map((r) => rejectSubmission(r));
  await client.run(botUrl, warmClicks, concurrency);
  await client.run(
    bareUrl,
    warmupRequests.map((r) => rejectSubmission(r)),
    concurrency,
  );
  let decisionsExpected = decisionsBefore + warmupRequests.length;
  await waitFor('warm-up decisions', async () => (await countDecisions()) >= decisionsExpected, {
    timeoutMs: 60_000,
    intervalMs: 50,
  });
  await botQuiet();

  progress(`ack latency: ${load} approval clicks to each app, ${concurrency} at a time`);
  const clickResults = { bot: [] as LoadResult[], bare: [] as LoadResult[] };
  const clickSentAt = new Map<string, number>();
  const clickCpuBefore = cpu();
  for (let r = 0; r < rounds; r++) {
    const roundRequests = measuredRequests.slice(r * concurrency, (r + 1) * concurrency);
    const order = r % 2 === 0 ? (['bot', 'bare'] as const) : (['bare', 'bot'] as const);
    for (const which of order) {
      const bodies = roundRequests.map((request) => clickBody(request, 'offboarding_approve'));
      const results = await client.run(which === 'bot' ? botUrl : bareUrl, bodies, concurrency);
      clickResults[which].push(...results);
      if (which === 'bot') {
        roundRequests.forEach((request, i) => {
          const sentAt = results[i]?.sentAt;
          if (sentAt !== undefined) clickSentAt.set(request.target_genesys_id, sentAt);
        });
        decisionsExpected += roundRequests.length;
        await waitFor(
          `${decisionsExpected} decisions`,
          async () => (await countDecisions()) >= decisionsExpected,
          { timeoutMs: 60_000, intervalMs: 50 },
        );
      }
      await botQuiet();
    }
  }

  const clickCpu = perRequest(clickCpuBefore, load);

  // ---- approval latency under the burst ------------------------------------------------------
  progress(
    `approval latency: waiting up to ${Math.round(options.burstDeleteTimeoutMs / 1000)} s for the soft deletes of ${clickSentAt.size} approvals`,
  );
  const burstDeadline = Date.now() + options.burstDeleteTimeoutMs;
  while (Date.now() < burstDeadline) {
    const deleted = [...clickSentAt.keys()].filter((id) => emulator.user(id)?.state === 'deleted');
    if (deleted.length === clickSentAt.size) break;
    await sleep(500);
  }
  const calls = emulator.calls();
  const burstLatencies: number[] = [];
  for (const [userId, sentAt] of clickSentAt) {
    const at = calls.find(
      (c) => c.method === 'DELETE' && c.path === `/api/v2/users/${userId}` && c.status === 200,
    )?.at;
    if (at !== undefined) burstLatencies.push(at - sentAt);
  }

  const result: AckLatencyResult = {
    settings: { ...options, rounds, order: 'ABBA (bot first in even rounds)' },
    commands: compare(commandResults.bot, commandResults.bare),
    clicks: compare(clickResults.bot, clickResults.bare),
    sequentialCommands: compare(sequentialResults.bot, sequentialResults.bare),
    cpuMsPerRequest: { commands: commandCpu, clicks: clickCpu },
    approvalToSoftDelete: {
      isolated: summarize(isolatedLatencies),
      burst: {
        ...summarize(burstLatencies),
        expected: clickSentAt.size,
        arrivedWithinTimeout: burstLatencies.length,
        timeoutMs: options.burstDeleteTimeoutMs,
      },
    },
    memory: {
      botIdle,
      botAfter: readMemory(bot.child.pid),
      bareIdle,
      bareAfter: readMemory(bare.child.pid),
    },
    checks: {
      cardsPosted: await countCards(),
      cardsExpected,
      decisions: await countDecisions(),
      decisionsExpected,
    },
  };
  return result;
}
