import type { KnownBlock } from '@slack/types';
import type { Decision } from '../offboarding/decision.table.js';
import type { Deployment } from '../offboarding/deployment.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import type { RunProgress } from '../offboarding/progress.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { plannedActions } from '../offboarding/steps.js';
import {
  ASKS_TO_OFFBOARD,
  approvalsLine,
  approvalWarning,
  CANCEL_CONFIRM_TITLE,
  CANCEL_LABEL,
  CANCELLED_LINE,
  cancelWarning,
  cardSummary,
  cardTitle,
  decidedLine,
  expiredLine,
  IRREVERSIBLE_MARK,
  isCancellable,
  PLANNED_ACTIONS_HEADING,
  pendingLine,
  reasonFact,
  redactedLine,
  runsOnLine,
  STATUS_LABEL,
  statusText,
  targetFacts,
} from '../offboarding/wording/card.js';
import { organizationLine, SANDBOX_NOTICE } from '../offboarding/wording/deployment.js';
import { describeEvent, type EventIcon } from '../offboarding/wording/events.js';
import { EVIDENCE_LABEL } from '../offboarding/wording/evidence.js';
import { STATE_LABELS } from '../offboarding/wording/status.js';
import {
  awaitingErasureLine,
  restoredLine,
  UNDO_TITLE,
  undoWarning,
} from '../offboarding/wording/undo.js';
import { escapeMrkdwn, mentionSlackId, mrkdwn, plain } from './escape.js';
import { requesterMention, SLACK_STYLE, slackDate } from './replies.js';

export const APPROVE_ACTION = 'offboarding_approve';
export const REJECT_ACTION = 'offboarding_reject';
export const UNDO_ACTION = 'offboarding_undo';
export const CANCEL_ACTION = 'offboarding_cancel';
export const EVIDENCE_ACTION = 'offboarding_evidence';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const STATE_ICONS: Record<OffboardingRequest['state'], string> = {
  pending: ':hourglass_flowing_sand:',
  approved: ':white_check_mark:',
  scheduled: ':spiral_calendar_pad:',
  awaiting_erasure: ':hourglass:',
  restored: ':leftwards_arrow_with_hook:',
  rejected: ':no_entry:',
  expired: ':alarm_clock:',
  cancelled: ':heavy_multiplication_x:',
  running: ':gear:',
  completed: ':white_check_mark:',
  failed: ':x:',
};

/** The request card: who, why, exactly what will happen, and the decision or its buttons. */
export function requestMessage(
  request: OffboardingRequest,
  context: {
    approvers: readonly string[];
    decision?: Decision | undefined;
    /** Every approval so far, and how many are needed (APPROVALS_REQUIRED; default 1). */
    approvals?: readonly Decision[] | undefined;
    approvalsRequired?: number | undefined;
    /** The org footer, and the sandbox banner when the sandbox serves Slack. */
    deployment?: Deployment | undefined;
    /** How far the run got: the step under way, Genesys's state, the GDPR request. */
    progress?: RunProgress | undefined;
  },
): SlackMessage {
  if (request.redacted_at) return redactedMessage(request);
  const fields = targetFacts(request, context.progress).map((fact) =>
    plain(`${fact.label}: ${fact.value}`),
  );
  const reason = reasonFact(request);
  const steps = plannedActions(request.gdpr_mode)
    .map(
      (action, index) =>
        `${index + 1}. ${action.irreversible ? `:warning: ${action.text.replace(IRREVERSIBLE_MARK, `*${IRREVERSIBLE_MARK}*`)}` : action.text}`,
    )
    .join('\n');

  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: plain(`${cardTitle(request)}: ${request.target_name}`, 150),
    },
    {
      type: 'section',
      text: mrkdwn(
        `${requesterMention(request)} ${ASKS_TO_OFFBOARD}\n*${STATUS_LABEL}:* ${STATE_ICONS[request.state]} ${statusText(request, context.progress)}`,
      ),
    },
    { type: 'section', fields },
    {
      type: 'context',
      elements: [plain(`${reason.label}: ${reason.value}`)],
    },
    { type: 'section', text: mrkdwn(`*${PLANNED_ACTIONS_HEADING}*\n${steps}`) },
  ];
  const runsOn = runsOnLine(request);
  if (runsOn) {
    blocks.splice(3, 0, {
      type: 'section',
      text: mrkdwn(`${STATE_ICONS.scheduled} *${escapeMrkdwn(runsOn)}*`),
    });
  }

  const approvals = approvalsLine(
    context.approvals ?? [],
    context.approvalsRequired ?? 1,
    SLACK_STYLE,
  );
  if (approvals) {
    blocks.push({ type: 'context', elements: [mrkdwn(`:ballot_box_with_check: ${approvals}`)] });
  }
  if (request.state === 'pending') {
    blocks.push(
      {
        type: 'context',
        elements: [
          mrkdwn(pendingLine(context.approvers.map(mentionSlackId), slackDate(request.expires_at))),
        ],
      },
      {
        type: 'actions',
        block_id: `offboarding_decision_${request.id}`,
        elements: [
          {
            type: 'button',
            action_id: APPROVE_ACTION,
            text: plain('Approve'),
            style: 'primary',
            value: decisionButtonValue(request),
            confirm: {
              title: plain('Approve offboarding?'),
              text: plain(approvalWarning(request)),
              confirm: plain('Approve'),
              deny: plain('Cancel'),
            },
          },
          {
            type: 'button',
            action_id: REJECT_ACTION,
            text: plain('Reject'),
            style: 'danger',
            value: decisionButtonValue(request),
          },
          cancelButton(request),
        ],
      },
    );
  } else {
    blocks.push({ type: 'context', elements: [mrkdwn(outcomeLine(request, context.decision))] });
    if (isCancellable(request)) {
      blocks.push({
        type: 'actions',
        block_id: `offboarding_cancel_${request.id}`,
        elements: [cancelButton(request)],
      });
    }
    blocks.push(...evidenceBlocks(request));
  }
  if (request.state === 'awaiting_erasure') blocks.push(...undoBlocks(request));

  const card = {
    text: cardSummary(request, SLACK_STYLE),
    blocks,
  };
  if (!context.deployment) return card;
  card.blocks.push({
    type: 'context',
    elements: [plain(organizationLine(context.deployment))],
  });
  return withSandboxNotice(card, context.deployment, 'top');
}

/** While the GDPR request waits for the grace period: when it is filed, and the Undo button. */
function undoBlocks(request: OffboardingRequest): KnownBlock[] {
  return [
    { type: 'context', elements: [mrkdwn(awaitingErasureLine(request, SLACK_STYLE))] },
    {
      type: 'actions',
      block_id: `offboarding_undo_${request.id}`,
      elements: [
        {
          type: 'button',
          action_id: UNDO_ACTION,
          text: plain('Undo'),
          value: decisionButtonValue(request),
          confirm: {
            title: plain(UNDO_TITLE),
            text: plain(undoWarning(request)),
            confirm: plain('Restore the user'),
            deny: plain('Keep the offboarding'),
          },
        },
      ],
    },
  ];
}

/**
 * The card once the leaver's details are removed: the request number and its outcome only.
 * Every later redraw of the card (a refresh, `status`) shows this too.
 */
export function redactedMessage(request: OffboardingRequest, retentionDays?: number): SlackMessage {
  const text = redactedLine(request, retentionDays);
  return {
    text,
    blocks: [
      { type: 'section', text: mrkdwn(`${STATE_ICONS[request.state]} ${escapeMrkdwn(text)}`) },
      // What is retained still proves the offboarding: the button outlives the details.
      ...evidenceBlocks(request),
    ],
  };
}

/** A completed request's card offers its evidence; the button carries the card's proof. */
function evidenceBlocks(request: OffboardingRequest): KnownBlock[] {
  if (request.state !== 'completed') return [];
  return [
    {
      type: 'actions',
      block_id: `offboarding_evidence_${request.id}`,
      elements: [
        {
          type: 'button',
          action_id: EVIDENCE_ACTION,
          text: plain(EVIDENCE_LABEL),
          value: decisionButtonValue(request),
        },
      ],
    },
  ];
}

/** Until the run starts; carries the same proof as Approve and Reject. */
function cancelButton(request: OffboardingRequest) {
  return {
    type: 'button' as const,
    action_id: CANCEL_ACTION,
    text: plain(CANCEL_LABEL),
    value: decisionButtonValue(request),
    confirm: {
      title: plain(CANCEL_CONFIRM_TITLE),
      text: plain(cancelWarning(request)),
      confirm: plain('Cancel request'),
      deny: plain('Keep it'),
    },
  };
}

/** With the sandbox serving Slack, a message says plainly that nothing real is changed. */
export function withSandboxNotice(
  message: SlackMessage,
  deployment: Deployment | undefined,
  where: 'top' | 'bottom' = 'bottom',
): SlackMessage {
  if (!deployment?.sandbox) return message;
  const notice: KnownBlock = {
    type: 'context',
    elements: [mrkdwn(`:test_tube: *${SANDBOX_NOTICE}*`)],
  };
  return {
    text: `[${SANDBOX_NOTICE}] ${message.text}`,
    blocks: where === 'top' ? [notice, ...message.blocks] : [...message.blocks, notice],
  };
}

/** The same for a text-only (ephemeral) reply. */
export function sandboxText(text: string, deployment: Deployment | undefined): string {
  return deployment?.sandbox ? `${text}\n:test_tube: _${SANDBOX_NOTICE}_` : text;
}

function outcomeLine(request: OffboardingRequest, decision: Decision | undefined): string {
  switch (request.state) {
    case 'expired':
      return `${STATE_ICONS.expired} ${expiredLine(request, SLACK_STYLE)}`;
    case 'cancelled':
      return `${STATE_ICONS.cancelled} ${CANCELLED_LINE}`;
    case 'restored':
      return `${STATE_ICONS.restored} ${restoredLine(request, SLACK_STYLE)}`;
    default: {
      const state = `${STATE_ICONS[request.state]} ${STATE_LABELS[request.state]}`;
      return decision ? `${decidedLine(decision, SLACK_STYLE)} · ${state}` : state;
    }
  }
}

/** A reply in the request's thread; a rejection's needs its decision (who, and why). */
export function eventMessage(
  request: OffboardingRequest,
  event: WorkflowEvent,
  decision?: Decision,
): SlackMessage {
  const { icon, text, detail } = describeEvent(request, event, SLACK_STYLE, decision);
  return withDetail(`${EVENT_ICONS[icon]} ${text}`, detail);
}

/** For SLACK_NOTIFY_CHANNEL: only the outcome, with where to find the details. */
export function noticeMessage(
  request: OffboardingRequest,
  notice: Extract<WorkflowEvent, { type: 'outcome_notice' }>,
  decision?: Decision,
): SlackMessage {
  return eventMessage(request, notice, decision);
}

const EVENT_ICONS: Record<EventIcon, string> = {
  started: ':gear:',
  step: ':arrow_forward:',
  done: ':white_check_mark:',
  warning: ':warning:',
  waiting: ':hourglass_flowing_sand:',
  finished: ':tada:',
  failed: ':x:',
  expired: ':alarm_clock:',
  reminder: ':bell:',
  scheduled: ':spiral_calendar_pad:',
  cancelled: ':heavy_multiplication_x:',
  rejected: ':no_entry:',
};

function simple(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** Genesys's own error text is shown as plain text: it is not ours to format. */
function withDetail(text: string, detail: string | undefined): SlackMessage {
  if (!detail) return simple(text);
  return {
    text: `${text} ${escapeMrkdwn(detail)}`,
    blocks: [
      { type: 'section', text: mrkdwn(text) },
      { type: 'context', elements: [plain(detail)] },
    ],
  };
}

/**
 * A decision button's value: the request number and the request's token. The number alone would
 * let a card from an earlier database decide today's request with the same number.
 */
export function decisionButtonValue(request: OffboardingRequest): string {
  return request.decision_token ? `${request.id}.${request.decision_token}` : String(request.id);
}

/** Undefined unless the value is a request number, with the token when the button has one. */
export function parseDecisionButtonValue(
  value: string | undefined,
): { requestId: number; token: string | undefined } | undefined {
  const match = /^(\d{1,9})(?:\.([A-Za-z0-9_-]{1,200}))?$/.exec(value ?? '');
  if (!match) return undefined;
  return { requestId: Number(match[1]), token: match[2] };
}
