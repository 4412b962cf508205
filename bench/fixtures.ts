// Identities and environment shared by the benchmarks: the Slack people, the Genesys users to
// offboard, and the bot's environment pointed at the emulator and the fake Slack Web API.

import type { RunningEmulator, SeedUser } from '../src/genesys/emulator/types.js';
import type { FakeSlackApi } from '../test/helpers/fake-slack-api.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/test-database.js';

/** A fresh, migrated PostgreSQL database (bot processes must reach it, so never embedded). */
export async function createBenchDatabase(): Promise<TestDatabase & { url: string }> {
  const database = await createTestDatabase({ backend: 'postgres' });
  const { url } = database;
  if (url === undefined) throw new Error('the benchmarks need PostgreSQL (TEST_DATABASE_URL)');
  return { ...database, url };
}

export const SIGNING_SECRET = 'bench-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-bench-bot-token';
export const CHANNEL = 'C0BENCH';
export const NOTIFY_CHANNEL = 'C0BENCHNOTICES';
export const REQUESTER = { id: 'U0BENCHREQ', name: 'rita', email: 'rita.requester@example.com' };
/** Clicks go round these approvers, none of them the requester. */
export const APPROVERS = Array.from({ length: 5 }, (_, i) => ({
  id: `U0BENCHAPP${i + 1}`,
  name: `approver${i + 1}`,
  email: `approver${i + 1}@example.com`,
}));

export const targetEmail = (index: number): string => `bench.agent${index}@example.com`;

export function targetUsers(count: number): SeedUser[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `Bench Agent ${i}`,
    email: targetEmail(i),
    department: 'Support',
    title: 'Agent',
    division: { id: 'd1', name: 'Home' },
  }));
}

export function addSlackPeople(slack: FakeSlackApi): void {
  for (const person of [REQUESTER, ...APPROVERS]) {
    slack.addUser({ id: person.id, name: person.name, realName: person.name, email: person.email });
  }
}

/** The bot's environment; the values not set here are the production defaults. */
export function botEnvironment(options: {
  databaseUrl: string;
  emulator: RunningEmulator;
  slack: FakeSlackApi;
}): Record<string, string> {
  return {
    DATABASE_URL: options.databaseUrl,
    RECORD_HASH_KEY: 'bench-record-hash-key-0123456789abcdef',
    LOG_LEVEL: 'info',
    GENESYS_CLIENT_ID: 'emulator-client',
    GENESYS_CLIENT_SECRET: 'emulator-secret',
    GENESYS_API_URL: options.emulator.url,
    GDPR_POLL_INTERVAL_SECONDS: '1',
    WORKFLOW_RETRY_BASE_SECONDS: '1',
    WORKFLOW_RETRY_MAX_SECONDS: '5',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: options.slack.apiUrl,
    SLACK_APPROVERS: APPROVERS.map((a) => a.id).join(','),
    SLACK_NOTIFY_CHANNEL: NOTIFY_CHANNEL,
    // e.g. BENCH_BOT_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the bots.
    ...(process.env.BENCH_BOT_NODE_OPTIONS
      ? { NODE_OPTIONS: process.env.BENCH_BOT_NODE_OPTIONS }
      : {}),
  };
}

/** Genesys calls of one offboarding: revoke, delete, revoke again, file GDPR, 4 polls. */
export const GENESYS_CALLS_PER_OFFBOARDING = 8;
