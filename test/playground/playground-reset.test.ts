import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/offboarding/audit-chain.js';
import { insertBatch } from '../../src/offboarding/batch.repository.js';
import { waitFor } from '../helpers/wait.js';
import { type PlaygroundBot, startPlaygroundBot } from './playground-bot.js';
import { ADAM, MARIA, playgroundClient } from './playground-client.js';

const REQUESTS = 'C0PLAYREQUESTS';

let running: PlaygroundBot;
let api: ReturnType<typeof playgroundClient>;

beforeAll(async () => {
  running = await startPlaygroundBot();
  api = playgroundClient(running.bot.url);
});
afterAll(async () => {
  await running?.close();
});

async function count(table: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(
    running.bot.database.db,
  );
  return Number(rows[0]?.n);
}

async function cardTexts(userId: string): Promise<string[]> {
  const state = await api.state(userId);
  const channel = state.channels.find((candidate) => candidate.id === REQUESTS);
  return (channel?.messages ?? []).map((message) => JSON.stringify(message.blocks));
}

describe('the playground’s Reset', () => {
  it('refuses a post that is not JSON (another page’s form), and resets nothing', async () => {
    expect(
      (await api.command(MARIA, '/offboard jane.doe@example.com Before a forged reset')).status,
    ).toBe(200);
    await waitFor('the card', async () => (await cardTexts(MARIA)).length === 1);
    const refused = await api.post('reset', 'x=1', 'application/x-www-form-urlencoded');
    expect(refused.status).toBe(415);
    expect(await cardTexts(MARIA)).toHaveLength(1);
    expect(await count('offboarding_requests')).toBe(1);
  });

  it('empties requests, audit log, jobs, messages and the sandbox; numbering starts at #1', async () => {
    await api.command(MARIA, '/offboard zoe.angstrom@example.com Second before the reset');
    await waitFor('two cards', async () => (await cardTexts(MARIA)).length === 2);
    const sandbox = running.bot.sandbox;
    if (!sandbox) throw new Error('the playground runs on the sandbox');
    const [added] = sandbox.seedUsers([{ name: 'Added Later', email: 'added.later@example.com' }]);
    expect(await count('audit_events')).toBeGreaterThan(0);
    // A bulk batch too (filed here directly: what matters is that Reset empties its table).
    await insertBatch(running.bot.database.db, {
      requester_platform: 'slack',
      requester_id: MARIA,
      requester_name: 'Maria Manager',
      requester_email: 'maria@example.com',
      reason: 'Before the reset',
      run_at: null,
      requester_time_zone: null,
      decision_token: 'batch-token',
      member_count: 0,
      chat_channel_id: REQUESTS,
    });

    const reset = await api.post('reset', {});
    expect(reset.status).toBe(200);
    for (const table of [
      'batches',
      'offboarding_requests',
      'decisions',
      'workflow_steps',
      'chat_notifications',
      'genesys_calls',
      'audit_events',
      'audit_event_hashes',
    ]) {
      expect(await count(table), table).toBe(0);
    }
    const { rows: jobs } = await sql<{ n: string }>`select count(*) as n from pgboss.job`.execute(
      running.bot.database.db,
    );
    expect(Number(jobs[0]?.n)).toBe(0);
    expect(await cardTexts(MARIA)).toEqual([]);
    expect((await api.state(MARIA)).onlyYou).toEqual([]);
    expect(sandbox.gdprRequests()).toEqual([]);
    expect(sandbox.user(added?.id ?? '')).toBeUndefined();

    // The guard is back: the audit log refuses TRUNCATE again.
    await expect(
      sql`truncate audit_events cascade`.execute(running.bot.database.db),
    ).rejects.toThrow();

    await api.command(MARIA, '/offboard jane.doe@example.com After the reset');
    await waitFor('the new card', async () => (await cardTexts(MARIA)).length === 1);
    expect((await cardTexts(MARIA))[0]).toContain('Offboarding request #1: Jane Doe');
    expect((await api.state(ADAM)).channels[0]?.messages).toHaveLength(1);
    // A new chain, whole.
    const verdict = await verifyAuditChain(running.bot.database.db);
    expect(verdict).toMatchObject({ intact: true });
    expect(verdict.intact && verdict.links).toBeGreaterThan(0);
  });
});
