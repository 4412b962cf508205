import type { OffboardingRequest, RequestState } from '../request.table.js';
import { formatRunTime } from '../schedule.js';
import { type TextStyle, utcMinute } from './style.js';

export const STATE_LABELS: Record<RequestState, string> = {
  pending: 'Waiting for approval',
  approved: 'Approved, starting',
  scheduled: 'Approved, waiting for its scheduled time',
  awaiting_erasure: 'Soft-deleted, waiting to file the GDPR request',
  restored: 'Restored (undone before the erasure)',
  rejected: 'Rejected',
  expired: 'Expired without a decision',
  cancelled: 'Cancelled',
  running: 'In progress',
  completed: 'Completed',
  failed: 'Failed',
};

/** One request in a `status` answer. */
export function statusLine(request: OffboardingRequest, style: TextStyle): string {
  const parts = [
    `#${request.id}`,
    `${style.text(request.target_name)} (${style.text(request.target_email)})`,
    STATE_LABELS[request.state],
    `requested ${utcMinute(request.created_at)}`,
    ...(request.run_at && (request.state === 'pending' || request.state === 'scheduled')
      ? [`runs ${formatRunTime(request.run_at, request.requester_time_zone ?? 'UTC')}`]
      : []),
    ...(request.gdpr_status ? [`GDPR ${style.text(request.gdpr_status)}`] : []),
    ...(request.failure_reason ? [style.text(request.failure_reason)] : []),
  ];
  return parts.join(' · ');
}

/** The answer to `status` (no number): the asker's recent requests. */
export function recentRequestsText(recent: OffboardingRequest[], style: TextStyle): string {
  if (recent.length === 0) return 'You have not requested any offboarding yet.';
  const lines = recent.map((request) => statusLine(request, style));
  return `${style.strong('Your recent requests')}:\n${lines.join('\n')}`;
}

/** The answer to `status 12` when it shows nothing. */
export function requestNotShown(requestId: number, why: 'not_found' | 'not_allowed'): string {
  return why === 'not_found'
    ? `There is no request #${requestId}.`
    : `Request #${requestId} is visible only to the person who filed it and the approvers.`;
}

export function invalidStatusNumber(input: string, style: TextStyle): string {
  return `${style.quoted(input)} is not a request number. Use ${style.command('status 12')}.`;
}
