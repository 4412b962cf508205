import { sql } from 'kysely';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '../../src/db/embedded.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { QUEUES, startJobQueue } from '../../src/workflow/queue.js';

describe('the embedded database (PGlite)', () => {
  it('takes the same migrations, once, and runs the same job queue', async () => {
    const database = await createEmbeddedDatabase(undefined);
    try {
      expect((await migrateToLatest(database.db)).length).toBeGreaterThan(0);
      expect(await migrateToLatest(database.db)).toEqual([]);
      await database.db
        .insertInto('audit_events')
        .values({ request_id: null, event: 'requested', actor: 'a', details: '{}' })
        .execute();
      await expect(sql`update audit_events set actor = 'x'`.execute(database.db)).rejects.toThrow(
        /append-only/,
      );

      const queue = await startJobQueue({
        ...database.queueConnection,
        logger: pino({ level: 'silent' }),
      });
      try {
        const id = await queue.send(QUEUES.step, { requestId: 1 }, { singletonKey: 'request-1' });
        expect(id).toBeTruthy();
        // The `short` policy keeps one waiting job per request here too.
        expect(
          await queue.send(QUEUES.step, { requestId: 1 }, { singletonKey: 'request-1' }),
        ).toBeNull();
        const [job] = await queue.fetch<{ requestId: number }>(QUEUES.step);
        expect(job?.data.requestId).toBe(1);
      } finally {
        await queue.stop({ graceful: false, wait: true });
      }
    } finally {
      await database.close();
    }
  });
});
