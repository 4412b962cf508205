import type { WorkflowEvent } from '../events.js';
import type { OffboardingRequest } from '../request.table.js';
import { formatRunTime } from '../schedule.js';
import { STEPS } from '../steps.js';
import { formatDuration, type TextStyle } from './style.js';

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
  | 'scheduled'
  | 'cancelled';

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

function runTime(request: OffboardingRequest, runAt: string): string {
  return formatRunTime(new Date(runAt), request.requester_time_zone ?? 'UTC');
}
