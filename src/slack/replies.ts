import { GUEST_REQUEST_REFUSAL, STATE_LABELS } from '../offboarding/describe.js';
import type { RequestOutcome } from '../offboarding/offboarding.service.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { escapeMrkdwn } from './escape.js';

export const USAGE = [
  '*Usage*',
  '`/offboard jane.doe@example.com Last day Friday` asks to offboard a Genesys Cloud user; the reason is optional.',
  '`/offboard @jane Last day Friday` does the same for a Slack user, by their email.',
  '`/offboard status` lists your recent requests; `/offboard status 12` shows request #12.',
  '`/offboard help` shows this.',
  'An approver other than you approves or rejects the request with its buttons. Then the bot revokes the user’s sessions, soft deletes them and files the GDPR request, posting each step in the request’s thread.',
].join('\n');

/** What the person who typed the command is told, privately, when nothing was posted. */
export function refusalText(
  outcome: Exclude<RequestOutcome, { kind: 'created' }>,
  link?: string,
): string {
  switch (outcome.kind) {
    case 'invalid_email':
      return `\`${escapeMrkdwn(outcome.input)}\` is not an email address. Give the Genesys Cloud user's email, for example \`/offboard jane.doe@example.com Last day Friday\`.`;
    case 'not_allowed':
      return 'You are not allowed to request offboardings. Ask your Slack admin to add you (or a group you are in) to SLACK_REQUESTERS.';
    case 'guest':
      return GUEST_REQUEST_REFUSAL;
    case 'self_target':
      return 'You cannot request your own offboarding. Ask your manager to do it.';
    case 'user_not_found':
      return `No Genesys Cloud user has the email ${escapeMrkdwn(outcome.email)}. Check the spelling; Genesys search does not show users who are already deleted.`;
    case 'ambiguous_user':
      return `${outcome.count} Genesys Cloud users have the email ${escapeMrkdwn(outcome.email)}. Fix the duplicate in Genesys Cloud first, so the bot cannot delete the wrong person.`;
    case 'already_deleted':
      return `The Genesys Cloud user ${escapeMrkdwn(outcome.email)} is already deleted.`;
    case 'already_open':
      return `Request #${outcome.request.id} for ${escapeMrkdwn(outcome.request.target_email)} is already open (${STATE_LABELS[outcome.request.state].toLowerCase()})${link ? `: <${link}|see the request>` : ''}. No second request was filed.`;
    case 'genesys_unavailable':
      return `Genesys Cloud could not be reached to look the user up (${escapeMrkdwn(outcome.message)}). Nothing was recorded; try again in a few minutes.`;
  }
}

export function statusLine(request: OffboardingRequest): string {
  return `#${request.id} · ${escapeMrkdwn(request.target_name)} (${escapeMrkdwn(request.target_email)}) · ${STATE_LABELS[request.state]} · requested ${request.created_at.toISOString().slice(0, 16).replace('T', ' ')} UTC${request.gdpr_status ? ` · GDPR ${escapeMrkdwn(request.gdpr_status)}` : ''}${request.failure_reason ? ` · ${escapeMrkdwn(request.failure_reason)}` : ''}`;
}
