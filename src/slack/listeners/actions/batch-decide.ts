import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Batch } from '../../../offboarding/batch.table.js';
import { batchDecisionReply, batchRetryReply } from '../../../offboarding/wording/batch.js';
import {
  DECISION_FAILED,
  profileUnreadable,
  UNKNOWN_BUTTON,
} from '../../../offboarding/wording/refusals.js';
import { batchCard } from '../../batch-blocks.js';
import { parseDecisionButtonValue, sandboxText } from '../../blocks.js';
import { describeSlackUser } from '../../identity.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type BatchClick = 'approved' | 'rejected' | 'retry';

/**
 * Approve all, Reject all (the batch card) and Retry failed (its progress message). The button
 * carries the batch's token, and the click's location is checked against the card: the card
 * itself, or the progress message in the card's thread.
 */
export function batchActionHandler(deps: SlackListenerDeps, click: BatchClick) {
  return async ({ ack, body, action, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    const button = parseDecisionButtonValue(action.value);
    const logger = deps.logger.child({
      batchId: button?.requestId,
      slackUser: body.user.id,
      click,
    });
    const tellClicker = async (text: string) => {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: sandboxText(text, deps.deployment),
      });
    };
    if (!button) {
      logger.warn({ reason: 'unreadable button value' }, 'batch click refused');
      await tellClicker(UNKNOWN_BUTTON);
      return;
    }
    try {
      const actor = await describeSlackUser(client, body.user.id, body.user.name);
      if (!actor) {
        logger.warn({ reason: 'users.info failed' }, 'batch click refused');
        await tellClicker(profileUnreadable(SLACK_STYLE, 'decision'));
        return;
      }
      const message = body.message as { ts?: string; thread_ts?: string } | undefined;
      const proof = {
        token: button.token,
        channelId: body.channel?.id,
        // Retry failed sits on the progress message: its thread is the card.
        messageId: click === 'retry' ? message?.thread_ts : message?.ts,
      };
      if (click === 'retry') {
        const outcome = await deps.batches.retryFailed({ batchId: button.requestId, actor, proof });
        await tellClicker(batchRetryReply(outcome));
        if (outcome.kind === 'retried')
          logger.info({ retried: outcome.requestIds.length }, 'batch retried');
        return;
      }
      const outcome = await deps.batches.decideBatch({
        batchId: button.requestId,
        actor,
        decision: click,
        proof,
      });
      if ('batch' in outcome) redrawCard(deps, client, outcome.batch, logger);
      const reply = batchDecisionReply(outcome);
      if (reply) await tellClicker(reply);
      if (outcome.kind === 'decided') logger.info({ requests: outcome.requests }, 'batch decided');
    } catch (error) {
      logger.error({ err: error }, 'batch click failed');
      await tellClicker(DECISION_FAILED).catch(() => undefined);
    }
  };
}

/** At once, off the listener's path; the progress job redraws it from the database after. */
function redrawCard(
  deps: SlackListenerDeps,
  client: ButtonArgs['client'],
  batch: Batch,
  logger: SlackListenerDeps['logger'],
): void {
  const channel = batch.chat_channel_id;
  const ts = batch.chat_message_id;
  if (!channel || !ts) return;
  setImmediate(() => {
    deps.batches
      .viewOf(batch)
      .then((view) => {
        const card = batchCard(view, { approvers: deps.approvers, deployment: deps.deployment });
        return client.chat.update({ channel, ts, text: card.text, blocks: card.blocks });
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'batch card could not be updated'));
  });
}
