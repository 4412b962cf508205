import { randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../db/database.js';
import { isGenesysError } from '../genesys/errors.js';
import type { GenesysUser } from '../genesys/types.js';
import { appendAudit } from './audit.repository.js';
import {
  countBatchMembersByState,
  findBatchById,
  insertBatch,
  listBatchMembers,
  lockBatch,
  updateBatchDetails,
  updateBatchStateIf,
} from './batch.repository.js';
import type { Batch } from './batch.table.js';
import { isValidEmail } from './command.js';
import { findDecision, listApprovals } from './decision.repository.js';
import type { Decision } from './decision.table.js';
import type { OffboardingService, OffboardingServiceDeps } from './offboarding.service.js';
import {
  type AccessPolicy,
  type Actor,
  actorLabel,
  type DecisionProof,
  isSamePerson,
  isSelfTarget,
  proofMismatch,
} from './policy.js';
import { emailHash } from './record-hash.js';
import { FINAL_STATES, insertRequest, OPEN_STATES } from './request.repository.js';
import type { ChatPlatform, OffboardingRequest, RequestState } from './request.table.js';
import type { PostResult, Undeliverable } from './request-poster.js';
import {
  expiryOf,
  type ResolvedSchedule,
  resolveSchedule,
  type ScheduleInput,
  type ScheduleProblem,
} from './schedule.js';
import { transitionRequest } from './state-machine.js';

/** The most people one batch may hold (issue 15): one card, one approval, one run. */
export const MAX_BATCH_SIZE = 500;
/** Genesys look-ups in flight at once while a batch is checked (they are interactive calls). */
const LOOKUP_CONCURRENCY = 8;
/**
 * A batch recorded this long ago whose card is still not posted was cut short (a crash between
 * recording and posting): the sweep has the batch progress job post its card.
 */
export const UNPOSTED_CARD_SECONDS = 120;
/** How many names the card shows before "and N more". */
export const BATCH_CARD_NAMES = 10;

/** What the workflow does for a batch as a whole, in the caller's transaction. */
export interface BatchProgressPort {
  /** Queues a redraw of the batch's card and progress message (throttled, deduplicated). */
  refresh(trx: DbOrTx, batchId: number): Promise<void>;
  /**
   * Puts a failed request back to running from its failed step and queues that step (as
   * `npm run retry` does); throws when the request is no longer failed.
   */
  retryFailed(requestId: number, operator: string): Promise<void>;
}

/** Why one line of a batch cannot be filed. */
export type BatchLineProblemKind =
  | 'not_an_email'
  | 'duplicate'
  | 'self'
  | 'not_found'
  | 'ambiguous'
  | 'already_deleted'
  | 'open_request';

export interface BatchLineProblem {
  /** 1-based, as the person sees their lines. */
  line: number;
  text: string;
  problem: BatchLineProblemKind;
}

/** What the adapter collected: the lines as typed (or read from the CSV), reason and schedule. */
export interface BatchInput {
  requester: Actor;
  lines: readonly string[];
  reason: string | undefined;
  schedule?: ScheduleInput | undefined;
  timeZone?: string | undefined;
}

/** A checked batch, ready to be filed. Opaque to adapters: they hand it back to `fileBatch`. */
export interface BatchPlan {
  requester: Actor;
  reason: string | undefined;
  schedule: Extract<ResolvedSchedule, { ok: true }> | undefined;
  users: GenesysUser[];
  /** The line each of `users` was on, for telling about it later. */
  lines: number[];
}

export type BatchCheck =
  | { kind: 'ready'; plan: BatchPlan }
  | { kind: 'empty' }
  | { kind: 'too_many'; count: number; max: number }
  | { kind: 'problems'; problems: BatchLineProblem[] }
  | { kind: 'invalid_schedule'; problem: ScheduleProblem }
  | { kind: 'not_allowed' }
  | { kind: 'guest' }
  | { kind: 'genesys_unavailable'; message: string };

/** What a batch card shows, read from the database each time it is drawn. */
export interface BatchView {
  batch: Batch;
  total: number;
  /** The first BATCH_CARD_NAMES people, in the order filed. */
  firstNames: string[];
  counts: Partial<Record<RequestState, number>>;
  /** Members in a final state. */
  finished: number;
  completed: number;
  failed: number;
  /** Every member is final. */
  settled: boolean;
  approvals: Decision[];
  /** The rejection, or the approval that completed the batch; undefined while pending. */
  decision: Decision | undefined;
  approvalsRequired: number;
  gdprMode: OffboardingRequest['gdpr_mode'];
}

/** Shows a new batch to its approvers; each chat adapter implements it. */
export interface BatchPoster<Why extends Undeliverable = Undeliverable> {
  /**
   * Where the card goes, recorded with the batch: a filing cut short before the card was posted
   * (a crash) has it posted there by the batch progress job instead.
   */
  channelId?: string | undefined;
  post(view: BatchView): Promise<PostResult<Why>>;
}

export type BatchFilingOutcome<Why extends Undeliverable = Undeliverable> =
  | { kind: 'posted'; batch: Batch }
  | { kind: 'undeliverable'; batch: Batch; why: Why }
  /** Someone filed a request for one of these people since the check. Nothing was recorded. */
  | { kind: 'problems'; problems: BatchLineProblem[] };

type Refusal =
  | 'stale_card'
  | 'guest'
  | 'unknown_identity'
  | 'own_offboarding'
  | 'self_decision'
  | 'not_approver';

export type BatchDecisionOutcome =
  | { kind: 'decided'; batch: Batch; decision: 'approved' | 'rejected'; requests: number }
  | { kind: 'approval_recorded'; batch: Batch; approvals: number; required: number }
  | { kind: 'already_approved_by_you'; batch: Batch; approvals: number; required: number }
  | { kind: 'expired'; batch: Batch }
  | { kind: 'already_decided'; batch: Batch }
  | { kind: 'not_found' }
  | { kind: Refusal };

export type BatchRetryOutcome =
  | { kind: 'retried'; batch: Batch; requestIds: number[] }
  | { kind: 'nothing_failed'; batch: Batch }
  | { kind: 'not_found' }
  | { kind: Exclude<Refusal, 'self_decision'> };

const UNIQUE_VIOLATION = '23505';

/**
 * Bulk offboarding: up to MAX_BATCH_SIZE people under one card, one approval and one progress
 * message. Each person is still their own request with its own steps and audit trail; the batch
 * holds what they share (requester, reason, schedule, card) and its decision.
 */
export class BatchService {
  private readonly now: () => Date;

  constructor(
    private readonly deps: OffboardingServiceDeps & { progress: BatchProgressPort },
    private readonly service: OffboardingService,
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Everything that can be wrong with a batch, before anything is recorded: lines that are no
   * email, duplicates (emails compared without case), the requester themself, people Genesys
   * does not know (or knows twice, or as deleted), people with an open request, too many.
   */
  async checkBatch(input: BatchInput): Promise<BatchCheck> {
    const entries = input.lines
      .map((text, index) => ({ line: index + 1, text: text.trim() }))
      .filter((entry) => entry.text !== '');
    if (entries.length === 0) return { kind: 'empty' };
    if (entries.length > MAX_BATCH_SIZE) {
      return { kind: 'too_many', count: entries.length, max: MAX_BATCH_SIZE };
    }
    const schedule = this.resolveSchedule(input);
    if (schedule && !schedule.ok) return { kind: 'invalid_schedule', problem: schedule.problem };
    if (input.requester.guest) return { kind: 'guest' };
    if (!(await this.policyFor(input.requester.platform).canRequest(input.requester))) {
      return { kind: 'not_allowed' };
    }

    const problems: BatchLineProblem[] = [];
    const seen = new Set<string>();
    const toLookUp: Array<{ line: number; text: string }> = [];
    for (const entry of entries) {
      const key = entry.text.toLowerCase();
      if (!isValidEmail(entry.text)) problems.push({ ...entry, problem: 'not_an_email' });
      else if (seen.has(key)) problems.push({ ...entry, problem: 'duplicate' });
      else if (isSelfTarget(input.requester, entry.text))
        problems.push({ ...entry, problem: 'self' });
      else toLookUp.push(entry);
      seen.add(key);
    }

    let found: Array<{ line: number; text: string; users: GenesysUser[] }>;
    try {
      found = await mapBounded(toLookUp, LOOKUP_CONCURRENCY, async (entry) => ({
        ...entry,
        users: await this.deps.genesys.findUsersByEmail(entry.text),
      }));
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'Genesys user search failed while checking a batch');
      return {
        kind: 'genesys_unavailable',
        message: isGenesysError(error) ? error.message : 'Genesys Cloud did not answer',
      };
    }
    const users: Array<{ line: number; text: string; user: GenesysUser }> = [];
    const seenUsers = new Set<string>();
    for (const entry of found) {
      const [user, ...others] = entry.users;
      if (!user) problems.push({ line: entry.line, text: entry.text, problem: 'not_found' });
      // Two addresses of one Genesys user (an alias): the same person twice.
      else if (seenUsers.has(user.id))
        problems.push({ line: entry.line, text: entry.text, problem: 'duplicate' });
      else if (others.length > 0)
        problems.push({ line: entry.line, text: entry.text, problem: 'ambiguous' });
      else if (user.state === 'deleted')
        problems.push({ line: entry.line, text: entry.text, problem: 'already_deleted' });
      else if (isSelfTarget(input.requester, user.email))
        problems.push({ line: entry.line, text: entry.text, problem: 'self' });
      else users.push({ line: entry.line, text: entry.text, user });
      if (user) seenUsers.add(user.id);
    }
    const open = await this.openTargets(
      this.deps.db,
      users.map((entry) => entry.user.id),
    );
    for (const entry of users) {
      if (open.has(entry.user.id)) {
        problems.push({ line: entry.line, text: entry.text, problem: 'open_request' });
      }
    }
    if (problems.length > 0) {
      return { kind: 'problems', problems: problems.sort((a, b) => a.line - b.line) };
    }
    return {
      kind: 'ready',
      plan: {
        requester: input.requester,
        reason: input.reason,
        schedule: schedule?.ok ? schedule : undefined,
        users: users.map((entry) => entry.user),
        lines: users.map((entry) => entry.line),
      },
    };
  }

  /**
   * Records the batch and one pending request per person in one transaction, then shows the
   * batch card through the adapter's poster. A batch that cannot be shown is cancelled whole.
   */
  async fileBatch<Why extends Undeliverable>(
    plan: BatchPlan,
    poster: BatchPoster<Why>,
  ): Promise<BatchFilingOutcome<Why>> {
    let batch: Batch;
    try {
      batch = await this.deps.db
        .transaction()
        .execute((trx) => this.recordBatch(trx, plan, poster.channelId));
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      const open = await this.openTargets(
        this.deps.db,
        plan.users.map((user) => user.id),
      );
      const problems = plan.users.flatMap((user, index) =>
        open.has(user.id)
          ? [
              {
                line: plan.lines[index] ?? index + 1,
                text: user.email,
                problem: 'open_request' as const,
              },
            ]
          : [],
      );
      // The request that collided is closed again already: nothing to name, the error stands.
      if (problems.length === 0) throw error;
      return { kind: 'problems', problems };
    }
    const view = await this.viewOf(batch);
    const result = await poster.post(view);
    if ('undeliverable' in result) {
      await this.cancelUndeliverable(batch, result.undeliverable.reason);
      return { kind: 'undeliverable', batch, why: result.undeliverable };
    }
    await updateBatchDetails(this.deps.db, batch.id, {
      chat_channel_id: result.posted.channelId,
      chat_message_id: result.posted.messageId,
      chat_context:
        result.posted.context === undefined ? null : JSON.stringify(result.posted.context),
    });
    return { kind: 'posted', batch: (await findBatchById(this.deps.db, batch.id)) ?? batch };
  }

  private async recordBatch(
    trx: DbOrTx,
    plan: BatchPlan,
    channelId: string | undefined,
  ): Promise<Batch> {
    const { requester, schedule } = plan;
    const requesterEmail = requester.email?.trim().toLowerCase() ?? null;
    const batch = await insertBatch(trx, {
      requester_platform: requester.platform,
      requester_id: requester.id,
      requester_name: requester.name ?? null,
      requester_email: requesterEmail,
      reason: plan.reason ?? null,
      run_at: schedule?.runAt ?? null,
      requester_time_zone: schedule?.timeZone ?? null,
      decision_token: randomBytes(24).toString('base64url'),
      member_count: plan.users.length,
      chat_channel_id: channelId ?? null,
    });
    const expiresAt = expiryOf(this.now(), schedule?.runAt, this.deps.requestExpiryHours);
    for (const user of plan.users) {
      const created = await insertRequest(trx, {
        state: 'pending',
        batch_id: batch.id,
        target_genesys_id: user.id,
        target_name: user.name,
        target_email: user.email,
        target_email_hash: emailHash(this.deps.recordHashKey, user.email),
        target_department: user.department ?? null,
        target_title: user.title ?? null,
        target_division: user.division?.name ?? null,
        target_state: user.state,
        requester_platform: requester.platform,
        requester_id: requester.id,
        requester_name: requester.name ?? null,
        requester_email: requesterEmail,
        // Each request keeps its own token: a single-request surface (App Home) decides it alone.
        decision_token: randomBytes(24).toString('base64url'),
        reason: plan.reason ?? null,
        gdpr_mode: this.deps.gdprMode,
        run_at: schedule?.runAt ?? null,
        requester_time_zone: schedule?.timeZone ?? null,
        expires_at: expiresAt,
      });
      await appendAudit(trx, {
        requestId: created.id,
        event: 'requested',
        actor: actorLabel(requester),
        // No personal data in the append-only log, as for a single request.
        details: {
          targetGenesysId: user.id,
          batchId: batch.id,
          reasonGiven: plan.reason !== undefined,
          gdprMode: this.deps.gdprMode,
          ...(schedule ? { runAt: schedule.runAt.toISOString(), timeZone: schedule.timeZone } : {}),
        },
      });
    }
    return batch;
  }

  private async cancelUndeliverable(batch: Batch, reason: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await updateBatchStateIf(trx, batch.id, ['pending'], 'cancelled');
      for (const member of await listBatchMembers(trx, batch.id)) {
        await transitionRequest(trx, member.id, 'cancelled', {
          actor: 'system',
          details: { reason, batchId: batch.id },
          patch: { failure_reason: reason, finished_at: this.now() },
        });
      }
    });
  }

  /**
   * Approve or Reject on the batch card: the same checks as a single card's (the card's token
   * and location, guests, unknown email, the requester, anyone in the batch, approvers only),
   * then one decision per request, each audited, in one transaction under the batch's lock.
   * The approval that completes the batch (APPROVALS_REQUIRED) starts every request.
   */
  async decideBatch(input: {
    batchId: number;
    actor: Actor;
    decision: 'approved' | 'rejected';
    proof: DecisionProof;
  }): Promise<BatchDecisionOutcome> {
    const batch = await findBatchById(this.deps.db, input.batchId);
    if (!batch) return { kind: 'not_found' };
    const members = await listBatchMembers(this.deps.db, batch.id);
    const refusal = await this.refusal(batch, members, input.actor, input.proof);
    if (refusal) {
      await this.auditRefusal(batch, members, input.actor, 'decision_refused', {
        reason: refusal.kind,
        ...(refusal.detail ? { mismatch: refusal.detail } : {}),
        decision: input.decision,
      });
      return { kind: refusal.kind };
    }
    if (batch.state !== 'pending') return { kind: 'already_decided', batch };
    const now = this.now().getTime();
    if (
      members.some((member) => member.state === 'pending' && member.expires_at.getTime() <= now)
    ) {
      return this.expireBatch(batch);
    }

    const surface = input.proof.surface;
    const outcome = await this.deps.db.transaction().execute(async (trx) => {
      const locked = await lockBatch(trx, batch.id);
      if (locked?.state !== 'pending') return undefined;
      let decided = 0;
      let recorded = 0;
      const pending = (await listBatchMembers(trx, batch.id)).filter(
        (member) => member.state === 'pending',
      );
      // Every request was closed one by one (expired, cancelled): nothing is left to decide.
      if (pending.length === 0) return undefined;
      for (const member of pending) {
        const result = await this.service.decideInTransaction(
          trx,
          member.id,
          input.actor,
          input.decision,
          surface,
          batch.id,
        );
        if (result?.kind === 'decided') decided += 1;
        if (result?.kind === 'approval_recorded') recorded += 1;
      }
      const required = this.service.approvalsRequired;
      if (decided > 0) {
        const updated = await updateBatchStateIf(trx, batch.id, ['pending'], input.decision);
        await this.deps.progress.refresh(trx, batch.id);
        return {
          kind: 'decided' as const,
          batch: updated ?? locked,
          decision: input.decision,
          requests: decided,
        };
      }
      const approvals = await this.approvalsOf(trx, batch.id);
      await this.deps.progress.refresh(trx, batch.id);
      return recorded > 0
        ? {
            kind: 'approval_recorded' as const,
            batch: locked,
            approvals: approvals.length,
            required,
          }
        : {
            kind: 'already_approved_by_you' as const,
            batch: locked,
            approvals: approvals.length,
            required,
          };
    });
    if (outcome) return outcome;
    return {
      kind: 'already_decided',
      batch: (await findBatchById(this.deps.db, batch.id)) ?? batch,
    };
  }

  private async expireBatch(batch: Batch): Promise<BatchDecisionOutcome> {
    const expired = await this.deps.db.transaction().execute(async (trx) => {
      for (const member of await listBatchMembers(trx, batch.id)) {
        if (member.state !== 'pending') continue;
        await transitionRequest(trx, member.id, 'expired', {
          actor: 'system',
          details: { batchId: batch.id },
          patch: { finished_at: this.now() },
        });
      }
      const updated = await updateBatchStateIf(trx, batch.id, ['pending'], 'expired');
      await this.deps.progress.refresh(trx, batch.id);
      return updated;
    });
    return { kind: 'expired', batch: expired ?? batch };
  }

  /**
   * "Retry failed": every failed request of the batch goes back to running from its failed step
   * (as `npm run retry` does for one), and a new report follows the run's end. Approvers only,
   * with the same proof of the card as a decision; the requester may retry if an approver (a
   * retry decides nothing new).
   */
  async retryFailed(input: {
    batchId: number;
    actor: Actor;
    proof: DecisionProof;
  }): Promise<BatchRetryOutcome> {
    const batch = await findBatchById(this.deps.db, input.batchId);
    if (!batch) return { kind: 'not_found' };
    const members = await listBatchMembers(this.deps.db, batch.id);
    const refusal = await this.refusal(batch, members, input.actor, input.proof, {
      requesterMay: true,
    });
    if (refusal && refusal.kind !== 'self_decision') {
      await this.auditRefusal(batch, members, input.actor, 'decision_refused', {
        reason: refusal.kind,
        ...(refusal.detail ? { mismatch: refusal.detail } : {}),
        decision: 'retry',
      });
      return { kind: refusal.kind };
    }
    const failed = members.filter((member) => member.state === 'failed');
    if (failed.length === 0) return { kind: 'nothing_failed', batch };
    // First: once any of them runs again, the run's end owes a new report, even after a crash.
    await updateBatchDetails(this.deps.db, batch.id, { report_posted_at: null });
    const retried: number[] = [];
    for (const member of failed) {
      try {
        await this.deps.progress.retryFailed(member.id, actorLabel(input.actor));
        retried.push(member.id);
      } catch (error) {
        // Retried meanwhile by another click or an operator: nothing more to do for it.
        this.deps.logger.warn({ err: error, requestId: member.id }, 'batch member not retried');
      }
    }
    await this.deps.progress.refresh(this.deps.db, batch.id);
    return {
      kind: 'retried',
      batch: (await findBatchById(this.deps.db, batch.id)) ?? batch,
      requestIds: retried,
    };
  }

  async findBatch(batchId: number): Promise<Batch | undefined> {
    return findBatchById(this.deps.db, batchId);
  }

  /** What the batch card and progress message show, from the database. */
  async viewOf(batch: Batch): Promise<BatchView> {
    return readBatchView(this.deps.db, batch, this.service.approvalsRequired);
  }

  private async approvalsOf(db: DbOrTx, batchId: number): Promise<Decision[]> {
    return batchApprovals(db, batchId);
  }

  private async refusal(
    batch: Batch,
    members: readonly OffboardingRequest[],
    actor: Actor,
    proof: DecisionProof,
    options: { requesterMay?: boolean } = {},
  ): Promise<{ kind: Refusal; detail?: string } | undefined> {
    const mismatch = proofMismatch(batch, proof);
    if (mismatch) return { kind: 'stale_card', detail: mismatch };
    if (actor.guest) return { kind: 'guest' };
    if (actor.email === undefined) return { kind: 'unknown_identity' };
    // Nobody in the batch decides it, even about the others.
    if (members.some((member) => isSelfTarget(actor, member.target_email))) {
      return { kind: 'own_offboarding' };
    }
    if (!options.requesterMay && isSamePerson(actor, batch)) return { kind: 'self_decision' };
    if (!(await this.policyFor(actor.platform).isApprover(actor))) return { kind: 'not_approver' };
    return undefined;
  }

  /** A refused click is on record in every request of the batch, whoever tried. */
  private async auditRefusal(
    batch: Batch,
    members: readonly OffboardingRequest[],
    actor: Actor,
    event: 'decision_refused',
    details: { reason: string } & Record<string, unknown>,
  ): Promise<void> {
    this.deps.logger.warn(
      { batchId: batch.id, actor: actorLabel(actor), ...details },
      'batch decision refused',
    );
    await this.deps.db.transaction().execute(async (trx) => {
      for (const member of members) {
        await appendAudit(trx, {
          requestId: member.id,
          event,
          actor: actorLabel(actor),
          details: { ...details, batchId: batch.id },
        });
      }
    });
  }

  private async openTargets(db: Db, genesysIds: readonly string[]): Promise<Set<string>> {
    if (genesysIds.length === 0) return new Set();
    const rows = await db
      .selectFrom('offboarding_requests')
      .select('target_genesys_id')
      .where('target_genesys_id', 'in', genesysIds)
      .where('state', 'in', OPEN_STATES)
      .execute();
    return new Set(rows.map((row) => row.target_genesys_id));
  }

  private resolveSchedule(input: BatchInput): ResolvedSchedule | undefined {
    if (!input.schedule) return undefined;
    return resolveSchedule(input.schedule, {
      timeZone: input.timeZone,
      defaultTime: this.deps.offboardDefaultTime ?? '18:00',
      now: this.now(),
    });
  }

  private policyFor(platform: ChatPlatform): AccessPolicy {
    const policy = this.deps.policies[platform];
    if (!policy) throw new Error(`No access policy is configured for ${platform}`);
    return policy;
  }
}

/** What the batch card and progress message show, from the database (any instance, any time). */
export async function readBatchView(
  db: DbOrTx,
  batch: Batch,
  approvalsRequired: number,
): Promise<BatchView> {
  const members = await db
    .selectFrom('offboarding_requests')
    .select(['target_name', 'gdpr_mode'])
    .where('batch_id', '=', batch.id)
    .orderBy('id')
    .limit(BATCH_CARD_NAMES)
    .execute();
  const first = await firstMemberId(db, batch.id);
  const counts = await countBatchMembersByState(db, batch.id);
  const total = Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0);
  const finished = FINAL_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
  return {
    batch,
    total,
    firstNames: members.map((member) => member.target_name),
    counts,
    finished,
    completed: counts.completed ?? 0,
    failed: counts.failed ?? 0,
    settled: total > 0 && finished === total,
    approvals: await batchApprovals(db, batch.id),
    decision:
      batch.state === 'pending' || first === undefined ? undefined : await findDecision(db, first),
    approvalsRequired,
    gdprMode: members[0]?.gdpr_mode ?? 'delete',
  };
}

/** A batch's approvals are recorded on each of its requests alike: the first one's tell. */
async function batchApprovals(db: DbOrTx, batchId: number): Promise<Decision[]> {
  const first = await firstMemberId(db, batchId);
  return first === undefined ? [] : listApprovals(db, first);
}

export async function firstMemberId(db: DbOrTx, batchId: number): Promise<number | undefined> {
  const first = await db
    .selectFrom('offboarding_requests')
    .select('id')
    .where('batch_id', '=', batchId)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return first?.id;
}

/** Runs `work` over `items` with at most `limit` in flight; results in the items' order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
