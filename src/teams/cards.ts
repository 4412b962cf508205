import type { Decision, DecisionKind } from '../offboarding/decision.table.js';
import { STATE_LABELS } from '../offboarding/describe.js';
import type { OffboardingRequest, RequestState } from '../offboarding/request.table.js';
import { plannedActions } from '../offboarding/steps.js';
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

/** The Action.Execute verb of both buttons; the decision itself is in the data. */
export const DECISION_VERB = 'offboarding.decide';

/** What Approve and Reject send back, in `value.action.data` (Execute) or `value` (Submit). */
export interface DecisionData {
  offboardingRequestId: number;
  offboardingDecision: DecisionKind;
  /** The request's decision token; missing on cards posted before tokens existed. */
  offboardingToken?: string | undefined;
}

export function parseDecisionData(data: unknown): DecisionData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const {
    offboardingRequestId: requestId,
    offboardingDecision: decision,
    offboardingToken: token,
  } = data as Record<string, unknown>;
  if (typeof requestId !== 'number' || !Number.isInteger(requestId)) return undefined;
  if (decision !== 'approved' && decision !== 'rejected') return undefined;
  return {
    offboardingRequestId: requestId,
    offboardingDecision: decision,
    offboardingToken: typeof token === 'string' ? token : undefined,
  };
}

const STATE_ICONS: Record<RequestState, string> = {
  pending: '⏳',
  approved: '✅',
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
  /** Shown to the person who clicked only (Universal Actions replace the card for them alone). */
  note?: string | undefined;
}

/** The request card: who, why, exactly what will happen, and the decision or its buttons. */
export function requestCard(
  request: OffboardingRequest,
  context: RequestCardContext,
): AdaptiveCard {
  const body: CardElement[] = [
    heading(`Offboarding request #${request.id}`),
    line([run(request.target_name, { weight: 'bolder', size: 'large' })], { spacing: 'none' }),
    line([
      run(request.requester_name ?? 'Someone', { weight: 'bolder' }),
      run(' asks to offboard this Genesys Cloud user.'),
    ]),
    field('Status', `${STATE_ICONS[request.state]} ${STATE_LABELS[request.state]}`),
    line([run('Name: ', { weight: 'bolder' }), run(request.target_name)], { spacing: 'small' }),
    field('Email', request.target_email),
    field('Department', request.target_department ?? '—'),
    field('Title', request.target_title ?? '—'),
    field('Division', request.target_division ?? '—'),
    field('Genesys state', request.target_state),
    field('Genesys id', request.target_genesys_id),
    line([run('Reason: ', { weight: 'bolder' }), run(request.reason ?? 'none given')], {
      spacing: 'small',
    }),
    { ...heading('What happens when approved'), separator: true },
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

  let actions: CardAction[] = [];
  if (request.state === 'pending') {
    body.push(
      line(
        [
          run(
            `${approverSummary(context.approvers)} · the requester cannot approve · expires ${utcMinute(request.expires_at)}`,
            { isSubtle: true },
          ),
        ],
        { separator: true },
      ),
    );
    actions = decisionActions(request);
  } else {
    body.push(line(outcomeRuns(request, context.decision), { separator: true }));
  }
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
 * Reject changes nothing in Genesys and goes straight through.
 */
function decisionActions(request: OffboardingRequest): CardAction[] {
  const warning =
    request.gdpr_mode === 'none'
      ? `${request.target_name} will be deleted from Genesys Cloud.`
      : `${request.target_name} will be deleted from Genesys Cloud and a GDPR request filed. The GDPR step cannot be undone.`;
  return [
    {
      type: 'Action.ShowCard',
      title: 'Approve…',
      card: {
        type: 'AdaptiveCard',
        body: [line([run(warning)])],
        actions: [decisionAction(request, 'approved', 'Yes, approve')],
      },
    },
    decisionAction(request, 'rejected', 'Reject'),
  ];
}

function decisionAction(
  request: OffboardingRequest,
  decision: DecisionKind,
  title: string,
): ExecuteAction {
  // The token proves a click comes from this request's own card, not one with the same number.
  const data: DecisionData & Record<string, unknown> = {
    offboardingRequestId: request.id,
    offboardingDecision: decision,
    ...(request.decision_token ? { offboardingToken: request.decision_token } : {}),
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
      return [
        run(
          `${STATE_ICONS.expired} Expired on ${utcMinute(request.finished_at ?? request.expires_at)} without a decision. Nothing was changed in Genesys Cloud.`,
        ),
      ];
    case 'cancelled':
      return [run(`${STATE_ICONS.cancelled} Cancelled. Nothing was changed in Genesys Cloud.`)];
    default:
      if (!decision) return [run(state)];
      return [
        run(`${decision.decision === 'approved' ? 'Approved' : 'Rejected'} by `),
        run(decision.decider_name ?? decision.decider_id, { weight: 'bolder' }),
        run(` on ${utcMinute(decision.decided_at)} · ${state}`),
      ];
  }
}

/** Object ids mean nothing to a reader; principal names do. */
function approverSummary(approvers: readonly string[]): string {
  const names = approvers.filter((approver) => approver.includes('@'));
  const ids = approvers.length - names.length;
  const parts = [...names, ...(ids > 0 ? [`${ids} by Entra object ID`] : [])];
  return `Approvers: ${parts.join(', ') || 'none configured'}`;
}

export function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
