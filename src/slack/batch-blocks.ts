import type { KnownBlock } from '@slack/types';
import type { BatchView } from '../offboarding/batch.service.js';
import type { Batch } from '../offboarding/batch.table.js';
import type { Deployment } from '../offboarding/deployment.js';
import { formatRunTime } from '../offboarding/schedule.js';
import { plannedActions } from '../offboarding/steps.js';
import {
  batchNamesText,
  batchProgressLine,
  batchTitle,
  RETRY_FAILED_LABEL,
  retryFailedWarning,
} from '../offboarding/wording/batch.js';
import {
  approvalsLine,
  decidedLine,
  IRREVERSIBLE_MARK,
  PLANNED_ACTIONS_HEADING,
} from '../offboarding/wording/card.js';
import { organizationLine } from '../offboarding/wording/deployment.js';
import type { SlackMessage } from './blocks.js';
import { withSandboxNotice } from './blocks.js';
import { escapeMrkdwn, mentionSlackId, mrkdwn, plain } from './escape.js';
import { SLACK_STYLE } from './replies.js';

export const BATCH_APPROVE_ACTION = 'offboarding_batch_approve';
export const BATCH_REJECT_ACTION = 'offboarding_batch_reject';
export const BATCH_RETRY_ACTION = 'offboarding_batch_retry';

const STATE_LINES: Record<Batch['state'], string> = {
  pending: ':hourglass_flowing_sand: Waiting for approval',
  approved: ':gear: Approved: each person runs on their own; progress in the thread',
  rejected: ':no_entry: Rejected: nothing was changed in Genesys Cloud',
  expired: ':alarm_clock: Expired without a decision: nothing was changed in Genesys Cloud',
  cancelled: ':heavy_multiplication_x: Cancelled: nothing was changed in Genesys Cloud',
};

/**
 * The one card of a batch: how many people, the first ten names and "and N more", what will
 * happen to each, and one Approve / Reject for all of them.
 */
export function batchCard(
  view: BatchView,
  context: { approvers: readonly string[]; deployment?: Deployment | undefined },
): SlackMessage {
  const { batch } = view;
  const requester =
    batch.requester_platform === 'slack'
      ? mentionSlackId(batch.requester_id)
      : escapeMrkdwn(batch.requester_name ?? batch.requester_id);
  const steps = plannedActions(view.gdprMode)
    .map(
      (action, index) =>
        `${index + 1}. ${action.irreversible ? `:warning: ${action.text.replace(IRREVERSIBLE_MARK, `*${IRREVERSIBLE_MARK}*`)}` : action.text}`,
    )
    .join('\n');
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(batchTitle(view), 150) },
    {
      type: 'section',
      text: mrkdwn(
        `${requester} asks to offboard these ${view.total} Genesys Cloud users.\n*Status:* ${STATE_LINES[batch.state]}`,
      ),
    },
    // Names come from Genesys: plain text, never mrkdwn.
    { type: 'section', text: plain(batchNamesText(view)) },
    { type: 'context', elements: [plain(`Reason: ${batch.reason ?? 'none given'}`)] },
  ];
  if (batch.run_at) {
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `:spiral_calendar_pad: *Runs on ${escapeMrkdwn(formatRunTime(batch.run_at, batch.requester_time_zone ?? 'UTC'))}*`,
      ),
    });
  }
  blocks.push({
    type: 'section',
    text: mrkdwn(`*${PLANNED_ACTIONS_HEADING}, for each person*\n${steps}`),
  });
  const approvals = approvalsLine(view.approvals, view.approvalsRequired, SLACK_STYLE);
  if (approvals) {
    blocks.push({ type: 'context', elements: [mrkdwn(`:ballot_box_with_check: ${approvals}`)] });
  }
  if (batch.state === 'pending') {
    const value = batchButtonValue(batch);
    blocks.push(
      {
        type: 'context',
        elements: [
          mrkdwn(
            `Approvers: ${context.approvers.map(mentionSlackId).join(', ') || 'none configured'} · neither the requester nor anyone in the batch can approve`,
          ),
        ],
      },
      {
        type: 'actions',
        block_id: `offboarding_batch_decision_${batch.id}`,
        elements: [
          {
            type: 'button',
            action_id: BATCH_APPROVE_ACTION,
            text: plain(`Approve all ${view.total}`),
            style: 'primary',
            value,
            confirm: {
              title: plain('Approve bulk offboarding?'),
              text: plain(
                `${view.total} people will be deleted from Genesys Cloud${view.gdprMode === 'none' ? '.' : ' and a GDPR request filed for each. The GDPR step cannot be undone.'}`,
              ),
              confirm: plain('Approve all'),
              deny: plain('Cancel'),
            },
          },
          {
            type: 'button',
            action_id: BATCH_REJECT_ACTION,
            text: plain('Reject all'),
            style: 'danger',
            value,
          },
        ],
      },
    );
  } else if (view.decision) {
    blocks.push({ type: 'context', elements: [mrkdwn(decidedLine(view.decision, SLACK_STYLE))] });
  }
  if (batch.state === 'approved') {
    blocks.push({ type: 'context', elements: [mrkdwn(escapeMrkdwn(batchProgressLine(view)))] });
  }
  const card: SlackMessage = {
    text: `${batchTitle(view)}: ${batch.state}`,
    blocks,
  };
  if (!context.deployment) return card;
  card.blocks.push({ type: 'context', elements: [plain(organizationLine(context.deployment))] });
  return withSandboxNotice(card, context.deployment, 'top');
}

/**
 * The one progress message in the card's thread, updated in place: "312 of 500 done, 2 failed",
 * and once every person is final with some failed, Retry failed (approvers only, confirmed).
 */
export function batchProgressMessage(view: BatchView, deployment?: Deployment): SlackMessage {
  const line = batchProgressLine(view);
  const icon = view.settled ? (view.failed > 0 ? ':warning:' : ':tada:') : ':gear:';
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(`${icon} ${escapeMrkdwn(line)}`) }];
  if (view.settled && view.failed > 0) {
    blocks.push({
      type: 'actions',
      block_id: `offboarding_batch_retry_${view.batch.id}`,
      elements: [
        {
          type: 'button',
          action_id: BATCH_RETRY_ACTION,
          text: plain(`${RETRY_FAILED_LABEL} (${view.failed})`),
          value: batchButtonValue(view.batch),
          confirm: {
            title: plain('Retry the failed ones?'),
            text: plain(retryFailedWarning(view)),
            confirm: plain('Retry'),
            deny: plain('Not now'),
          },
        },
      ],
    });
  }
  return withSandboxNotice({ text: line, blocks }, deployment);
}

/** The batch number and the card's token, in the format single cards use. */
export function batchButtonValue(batch: Batch): string {
  return `${batch.id}.${batch.decision_token}`;
}
