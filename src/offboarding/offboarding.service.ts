import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../db/database.js';
import { isGenesysError } from '../genesys/errors.js';
import type { GdprMode, GenesysClient, GenesysUser } from '../genesys/types.js';
import { appendAudit } from './audit.repository.js';
import { isValidEmail } from './command.js';
import { findDecision, insertDecision } from './decision.repository.js';
import type { Decision } from './decision.table.js';
import type { WorkflowEvent } from './events.js';
import {
  type AccessPolicy,
  type Actor,
  actorLabel,
  type DecisionProof,
  isSamePerson,
  isSelfTarget,
  proofMismatch,
} from './policy.js';
import {
  findLatestRequestForEmail,
  findOpenRequestForTarget,
  findRequestById,
  insertRequest,
  listPendingRequests,
  listRecentlyFinished,
  listRecentRequestsBy,
  updateRequestDetails,
} from './request.repository.js';
import type { ChatPlatform, OffboardingRequest } from './request.table.js';
import type { MessageLocation, RequestPoster, Undeliverable } from './request-poster.js';
import { transitionRequest } from './state-machine.js';

/** What the domain asks of the workflow; both calls join the caller's transaction. */
export interface WorkflowPort {
  /** Starts the approved run, so approval and run commit together. */
  start(trx: DbOrTx, request: OffboardingRequest): Promise<void>;
  /** Queues a message for the request's thread. */
  notify(trx: DbOrTx, requestId: number, event: WorkflowEvent): Promise<void>;
}

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

export class OffboardingService {
  private readonly now: () => Date;

  constructor(private readonly deps: OffboardingServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get gdprMode(): GdprMode {
    return this.deps.gdprMode;
  }

  /**
   * Everything a chat command to offboard someone does: records the request, shows it to the
   * approvers through the adapter's poster and remembers where, or cancels it when it cannot be
   * shown. Run again after a crash between recording and posting (a queued command's retry), it
   * posts the request it recorded instead of refusing it as already open.
   */
  async fileRequest<Why extends Undeliverable>(
    input: { requester: Actor; targetEmail: string; reason: string | undefined },
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
  async requestOffboarding(input: {
    requester: Actor;
    targetEmail: string;
    reason: string | undefined;
  }): Promise<RequestOutcome> {
    const email = input.targetEmail.trim();
    if (!isValidEmail(email)) return { kind: 'invalid_email', input: input.targetEmail };
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
          expires_at: new Date(this.now().getTime() + this.deps.requestExpiryHours * 3_600_000),
        });
        await appendAudit(trx, {
          requestId: created.id,
          event: 'requested',
          actor: actorLabel(input.requester),
          details: {
            targetGenesysId: user.id,
            targetEmail: user.email,
            reason: input.reason ?? null,
            gdprMode: this.deps.gdprMode,
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

  /** Search does not see deleted users; tell "already deleted" apart from "never existed". */
  private async notFoundOrDeleted(email: string): Promise<RequestOutcome> {
    const previous = await findLatestRequestForEmail(this.deps.db, email);
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

    const decided = await this.deps.db.transaction().execute(async (trx) => {
      const updated = await transitionRequest(trx, request.id, input.decision, {
        actor: actorLabel(input.actor),
        details: {
          deciderName: input.actor.name ?? null,
          ...(input.proof.surface ? { surface: input.proof.surface } : {}),
        },
        patch: input.decision === 'rejected' ? { finished_at: this.now() } : {},
      });
      if (!updated) return undefined;
      const decision = await insertDecision(trx, {
        request_id: request.id,
        decision: input.decision,
        decider_platform: input.actor.platform,
        decider_id: input.actor.id,
        decider_name: input.actor.name ?? null,
      });
      if (input.decision === 'approved') await this.deps.workflow.start(trx, updated);
      return { request: updated, decision };
    });
    if (decided) return { kind: 'decided', ...decided };

    const current = (await findRequestById(this.deps.db, request.id)) ?? request;
    if (current.state === 'expired') return { kind: 'expired', request: current };
    return {
      kind: 'already_decided',
      request: current,
      decision: await findDecision(this.deps.db, request.id),
    };
  }

  /**
   * Why this click may not decide, checked before anything else is looked at. The card comes
   * first: a click from another request's card learns nothing about this one.
   */
  private async decisionRefusal(
    request: OffboardingRequest,
    input: { actor: Actor; proof: DecisionProof },
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
    const mismatch = proofMismatch(request, input.proof);
    if (mismatch) return { kind: 'stale_card', detail: mismatch };
    if (input.actor.guest) return { kind: 'guest' };
    if (input.actor.email === undefined) return { kind: 'unknown_identity' };
    if (isSelfTarget(input.actor, request.target_email)) return { kind: 'own_offboarding' };
    if (isSamePerson(input.actor, request)) return { kind: 'self_decision' };
    if (!(await this.policyFor(input.actor.platform).isApprover(input.actor))) {
      return { kind: 'not_approver' };
    }
    return undefined;
  }

  /** Refused clicks change nothing but the audit log, where whoever tried stays on record. */
  private async recordRefusal(
    request: OffboardingRequest,
    input: { actor: Actor; decision: 'approved' | 'rejected'; proof: DecisionProof },
    reason: string,
    detail: string | undefined,
  ): Promise<void> {
    const details = {
      reason,
      ...(detail ? { mismatch: detail } : {}),
      ...(input.proof.surface ? { surface: input.proof.surface } : {}),
      decision: input.decision,
      deciderName: input.actor.name ?? null,
    };
    this.deps.logger.warn(
      { requestId: request.id, actor: actorLabel(input.actor), ...details },
      'decision refused',
    );
    await appendAudit(this.deps.db, {
      requestId: request.id,
      event: 'decision_refused',
      actor: actorLabel(input.actor),
      details,
    });
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
        details: { platform: actor.platform, conversationId: id, byName: actor.name ?? null },
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
