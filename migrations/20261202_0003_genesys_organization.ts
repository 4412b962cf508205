import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one.

export async function up(db: Kysely<any>): Promise<void> {
  // The one Genesys Cloud organization this database's requests, decisions and audit trail are
  // about, recorded at the first start. The key admits a single row, so two instances starting
  // together cannot record two different orgs.
  await db.schema
    .createTable('genesys_organization')
    .addColumn('singleton', 'boolean', (col) =>
      col.primaryKey().defaultTo(true).check(sql`singleton`),
    )
    .addColumn('org_id', 'text', (col) => col.notNull())
    .addColumn('org_name', 'text', (col) => col.notNull())
    // The built-in emulator answers with a fixed demo org; a real org never shares the flag.
    .addColumn('sandbox', 'boolean', (col) => col.notNull())
    .addColumn('recorded_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
