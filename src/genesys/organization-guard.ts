import type { ColumnType } from 'kysely';
import type { Db } from '../db/database.js';
import type { GenesysOrganization } from './types.js';

export interface GenesysOrganizationTable {
  singleton: ColumnType<boolean, boolean | undefined, never>;
  org_id: string;
  org_name: string;
  sandbox: boolean;
  recorded_at: ColumnType<Date, Date | undefined, never>;
}

/** The org the bot acts on, and whether it is the built-in sandbox's demo org. */
export interface ActingOrganization extends GenesysOrganization {
  sandbox: boolean;
}

export class OrganizationMismatchError extends Error {
  readonly code = 'GENESYS_ORG_MISMATCH';
  override readonly name = 'OrganizationMismatchError';

  constructor(
    readonly recorded: ActingOrganization,
    readonly configured: ActingOrganization,
  ) {
    super(
      `This database belongs to ${describeOrg(recorded)}, but the Genesys credentials belong to ${describeOrg(configured)}. Its requests, decisions and audit trail are about the first organization, so the bot will not act on the second with them. Point DATABASE_URL at the database of ${configured.name}, or set the Genesys credentials of ${recorded.name}.`,
    );
  }
}

function describeOrg(org: ActingOrganization): string {
  const kind = org.sandbox ? 'the Genesys sandbox (built-in emulator), org' : 'Genesys Cloud org';
  return `${kind} "${org.name}" (id ${org.id})`;
}

/**
 * Records the org on the first start and refuses any other afterwards. The insert cannot
 * overwrite: of two instances starting together on an empty database, one records and the other
 * is compared with it.
 */
export async function guardOrganization(
  db: Db,
  configured: ActingOrganization,
): Promise<{ organization: ActingOrganization; recordedNow: boolean }> {
  const inserted = await db
    .insertInto('genesys_organization')
    .values({ org_id: configured.id, org_name: configured.name, sandbox: configured.sandbox })
    .onConflict((conflict) => conflict.column('singleton').doNothing())
    .returning('org_id')
    .executeTakeFirst();
  if (inserted) return { organization: configured, recordedNow: true };

  const row = await db
    .selectFrom('genesys_organization')
    .select(['org_id', 'org_name', 'sandbox'])
    .executeTakeFirstOrThrow();
  const recorded = { id: row.org_id, name: row.org_name, sandbox: row.sandbox };
  if (recorded.id !== configured.id || recorded.sandbox !== configured.sandbox) {
    throw new OrganizationMismatchError(recorded, configured);
  }
  // An org may be renamed in Genesys; what approvers are shown is the current name.
  return { organization: configured, recordedNow: false };
}
