import type {
  BatchCheck,
  BatchDecisionOutcome,
  BatchLineProblem,
  BatchLineProblemKind,
  BatchRetryOutcome,
  BatchView,
} from '../batch.service.js';
import { formatRunTime } from '../schedule.js';
import { scheduleRefusal } from './refusals.js';
import type { TextStyle } from './style.js';

/**
 * The words of bulk offboarding, shared by Slack and Teams. Line problems are plain text (a
 * modal's inline error, a card's error text); the rest goes through the style.
 */

/** How many offending lines an inline error lists before "and N more". */
export const LISTED_PROBLEMS = 10;

const PROBLEM_TEXT: Record<BatchLineProblemKind, string> = {
  not_an_email: 'not an email address',
  duplicate: 'listed twice',
  self: 'that is you: ask someone else to offboard you',
  not_found: 'no Genesys Cloud user has this email',
  ambiguous: 'several Genesys Cloud users have this email',
  already_deleted: 'already deleted in Genesys Cloud',
  open_request: 'already has an open offboarding request',
};

/** `Line 3 “x@y”: listed twice`, one per line, the first ten and "and N more". Plain text. */
export function batchProblemsText(problems: readonly BatchLineProblem[]): string {
  const listed = problems
    .slice(0, LISTED_PROBLEMS)
    .map((problem) => `Line ${problem.line} “${problem.text}”: ${PROBLEM_TEXT[problem.problem]}`);
  const more = problems.length - LISTED_PROBLEMS;
  return [
    `${problems.length === 1 ? 'One line needs' : `${problems.length} lines need`} fixing; nothing was recorded.`,
    ...listed,
    ...(more > 0 ? [`and ${more} more`] : []),
  ].join('\n');
}

/** Why a checked batch cannot be filed, for the field it is about; undefined when it can. */
export function batchCheckText(check: BatchCheck, style: TextStyle): string | undefined {
  switch (check.kind) {
    case 'ready':
      return undefined;
    case 'empty':
      return 'Give one email per line, or attach a CSV file with one email per row.';
    case 'too_many':
      return `A batch holds at most ${check.max} people; this one has ${check.count}. Split it in several batches.`;
    case 'problems':
      return batchProblemsText(check.problems);
    case 'invalid_schedule':
      return scheduleRefusal(check.problem, style);
    case 'not_allowed':
      return `You may not request offboardings. ${style.notAllowedHint}`;
    case 'guest':
      return 'Guest accounts cannot request offboardings.';
    case 'genesys_unavailable':
      return `Genesys Cloud did not answer the look-ups (${check.message}). Nothing was recorded; try again in a moment.`;
  }
}

export function batchTitle(view: BatchView): string {
  return `Bulk offboarding #${view.batch.id}: ${view.total} ${view.total === 1 ? 'person' : 'people'}`;
}

/** The first names on the card, and how many more. Plain text. */
export function batchNamesText(view: BatchView): string {
  const more = view.total - view.firstNames.length;
  return `${view.firstNames.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** "312 of 500 done, 2 failed"; the state of the run at a glance. */
export function batchProgressLine(view: BatchView): string {
  const counts = `${view.finished} of ${view.total} done, ${view.failed} failed`;
  if (view.settled) {
    return `Finished: ${counts}. ${view.completed} offboarded.`;
  }
  const waiting = view.counts.scheduled ?? 0;
  if (waiting > 0 && view.batch.run_at) {
    return `${counts}. ${waiting} waiting until ${formatRunTime(view.batch.run_at, view.batch.requester_time_zone ?? 'UTC')}.`;
  }
  return `Running: ${counts}.`;
}

/**
 * The notification channel's line when a batch settles: counts only. A channel message is not
 * redacted with the people's details, so it names none of them.
 */
export function batchOutcomeNotice(view: BatchView): string {
  const others = view.finished - view.completed - view.failed;
  return `Bulk offboarding #${view.batch.id} finished: ${view.completed} of ${view.total} offboarded, ${view.failed} failed${others > 0 ? `, ${others} closed otherwise` : ''}.`;
}

export const RETRY_FAILED_LABEL = 'Retry failed';

export function retryFailedWarning(view: BatchView): string {
  return `Run the ${view.failed} failed ${view.failed === 1 ? 'offboarding' : 'offboardings'} again from the step that failed. Steps that succeeded are not repeated.`;
}

/** What the clicker is told after Approve or Reject on a batch card; undefined when done. */
export function batchDecisionReply(outcome: BatchDecisionOutcome): string | undefined {
  switch (outcome.kind) {
    case 'decided':
      return undefined;
    case 'approval_recorded': {
      const missing = outcome.required - outcome.approvals;
      return `Your approval of bulk offboarding #${outcome.batch.id} is recorded: ${outcome.approvals} of ${outcome.required} approvals. Nothing runs until ${missing === 1 ? 'one more approver approves' : `${missing} more approvers approve`}.`;
    }
    case 'already_approved_by_you':
      return `You already approved bulk offboarding #${outcome.batch.id}: ${outcome.approvals} of ${outcome.required} approvals. Another approver must approve. Nothing was changed.`;
    case 'not_found':
      return 'This bulk offboarding no longer exists. Nothing was changed.';
    case 'stale_card':
      return 'This card is out of date: it does not belong to the current batch with this number. Nothing was changed.';
    case 'guest':
      return 'Guest accounts cannot approve or reject offboardings. Nothing was changed.';
    case 'unknown_identity':
      return 'I could not read your email address, so I cannot check that this batch does not include you. Nothing was changed; try again, or ask your bot admin.';
    case 'own_offboarding':
      return 'You are one of the people in this batch, so you cannot decide it. Nothing was changed.';
    case 'not_approver':
      return 'Only an approver can approve, reject or retry offboardings. Nothing was changed.';
    case 'self_decision':
      return 'You requested this bulk offboarding, so another approver must decide it. Nothing was changed.';
    case 'expired':
      return `Bulk offboarding #${outcome.batch.id} expired before a decision. Nothing was changed; file a new one.`;
    case 'already_decided':
      return `Bulk offboarding #${outcome.batch.id} is already ${outcome.batch.state}. Nothing was changed.`;
  }
}

export function batchRetryReply(outcome: BatchRetryOutcome): string {
  switch (outcome.kind) {
    case 'retried':
      return `Retrying ${outcome.requestIds.length} failed ${outcome.requestIds.length === 1 ? 'offboarding' : 'offboardings'} of bulk offboarding #${outcome.batch.id}; the progress message follows them.`;
    case 'nothing_failed':
      return `Nothing in bulk offboarding #${outcome.batch.id} is failed now. Nothing was changed.`;
    default:
      return batchDecisionReply(outcome) ?? 'Nothing was changed.';
  }
}

/** The CSV report's comment. */
export function batchReportComment(view: BatchView): string {
  return `Report of bulk offboarding #${view.batch.id}: one row per person (Genesys id, outcome, GDPR request id, error).`;
}

/** "bulk offboarding #7 (12 people)": how reminders name a batch, by count, never by name. */
function batchCounted(view: BatchView): string {
  return `bulk offboarding #${view.batch.id} (${view.total} ${view.total === 1 ? 'person' : 'people'})`;
}

/** The thread's reminder of a batch still waiting; counts only, so nothing needs redaction. */
export function batchApprovalReminderText(view: BatchView): string {
  return `Reminder: ${batchCounted(view)} is waiting for approval: ${view.approvals.length} of ${view.approvalsRequired} approvals.`;
}

/** The direct message to each approver; `where` is the channel, as the platform writes it. */
export function batchApproverReminderText(view: BatchView, where: string): string {
  return `Reminder: ${batchCounted(view)} is waiting for your approval in ${where}: ${view.approvals.length} of ${view.approvalsRequired} approvals.`;
}

/** The requester's one warning before the batch's people expire undecided. */
export function batchExpiryWarningText(view: BatchView): string {
  return `Heads up: ${batchCounted(view)} will expire soon without a decision (${view.approvals.length} of ${view.approvalsRequired} approvals): ask an approver, or file it again later.`;
}
