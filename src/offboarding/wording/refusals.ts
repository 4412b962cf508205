import type { CancelOutcome, DecisionOutcome, RequestOutcome } from '../offboarding.service.js';
import { formatRunTime, type ScheduleProblem } from '../schedule.js';
import { STATE_LABELS } from './status.js';
import type { TextStyle } from './style.js';

export type RequestRefusal = Exclude<RequestOutcome, { kind: 'created' }>;

/**
 * What the person who asked for an offboarding is told, privately, when nothing was posted.
 * `link` points at the open request's message, where the platform has one.
 */
export function requestRefusal(outcome: RequestRefusal, style: TextStyle, link?: string): string {
  switch (outcome.kind) {
    case 'invalid_email':
      return `${style.quoted(outcome.input)} is not an email address. Give the Genesys Cloud user's email, for example ${style.command('jane.doe@example.com Last day Friday')}.`;
    case 'invalid_schedule':
      return scheduleRefusal(outcome.problem, style);
    case 'not_allowed':
      return `You are not allowed to request offboardings. ${style.notAllowedHint}`;
    case 'guest':
      return 'Guest accounts cannot request offboardings. Ask a member of your organization.';
    case 'self_target':
      return 'You cannot request your own offboarding. Ask your manager to do it.';
    case 'user_not_found':
      return `No Genesys Cloud user has the email ${style.text(outcome.email)}. Check the spelling; Genesys search does not show users who are already deleted.`;
    case 'ambiguous_user':
      return `${outcome.count} Genesys Cloud users have the email ${style.text(outcome.email)}. Fix the duplicate in Genesys Cloud first, so the bot cannot delete the wrong person.`;
    case 'already_deleted':
      return `The Genesys Cloud user ${style.text(outcome.email)} is already deleted.`;
    case 'already_open': {
      const { request } = outcome;
      const state = STATE_LABELS[request.state].toLowerCase();
      const where = link && style.link ? `: ${style.link(link, 'see the request')}` : '';
      return `Request #${request.id} for ${style.text(request.target_email)} is already open (${state})${where}. No second request was filed; ${style.command(`status ${request.id}`)} shows where it stands.`;
    }
    case 'genesys_unavailable':
      return `Genesys Cloud could not be reached to look the user up (${style.text(outcome.message)}). Nothing was recorded; try again in a few minutes.`;
  }
}

/**
 * What the person who clicked Approve or Reject is told when the card alone does not say it:
 * nothing changed, or their approval counts but more are needed. Undefined when their decision
 * settled the request.
 */
export function decisionRefusal(outcome: DecisionOutcome, style: TextStyle): string | undefined {
  switch (outcome.kind) {
    case 'decided':
      return undefined;
    case 'approval_recorded': {
      const missing = outcome.required - outcome.approvals.length;
      return `Your approval of request #${outcome.request.id} is recorded: ${outcome.approvals.length} of ${outcome.required} approvals. Nothing runs until ${missing === 1 ? 'one more approver approves' : `${missing} more approvers approve`}.`;
    }
    case 'already_approved_by_you':
      return `You already approved request #${outcome.request.id}, and one person counts once, on Slack or Teams: ${outcome.approvals.length} of ${outcome.required} approvals. Another approver must approve. Nothing was changed.`;
    case 'not_found':
      return REQUEST_GONE;
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
        ? `Request #${outcome.request.id} was already ${outcome.decision.decision} by ${style.decider(outcome.decision)}. Nothing was changed.`
        : `Request #${outcome.request.id} is already closed.`;
  }
}

const SCHEDULE_EXAMPLE = 'jane.doe@example.com on 2026-12-18 at 18:00 Last day';

/** Why `on … at …` was refused, with the form that works. Nothing was recorded. */
export function scheduleRefusal(problem: ScheduleProblem, style: TextStyle): string {
  const nothing = 'Nothing was recorded.';
  switch (problem.kind) {
    case 'bad_date':
      return `${style.quoted(problem.input)} is not a date. Write the day as YYYY-MM-DD, for example ${style.command(SCHEDULE_EXAMPLE)}. ${nothing}`;
    case 'impossible_date':
      return `${style.quoted(problem.input)} is not a day in the calendar. Check the month and the day, for example ${style.command(SCHEDULE_EXAMPLE)}. ${nothing}`;
    case 'bad_time':
      return `${style.quoted(problem.input)} is not a time. Write it as HH:MM on a 24-hour clock after ${style.quoted('at')}, for example ${style.command(SCHEDULE_EXAMPLE)}. ${nothing}`;
    case 'skipped_time':
      return `${style.text(`${problem.date} ${problem.time}`)} does not exist in ${style.text(problem.timeZone)}: the clocks change then. Pick another time. ${nothing}`;
    case 'in_the_past':
      return `${formatRunTime(problem.runAt, problem.timeZone)} is in the past. Give a date and time still to come, or leave out ${style.quoted('on …')} to run as soon as it is approved. ${nothing}`;
  }
}

/** What the person who clicked Cancel (or typed `cancel 12`) is told; undefined once cancelled. */
export function cancelRefusal(outcome: CancelOutcome, requestId: number): string | undefined {
  switch (outcome.kind) {
    case 'cancelled':
      return undefined;
    case 'not_found':
      return `There is no request #${requestId}.`;
    case 'stale_card':
      return 'This card is out of date: it does not belong to the current request with this number. Nothing was changed.';
    case 'guest':
      return 'Guest accounts cannot cancel offboarding requests. Nothing was changed.';
    case 'unknown_identity':
      return 'I could not read your email address, so I cannot check that this request is not about you. Nothing was changed; try again, or ask your bot admin.';
    case 'own_offboarding':
      return 'This request is about you, so you cannot cancel it. Nothing was changed.';
    case 'not_allowed':
      return `Only the person who filed request #${requestId} or an approver can cancel it. Nothing was changed.`;
    case 'not_cancellable': {
      const { request } = outcome;
      const started = request.state === 'running' || request.state === 'awaiting_erasure';
      return started
        ? `Request #${request.id} has already started, so it can no longer be cancelled. Nothing was changed.`
        : `Request #${request.id} is already closed (${STATE_LABELS[request.state].toLowerCase()}). Nothing was changed.`;
    }
  }
}

/** What the person who cancelled is told (the thread and the card say it to everyone). */
export function cancelledReply(requestId: number): string {
  return `Request #${requestId} is cancelled. Nothing was changed in Genesys Cloud.`;
}

/** The answer to `cancel` without a request number. */
export function invalidCancelNumber(input: string, style: TextStyle): string {
  return `${input === '' ? 'Say which request to cancel' : `${style.quoted(input)} is not a request number`}. Use ${style.command('cancel 12')}.`;
}

export const REQUEST_GONE = 'This request no longer exists.';

/** A click whose button carries no request this bot could have made. */
export const UNKNOWN_BUTTON = 'This button does not belong to a request I know.';

export const DECISION_FAILED =
  'Something went wrong and your decision was not recorded. Try again.';

/** The platform did not say who is asking, so neither the policy nor the audit can. */
export function profileUnreadable(style: TextStyle, asking: 'request' | 'decision'): string {
  return `I could not read your ${style.platformName} profile, so I cannot check who you are. Nothing was ${asking === 'request' ? 'recorded' : 'changed'}; try again.`;
}
