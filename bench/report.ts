// Turns the figures into the goals' verdicts, a plain-text table and bench/results/latest.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AckLatencyResult, Comparison } from './ack-latency.js';
import { round, type Summary } from './common.js';
import type { BuildComparison } from './memory.js';
import type { BulkResult, InteractiveResult } from './throughput.js';

export interface Goal {
  goal: string;
  met: boolean;
  detail: string;
}

export interface BenchResults {
  meta: {
    startedAt: string;
    finishedAt: string;
    durationSeconds: number;
    mode: 'full' | 'quick';
    command: string;
    node: string;
    cpus: number;
    loadAverageAtEnd: number[];
    commit: string | undefined;
    /** How the bots ran: `compiled` as the Procfile runs them, or `tsx`. */
    runtime: string;
    buildSeconds: number | undefined;
  };
  ackLatency: AckLatencyResult | undefined;
  bulk: BulkResult[];
  memoryBuild: BuildComparison | undefined;
  goals: Goal[];
  errors: string[];
}

export const MEMORY_GOAL_MB = 200;
export const ACK_RATIO_GOAL = 1.5;
/** Issue 13's targets: share of the floor's throughput, and of calls answered 429 at most. */
export const THROUGHPUT_GOAL_PERCENT = { bulk: 90, rateBound: 95 } as const;
export const TOO_MANY_REQUESTS_TOLERANCE = { bulk: 0.01, rateBound: 0.02 } as const;
/** A manager's card during a bulk run, p99. */
export const INTERACTIVE_CARD_GOAL_MS = 1000;

export function evaluateGoals(
  ack: AckLatencyResult | undefined,
  bulk: readonly BulkResult[],
  build: BuildComparison | undefined,
  runtime: string,
): Goal[] {
  const goals: Goal[] = [];
  if (ack) {
    for (const [label, comparison] of [
      ['slash commands', ack.commands],
      ['button clicks', ack.clicks],
    ] as const) {
      goals.push({
        goal: `ack p99 of ${label} <= ${ACK_RATIO_GOAL}x bare Bolt`,
        met: comparison.goalMet,
        detail: `${ms(comparison.bot.p99)} vs ${ms(comparison.bare.p99)} = ${round(comparison.ratio.p99, 2)}x; non-2xx ${comparison.bot.non2xx}`,
      });
    }
  }
  for (const run of bulk) {
    const interactive = run.interactive;
    if (interactive) {
      // Cut off once the cards are posted: its bulk figures are context, not a verdict.
      goals.push({
        goal: `${run.settings.name}: card p99 < ${INTERACTIVE_CARD_GOAL_MS} ms during bulk`,
        met:
          interactive.commandToCard.p99 < INTERACTIVE_CARD_GOAL_MS &&
          interactive.posted === interactive.sent &&
          interactive.non2xx === 0,
        detail: `p99 ${ms(interactive.commandToCard.p99)}, ${interactive.posted} of ${interactive.sent} cards posted, non-2xx ${interactive.non2xx}`,
      });
      continue;
    }
    const kind = run.settings.name === 'rate-bound' ? 'rateBound' : 'bulk';
    const share = run.genesys.tooManyRequests / Math.max(1, run.genesys.calls);
    goals.push({
      goal: `${run.settings.name}: >= ${THROUGHPUT_GOAL_PERCENT[kind]}% of the floor's throughput`,
      met: run.throughputPercentOfFloor >= THROUGHPUT_GOAL_PERCENT[kind],
      detail: `${round(run.throughputPercentOfFloor)}% (${round(run.callsPerSecond, 2)} of ${run.limitPerSecond} calls/s)`,
    });
    goals.push({
      goal: `${run.settings.name}: 0 failed, 429s < ${100 * TOO_MANY_REQUESTS_TOLERANCE[kind]}% of calls`,
      met: run.requests.failed === 0 && share < TOO_MANY_REQUESTS_TOLERANCE[kind],
      detail: `${run.requests.failed} failed, ${run.genesys.tooManyRequests} 429s (${round(100 * share, 2)}% of calls), ${run.stepRetries} steps re-queued`,
    });
  }
  const memories: Array<[string, number]> = [];
  if (ack?.memory.botAfter) memories.push(['ack bot', ack.memory.botAfter.peakRssMb]);
  for (const run of bulk) {
    for (const instance of run.memory) {
      if (instance.after) memories.push([instance.instance, instance.after.peakRssMb]);
    }
  }
  if (build?.compiled.after) {
    memories.push(['memory-compiled-bot', build.compiled.after.peakRssMb]);
  }
  if (memories.length > 0) {
    const [worst, peak] = memories.reduce((a, b) => (b[1] > a[1] ? b : a));
    const tsx = build?.tsx.after ? `; under tsx: peak ${round(build.tsx.after.peakRssMb)} MB` : '';
    goals.push({
      goal: `bot RSS < ${MEMORY_GOAL_MB} MB (bots run ${runtime})`,
      met: peak < MEMORY_GOAL_MB,
      detail: `highest peak RSS ${round(peak)} MB (${worst})${tsx}`,
    });
  }
  return goals;
}

const ms = (value: number): string => (Number.isFinite(value) ? `${round(value)} ms` : '-');
const seconds = (value: number): string => (Number.isFinite(value) ? `${round(value)} s` : '-');
const mb = (value: number | undefined): string =>
  value !== undefined && Number.isFinite(value) ? `${round(value)} MB` : '-';

function table(title: string, header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)));
  return [
    title,
    line(header).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => line(r).join('  ')),
    '',
  ].join('\n');
}

function latencyRows(label: string, comparison: Comparison): string[][] {
  const row = (who: string, s: Summary & { non2xx: number }) => [
    `${label} ${who}`,
    String(s.n),
    String(s.non2xx),
    ms(s.p50),
    ms(s.p95),
    ms(s.p99),
    ms(s.max),
  ];
  return [
    row('bot', comparison.bot),
    row('bare Bolt', comparison.bare),
    [
      `${label} bot / bare`,
      '',
      '',
      `${round(comparison.ratio.p50, 2)}x`,
      `${round(comparison.ratio.p95, 2)}x`,
      `${round(comparison.ratio.p99, 2)}x`,
      '',
    ],
  ];
}

export function formatReport(results: BenchResults): string {
  const parts: string[] = [];
  const ack = results.ackLatency;
  if (ack) {
    parts.push(
      table(
        `1. Ack latency (${ack.settings.load} of each, ${ack.settings.concurrency} concurrent, ${ack.settings.rounds} alternating rounds, after ${ack.settings.warmup} warm-up)`,
        ['', 'n', 'non-2xx', 'p50', 'p95', 'p99', 'max'],
        [...latencyRows('/offboard', ack.commands), ...latencyRows('click', ack.clicks)],
      ),
    );
    parts.push(
      table(
        `Ack latency of /offboard one at a time (${ack.settings.sequentialCommands} of each), and CPU per measured request`,
        ['', 'n', 'non-2xx', 'p50', 'p95', 'p99', 'max'],
        latencyRows('/offboard 1-by-1', ack.sequentialCommands),
      ),
    );
    const cpu = ack.cpuMsPerRequest;
    parts.push(
      table(
        'CPU time per measured request (bot: with all the work it set off, e.g. the offboarding run an approval starts)',
        ['', 'bot', 'bare Bolt'],
        [
          ['/offboard', ms(cpu.commands.bot), ms(cpu.commands.bare)],
          ['click (approve)', ms(cpu.clicks.bot), ms(cpu.clicks.bare)],
        ],
      ),
    );
    const { isolated, burst } = ack.approvalToSoftDelete;
    parts.push(
      table(
        '4. Approval click -> soft delete at Genesys',
        ['', 'n', 'p50', 'p95', 'p99', 'max'],
        [
          [
            'one at a time',
            String(isolated.n),
            ms(isolated.p50),
            ms(isolated.p95),
            ms(isolated.p99),
            ms(isolated.max),
          ],
          [
            `${burst.expected} approved in ${ack.settings.rounds} bursts (${burst.arrivedWithinTimeout} arrived in ${round(burst.timeoutMs / 1000)} s)`,
            String(burst.n),
            ms(burst.p50),
            ms(burst.p95),
            ms(burst.p99),
            ms(burst.max),
          ],
        ],
      ),
    );
  }
  if (results.bulk.length > 0) {
    parts.push(
      table(
        '2. Bulk throughput against the emulator rate limit (limit is per token = per instance)',
        [
          '',
          'inst',
          'reqs',
          'limit/s',
          'done',
          'failed',
          'left',
          'elapsed',
          'calls',
          'calls/s',
          '% floor',
          'floor all',
          'projected',
          '429s',
          're-queued',
        ],
        results.bulk.map((run) => [
          run.settings.name,
          String(run.settings.instances),
          String(run.settings.requests),
          String(run.limitPerSecond),
          String(run.requests.completed),
          String(run.requests.failed),
          String(run.requests.unfinished),
          `${seconds(run.elapsedSeconds)}${run.finishedAll ? '' : ' (cut)'}`,
          String(run.genesys.calls),
          String(round(run.callsPerSecond, 2)),
          `${round(run.throughputPercentOfFloor)}%`,
          seconds(run.floorSecondsForAll),
          seconds(run.projectedSecondsForAll),
          String(run.genesys.tooManyRequests),
          String(run.stepRetries),
        ]),
      ),
    );
    parts.push(
      table(
        'Bulk: where the time goes (pg-boss step jobs in the window)',
        [
          '',
          'jobs',
          'jobs/s',
          'run p50',
          'wait p50',
          'wait mean',
          'busy',
          'deletes',
          'approval->delete p50',
          'p99',
        ],
        results.bulk.map((run) => [
          run.settings.name,
          String(run.jobs.stepJobsCompleted),
          String(round(run.jobs.stepJobsPerSecond, 2)),
          ms(run.jobs.activeMsP50),
          ms(run.jobs.queueWaitMsP50),
          ms(run.jobs.queueWaitMsMean),
          `${round(run.jobs.stepWorkerBusyPercent)}%`,
          String(run.approvalToSoftDelete.n),
          ms(run.approvalToSoftDelete.p50),
          ms(run.approvalToSoftDelete.p99),
        ]),
      ),
    );
  }
  const batches = results.bulk.filter((run) => run.batch);
  if (batches.length > 0) {
    parts.push(
      table(
        'Bulk offboarding (one batch through the Slack modal, one approval): the chat side',
        [
          '',
          'people',
          'filed through',
          'look-ups',
          'modal answered',
          'card after',
          'approval',
          'progress edits',
          'other thread msgs',
          'CSV report',
        ],
        batches.map((run) => {
          const batch = run.batch as NonNullable<BulkResult['batch']>;
          return [
            run.settings.name,
            String(batch.people),
            `${batch.filedThrough}${batch.filedThrough === 'slack modal' ? '' : ` (modal: ${batch.submissionAnswer})`}`,
            String(batch.lookups),
            seconds(batch.submissionSeconds),
            seconds(batch.cardSeconds),
            seconds(batch.approvalSeconds),
            String(batch.progressUpdates),
            String(batch.otherThreadMessages),
            batch.reportUploaded ? 'uploaded' : 'missing',
          ];
        }),
      ),
    );
  }
  const lookups = results.bulk.filter((run) => run.interactive);
  if (lookups.length > 0) {
    parts.push(
      table(
        '5. Interactive look-up during bulk: /offboard through Slack -> card posted (chat.postMessage)',
        ['', 'bulk reqs', 'sent', 'posted', 'non-2xx', 'p50', 'p95', 'p99', 'max'],
        lookups.map((run) => {
          const lookup = run.interactive as InteractiveResult;
          return [
            run.settings.name,
            String(run.settings.requests),
            String(lookup.sent),
            String(lookup.posted),
            String(lookup.non2xx),
            ms(lookup.commandToCard.p50),
            ms(lookup.commandToCard.p95),
            ms(lookup.commandToCard.p99),
            ms(lookup.commandToCard.max),
          ];
        }),
      ),
    );
  }
  const memoryRows: string[][] = [];
  if (ack) {
    memoryRows.push([
      'ack bot',
      mb(ack.memory.botIdle?.rssMb),
      mb(ack.memory.botAfter?.rssMb),
      mb(ack.memory.botAfter?.peakRssMb),
      mb(ack.memory.botAfter?.treeRssMb),
    ]);
    memoryRows.push([
      'bare Bolt app',
      mb(ack.memory.bareIdle?.rssMb),
      mb(ack.memory.bareAfter?.rssMb),
      mb(ack.memory.bareAfter?.peakRssMb),
      mb(ack.memory.bareAfter?.treeRssMb),
    ]);
  }
  for (const run of results.bulk) {
    for (const instance of run.memory) {
      memoryRows.push([
        instance.instance,
        mb(instance.idle?.rssMb),
        mb(instance.after?.rssMb),
        mb(instance.after?.peakRssMb),
        mb(instance.after?.treeRssMb),
      ]);
    }
  }
  const build = results.memoryBuild;
  if (build) {
    for (const [label, memory] of [
      [`compiled (Procfile), ${build.completed}/${build.offboardings} runs`, build.compiled],
      ['tsx src/main.ts, same runs', build.tsx],
    ] as const) {
      memoryRows.push([
        label,
        mb(memory.idle?.rssMb),
        mb(memory.after?.rssMb),
        mb(memory.after?.peakRssMb),
        mb(memory.after?.treeRssMb),
      ]);
    }
  }
  if (memoryRows.length > 0) {
    parts.push(
      table(
        '3. Memory (VmRSS of the node process; tree = with child processes)',
        ['', 'idle', 'after', 'peak', 'tree after'],
        memoryRows,
      ),
    );
  }
  parts.push(
    table(
      'Goals',
      ['', 'met', 'figures'],
      results.goals.map((g) => [g.goal, g.met ? 'yes' : 'NO', g.detail]),
    ),
  );
  if (results.errors.length > 0) parts.push(`Errors:\n${results.errors.join('\n')}\n`);
  parts.push(
    `${results.meta.mode} run, bots ${results.meta.runtime}, ${round(results.meta.durationSeconds)} s, node ${results.meta.node}, ${results.meta.cpus} CPUs, load ${results.meta.loadAverageAtEnd.map((l) => round(l, 2)).join(' ')}`,
  );
  return parts.join('\n');
}

const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'results');

/** Writes latest.json and a copy named after the run's start; answers the latest.json path. */
export function writeResults(results: BenchResults): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  // A copy per run as well, so a later run does not overwrite the figures a document cites.
  const stamp = results.meta.startedAt.replace(/[:.]/g, '-');
  writeFileSync(path.join(RESULTS_DIR, `${stamp}-${results.meta.mode}.json`), json);
  const file = path.join(RESULTS_DIR, 'latest.json');
  writeFileSync(file, json);
  return file;
}
