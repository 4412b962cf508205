import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('apply to an empty database, then apply nothing the second time', async () => {
    const first = await migrateToLatest(database.db);
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((r) => r.status === 'Success')).toBe(true);

    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
      database.db,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'audit_events',
        'decisions',
        'offboarding_requests',
        'workflow_steps',
      ]),
    );

    const second = await migrateToLatest(database.db);
    expect(second).toEqual([]);
  });

  it('refuses to edit or delete audit events', async () => {
    const [row] = await database.db
      .insertInto('audit_events')
      .values({ request_id: null, event: 'requested', actor: 'test', details: '{}' })
      .returning('id')
      .execute();
    await expect(
      sql`update audit_events set actor = 'someone else' where id = ${row?.id}`.execute(
        database.db,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`delete from audit_events where id = ${row?.id}`.execute(database.db),
    ).rejects.toThrow(/append-only/);
  });
});
