// `npm run bench`: acknowledgement latency against a bare Bolt app, bulk throughput against the
// Genesys rate-limit floor, memory, and approval latency (issue 7). Prints a table on stdout,
// progress on stderr, and writes bench/results/latest.json.
//
//   npm run bench                 full run, a few minutes
//   npm run bench -- --quick      smaller smoke version (or BENCH_QUICK=1)
//
// Environment overrides: BENCH_ONLY=ack,bulk-1,bulk-2,rate-bound,interactive,bulk-batch,memory (parts),
// BENCH_RUNTIME=compiled|tsx (how the bots run; compiled, as the Procfile does, by default),
// BENCH_BULK_REQUESTS, BENCH_BULK_RATE (requests/s per token), BENCH_BULK_TIMEOUT_SECONDS (cut
// off the bulk runs after this; raise it to let all requests finish), BENCH_DEADLINE_MINUTES
// (the whole run is stopped after this). Needs PostgreSQL at TEST_DATABASE_URL like the tests.

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AckLatencyOptions, type AckLatencyResult, runAckLatency } from './ack-latency.js';
import { progress, Scope } from './common.js';
import { GENESYS_CALLS_PER_OFFBOARDING } from './fixtures.js';
import { type BuildComparison, runBuildComparison } from './memory.js';
import { BUILD_DIR, benchRuntime, buildForBench } from './processes.js';
import { type BenchResults, evaluateGoals, formatReport, writeResults } from './report.js';
import { type BulkOptions, type BulkResult, runBulk } from './throughput.js';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const bulkRequests = numberFromEnv('BENCH_BULK_REQUESTS', quick ? 60 : 500);
// R = 40/s: the floor of the one-instance run (500 x 8 calls / R) is 100 s.
const bulkRate = numberFromEnv('BENCH_BULK_RATE', 40);
/**
 * The bulk runs are cut off at 1.5x their floor plus 15 s: a bot that reaches the goal (90% of
 * the floor's throughput) finishes well before; a slower one has shown its rate by then.
 */
const bulkTimeout = (instances: number) =>
  numberFromEnv(
    'BENCH_BULK_TIMEOUT_SECONDS',
    Math.round((1.5 * bulkRequests * GENESYS_CALLS_PER_OFFBOARDING) / (bulkRate * instances) + 15),
  );

const ackOptions: AckLatencyOptions = quick
  ? {
      load: 40,
      concurrency: 20,
      warmup: 10,
      isolatedApprovals: 5,
      burstDeleteTimeoutMs: 40_000,
      sequentialCommands: 10,
    }
  : {
      load: 100,
      concurrency: 20,
      warmup: 20,
      isolatedApprovals: 20,
      burstDeleteTimeoutMs: 90_000,
      sequentialCommands: 30,
    };

const bulkRuns: BulkOptions[] = [
  {
    name: 'bulk-1',
    instances: 1,
    requests: bulkRequests,
    requestsPerSecond: bulkRate,
    burst: 5,
    timeoutSeconds: bulkTimeout(1),
  },
  {
    name: 'bulk-2',
    instances: 2,
    requests: bulkRequests,
    requestsPerSecond: bulkRate,
    burst: 5,
    timeoutSeconds: bulkTimeout(2),
  },
  // A limit below what the bot does unhindered (about 3.5 calls/s per instance), so that the
  // limit, not the bot, sets the pace and the 429 handling is what gets measured.
  {
    name: 'rate-bound',
    instances: 1,
    requests: quick ? 6 : 20,
    requestsPerSecond: 2,
    burst: 2,
    timeoutSeconds: quick ? 45 : 150,
  },
  // Managers' /offboard commands through the real Slack path while one instance works through
  // the bulk backlog; ends once their cards are posted.
  {
    name: 'interactive',
    instances: 1,
    requests: bulkRequests,
    requestsPerSecond: bulkRate,
    burst: 5,
    timeoutSeconds: quick ? 60 : 120,
    interactive: { commands: quick ? 10 : 40, intervalMs: 500 },
  },
  // Bulk offboarding (issue 15): the same people as one batch, submitted through the Slack
  // "Several people" modal and approved with one click on its card; timed from that click.
  {
    name: 'bulk-batch',
    instances: 1,
    requests: bulkRequests,
    requestsPerSecond: bulkRate,
    burst: 5,
    timeoutSeconds: bulkTimeout(1),
    batch: true,
  },
];

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const wanted = (name: string) => !only || only.includes(name);

/** HEAD, plus the files of src/ changed in the working tree (what the bots actually ran). */
function gitCommit(): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'src', 'migrations'], {
      encoding: 'utf8',
    })
      .split('\n')
      .map((line) => line.slice(3).trim())
      .filter((file) => file !== '');
    return changed.length > 0 ? `${head} + working tree (${changed.join(', ')})` : head;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  // The Genesys SDK reads (and watches) ~/.genesyscloudjavascript/config: keep the machine's out,
  // for this process and the bots it starts.
  process.env.HOME = mkdtempSync(path.join(os.tmpdir(), 'offboard-bench-home-'));
  const root = new Scope();
  const startedAt = new Date();
  const errors: string[] = [];
  let ack: AckLatencyResult | undefined;
  const bulk: BulkResult[] = [];
  let memoryBuild: BuildComparison | undefined;
  const runtime = benchRuntime();
  // Read now: the code the bots run is the code of the start (src/ may change during a run).
  const commit = gitCommit();
  let buildSeconds: number | undefined;

  const results = (): BenchResults => {
    const finishedAt = new Date();
    return {
      meta: {
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
        mode: quick ? 'quick' : 'full',
        command: `${only ? `BENCH_ONLY=${only.join(',')} ` : ''}npm run bench${quick ? ' -- --quick' : ''}`,
        node: process.version,
        cpus: os.cpus().length,
        loadAverageAtEnd: os.loadavg(),
        commit,
        runtime,
        buildSeconds,
      },
      ackLatency: ack,
      bulk,
      memoryBuild,
      goals: evaluateGoals(ack, bulk, memoryBuild, runtime),
      errors,
    };
  };
  /** Stopped early (watchdog, signal): clean up, and keep the figures of the parts that finished. */
  const abort = (why: string, code: number) => {
    progress(`${why}: cleaning up`);
    errors.push(`stopped early: ${why}`);
    root
      .close()
      .then(() => progress(`partial results written to ${writeResults(results())}`))
      .finally(() => process.exit(code));
  };
  const deadlineMinutes = numberFromEnv('BENCH_DEADLINE_MINUTES', quick ? 6 : 20);
  const watchdog = setTimeout(
    () => abort(`still running after ${deadlineMinutes} min`, 2),
    deadlineMinutes * 60_000,
  );
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => abort(signal, 130));
  }

  /** Runs one part in its own cleanup scope; a failure is recorded and the next part runs. */
  const part = async (name: string, run: (scope: Scope) => Promise<void>) => {
    if (!wanted(name)) return;
    const scope = root.child();
    try {
      await run(scope);
    } catch (error) {
      errors.push(`${name}: ${error instanceof Error ? error.stack : String(error)}`);
    } finally {
      await scope.close();
    }
    // After each part, so that a run stopped later keeps what was measured so far.
    writeResults(results());
  };

  try {
    if (runtime === 'compiled' || wanted('memory')) {
      progress(`compiling the bot and the bare Bolt app into ${BUILD_DIR}`);
      buildSeconds = buildForBench();
    }
    await part('ack', async (scope) => {
      ack = await runAckLatency(scope, ackOptions);
    });
    for (const options of bulkRuns) {
      await part(options.name, async (scope) => {
        bulk.push(await runBulk(scope, options));
      });
    }
    await part('memory', async (scope) => {
      memoryBuild = await runBuildComparison(scope, {
        offboardings: quick ? 10 : 20,
        timeoutSeconds: quick ? 30 : 60,
      });
    });
  } finally {
    await root.close();
    clearTimeout(watchdog);
  }

  const final = results();
  const file = writeResults(final);
  process.stdout.write(`${formatReport(final)}\n`);
  progress(`results written to ${path.relative(process.cwd(), file)}`);
  return errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
