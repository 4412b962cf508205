import type { Decision, DecisionKind } from '../offboarding/decision.table.js';
import { MAX_REJECTION_REASON_LENGTH } from '../offboarding/offboarding.service.js';
import type { RunProgress } from '../offboarding/progress.js';
import type { OffboardingRequest, RequestState } from '../offboarding/request.table.js';
import { plannedActions } from '../offboarding/steps.js';
import {
  ASKS_TO_OFFBOARD,
  approvalsLine,
  approvalWarning,
  CANCEL_LABEL,
  CANCELLED_LINE,
  cancelWarning,
  cardTitle,
  decidedParts,
  expiredLine,
  isCancellable,
  PLANNED_ACTIONS_HEADING,
  pendingLine,
  reasonFact,
  redactedLine,
  runsOnLine,
  STATUS_LABEL,
  statusText,
  targetFacts,
  UNNAMED_REQUESTER,
} from '../offboarding/wording/card.js';
import { EVIDENCE_LABEL } from '../offboarding/wording/evidence.js';
import { STATE_LABELS } from '../offboarding/wording/status.js';
import { utcMinute } from '../offboarding/wording/style.js';
import {
  awaitingErasureLine,
  restoredLine,
  UNDO_TITLE,
  undoWarning,
} from '../offboarding/wording/undo.js';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardAction,
  type CardElement,
  type ExecuteAction,
  field,
  heading,
  line,
  run,
  type TextRun,
} from './adaptive-card.js';
import { TEAMS_STYLE } from './messages.js';

/** The Action.Execute verb of both buttons; the decision itself is in the data. */
export const DECISION_VERB = 'offboarding.decide';

/** What a card's button asks for: a decision, or to cancel the request. */
export type CardChoice = DecisionKind | 'cancelled';

/** What Approve, Reject and Cancel send back, in `value.action.data` (Execute) or `value` (Submit). */
export interface DecisionData {
  offboardingRequestId: number;
  offboardingDecision: CardChoice;
  /** The request's decision token; missing on cards posted before tokens existed. */
  offboardingToken?: string | undefined;
  /** Set when the button is not on the request's own card (`offboard list`). */
  offboardingSurface?: 'teams_list' | undefined;
  /** Reject's reason, as typed in the card's input; undefined when none was typed. */
  offboardingRejectReason?: string | undefined;
}

/**
 * The id of Reject's reason input. Teams sends every input of the card with the action, and an
 * `offboard list` card holds one per request: the id says whose it is.
 */
export function rejectReasonInputId(requestId: number): string {
  return `offboardingRejectReason_${requestId}`;
}

/** The Action.Execute verb of the Undo button, shown while the erasure waits. */
export const UNDO_VERB = 'offboarding.undo';

/** What Undo sends back, like DecisionData: the request and its token. */
export interface UndoData {
  offboardingRequestId: number;
  offboardingUndo: true;
  offboardingToken?: string | undefined;
}

export function parseUndoData(data: unknown): UndoData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const {
    offboardingRequestId: requestId,
    offboardingUndo: undo,
    offboardingToken: token,
  } = data as Record<string, unknown>;
  if (typeof requestId !== 'number' || !Number.isInteger(requestId) || undo !== true) {
    return undefined;
  }
  return {
    offboardingRequestId: requestId,
    offboardingUndo: true,
    offboardingToken: typeof token === 'string' ? token : undefined,
  };
}

/** The Action.Execute verb of the Evidence button, on a completed request's card. */
export const EVIDENCE_VERB = 'offboarding.evidence';

/** What Evidence sends back, like DecisionData: the request and its token. */
export interface EvidenceData {
  offboardingRequestId: number;
  offboardingEvidence: true;
  offboardingToken?: string | undefined;
}

export function parseEvidenceData(data: unknown): EvidenceData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const {
    offboardingRequestId: requestId,
    offboardingEvidence: evidence,
    offboardingToken: token,
  } = data as Record<string, unknown>;
  if (typeof requestId !== 'number' || !Number.isInteger(requestId) || evidence !== true) {
    return undefined;
  }
  return {
    offboardingRequestId: requestId,
    offboardingEvidence: true,
    offboardingToken: typeof token === 'string' ? token : undefined,
  };
}

export function parseDecisionData(data: unknown): DecisionData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const {
    offboardingRequestId: requestId,
    offboardingDecision: decision,
    offboardingToken: token,
    offboardingSurface: surface,
  } = data as Record<string, unknown>;
  if (typeof requestId !== 'number' || !Number.isInteger(requestId)) return undefined;
  if (decision !== 'approved' && decision !== 'rejected' && decision !== 'cancelled') {
    return undefined;
  }
  const reason = (data as Record<string, unknown>)[rejectReasonInputId(requestId)];
  return {
    offboardingRequestId: requestId,
    offboardingDecision: decision,
    offboardingToken: typeof token === 'string' ? token : undefined,
    ...(surface === 'teams_list' ? { offboardingSurface: surface } : {}),
    ...(decision === 'rejected' && typeof reason === 'string' && reason.trim() !== ''
      ? { offboardingRejectReason: reason }
      : {}),
  };
}

const STATE_ICONS: Record<RequestState, string> = {
  pending: '⏳',
  approved: '✅',
  scheduled: '🗓️',
  awaiting_erasure: '⏳',
  restored: '↩️',
  rejected: '⛔',
  expired: '⏰',
  cancelled: '✖️',
  running: '⚙️',
  completed: '✅',
  failed: '❌',
};

export interface RequestCardContext {
  approvers: readonly string[];
  decision?: Decision | undefined;
  /** Every approval so far, and how many are needed (APPROVALS_REQUIRED; default 1). */
  approvals?: readonly Decision[] | undefined;
  approvalsRequired?: number | undefined;
  /** Shown to the person who clicked only (Universal Actions replace the card for them alone). */
  note?: string | undefined;
  /** How far the run got: the step under way, Genesys's state, the GDPR request. */
  progress?: RunProgress | undefined;
}

/** The request card: who, why, exactly what will happen, and the decision or its buttons. */
/** The card once the leaver's details are removed: the request number and its outcome only. */
export function redactedCard(request: OffboardingRequest, retentionDays?: number): AdaptiveCard {
  // What is retained still proves the offboarding: the button outlives the details.
  return adaptiveCard(
    [line([run(`${STATE_ICONS[request.state]} ${redactedLine(request, retentionDays)}`)])],
    evidenceActions(request),
  );
}

/** A completed request's card offers its evidence; the button carries the card's token. */
function evidenceActions(request: OffboardingRequest): CardAction[] {
  if (request.state !== 'completed') return [];
  const data: EvidenceData & Record<string, unknown> = {
    offboardingRequestId: request.id,
    offboardingEvidence: true,
    ...(request.decision_token ? { offboardingToken: request.decision_token } : {}),
  };
  return [
    {
      type: 'Action.Execute',
      title: EVIDENCE_LABEL,
      verb: EVIDENCE_VERB,
      data,
      fallback: { type: 'Action.Submit', title: EVIDENCE_LABEL, data },
    },
  ];
}

export function requestCard(
  request: OffboardingRequest,
  context: RequestCardContext,
): AdaptiveCard {
  if (request.redacted_at) return redactedCard(request);
  const reason = reasonFact(request);
  const body: CardElement[] = [
    heading(cardTitle(request)),
    line([run(request.target_name, { weight: 'bolder', size: 'large' })], { spacing: 'none' }),
    line([
      run(request.requester_name ?? UNNAMED_REQUESTER, { weight: 'bolder' }),
      run(` ${ASKS_TO_OFFBOARD}`),
    ]),
    field(STATUS_LABEL, `${STATE_ICONS[request.state]} ${statusText(request, context.progress)}`),
    // A little space sets the facts about the user, and the reason, apart from what is above.
    ...targetFacts(request, context.progress).map((fact, index) => ({
      ...field(fact.label, fact.value),
      ...(index === 0 ? { spacing: 'small' as const } : {}),
    })),
    { ...field(reason.label, reason.value), spacing: 'small' },
    ...runsOn(request),
    { ...heading(PLANNED_ACTIONS_HEADING), separator: true },
    ...plannedActions(request.gdpr_mode).map((action, index) =>
      line(
        [
          run(`${index + 1}. `),
          ...(action.irreversible ? [run('⚠️ ', { color: 'attention' })] : []),
          run(action.text, action.irreversible ? { color: 'attention', weight: 'bolder' } : {}),
        ],
        { spacing: 'none' },
      ),
    ),
  ];

  const approvals = approvalsLine(
    context.approvals ?? [],
    context.approvalsRequired ?? 1,
    TEAMS_STYLE,
  );
  if (approvals) body.push(line([run(`☑️ ${approvals}`)], { separator: true }));
  let actions: CardAction[] = [];
  if (request.state === 'pending') {
    body.push(
      line(
        [
          run(pendingLine(approverNames(context.approvers), utcMinute(request.expires_at)), {
            isSubtle: true,
          }),
        ],
        { separator: true },
      ),
    );
    actions = decisionActions(request);
  } else {
    body.push(line(outcomeRuns(request, context.decision), { separator: true }));
  }
  if (request.state === 'awaiting_erasure') {
    body.push(line([run(awaitingErasureLine(request, TEAMS_STYLE), { isSubtle: true })]));
    actions = [undoAction(request)];
  }
  if (isCancellable(request)) actions.push(cancelAction(request));
  actions.push(...evidenceActions(request));
  if (context.note) {
    body.push({
      type: 'Container',
      style: 'attention',
      spacing: 'medium',
      items: [line([run('Only you see this: ', { weight: 'bolder' }), run(context.note)])],
    });
  }
  return adaptiveCard(body, actions);
}

/**
 * Approve asks once more before anything irreversible, as the Slack card's confirm dialog does;
 * Reject asks once more too, with an optional reason, as the Slack modal does.
 */
export function decisionActions(
  request: OffboardingRequest,
  surface?: 'teams_list' | undefined,
): CardAction[] {
  const warning = approvalWarning(request);
  return [
    {
      type: 'Action.ShowCard',
      title: 'Approve…',
      card: {
        type: 'AdaptiveCard',
        body: [line([run(warning)])],
        actions: [decisionAction(request, 'approved', 'Yes, approve', surface)],
      },
    },
    {
      type: 'Action.ShowCard',
      title: 'Reject…',
      card: {
        type: 'AdaptiveCard',
        body: [
          line([run(REJECT_WARNING)]),
          {
            type: 'Input.Text',
            id: rejectReasonInputId(request.id),
            label: 'Reason (optional)',
            placeholder: 'Why is this request rejected?',
            isMultiline: true,
            maxLength: MAX_REJECTION_REASON_LENGTH,
          },
        ],
        actions: [decisionAction(request, 'rejected', 'Yes, reject', surface)],
      },
    },
  ];
}

const REJECT_WARNING =
  'The request is closed and nothing is changed in Genesys Cloud. The requester is told, with your reason.';

/** Asks once more, saying what a restore does not bring back, as the Slack confirm dialog does. */
function undoAction(request: OffboardingRequest): CardAction {
  const data: UndoData & Record<string, unknown> = {
    offboardingRequestId: request.id,
    offboardingUndo: true,
    ...(request.decision_token ? { offboardingToken: request.decision_token } : {}),
  };
  const title = 'Yes, restore the user';
  return {
    type: 'Action.ShowCard',
    title: 'Undo…',
    card: {
      type: 'AdaptiveCard',
      body: [line([run(UNDO_TITLE, { weight: 'bolder' })]), line([run(undoWarning(request))])],
      actions: [
        {
          type: 'Action.Execute',
          title,
          verb: UNDO_VERB,
          data,
          style: 'destructive',
          fallback: { type: 'Action.Submit', title, data, style: 'destructive' },
        },
      ],
    },
  };
}

/** "Runs on …" in bold, for a scheduled request that has not started. */
function runsOn(request: OffboardingRequest): CardElement[] {
  const text = runsOnLine(request);
  return text ? [line([run(`${STATE_ICONS.scheduled} ${text}`, { weight: 'bolder' })])] : [];
}

/** Asks once more, as Approve does: the request closes for good. */
function cancelAction(request: OffboardingRequest): CardAction {
  return {
    type: 'Action.ShowCard',
    title: `${CANCEL_LABEL}…`,
    card: {
      type: 'AdaptiveCard',
      body: [line([run(cancelWarning(request))])],
      actions: [decisionAction(request, 'cancelled', 'Yes, cancel it', undefined)],
    },
  };
}

function decisionAction(
  request: OffboardingRequest,
  decision: CardChoice,
  title: string,
  surface: 'teams_list' | undefined,
): ExecuteAction {
  // The token proves a click comes from this request's own card, not one with the same number.
  const data: DecisionData & Record<string, unknown> = {
    offboardingRequestId: request.id,
    offboardingDecision: decision,
    ...(request.decision_token ? { offboardingToken: request.decision_token } : {}),
    ...(surface ? { offboardingSurface: surface } : {}),
  };
  const style = decision === 'approved' ? 'positive' : 'destructive';
  return {
    type: 'Action.Execute',
    title,
    verb: DECISION_VERB,
    data,
    style,
    fallback: { type: 'Action.Submit', title, data, style },
  };
}

function outcomeRuns(request: OffboardingRequest, decision: Decision | undefined): TextRun[] {
  const state = `${STATE_ICONS[request.state]} ${STATE_LABELS[request.state]}`;
  switch (request.state) {
    case 'expired':
      return [run(`${STATE_ICONS.expired} ${expiredLine(request, TEAMS_STYLE)}`)];
    case 'cancelled':
      return [run(`${STATE_ICONS.cancelled} ${CANCELLED_LINE}`)];
    case 'restored':
      return [run(`${STATE_ICONS.restored} ${restoredLine(request, TEAMS_STYLE)}`)];
    default: {
      if (!decision) return [run(state)];
      const { before, decider, after } = decidedParts(decision, TEAMS_STYLE);
      return [run(before), run(decider, { weight: 'bolder' }), run(`${after} · ${state}`)];
    }
  }
}

/** Object ids mean nothing to a reader; principal names do. */
export function approverNames(approvers: readonly string[]): string[] {
  const names = approvers.filter((approver) => approver.includes('@'));
  const ids = approvers.length - names.length;
  return [...names, ...(ids > 0 ? [`${ids} by Entra object ID`] : [])];
}
