import { randomBytes } from 'node:crypto';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../src/db/prepare.js';
import { createLogger } from '../../src/logger.js';
import { type Harness, JANE, startHarness } from '../helpers/bot-harness.js';
import { adminDatabaseUrl, hasPostgres } from '../helpers/test-database.js';

// Migrations run as the owner; the bot runs as a role that may only INSERT and SELECT on
// audit_events. Both limits are checked on the real server: the bot's whole flow under the
// restricted role, then each way of rewriting the audit log, as that role and as the owner.

let h: Harness | undefined;
const roles: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    for (const role of roles.splice(0)) await admin.query(`drop role if exists ${role}`);
  } finally {
    await admin.end();
  }
});

async function as<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function refusal(url: string, statement: string): Promise<string> {
  return as(url, async (client) => {
    const error = await client.query(statement).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message: string },
    );
    expect(error, `${statement} was allowed`).toBeDefined();
    return `${error?.code}: ${error?.message}`;
  });
}

describe.skipIf(!hasPostgres)('the two-role setup', () => {
  it('the bot works as a role that can only add to the audit log; nobody rewrites it', async () => {
    const role = `offboard_bot_${randomBytes(4).toString('hex')}`;
    let ownerUrl = '';
    let botUrl = '';
    h = await startHarness({
      botDatabaseUrl: async (database) => {
        ownerUrl = database.url as string;
        await as(ownerUrl, (client) => client.query(`create role ${role} login`));
        roles.push(role);
        await prepareDatabase(ownerUrl, {
          botRole: role,
          logger: createLogger({ level: 'silent' }),
        });
        const url = new URL(ownerUrl);
        url.username = role;
        botUrl = url.toString();
        return botUrl;
      },
    });
    const harness = h;

    // The whole flow, as the restricted role: command, card, approval, every step, messages.
    await h.command(`${JANE.email} Last day Friday`);
    const request = await h.waitFor('posted request', async () => {
      const row = await harness.bot.service.findRequest(1);
      return row?.chat_message_id ? row : undefined;
    });
    await h.click('approve', request.id, request.chat_message_id as string);
    await h.waitFor(
      'completed',
      async () => (await harness.bot.service.findRequest(request.id))?.state === 'completed',
      30_000,
    );
    const inserted = await as(botUrl, (client) =>
      client.query('select count(*)::int as n from audit_events where request_id = $1', [
        request.id,
      ]),
    );
    expect(inserted.rows[0].n).toBeGreaterThan(5);
    const { rows: who } = await as(botUrl, (client) => client.query('select current_user as u'));
    expect(who[0].u).toBe(role);

    // pg-boss's maintenance (expire, archive, drop) runs as the bot's role too.
    const maintainer = new PgBoss({
      connectionString: botUrl,
      maintenanceIntervalSeconds: 1,
      monitorStateIntervalSeconds: 1,
    });
    const queueErrors: unknown[] = [];
    maintainer.on('error', (error) => queueErrors.push(error));
    maintainer.on('maintenance', () => queueErrors.push('done'));
    await maintainer.start();
    await h.waitFor('a maintenance round', () => queueErrors.length > 0, 10_000);
    await maintainer.stop({ graceful: false, wait: true });
    expect(queueErrors).toEqual(['done']);
    expect(h.logs.join('')).not.toMatch(/permission denied/);

    // The bot's role has no right to rewrite the log at all.
    for (const statement of [
      'update audit_events set actor = $$x$$',
      'delete from audit_events',
      'truncate audit_events',
    ]) {
      expect(await refusal(botUrl, statement)).toMatch(/^42501: permission denied/);
    }
    // Nor to give itself more (PostgreSQL only warns that nothing was granted), or drop the log.
    await as(botUrl, (client) => client.query(`grant update, delete on audit_events to ${role}`));
    const { rows: rights } = await as(ownerUrl, (client) =>
      client.query(
        `select has_table_privilege($1, 'audit_events', 'UPDATE') as up,
                has_table_privilege($1, 'audit_events', 'DELETE') as del,
                has_table_privilege($1, 'audit_events', 'TRUNCATE') as trunc,
                has_table_privilege($1, 'audit_events', 'INSERT') as ins,
                has_table_privilege($1, 'audit_events', 'SELECT') as sel`,
        [role],
      ),
    );
    expect(rights[0]).toEqual({ up: false, del: false, trunc: false, ins: true, sel: true });
    expect(await refusal(botUrl, 'drop table audit_events')).toMatch(/^42501/);

    // The owner has the rights; the triggers refuse anyway, TRUNCATE included.
    for (const statement of [
      'update audit_events set actor = $$x$$',
      'delete from audit_events',
      'truncate audit_events cascade',
    ]) {
      expect(await refusal(ownerUrl, statement)).toMatch(/audit_events is append-only/);
    }
    const after = await as(ownerUrl, (client) =>
      client.query('select count(*)::int as n from audit_events'),
    );
    expect(after.rows[0].n).toBeGreaterThan(5);
  });
});
