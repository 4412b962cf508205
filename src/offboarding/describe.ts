import type { Decision } from './decision.table.js';
import type { WorkflowEvent } from './events.js';
import type { DecisionOutcome } from './offboarding.service.js';
import type { OffboardingRequest, RequestState } from './request.table.js';
import { STEPS } from './steps.js';

/** Platform-neutral wording shared by the Slack and Teams renderers. */

export const STATE_LABELS: Record<RequestState, string> = {
  pending: 'Waiting for approval',
  approved: 'Approved, starting',
  rejected: 'Rejected',
  expired: 'Expired without a decision',
  cancelled: 'Cancelled',
  running: 'In progress',
  completed: 'Completed',
  failed: 'Failed',
};

/** How a platform writes the few marked-up parts of a sentence about a request. */
export interface TextStyle {
  /** Text from users or Genesys, made safe for the platform. */
  text(value: string): string;
  code(value: string): string;
  strong(value: string): string;
  /** Who asked: a mention where the platform has one, else a name. */
  requester(request: OffboardingRequest): string;
}

/** A platform-neutral icon; each adapter draws it its own way (Slack shortcode, emoji). */
export type EventIcon =
  | 'started'
  | 'step'
  | 'done'
  | 'warning'
  | 'waiting'
  | 'finished'
  | 'failed'
  | 'expired';

export interface EventDescription {
  icon: EventIcon;
  text: string;
  /** Genesys's own words (an error, a result); shown as plain text apart from ours. */
  detail: string | undefined;
}

/** The sentence each chat adapter posts for a workflow event, in the request's thread or notices. */
export function describeEvent(
  request: OffboardingRequest,
  event: WorkflowEvent,
  style: TextStyle,
): EventDescription {
  const line = (icon: EventIcon, text: string, detail?: string): EventDescription => ({
    icon,
    text,
    detail,
  });
  const target = `${style.text(request.target_name)} (${style.text(request.target_email)})`;
  switch (event.type) {
    case 'run_started':
      return line('started', 'Approved. Starting the offboarding in Genesys Cloud.');
    case 'step_started':
      return line('step', `${STEPS[event.step].label}: started.`);
    case 'step_succeeded':
      return line('done', `${STEPS[event.step].label}: done.`, event.detail);
    case 'step_retrying':
      return line(
        'warning',
        `Genesys unavailable, retrying. ${STEPS[event.step].label} will be tried again in about ${formatDuration(event.retryInSeconds)}; nothing is lost.`,
        event.error,
      );
    case 'gdpr_status':
      return line(
        'waiting',
        `GDPR request ${style.code(event.gdprRequestId)} is now ${style.strong(event.status)}.`,
      );
    case 'completed':
      return line(
        'finished',
        `Offboarding of ${target} is complete.${request.gdpr_mode === 'none' ? '' : ' The GDPR request finished.'}`,
      );
    case 'failed':
      return line(
        'failed',
        `Offboarding stopped${event.step ? ` at "${STEPS[event.step].label}"` : ''}. Nothing after that step ran. An admin can retry it once the cause is fixed.`,
        event.error,
      );
    case 'outcome_notice': {
      const ok = event.outcome === 'completed';
      return line(
        ok ? 'done' : 'failed',
        `${ok ? 'Offboarded' : 'Offboarding failed for'} ${target} (request #${request.id}, requested by ${style.requester(request)}).`,
        event.error,
      );
    }
    case 'expired':
      return line(
        'expired',
        `This request expired without a decision. ${style.requester(request)}, file a new one if it is still needed.`,
      );
  }
}

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/**
 * What the person who clicked Approve or Reject is told when nothing changed; undefined when their
 * decision was recorded. `who` renders the earlier decider the platform's way (a mention, a name).
 */
export function decisionRefusal(
  outcome: DecisionOutcome,
  who: (decision: Decision) => string,
): string | undefined {
  switch (outcome.kind) {
    case 'decided':
      return undefined;
    case 'not_found':
      return 'This request no longer exists.';
    case 'stale_card':
      return 'This card is out of date: it does not belong to the current request with this number. Nothing was changed.';
    case 'guest':
      return 'Guest accounts cannot approve or reject offboarding requests. Nothing was changed.';
    case 'unknown_identity':
      return 'I could not read your email address, so I cannot check that this request is not about you. Nothing was changed; try again, or ask your bot admin.';
    case 'own_offboarding':
      return 'This request is about you, so you cannot approve or reject it. Nothing was changed.';
    case 'not_approver':
      return 'Only an approver can approve or reject offboarding requests. Nothing was changed.';
    case 'self_decision':
      return 'You requested this offboarding, so another approver must decide it. Nothing was changed.';
    case 'expired':
      return `Request #${outcome.request.id} expired before a decision. Nothing was changed; the requester can file a new one.`;
    case 'already_decided':
      return outcome.decision
        ? `Request #${outcome.request.id} was already ${outcome.decision.decision} by ${who(outcome.decision)}. Nothing was changed.`
        : `Request #${outcome.request.id} is already closed.`;
  }
}

/** What a guest who tried to file a request is told; the same on every platform. */
export const GUEST_REQUEST_REFUSAL =
  'Guest accounts cannot request offboardings. Ask a member of your organization.';
