import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type PgBoss from 'pg-boss';
import type { GenesysOrganizationTable } from '../genesys/organization-guard.js';
import { withoutPassword } from '../logger.js';
import type {
  AuditEventHashTable,
  AuditEventTable,
  GenesysCallTable,
} from '../offboarding/audit.table.js';
import type { BatchTable } from '../offboarding/batch.table.js';
import type { DecisionTable } from '../offboarding/decision.table.js';
import type { ChatNotificationTable } from '../offboarding/notification.table.js';
import type { OffboardingRequestTable } from '../offboarding/request.table.js';
import type { TeamsNotifyConversationTable } from '../teams/notify-conversation.table.js';
import type { WorkflowStepTable } from '../workflow/step.table.js';
import { PostgresRequestLocks, type RequestLocks } from './request-locks.js';

export interface Database {
  offboarding_requests: OffboardingRequestTable;
  batches: BatchTable;
  decisions: DecisionTable;
  workflow_steps: WorkflowStepTable;
  audit_events: AuditEventTable;
  audit_event_hashes: AuditEventHashTable;
  genesys_calls: GenesysCallTable;
  chat_notifications: ChatNotificationTable;
  teams_notify_conversations: TeamsNotifyConversationTable;
  genesys_organization: GenesysOrganizationTable;
}

export type Db = Kysely<Database>;
/** Services and repositories take either the database or an open transaction as first argument. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;

export interface DatabaseHandle {
  db: Db;
  /** Per-request mutual exclusion for workflow jobs. */
  locks: RequestLocks;
  /** Where pg-boss runs its SQL: its own pool for PostgreSQL, the shared session when embedded. */
  queueConnection: { connectionString: string } | { executeSql: PgBoss.Db['executeSql'] };
  /** What the logs may say about the database. */
  description: string;
  close(): Promise<void>;
}

export function createDatabase(
  connectionString: string,
  options: { max?: number } = {},
): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    // An unreachable database fails fast (healthz answers 503) instead of hanging a request.
    connectionTimeoutMillis: 5_000,
  });
  // A connection lost during a PostgreSQL restart must not crash the process. The pool handles
  // idle clients ('error' on the pool); a client checked out but between queries (a worker
  // holding a request's lock while Genesys answers) emits 'error' itself, and with no listener
  // Node would end the process. Its next query fails instead, and the job is retried.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    locks: new PostgresRequestLocks(db),
    queueConnection: { connectionString },
    description: withoutPassword(connectionString),
    close: async () => {
      await db.destroy();
    },
  };
}
