import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../db/database.js';
import { isGenesysError } from '../genesys/errors.js';
import type { GdprMode, GenesysClient, GenesysUser } from '../genesys/types.js';
import { appendAudit } from './audit.repository.js';
import { isValidEmail } from './command.js';
import {
  findDecision,
  insertApproval,
  insertDecision,
  listApprovals,
} from './decision.repository.js';
import type { Decision } from './decision.table.js';
import type { WorkflowEvent } from './events.js';
import { buildEvidence, type EvidenceRecord } from './evidence.js';
import {
  type AccessPolicy,
  type Actor,
  actorLabel,
  type DecisionProof,
  isSamePerson,
  isSelfTarget,
  proofMismatch,
} from './policy.js';
import { type RunProgress, runProgress } from './progress.js';
import { listStepRecords } from './progress.repository.js';
import { emailHash } from './record-hash.js';
import {
  claimExpiryWarning,
  claimReminder,
  findLatestRequestForEmail,
  findOpenRequestForTarget,
  findRequestById,
  insertRequest,
  listPendingRequests,
  listRecentlyFinished,
  listRecentRequestsBy,
  listRequestsDueForExpiryWarning,
  listRequestsDueForReminder,
  lockRequest,
  updateRequestDetails,
} from './request.repository.js';
import type { ChatPlatform, OffboardingRequest } from './request.table.js';
import type { MessageLocation, RequestPoster, Undeliverable } from './request-poster.js';
import {
  expiryOf,
  type ResolvedSchedule,
  resolveSchedule,
  type ScheduleInput,
  type ScheduleProblem,
} from './schedule.js';
import { transitionRequest } from './state-machine.js';

/** What the domain asks of the workflow; both calls join the caller's transaction. */
export interface WorkflowPort {
  /**
   * The approval is complete: start the run now, or, when the request names a run time still to
   * come, move it to `scheduled` and queue one durable job due at that time. Call it once, in the
   * transaction that records the approval that completes it, so approval and run commit
   * together. Returns the request as it now stands (`approved` or `scheduled`).
   */
  start(trx: DbOrTx, request: OffboardingRequest): Promise<OffboardingRequest>;
  /** Queues a message for the request's thread. */
  notify(trx: DbOrTx, requestId: number, event: WorkflowEvent): Promise<void>;
  /**
   * Restores the user and ends the request in `restored`, if its GDPR request still waits for
   * the grace period; never while the erasure may be starting.
   */
  undoErasure(requestId: number, actor: UndoActor): Promise<UndoResult>;
}

/** Who clicked Undo, as the audit log and the thread name them. */
export interface UndoActor {
  label: string;
  name: string;
}

/** How an Undo ended once the clicker was found allowed to undo. */
export type UndoResult =
  | { kind: 'restored'; request: OffboardingRequest }
  | { kind: 'not_found' }
  | { kind: 'already_restored'; request: OffboardingRequest }
  /** The GDPR request has been filed (or is being filed): the user can no longer be restored. */
  | { kind: 'too_late'; request: OffboardingRequest }
  /** Nothing waits to be erased: the request never reached the grace period. */
  | { kind: 'not_undoable'; request: OffboardingRequest }
  /** Genesys refused or did not answer the restore; nothing changed, the erasure stays due. */
  | { kind: 'restore_failed'; request: OffboardingRequest; message: string };

export type UndoOutcome =
  | UndoResult
  | { kind: 'stale_card' }
  | { kind: 'guest' }
  | { kind: 'unknown_identity' }
  | { kind: 'own_offboarding' }
  | { kind: 'not_approver' };

/**
 * Where a platform keeps the conversation that gets completion and failure notices (and, in
 * Teams, the requests typed in a personal chat).
 */
export interface NotifyDestination {
  /** Saves it as the destination, in the caller's transaction; returns the conversation's id. */
  save(trx: DbOrTx): Promise<string>;
}

export type NotifyDestinationOutcome =
  | { kind: 'chosen'; conversationId: string }
  /** Only an approver may move the notices, or anyone could divert the approvers' view. */
  | { kind: 'not_approver' };

export type RequestOutcome =
  | { kind: 'created'; request: OffboardingRequest }
  | { kind: 'invalid_email'; input: string }
  /** The `on … at …` part could not be read, names a day that does not exist, or is past. */
  | { kind: 'invalid_schedule'; problem: ScheduleProblem }
  | { kind: 'not_allowed' }
  | { kind: 'guest' }
  | { kind: 'self_target' }
  | { kind: 'user_not_found'; email: string }
  | { kind: 'ambiguous_user'; email: string; count: number }
  | { kind: 'already_deleted'; email: string }
  | { kind: 'already_open'; request: OffboardingRequest }
  | { kind: 'genesys_unavailable'; message: string };

/** How filing a request ended: shown to approvers, cancelled as undeliverable, or refused. */
export type FilingOutcome<Why extends Undeliverable = Undeliverable> =
  | { kind: 'posted'; request: OffboardingRequest }
  | { kind: 'undeliverable'; request: OffboardingRequest; why: Why }
  | Exclude<RequestOutcome, { kind: 'created' }>;

export type DecisionOutcome =
  | { kind: 'decided'; request: OffboardingRequest; decision: Decision }
  /** This approval counts, and more are needed (APPROVALS_REQUIRED) before anything runs. */
  | {
      kind: 'approval_recorded';
      request: OffboardingRequest;
      decision: Decision;
      approvals: Decision[];
      required: number;
    }
  /** The same person (by email, on any platform) had already approved: it counts once. */
  | {
      kind: 'already_approved_by_you';
      request: OffboardingRequest;
      approvals: Decision[];
      required: number;
    }
  | { kind: 'not_found' }
  /** The click does not come from this request's card (an old card, another database's). */
  | { kind: 'stale_card' }
  | { kind: 'guest' }
  /** The platform did not tell who the clicker is by email, so self-offboarding cannot be ruled out. */
  | { kind: 'unknown_identity' }
  /** The clicker is the person being offboarded. */
  | { kind: 'own_offboarding' }
  | { kind: 'not_approver' }
  | { kind: 'self_decision' }
  | { kind: 'expired'; request: OffboardingRequest }
  | { kind: 'already_decided'; request: OffboardingRequest; decision: Decision | undefined };

export type CancelOutcome =
  | { kind: 'cancelled'; request: OffboardingRequest }
  | { kind: 'not_found' }
  | { kind: 'stale_card' }
  | { kind: 'guest' }
  | { kind: 'unknown_identity' }
  | { kind: 'own_offboarding' }
  /** Neither the requester nor an approver. */
  | { kind: 'not_allowed' }
  /** Already running or closed: Undo (or nothing) is the way back now. */
  | { kind: 'not_cancellable'; request: OffboardingRequest };

/** What a click on Evidence gets: the record, or why not. */
export type EvidenceOutcome =
  | { kind: 'evidence'; request: OffboardingRequest; record: EvidenceRecord }
  | { kind: 'not_found' }
  | { kind: 'stale_card' }
  | { kind: 'guest' }
  | { kind: 'unknown_identity' }
  /** The clicker is the person offboarded (by email, or by its keyed hash once redacted). */
  | { kind: 'own_offboarding' }
  /** Neither the requester nor an approver. */
  | { kind: 'not_allowed' }
  /** Evidence is of a completed offboarding. */
  | { kind: 'not_completed'; request: OffboardingRequest };

/** How the evidence reached the clicker, as the audit log records it. */
export type EvidenceDelivery = 'slack_direct_message';

/** What the requester typed and the zone their platform says they are in, for `requestOffboarding`. */
export interface OffboardingInput {
  requester: Actor;
  targetEmail: string;
  reason: string | undefined;
  /** `on YYYY-MM-DD [at HH:MM]`, unchecked; undefined runs as soon as approved. */
  schedule?: ScheduleInput | undefined;
  /** The requester's IANA time zone (Slack profile `tz`, Teams `localTimezone`); else UTC. */
  timeZone?: string | undefined;
}

/** What one person's overview (Slack App Home, Teams `offboard list`) shows them. */
export interface RequestOverview {
  /** True when the person may decide; `waiting` is then what waits for a decision. */
  approver: boolean;
  waiting: OffboardingRequest[];
  mine: OffboardingRequest[];
  /** The latest finished requests the person may see (all for approvers, else their own). */
  finished: OffboardingRequest[];
}

/** Who may look for a person to offboard, and what the look-up found. */
export type TargetSuggestions =
  | { kind: 'found'; users: GenesysUser[] }
  | { kind: 'too_short' }
  | { kind: 'not_allowed' };

/** The picker searches from this many characters on: fewer would match most of the directory. */
export const MIN_SUGGESTION_TEXT = 2;
const OVERVIEW_WAITING_LIMIT = 20;
const OVERVIEW_MINE_LIMIT = 10;
const OVERVIEW_FINISHED_LIMIT = 5;
const FINISHED_STATES = ['completed', 'failed', 'restored'] as const;

export interface OffboardingServiceDeps {
  db: Db;
  genesys: GenesysClient;
  gdprMode: GdprMode;
  requestExpiryHours: number;
  /** Distinct approvers needed before the run starts (APPROVALS_REQUIRED); default 1. */
  approvalsRequired?: number;
  /** A pending request reminds its approvers every this many hours; default 24. */
  approvalReminderHours?: number;
  /** Keys the hash of the leaver's email that outlives their details (RECORD_HASH_KEY). */
  recordHashKey: string;
  /** `OFFBOARD_DEFAULT_TIME`: what `on <date>` without `at` means, as HH:MM. */
  offboardDefaultTime?: string;
  policies: Partial<Record<ChatPlatform, AccessPolicy>>;
  workflow: WorkflowPort;
  logger: Logger;
  now?: () => Date;
}

const UNIQUE_VIOLATION = '23505';

/** Recorded by this requester and never shown: an earlier try stopped before posting it. */
function isOwnUnposted(request: OffboardingRequest, requester: Actor): boolean {
  return (
    request.state === 'pending' &&
    request.chat_message_id === null &&
    request.requester_platform === requester.platform &&
    request.requester_id === requester.id
  );
}

function decider(actor: Actor) {
  return {
    decider_platform: actor.platform,
    decider_id: actor.id,
    decider_name: actor.name ?? null,
    decider_email: actor.email === undefined ? null : normalizedEmail(actor),
  };
}

/** The longest rejection reason kept; the chat forms stop at the same length. */
export const MAX_REJECTION_REASON_LENGTH = 500;

/** Null for nothing but blanks; cut to the longest kept. */
function normalizedReason(reason: string | undefined): string | null {
  const trimmed = reason?.trim() ?? '';
  return trimmed === '' ? null : trimmed.slice(0, MAX_REJECTION_REASON_LENGTH);
}

/** A decider's email is known: a clicker without one is refused before deciding. */
function normalizedEmail(actor: Actor): string {
  return (actor.email ?? '').trim().toLowerCase();
}

export class OffboardingService {
  private readonly now: () => Date;

  constructor(private readonly deps: OffboardingServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get gdprMode(): GdprMode {
    return this.deps.gdprMode;
  }

  get approvalsRequired(): number {
    return this.deps.approvalsRequired ?? 1;
  }

  /**
   * Everything a chat command to offboard someone does: records the request, shows it to the
   * approvers through the adapter's poster and remembers where, or cancels it when it cannot be
   * shown. Run again after a crash between recording and posting (a queued command's retry), it
   * posts the request it recorded instead of refusing it as already open.
   */
  async fileRequest<Why extends Undeliverable>(
    input: OffboardingInput,
    poster: RequestPoster<Why>,
  ): Promise<FilingOutcome<Why>> {
    const outcome = await this.requestOffboarding(input);
    let request: OffboardingRequest;
    if (outcome.kind === 'created') {
      request = outcome.request;
    } else if (outcome.kind === 'already_open' && isOwnUnposted(outcome.request, input.requester)) {
      request = outcome.request;
    } else {
      return outcome;
    }
    const result = await poster.post(request);
    if ('undeliverable' in result) {
      await this.cancelUndeliverable(request.id, result.undeliverable.reason);
      return { kind: 'undeliverable', request, why: result.undeliverable };
    }
    await this.attachMessage(request.id, result.posted);
    return { kind: 'posted', request };
  }

  /**
   * Looks the target up in Genesys and records a pending request, without showing it to anyone:
   * chat commands go through `fileRequest`.
   */
  async requestOffboarding(input: OffboardingInput): Promise<RequestOutcome> {
    const email = input.targetEmail.trim();
    if (!isValidEmail(email)) return { kind: 'invalid_email', input: input.targetEmail };
    const schedule = this.resolveSchedule(input);
    if (schedule && !schedule.ok) return { kind: 'invalid_schedule', problem: schedule.problem };
    if (input.requester.guest) {
      this.deps.logger.warn(
        { actor: actorLabel(input.requester), reason: 'guest' },
        'offboarding request refused: the requester is a guest',
      );
      return { kind: 'guest' };
    }
    if (!(await this.policyFor(input.requester.platform).canRequest(input.requester))) {
      return { kind: 'not_allowed' };
    }
    if (isSelfTarget(input.requester, email)) return { kind: 'self_target' };

    let users: GenesysUser[];
    try {
      users = await this.deps.genesys.findUsersByEmail(email);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'Genesys user search failed');
      return {
        kind: 'genesys_unavailable',
        message: isGenesysError(error) ? error.message : 'Genesys Cloud did not answer',
      };
    }
    if (users.length > 1) return { kind: 'ambiguous_user', email, count: users.length };
    const [user] = users;
    if (!user) return this.notFoundOrDeleted(email);
    if (user.state === 'deleted') return { kind: 'already_deleted', email };
    if (isSelfTarget(input.requester, user.email)) return { kind: 'self_target' };

    const open = await findOpenRequestForTarget(this.deps.db, user.id);
    if (open) return { kind: 'already_open', request: open };

    try {
      const request = await this.deps.db.transaction().execute(async (trx) => {
        const created = await insertRequest(trx, {
          state: 'pending',
          target_genesys_id: user.id,
          target_name: user.name,
          target_email: user.email,
          target_email_hash: emailHash(this.deps.recordHashKey, user.email),
          target_department: user.department ?? null,
          target_title: user.title ?? null,
          target_division: user.division?.name ?? null,
          target_state: user.state,
          requester_platform: input.requester.platform,
          requester_id: input.requester.id,
          requester_name: input.requester.name ?? null,
          requester_email: input.requester.email?.trim().toLowerCase() ?? null,
          decision_token: randomBytes(24).toString('base64url'),
          reason: input.reason ?? null,
          gdpr_mode: this.deps.gdprMode,
          run_at: schedule?.runAt ?? null,
          requester_time_zone: schedule?.timeZone ?? null,
          expires_at: expiryOf(this.now(), schedule?.runAt, this.deps.requestExpiryHours),
        });
        await appendAudit(trx, {
          requestId: created.id,
          event: 'requested',
          actor: actorLabel(input.requester),
          // No personal data in the append-only log: the request row holds it until redaction.
          details: {
            targetGenesysId: user.id,
            reasonGiven: input.reason !== undefined,
            gdprMode: this.deps.gdprMode,
            ...(schedule
              ? { runAt: schedule.runAt.toISOString(), timeZone: schedule.timeZone }
              : {}),
          },
        });
        return created;
      });
      return { kind: 'created', request };
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        const winner = await findOpenRequestForTarget(this.deps.db, user.id);
        if (winner) return { kind: 'already_open', request: winner };
      }
      throw error;
    }
  }

  /** Undefined when no run time was asked for; checked before anything is looked up. */
  private resolveSchedule(input: OffboardingInput): ResolvedSchedule | undefined {
    if (!input.schedule) return undefined;
    return resolveSchedule(input.schedule, {
      timeZone: input.timeZone,
      defaultTime: this.deps.offboardDefaultTime ?? '18:00',
      now: this.now(),
    });
  }

  /** Search does not see deleted users; tell "already deleted" apart from "never existed". */
  private async notFoundOrDeleted(email: string): Promise<RequestOutcome> {
    const previous = await findLatestRequestForEmail(
      this.deps.db,
      email,
      emailHash(this.deps.recordHashKey, email),
    );
    if (previous) {
      const user = await this.deps.genesys
        .getUser(previous.target_genesys_id, { state: 'deleted' })
        .catch(() => undefined);
      if (user?.state === 'deleted') return { kind: 'already_deleted', email };
    }
    return { kind: 'user_not_found', email };
  }

  private async attachMessage(requestId: number, location: MessageLocation): Promise<void> {
    await updateRequestDetails(this.deps.db, requestId, {
      chat_channel_id: location.channelId,
      chat_message_id: location.messageId,
      chat_context: location.context === undefined ? null : JSON.stringify(location.context),
    });
  }

  /** The request could not be shown to approvers: close it rather than leave it invisible. */
  private async cancelUndeliverable(requestId: number, reason: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await transitionRequest(trx, requestId, 'cancelled', {
        actor: 'system',
        details: { reason },
        patch: { failure_reason: reason, finished_at: this.now() },
      });
    });
  }

  async decide(input: {
    requestId: number;
    actor: Actor;
    decision: 'approved' | 'rejected';
    proof: DecisionProof;
    /** Why, as the approver typed it; only a rejection takes one. */
    reason?: string | undefined;
  }): Promise<DecisionOutcome> {
    const request = await findRequestById(this.deps.db, input.requestId);
    if (!request) return { kind: 'not_found' };
    const refusal = await this.decisionRefusal(request, input);
    if (refusal) {
      await this.recordRefusal(request, input, refusal.kind, refusal.detail);
      return { kind: refusal.kind };
    }
    if (request.state === 'pending' && request.expires_at.getTime() <= this.now().getTime()) {
      const expired = await this.expire(request.id);
      return { kind: 'expired', request: expired ?? request };
    }

    const decided = await this.deps.db
      .transaction()
      .execute((trx) =>
        input.decision === 'rejected'
          ? this.reject(trx, request.id, input.actor, input.proof.surface, input.reason)
          : this.approve(trx, request.id, input.actor, input.proof.surface),
      );
    if (decided) return decided;

    const current = (await findRequestById(this.deps.db, request.id)) ?? request;
    if (current.state === 'expired') return { kind: 'expired', request: current };
    return {
      kind: 'already_decided',
      request: current,
      decision: await findDecision(this.deps.db, request.id),
    };
  }

  /**
   * One decision on one request, in the caller's transaction, with no refusal checks: for a
   * batch, whose approval the batch service checked once and records on each of its requests.
   * Undefined when the request was no longer pending.
   */
  async decideInTransaction(
    trx: DbOrTx,
    requestId: number,
    actor: Actor,
    decision: 'approved' | 'rejected',
    surface: DecisionProof['surface'],
    batchId: number,
  ): Promise<DecisionOutcome | undefined> {
    return decision === 'rejected'
      ? this.reject(trx, requestId, actor, surface, undefined, batchId)
      : this.approve(trx, requestId, actor, surface, batchId);
  }

  /**
   * One Reject ends the request, whatever approvals it already has. The reason is free text: it
   * is kept with the decision (and removed with the request's details), and the audit log only
   * records whether one was given. The requester, the thread and the notices are told in the
   * same transaction.
   */
  private async reject(
    trx: DbOrTx,
    requestId: number,
    actor: Actor,
    surface: DecisionProof['surface'],
    typedReason: string | undefined,
    batchId?: number,
  ): Promise<DecisionOutcome | undefined> {
    const reason = normalizedReason(typedReason);
    const updated = await transitionRequest(trx, requestId, 'rejected', {
      actor: actorLabel(actor),
      details: {
        reasonGiven: reason !== null,
        ...(surface ? { surface } : {}),
        ...(batchId ? { batchId } : {}),
      },
      patch: { finished_at: this.now() },
    });
    if (!updated) return undefined;
    const decision = await insertDecision(trx, {
      request_id: requestId,
      decision: 'rejected',
      ...decider(actor),
      reason,
    });
    const byName = actor.name ?? actorLabel(actor);
    await this.deps.workflow.notify(trx, requestId, { type: 'rejected', byName });
    await this.deps.workflow.notify(trx, requestId, {
      type: 'outcome_notice',
      outcome: 'rejected',
      byName,
    });
    return { kind: 'decided', request: updated, decision };
  }

  /**
   * Records this person's approval, and starts the run when it is the last one needed. The
   * request's row stays locked until the transaction ends, so approvals that race are counted
   * one after the other: exactly one of them completes the request and starts the run.
   */
  private async approve(
    trx: DbOrTx,
    requestId: number,
    actor: Actor,
    surface: DecisionProof['surface'],
    batchId?: number,
  ): Promise<DecisionOutcome | undefined> {
    const locked = await lockRequest(trx, requestId);
    if (locked?.state !== 'pending') return undefined;
    const required = this.approvalsRequired;
    const approval = await insertApproval(trx, {
      request_id: requestId,
      ...decider(actor),
      decider_email: normalizedEmail(actor),
    });
    const approvals = await listApprovals(trx, requestId);
    if (!approval) return { kind: 'already_approved_by_you', request: locked, approvals, required };
    // No names in the append-only log: the actor label and the decisions table identify them.
    const details = {
      approvals: approvals.length,
      required,
      ...(surface ? { surface } : {}),
      ...(batchId ? { batchId } : {}),
    };
    if (approvals.length < required) {
      await appendAudit(trx, {
        requestId,
        event: 'approval_recorded',
        actor: actorLabel(actor),
        details,
      });
      return {
        kind: 'approval_recorded',
        request: locked,
        decision: approval,
        approvals,
        required,
      };
    }
    const updated = await transitionRequest(trx, requestId, 'approved', {
      actor: actorLabel(actor),
      details: {
        ...details,
        approvedBy: approvals.map((each) => `${each.decider_platform}:${each.decider_id}`),
      },
    });
    if (!updated) return undefined;
    // Approved or scheduled: the card shows which.
    const started = await this.deps.workflow.start(trx, updated);
    return { kind: 'decided', request: started, decision: approval };
  }

  /**
   * Undo during the grace period: the same checks as a decision (the card's token and location,
   * guests, the person being offboarded, approvers only), except that the requester may undo if
   * they are an approver (undoing makes nothing irreversible happen). Every refusal is audited.
   */
  async undo(input: {
    requestId: number;
    actor: Actor;
    proof: DecisionProof;
  }): Promise<UndoOutcome> {
    const request = await findRequestById(this.deps.db, input.requestId);
    if (!request) return { kind: 'not_found' };
    const refusal = await this.decisionRefusal(request, input, { requesterMay: true });
    if (refusal && refusal.kind !== 'self_decision') {
      await this.auditRefusal(request, input.actor, 'undo_refused', {
        reason: refusal.kind,
        ...(refusal.detail ? { mismatch: refusal.detail } : {}),
      });
      return { kind: refusal.kind };
    }
    return this.deps.workflow.undoErasure(request.id, {
      label: actorLabel(input.actor),
      name: input.actor.name ?? input.actor.id,
    });
  }

  /**
   * Why this click may not decide, checked before anything else is looked at. The card comes
   * first: a click from another request's card learns nothing about this one.
   */
  private async decisionRefusal(
    request: OffboardingRequest,
    input: { actor: Actor; proof: DecisionProof },
    options: { requesterMay?: boolean } = {},
  ): Promise<
    | {
        kind:
          | 'stale_card'
          | 'guest'
          | 'unknown_identity'
          | 'own_offboarding'
          | 'self_decision'
          | 'not_approver';
        detail?: string;
      }
    | undefined
  > {
    // A batch's people are decided on the batch's card, by BatchService: never one by one.
    if (request.batch_id !== null) return { kind: 'stale_card', detail: 'batch_member' };
    const mismatch = proofMismatch(request, input.proof);
    if (mismatch) return { kind: 'stale_card', detail: mismatch };
    if (input.actor.guest) return { kind: 'guest' };
    if (input.actor.email === undefined) return { kind: 'unknown_identity' };
    if (isSelfTarget(input.actor, request.target_email)) return { kind: 'own_offboarding' };
    if (!options.requesterMay && isSamePerson(input.actor, request)) {
      return { kind: 'self_decision' };
    }
    if (!(await this.policyFor(input.actor.platform).isApprover(input.actor))) {
      return { kind: 'not_approver' };
    }
    return undefined;
  }

  /** Refused clicks change nothing but the audit log, where whoever tried stays on record. */
  private async recordRefusal(
    request: OffboardingRequest,
    input: {
      actor: Actor;
      decision: 'approved' | 'rejected' | 'cancelled';
      proof?: DecisionProof | undefined;
    },
    reason: string,
    detail: string | undefined,
  ): Promise<void> {
    await this.auditRefusal(request, input.actor, 'decision_refused', {
      reason,
      ...(detail ? { mismatch: detail } : {}),
      ...(input.proof?.surface ? { surface: input.proof.surface } : {}),
      decision: input.decision,
    });
  }

  /** Logs a refused click and appends it to the audit log, where whoever tried stays on record. */
  private async auditRefusal(
    request: OffboardingRequest,
    actor: Actor,
    event: 'decision_refused' | 'undo_refused' | 'evidence_refused',
    details: { reason: string } & Record<string, unknown>,
  ): Promise<void> {
    this.deps.logger.warn(
      { requestId: request.id, actor: actorLabel(actor), ...details },
      event.replace('_', ' '),
    );
    await appendAudit(this.deps.db, {
      requestId: request.id,
      event,
      actor: actorLabel(actor),
      details,
    });
  }

  /**
   * Cancel, by the requester or an approver, while the request is pending, approved or waiting
   * for its scheduled time. A click from the card must prove it comes from that card, as for a
   * decision; a typed `cancel <id>` has no card to prove. Refusals are audited like refused
   * decisions; a cancel is audited with who, and the thread and the card are told.
   */
  async cancel(input: {
    requestId: number;
    actor: Actor;
    /** From a Cancel button; undefined for a typed command. */
    proof: DecisionProof | undefined;
  }): Promise<CancelOutcome> {
    const request = await findRequestById(this.deps.db, input.requestId);
    if (!request) return { kind: 'not_found' };
    const refusal = await this.cancelRefusal(request, input);
    if (refusal) {
      await this.recordRefusal(
        request,
        { actor: input.actor, decision: 'cancelled', proof: input.proof },
        refusal.kind,
        refusal.detail,
      );
      return { kind: refusal.kind };
    }
    const cancelled = await this.deps.db.transaction().execute(async (trx) => {
      const updated = await transitionRequest(trx, request.id, 'cancelled', {
        actor: actorLabel(input.actor),
        details: {
          via: input.proof ? 'button' : 'command',
          wasState: request.state,
        },
        patch: { finished_at: this.now() },
      });
      if (updated) {
        await this.deps.workflow.notify(trx, request.id, {
          type: 'cancelled',
          byName: input.actor.name ?? actorLabel(input.actor),
        });
      }
      return updated;
    });
    if (cancelled) return { kind: 'cancelled', request: cancelled };
    return {
      kind: 'not_cancellable',
      request: (await findRequestById(this.deps.db, request.id)) ?? request,
    };
  }

  private async cancelRefusal(
    request: OffboardingRequest,
    input: { actor: Actor; proof: DecisionProof | undefined },
  ): Promise<
    | {
        kind: 'stale_card' | 'guest' | 'unknown_identity' | 'own_offboarding' | 'not_allowed';
        detail?: string;
      }
    | undefined
  > {
    if (input.proof) {
      const mismatch = proofMismatch(request, input.proof);
      if (mismatch) return { kind: 'stale_card', detail: mismatch };
    }
    if (input.actor.guest) return { kind: 'guest' };
    // The requester may withdraw their own request; they were checked not to be its target.
    if (isSamePerson(input.actor, request)) return undefined;
    if (input.actor.email === undefined) return { kind: 'unknown_identity' };
    if (isSelfTarget(input.actor, request.target_email)) return { kind: 'own_offboarding' };
    if (!(await this.policyFor(input.actor.platform).isApprover(input.actor))) {
      return { kind: 'not_allowed' };
    }
    return undefined;
  }

  /**
   * The evidence of a completed offboarding, for its requester and the approvers only. A click
   * proves it comes from the request's card as a decision does; the person offboarded is
   * refused even after their details are removed (by the keyed hash of their email). Refusals
   * are audited; the delivery is audited by `recordEvidenceDelivery` once the files arrived.
   */
  async evidenceFor(input: {
    requestId: number;
    actor: Actor;
    proof: DecisionProof;
  }): Promise<EvidenceOutcome> {
    const request = await findRequestById(this.deps.db, input.requestId);
    if (!request) return { kind: 'not_found' };
    const refusal = await this.evidenceRefusal(request, input);
    if (refusal) {
      await this.auditRefusal(request, input.actor, 'evidence_refused', {
        reason: refusal.kind,
        ...(refusal.detail ? { mismatch: refusal.detail } : {}),
      });
      return { kind: refusal.kind };
    }
    if (request.state !== 'completed') return { kind: 'not_completed', request };
    const record = await buildEvidence(this.deps.db, request.id, this.now());
    if (!record) return { kind: 'not_found' };
    return { kind: 'evidence', request, record };
  }

  /** The evidence reached the clicker: who received it and how, never what it says. */
  async recordEvidenceDelivery(
    requestId: number,
    actor: Actor,
    delivery: EvidenceDelivery,
  ): Promise<void> {
    await appendAudit(this.deps.db, {
      requestId,
      event: 'evidence_sent',
      actor: actorLabel(actor),
      details: { delivery, files: ['json', 'html'] },
    });
  }

  private async evidenceRefusal(
    request: OffboardingRequest,
    input: { actor: Actor; proof: DecisionProof },
  ): Promise<
    | {
        kind: 'stale_card' | 'guest' | 'unknown_identity' | 'own_offboarding' | 'not_allowed';
        detail?: string;
      }
    | undefined
  > {
    const mismatch = proofMismatch(request, input.proof);
    if (mismatch) return { kind: 'stale_card', detail: mismatch };
    if (input.actor.guest) return { kind: 'guest' };
    if (input.actor.email === undefined) return { kind: 'unknown_identity' };
    if (this.isOffboardedPerson(input.actor, request)) return { kind: 'own_offboarding' };
    if (isSamePerson(input.actor, request)) return undefined;
    if (!(await this.policyFor(input.actor.platform).isApprover(input.actor))) {
      return { kind: 'not_allowed' };
    }
    return undefined;
  }

  /** After redaction the email is gone; its keyed hash still recognises the person. */
  private isOffboardedPerson(actor: Actor, request: OffboardingRequest): boolean {
    if (request.redacted_at === null) return isSelfTarget(actor, request.target_email);
    const hash = request.target_email_hash;
    if (hash === null) return false;
    return [actor.email, ...(actor.otherEmails ?? [])].some(
      (email) => email !== undefined && emailHash(this.deps.recordHashKey, email) === hash,
    );
  }

  /** Pending and past its expiry: closed, and the thread is told. Returns undefined if it was not. */
  async expire(requestId: number): Promise<OffboardingRequest | undefined> {
    return this.deps.db.transaction().execute(async (trx) => {
      const expired = await transitionRequest(trx, requestId, 'expired', {
        actor: 'system',
        patch: { finished_at: this.now() },
      });
      if (expired) {
        await this.deps.workflow.notify(trx, requestId, { type: 'expired' });
      }
      return expired;
    });
  }

  async findRequest(requestId: number): Promise<OffboardingRequest | undefined> {
    return findRequestById(this.deps.db, requestId);
  }

  /** A request's details are for the person who filed it and the approvers. */
  async findRequestFor(
    actor: Actor,
    requestId: number,
  ): Promise<OffboardingRequest | 'not_found' | 'not_allowed'> {
    const request = await findRequestById(this.deps.db, requestId);
    if (!request) return 'not_found';
    if (isSamePerson(actor, request)) return request;
    return (await this.policyFor(actor.platform).isApprover(actor)) ? request : 'not_allowed';
  }

  async recentRequests(actor: Actor, limit = 5): Promise<OffboardingRequest[]> {
    return listRecentRequestsBy(this.deps.db, actor.platform, actor.id, limit);
  }

  /**
   * People a requester may be looking for, as they type. Refused to guests and to those who may
   * not request, so the picker is no way to browse the directory.
   */
  async suggestTargets(actor: Actor, text: string, limit: number): Promise<TargetSuggestions> {
    const wanted = text.trim();
    if (wanted.length < MIN_SUGGESTION_TEXT) return { kind: 'too_short' };
    if (actor.guest || !(await this.policyFor(actor.platform).canRequest(actor))) {
      return { kind: 'not_allowed' };
    }
    const users = await this.deps.genesys.searchUsers(wanted, limit);
    return {
      kind: 'found',
      users: users.filter((user) => !isSelfTarget(actor, user.email)).slice(0, limit),
    };
  }

  /** What waits for the person (when they may decide), their own requests and recent outcomes. */
  async overviewFor(actor: Actor): Promise<RequestOverview> {
    const approver =
      !actor.guest &&
      (await this.policyFor(actor.platform)
        .isApprover(actor)
        .catch(() => false));
    const [waiting, mine, finished] = await Promise.all([
      approver
        ? listPendingRequests(this.deps.db, this.now(), OVERVIEW_WAITING_LIMIT)
        : Promise.resolve([]),
      listRecentRequestsBy(this.deps.db, actor.platform, actor.id, OVERVIEW_MINE_LIMIT),
      listRecentlyFinished(
        this.deps.db,
        FINISHED_STATES,
        OVERVIEW_FINISHED_LIMIT,
        approver ? undefined : { platform: actor.platform, id: actor.id },
      ),
    ]);
    return { approver, waiting, mine, finished };
  }

  async decisionFor(requestId: number): Promise<Decision | undefined> {
    return findDecision(this.deps.db, requestId);
  }

  /** What a request card shows about its decisions: the settling one, and every approval. */
  async decisionsFor(requestId: number): Promise<{
    decision: Decision | undefined;
    approvals: Decision[];
    approvalsRequired: number;
  }> {
    return {
      decision: await findDecision(this.deps.db, requestId),
      approvals: await listApprovals(this.deps.db, requestId),
      approvalsRequired: this.approvalsRequired,
    };
  }

  /**
   * Everything a redraw of the request card shows beyond the request: its decisions, and how far
   * the run got (read from the stored steps).
   */
  async cardFor(request: OffboardingRequest): Promise<{
    decision: Decision | undefined;
    approvals: Decision[];
    approvalsRequired: number;
    progress: RunProgress;
  }> {
    return {
      ...(await this.decisionsFor(request.id)),
      progress: runProgress(request, await listStepRecords(this.deps.db, request.id)),
    };
  }

  /**
   * Reminds the approvers of every pending request whose reminder is due, and warns requesters
   * whose request will soon expire. Each message is claimed in the database in the same
   * transaction that queues it, so it goes out once across instances, sweeps and crashes.
   */
  async sendDueReminders(): Promise<{ reminders: number; expiryWarnings: number }> {
    const now = this.now();
    const periodSeconds = (this.deps.approvalReminderHours ?? 24) * 3600;
    let reminders = 0;
    let expiryWarnings = 0;
    for (const due of await listRequestsDueForReminder(this.deps.db, periodSeconds, now)) {
      const sent = await this.deps.db.transaction().execute(async (trx) => {
        const claimed = await claimReminder(trx, due.id, due.reminders_sent, periodSeconds, now);
        if (!claimed) return false;
        const counts = await this.approvalCounts(trx, due.id);
        await appendAudit(trx, {
          requestId: due.id,
          event: 'approval_reminder',
          actor: 'system',
          details: { reminder: claimed.reminders_sent, ...counts },
        });
        await this.deps.workflow.notify(trx, due.id, { type: 'approval_reminder', ...counts });
        return true;
      });
      if (sent) reminders += 1;
    }
    for (const requestId of await listRequestsDueForExpiryWarning(this.deps.db, now)) {
      const sent = await this.deps.db.transaction().execute(async (trx) => {
        const claimed = await claimExpiryWarning(trx, requestId, now);
        if (!claimed) return false;
        const counts = await this.approvalCounts(trx, requestId);
        await appendAudit(trx, {
          requestId,
          event: 'expiry_warning',
          actor: 'system',
          details: { expiresAt: claimed.expires_at.toISOString(), ...counts },
        });
        await this.deps.workflow.notify(trx, requestId, { type: 'expiry_warning', ...counts });
        return true;
      });
      if (sent) expiryWarnings += 1;
    }
    return { reminders, expiryWarnings };
  }

  private async approvalCounts(
    trx: DbOrTx,
    requestId: number,
  ): Promise<{ approvals: number; required: number }> {
    return {
      approvals: (await listApprovals(trx, requestId)).length,
      required: this.approvalsRequired,
    };
  }

  /** `notify here`: an approver moves the notices; the change and who made it are audited. */
  async chooseNotifyDestination(
    actor: Actor,
    destination: NotifyDestination,
  ): Promise<NotifyDestinationOutcome> {
    if (!(await this.policyFor(actor.platform).isApprover(actor))) {
      this.deps.logger.warn({ actor: actorLabel(actor) }, 'notify destination refused');
      return { kind: 'not_approver' };
    }
    const conversationId = await this.deps.db.transaction().execute(async (trx) => {
      const id = await destination.save(trx);
      await appendAudit(trx, {
        requestId: null,
        event: 'notify_destination_set',
        actor: actorLabel(actor),
        details: { platform: actor.platform, conversationId: id },
      });
      return id;
    });
    this.deps.logger.info({ conversationId, actor: actorLabel(actor) }, 'notify destination set');
    return { kind: 'chosen', conversationId };
  }

  private policyFor(platform: ChatPlatform): AccessPolicy {
    const policy = this.deps.policies[platform];
    if (!policy) throw new Error(`No access policy is configured for ${platform}`);
    return policy;
  }
}
