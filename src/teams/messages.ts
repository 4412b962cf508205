import {
  describeEvent,
  type EventIcon,
  GUEST_REQUEST_REFUSAL,
  STATE_LABELS,
  type TextStyle,
} from '../offboarding/describe.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import type { RequestOutcome } from '../offboarding/offboarding.service.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { utcMinute } from './cards.js';

/**
 * Text messages, as opposed to cards. Each is sent with textFormat `plain`, which Teams shows
 * as raw text: names, reasons and Genesys errors in them cannot turn into markdown or links, so
 * nothing here is escaped, and the wording uses emoji rather than formatting.
 */
export const USAGE = [
  'Usage (in a chat with me, or mention me in a channel):',
  '• offboard jane.doe@example.com Last day Friday: asks to offboard a Genesys Cloud user; the reason is optional.',
  '• status: your recent requests. status 12: request #12.',
  '• offboard notify here: completion and failure notices go to this conversation, and so do requests made in a personal chat.',
  '• help: this.',
  'An approver other than you approves or rejects the request on its card. Then the bot revokes the user’s sessions, soft deletes them and files the GDPR request, posting each step in the card’s thread.',
].join('\n');

const TEAMS_STYLE: TextStyle = {
  text: (value) => value,
  code: (value) => value,
  strong: (value) => value,
  requester: (request) => request.requester_name ?? 'The requester',
};

const EVENT_ICONS: Record<EventIcon, string> = {
  started: '⚙️',
  step: '▶️',
  done: '✅',
  warning: '⚠️',
  waiting: '⏳',
  finished: '🎉',
  failed: '❌',
  expired: '⏰',
};

/** A reply in the request's thread, or (outcome_notice) a notice in the notify conversation. */
export function eventText(request: OffboardingRequest, event: WorkflowEvent): string {
  const { icon, text, detail } = describeEvent(request, event, TEAMS_STYLE);
  return `${EVENT_ICONS[icon]} ${text}${detail ? `\n${detail}` : ''}`;
}

/** What the person who typed the command is told when no card was posted. */
export function refusalText(outcome: Exclude<RequestOutcome, { kind: 'created' }>): string {
  switch (outcome.kind) {
    case 'invalid_email':
      return `“${outcome.input}” is not an email address. Give the Genesys Cloud user's email, for example: offboard jane.doe@example.com Last day Friday`;
    case 'not_allowed':
      return 'You are not allowed to request offboardings. Ask your bot admin.';
    case 'guest':
      return GUEST_REQUEST_REFUSAL;
    case 'self_target':
      return 'You cannot request your own offboarding. Ask your manager to do it.';
    case 'user_not_found':
      return `No Genesys Cloud user has the email ${outcome.email}. Check the spelling; Genesys search does not show users who are already deleted.`;
    case 'ambiguous_user':
      return `${outcome.count} Genesys Cloud users have the email ${outcome.email}. Fix the duplicate in Genesys Cloud first, so the bot cannot delete the wrong person.`;
    case 'already_deleted':
      return `The Genesys Cloud user ${outcome.email} is already deleted.`;
    case 'already_open':
      return `Request #${outcome.request.id} for ${outcome.request.target_email} is already open (${STATE_LABELS[outcome.request.state].toLowerCase()}). No second request was filed; “status ${outcome.request.id}” shows where it stands.`;
    case 'genesys_unavailable':
      return `Genesys Cloud could not be reached to look the user up (${outcome.message}). Nothing was recorded; try again in a few minutes.`;
  }
}

export function statusLine(request: OffboardingRequest): string {
  const parts = [
    `#${request.id}`,
    `${request.target_name} (${request.target_email})`,
    STATE_LABELS[request.state],
    `requested ${utcMinute(request.created_at)}`,
    ...(request.gdpr_status ? [`GDPR ${request.gdpr_status}`] : []),
    ...(request.failure_reason ? [request.failure_reason] : []),
  ];
  return parts.join(' · ');
}
