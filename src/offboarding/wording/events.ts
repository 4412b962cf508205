import type { Decision } from '../decision.table.js';
import type { WorkflowEvent } from '../events.js';
import type { OffboardingRequest } from '../request.table.js';
import { formatRunTime } from '../schedule.js';
import { STEPS } from '../steps.js';
import { redactedLine } from './card.js';
import { formatDuration, type TextStyle } from './style.js';
import { RESTORE_LEAVES_OUT } from './undo.js';

/** A platform-neutral icon; each adapter draws it its own way (Slack shortcode, emoji). */
export type EventIcon =
  | 'started'
  | 'step'
  | 'done'
  | 'warning'
  | 'waiting'
  | 'finished'
  | 'failed'
  | 'expired'
  | 'reminder'
  | 'scheduled'
  | 'cancelled'
  | 'rejected';

export interface EventDescription {
  icon: EventIcon;
  text: string;
  /** Genesys's own words (an error, a result); shown as plain text apart from ours. */
  detail: string | undefined;
}

/** Reminders are for requests still waiting: once decided or closed, one queued earlier is dropped. */
export function isStaleReminder(request: OffboardingRequest, event: WorkflowEvent): boolean {
  return (
    (event.type === 'approval_reminder' || event.type === 'expiry_warning') &&
    request.state !== 'pending'
  );
}

/** Sent to each approver directly (Slack), pointing at the request's channel. */
export function approverReminderText(
  request: OffboardingRequest,
  where: string,
  style: TextStyle,
): string {
  return `Reminder: offboarding request #${request.id} for ${style.text(request.target_name)} (${style.text(request.target_email)}) is waiting for your approval in ${where}. It expires ${style.date(request.expires_at)}.`;
}

/**
 * The sentence each chat adapter posts for a workflow event, in the request's thread or notices.
 * A rejection's words need its `decision` (who, and the reason they gave).
 */
export function describeEvent(
  request: OffboardingRequest,
  event: WorkflowEvent,
  style: TextStyle,
  decision?: Decision,
): EventDescription {
  const line = (icon: EventIcon, text: string, detail?: string): EventDescription => ({
    icon,
    text,
    detail,
  });
  const target = `${style.text(request.target_name)} (${style.text(request.target_email)})`;
  switch (event.type) {
    case 'run_started':
      return line(
        'started',
        event.scheduled
          ? 'It is the scheduled time: starting the offboarding in Genesys Cloud.'
          : 'Approved. Starting the offboarding in Genesys Cloud.',
      );
    case 'scheduled':
      return line(
        'scheduled',
        `Approved. The offboarding runs on ${runTime(request, event.runAt)}; nothing changes in Genesys Cloud before then, and it can still be cancelled from the card until it starts.`,
      );
    case 'cancelled':
      return line(
        'cancelled',
        `Cancelled by ${style.text(event.byName)}. Nothing was changed in Genesys Cloud.`,
      );
    case 'rejected':
      return line(
        'rejected',
        `${style.requester(request)}, this request was rejected by ${rejectedBy(event.byName, decision, style)}. Nothing was changed in Genesys Cloud.`,
      );
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
    case 'erasure_scheduled':
      return line(
        'waiting',
        `${target} is soft-deleted and signed out. The GDPR request will be filed on ${style.date(new Date(event.dueAt))}. Until then an approver can ${style.strong('Undo')} on the card to restore the user.`,
      );
    case 'erasure_reminder':
      return line(
        'warning',
        `Reminder: the GDPR request for ${target} will be filed on ${style.date(new Date(event.dueAt))} and cannot be undone after that. ${style.strong('Undo')} on the card restores the user until then.`,
      );
    case 'erasure_due':
      return line(
        'step',
        'The grace period is over: filing the GDPR request. Undo is no longer possible.',
      );
    case 'restored':
      return line(
        'done',
        `Undone by ${style.text(event.byName)}: ${target} is restored in Genesys Cloud and the GDPR request will not be filed. ${RESTORE_LEAVES_OUT}`,
      );
    case 'outcome_notice': {
      if (event.outcome === 'rejected') {
        return line(
          'rejected',
          `Request #${request.id} to offboard ${target} was rejected by ${rejectedBy(event.byName ?? 'an approver', decision, style)} (requested by ${style.requester(request)}). Nothing was changed in Genesys Cloud.`,
        );
      }
      if (event.outcome === 'restored') {
        return line(
          'done',
          `Offboarding undone: ${target} was restored by ${style.text(event.byName ?? 'an approver')} (request #${request.id}, requested by ${style.requester(request)}). No GDPR request was filed.`,
        );
      }
      const ok = event.outcome === 'completed';
      return line(
        ok ? 'done' : 'failed',
        `${ok ? 'Offboarded' : 'Offboarding failed for'} ${target} (request #${request.id}, requested by ${style.requester(request)}).`,
        event.error,
      );
    }
    case 'redacted':
      return line('done', redactedLine(request, event.retentionDays));
    case 'expired':
      return line(
        'expired',
        `This request expired without a decision. ${style.requester(request)}, file a new one if it is still needed.`,
      );
    case 'approval_reminder':
      return line(
        'reminder',
        `Reminder: this request to offboard ${target} is still waiting for approval (${event.approvals} of ${event.required} approvals). It expires ${style.date(request.expires_at)}.`,
      );
    case 'expiry_warning':
      return line(
        'reminder',
        `${style.requester(request)}, this request expires ${style.date(request.expires_at)} and has ${event.approvals} of ${event.required} approvals. Nothing is changed in Genesys Cloud unless it is approved in time; ask an approver.`,
      );
  }
}

/** "<who>: <reason>", or "<who>" when no reason was given (or it was removed). */
function rejectedBy(byName: string, decision: Decision | undefined, style: TextStyle): string {
  const who = decision?.decision === 'rejected' ? style.decider(decision) : style.text(byName);
  return decision?.reason ? `${who}: ${style.text(decision.reason)}` : who;
}

/**
 * Told to the requester directly (Slack DM). Names neither the leaver nor the reason, so nothing
 * in it needs removing later: the thread has both.
 */
export function rejectionDirectText(
  request: OffboardingRequest,
  byName: string,
  decision: Decision | undefined,
  where: string,
  style: TextStyle,
): string {
  const who = decision?.decision === 'rejected' ? style.decider(decision) : style.text(byName);
  return `Your offboarding request #${request.id} was rejected by ${who}. ${decision?.reason ? 'The reason is' : 'Details are'} in its thread in ${where}. Nothing was changed in Genesys Cloud.`;
}

function runTime(request: OffboardingRequest, runAt: string): string {
  return formatRunTime(new Date(runAt), request.requester_time_zone ?? 'UTC');
}
