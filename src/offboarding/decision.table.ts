import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { ChatPlatform } from './request.table.js';

export type DecisionKind = 'approved' | 'rejected';

export interface DecisionTable {
  id: Generated<number>;
  request_id: number;
  decision: DecisionKind;
  decider_platform: ChatPlatform;
  decider_id: string;
  decider_name: string | null;
  /** Lower-cased: one person approves a request once, whatever the platform they click on. */
  decider_email: string | null;
  /** A rejection's reason as the approver typed it; null when none was given, and after redaction. */
  reason: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: ColumnType<Date, Date | undefined, never>;
}

export type Decision = Selectable<DecisionTable>;
export type NewDecision = Insertable<DecisionTable>;
