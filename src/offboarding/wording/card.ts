import type { Decision } from '../decision.table.js';
import type { RunProgress } from '../progress.js';
import type { OffboardingRequest } from '../request.table.js';
import { formatRunTime } from '../schedule.js';
import { STATE_LABELS } from './status.js';
import type { TextStyle } from './style.js';

/**
 * The words on the request card, shared by the Slack card and the Teams card. Values come back
 * unescaped where each platform shows them as plain text (Slack plain_text, Teams TextRun);
 * anything meant for markup goes through the style.
 */

export function cardTitle(request: OffboardingRequest): string {
  return `Offboarding request #${request.id}`;
}

/** Follows the requester, as a mention or a name. */
export const ASKS_TO_OFFBOARD = 'asks to offboard this Genesys Cloud user.';

/** Stands for a requester whose name the platform did not give. */
export const UNNAMED_REQUESTER = 'Someone';

export const STATUS_LABEL = 'Status';

export interface CardFact {
  label: string;
  /** Plain text: from Genesys or the requester, shown literally. */
  value: string;
}

/**
 * Who is being offboarded, as Genesys Cloud knows them: as filed, then as the run left them (the
 * state after the soft delete or a restore, the GDPR request once filed).
 */
export function targetFacts(request: OffboardingRequest, progress?: RunProgress): CardFact[] {
  const gdpr = progress?.gdpr;
  return [
    { label: 'Name', value: request.target_name },
    { label: 'Email', value: request.target_email },
    { label: 'Department', value: request.target_department ?? '—' },
    { label: 'Title', value: request.target_title ?? '—' },
    { label: 'Division', value: request.target_division ?? '—' },
    { label: 'Genesys state', value: progress?.genesysState ?? request.target_state },
    { label: 'Genesys id', value: request.target_genesys_id },
    ...(gdpr
      ? [
          {
            label: 'GDPR request',
            value: `${gdpr.requestId} (${gdpr.status ?? 'status not known yet'})`,
          },
        ]
      : []),
  ];
}

/**
 * The card's status: the step under way while the request runs ("Running: soft delete (2 of 4)"),
 * else the state's label.
 */
export function statusText(request: OffboardingRequest, progress?: RunProgress): string {
  const current = progress?.current;
  if (request.state !== 'running' || !current) return STATE_LABELS[request.state];
  return `Running: ${current.label} (${current.position} of ${current.total})`;
}

export function reasonFact(request: OffboardingRequest): CardFact {
  return { label: 'Reason', value: request.reason ?? 'none given' };
}

/**
 * "Runs on Fri 18 Dec 2026, 18:00 CET (17:00 UTC)" while a scheduled request has not started;
 * undefined for a request that runs once approved, or that started or closed.
 */
export function runsOnLine(request: OffboardingRequest): string | undefined {
  if (request.run_at === null) return undefined;
  const when = formatRunTime(request.run_at, request.requester_time_zone ?? 'UTC');
  switch (request.state) {
    case 'pending':
      return request.run_at.getTime() <= Date.now()
        ? `Was scheduled for ${when}: runs as soon as it is approved`
        : `Runs on ${when}`;
    case 'approved':
    case 'scheduled':
      return `Runs on ${when}`;
    default:
      return `Scheduled for ${when}`;
  }
}

/** The Cancel button, and what it asks before it cancels. */
export const CANCEL_LABEL = 'Cancel request';
export const CANCEL_CONFIRM_TITLE = 'Cancel this request?';

export function cancelWarning(request: OffboardingRequest): string {
  return `Request #${request.id} for ${request.target_name} will be closed and nothing will be changed in Genesys Cloud. A new request would need a new approval.`;
}

/**
 * Whether the card offers Cancel: while pending, and while approved and waiting for its time. An
 * approved request without a time starts within moments, so its card does not offer a button
 * that would almost always arrive too late (`cancel <id>` still works until it starts).
 */
export function isCancellable(request: OffboardingRequest): boolean {
  return request.state === 'pending' || request.state === 'scheduled';
}

export const PLANNED_ACTIONS_HEADING = 'What happens when approved';

/** Marks the irreversible part of a planned action's text. */
export const IRREVERSIBLE_MARK = 'Irreversible:';

/** Under a pending card: who may decide, and until when. Approvers and date come styled. */
export function pendingLine(approvers: readonly string[], expires: string): string {
  return `Approvers: ${approvers.join(', ') || 'none configured'} · the requester cannot approve · expires ${expires}`;
}

/** Asked once more before Approve does anything irreversible. Plain text. */
export function approvalWarning(request: OffboardingRequest): string {
  return `${request.target_name} will be deleted from Genesys Cloud${request.gdpr_mode === 'none' ? '.' : ' and a GDPR request filed. The GDPR step cannot be undone.'}`;
}

export function expiredLine(request: OffboardingRequest, style: TextStyle): string {
  return `Expired on ${style.date(request.finished_at ?? request.expires_at)} without a decision. Nothing was changed in Genesys Cloud.`;
}

export const CANCELLED_LINE = 'Cancelled. Nothing was changed in Genesys Cloud.';

/**
 * "1 of 2 approvals: <who>, <who>". Undefined where a single approval decides: the decision line
 * already says who approved.
 */
export function approvalsLine(
  approvals: readonly Decision[],
  required: number,
  style: TextStyle,
): string | undefined {
  if (required <= 1) return undefined;
  const who = approvals.map((approval) => style.decider(approval)).join(', ');
  return `${approvals.length} of ${required} approvals${who ? `: ${who}` : ''}`;
}

/**
 * "Approved by <who> on <when>", "Rejected by <who>: <reason> (on <when>)", in parts, for
 * platforms that set the decider apart. The reason comes through the style: it is free text.
 */
export function decidedParts(
  decision: Decision,
  style: TextStyle,
): { before: string; decider: string; after: string } {
  const when = style.date(decision.decided_at);
  return {
    before: `${decision.decision === 'approved' ? 'Approved' : 'Rejected'} by `,
    decider: style.decider(decision),
    after: decision.reason ? `: ${style.text(decision.reason)} (on ${when})` : ` on ${when}`,
  };
}

export function decidedLine(decision: Decision, style: TextStyle): string {
  const { before, decider, after } = decidedParts(decision, style);
  return `${before}${decider}${after}`;
}

/** The card's text outside the card: notifications, previews, screen readers. */
export function cardSummary(request: OffboardingRequest, style: TextStyle): string {
  return `${cardTitle(request)} for ${style.text(request.target_name)} (${style.text(request.target_email)}): ${STATE_LABELS[request.state]}`;
}

/** "30 days", "1 day", "0.5 days". */
function dayCount(days: number): string {
  return `${Number.isInteger(days) ? days : Number(days.toPrecision(3))} ${days === 1 ? 'day' : 'days'}`;
}

/**
 * What the card and the messages that named the leaver say once their details are removed:
 * "Offboarded: request #12 (details removed after 30 days)". Names nobody.
 */
export function redactedLine(request: OffboardingRequest, retentionDays?: number): string {
  const removed =
    retentionDays === undefined
      ? 'details removed'
      : `details removed after ${dayCount(retentionDays)}`;
  return request.state === 'completed'
    ? `Offboarded: request #${request.id} (${removed})`
    : `Offboarding request #${request.id}: ${STATE_LABELS[request.state]} (${removed})`;
}
