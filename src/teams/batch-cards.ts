import type {
  BatchCheck,
  BatchDecisionOutcome,
  BatchRetryOutcome,
  BatchView,
} from '../offboarding/batch.service.js';
import type { BatchState } from '../offboarding/batch.table.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { formatRunTime } from '../offboarding/schedule.js';
import { plannedActions } from '../offboarding/steps.js';
import {
  batchCheckText,
  batchDecisionReply,
  batchProgressLine,
  batchRetryReply,
  batchTitle,
  RETRY_FAILED_LABEL,
  retryFailedWarning,
} from '../offboarding/wording/batch.js';
import {
  approvalsLine,
  decidedParts,
  PLANNED_ACTIONS_HEADING,
} from '../offboarding/wording/card.js';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardAction,
  type CardElement,
  type ExecuteAction,
  field,
  heading,
  line,
  run,
} from './adaptive-card.js';
import { approverNames } from './cards.js';
import { TEAMS_STYLE } from './messages.js';

/** The Action.Execute verb of the batch card's buttons and of Retry failed; the choice is in the data. */
export const BATCH_VERB = 'offboarding.batch';

export type BatchChoice = 'approved' | 'rejected' | 'retry';

/** What Approve all, Reject all and Retry failed send back. */
export interface BatchClickData {
  offboardingBatchId: number;
  offboardingBatchChoice: BatchChoice;
  /** The batch's decision token, as on a single request's card. */
  offboardingToken: string | undefined;
}

export function parseBatchData(data: unknown): BatchClickData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const {
    offboardingBatchId: batchId,
    offboardingBatchChoice: choice,
    offboardingToken: token,
  } = data as Record<string, unknown>;
  if (typeof batchId !== 'number' || !Number.isInteger(batchId)) return undefined;
  if (choice !== 'approved' && choice !== 'rejected' && choice !== 'retry') return undefined;
  return {
    offboardingBatchId: batchId,
    offboardingBatchChoice: choice,
    offboardingToken: typeof token === 'string' ? token : undefined,
  };
}

/** How many failed people the final report lists before "and N more". */
export const REPORTED_FAILURES = 20;

/** Why a checked batch cannot be filed, shown under the emails; undefined when it can. */
export function batchFormProblem(check: BatchCheck): string | undefined {
  // The Teams form has no file input: lines only.
  if (check.kind === 'empty') return 'Give one email per line.';
  return batchCheckText(check, TEAMS_STYLE);
}

/** What the clicker alone is told after a click on a batch card; undefined when the card says it. */
export function batchClickReply(
  outcome: BatchDecisionOutcome | BatchRetryOutcome,
): string | undefined {
  switch (outcome.kind) {
    case 'retried':
    case 'nothing_failed':
      return batchRetryReply(outcome);
    default:
      return batchDecisionReply(outcome);
  }
}

/** How to get the full CSV report where the card cannot carry it: said plainly, on the card. */
export function fullReportLine(batchId: number): string {
  return `Teams does not let bots upload files into a channel, so the CSV report (one row per person: Genesys id, outcome, GDPR request id, error) is not attached. Your bot admin prints it on the bot's server with: npm run audit -- --batch ${batchId}`;
}

const BATCH_STATE_LINES: Record<Exclude<BatchState, 'pending'>, string> = {
  approved: '✅ Approved: running, one person at a time through the Genesys rate limit.',
  rejected: '⛔ Rejected. Nothing was changed in Genesys Cloud.',
  expired: '⏰ Expired without a decision. Nothing was changed in Genesys Cloud.',
  cancelled: '✖️ Cancelled. Nothing was changed in Genesys Cloud.',
};

export interface BatchCardContext {
  approvers: readonly string[];
  /** Shown to the person who clicked only. */
  note?: string | undefined;
}

/**
 * One card for the whole batch: the count, the first ten names and "and N more", what approval
 * does, and Approve all (confirmed) / Reject all while it waits.
 */
export function batchCard(view: BatchView, context: BatchCardContext): AdaptiveCard {
  const { batch } = view;
  const more = view.total - view.firstNames.length;
  const body: CardElement[] = [
    heading(batchTitle(view)),
    line([
      run(batch.requester_name ?? 'Someone', { weight: 'bolder' }),
      run(` asks to offboard ${view.total} ${view.total === 1 ? 'person' : 'people'}:`),
    ]),
    ...view.firstNames.map((name) => line([run(`• ${name}`)], { spacing: 'none' })),
    ...(more > 0 ? [line([run(`and ${more} more`, { italic: true })], { spacing: 'none' })] : []),
    {
      ...field('Reason', batch.reason ?? (batch.redacted_at ? '[removed]' : 'none given')),
      spacing: 'small',
    },
    ...(batch.run_at
      ? [field('Runs on', formatRunTime(batch.run_at, batch.requester_time_zone ?? 'UTC'))]
      : []),
    { ...heading(`${PLANNED_ACTIONS_HEADING}, for each person`), separator: true },
    ...plannedActions(view.gdprMode).map((action, index) =>
      line(
        [
          run(`${index + 1}. `),
          ...(action.irreversible ? [run('⚠️ ', { color: 'attention' })] : []),
          run(action.text, action.irreversible ? { color: 'attention', weight: 'bolder' } : {}),
        ],
        { spacing: 'none' },
      ),
    ),
  ];
  const approvals = approvalsLine(view.approvals, view.approvalsRequired, TEAMS_STYLE);
  if (approvals) body.push(line([run(`☑️ ${approvals}`)], { separator: true }));
  let actions: CardAction[] = [];
  if (batch.state === 'pending') {
    body.push(
      line(
        [
          run(
            `Approvers: ${approverNames(context.approvers).join(', ') || 'none configured'} · neither the requester nor anyone in the batch can approve`,
            { isSubtle: true },
          ),
        ],
        { separator: true },
      ),
    );
    actions = [
      {
        type: 'Action.ShowCard',
        title: `Approve all ${view.total}…`,
        card: {
          type: 'AdaptiveCard',
          body: [line([run(batchApprovalWarning(view))])],
          actions: [batchAction(view, 'approved', 'Yes, approve all')],
        },
      },
      batchAction(view, 'rejected', 'Reject all'),
    ];
  } else {
    body.push(line([run(BATCH_STATE_LINES[batch.state])], { separator: true }));
    if (view.decision && (batch.state === 'approved' || batch.state === 'rejected')) {
      const { before, decider, after } = decidedParts(view.decision, TEAMS_STYLE);
      body.push(
        line([run(before), run(decider, { weight: 'bolder' }), run(after)], { spacing: 'none' }),
      );
    }
    if (batch.state === 'approved') body.push(line([run(batchProgressLine(view))]));
  }
  if (context.note) body.push(onlyYou(context.note));
  return adaptiveCard(body, actions);
}

function batchApprovalWarning(view: BatchView): string {
  return `${view.total} ${view.total === 1 ? 'person' : 'people'} will be deleted from Genesys Cloud${view.gdprMode === 'none' ? '.' : ', each with a GDPR request. The GDPR step cannot be undone.'}`;
}

/**
 * The one progress activity in the card's thread, updated in place. Once every person is final
 * it is the report: the counts, the failed people with their errors (the first twenty and
 * "and N more"), where the full CSV is, and Retry failed. Drawn from the database each time, so
 * once the people's details are redacted it shows them removed.
 */
export function batchProgressCard(
  view: BatchView,
  failed: readonly Pick<OffboardingRequest, 'target_name' | 'failure_reason'>[],
): AdaptiveCard {
  const body: CardElement[] = [
    heading(`${view.settled ? 'Report of b' : 'B'}ulk offboarding #${view.batch.id}`),
    line([run(`${view.settled ? '🏁' : '⚙️'} ${batchProgressLine(view)}`)]),
  ];
  const actions: CardAction[] = [];
  if (view.settled) {
    const others = view.total - view.completed - view.failed;
    body.push(
      field('Offboarded', String(view.completed)),
      field('Failed', String(view.failed)),
      ...(others > 0 ? [field('Closed otherwise', String(others))] : []),
    );
    if (failed.length > 0) {
      body.push({ ...heading('Failed'), separator: true });
      for (const member of failed.slice(0, REPORTED_FAILURES)) {
        body.push(
          line(
            [
              run(`❌ ${member.target_name}: `, { weight: 'bolder' }),
              run(member.failure_reason ?? 'no error recorded'),
            ],
            { spacing: 'none' },
          ),
        );
      }
      const more = failed.length - REPORTED_FAILURES;
      if (more > 0)
        body.push(line([run(`and ${more} more`, { italic: true })], { spacing: 'none' }));
      // Asks once more, as the Slack button's confirm dialog does.
      actions.push({
        type: 'Action.ShowCard',
        title: `${RETRY_FAILED_LABEL}…`,
        card: {
          type: 'AdaptiveCard',
          body: [line([run(retryFailedWarning(view))])],
          actions: [batchAction(view, 'retry', `Yes, ${RETRY_FAILED_LABEL.toLowerCase()}`)],
        },
      });
    }
    body.push(line([run(fullReportLine(view.batch.id), { isSubtle: true })], { separator: true }));
  }
  return adaptiveCard(body, actions);
}

/** The notice that the run ended, in the card's thread: no names, it is not redrawn later. */
export function batchFinishedText(view: BatchView): string {
  return `🏁 Bulk offboarding #${view.batch.id} finished: ${view.completed} offboarded, ${view.failed} failed. The report is in the progress card above. ${fullReportLine(view.batch.id)}`;
}

export function batchSummary(view: BatchView): string {
  return `${batchTitle(view)}${view.batch.state === 'pending' ? ', waiting for approval' : ''}`;
}

function batchAction(view: BatchView, choice: BatchChoice, title: string): ExecuteAction {
  // The token proves the click comes from this batch's card, not one with the same number.
  const data: BatchClickData & Record<string, unknown> = {
    offboardingBatchId: view.batch.id,
    offboardingBatchChoice: choice,
    offboardingToken: view.batch.decision_token,
  };
  const style = choice === 'rejected' ? 'destructive' : 'positive';
  return {
    type: 'Action.Execute',
    title,
    verb: BATCH_VERB,
    data,
    style,
    fallback: { type: 'Action.Submit', title, data, style },
  };
}

function onlyYou(note: string): CardElement {
  return {
    type: 'Container',
    style: 'attention',
    spacing: 'medium',
    items: [line([run('Only you see this: ', { weight: 'bolder' }), run(note)])],
  };
}
