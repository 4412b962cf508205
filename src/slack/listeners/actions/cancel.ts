import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import {
  cancelledReply,
  cancelRefusal,
  DECISION_FAILED,
  profileUnreadable,
  UNKNOWN_BUTTON,
} from '../../../offboarding/wording/refusals.js';
import { parseDecisionButtonValue, sandboxText } from '../../blocks.js';
import { describeSlackUser } from '../../identity.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * The card's Cancel button: the requester or an approver closes the request before its run
 * starts. The click must come from the request's own card, as for Approve and Reject.
 */
export function cancelAction(deps: SlackListenerDeps) {
  return async ({ ack, body, action, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    const button = parseDecisionButtonValue(action.value);
    const logger = deps.logger.child({ requestId: button?.requestId, slackUser: body.user.id });
    const tellClicker = async (text: string) => {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: sandboxText(text, deps.deployment),
      });
    };
    if (!button) {
      logger.warn({ reason: 'unreadable button value' }, 'cancel refused');
      await tellClicker(UNKNOWN_BUTTON);
      return;
    }
    try {
      const actor = await describeSlackUser(client, body.user.id, body.user.name);
      if (!actor) {
        await tellClicker(profileUnreadable(SLACK_STYLE, 'decision'));
        return;
      }
      const outcome = await deps.service.cancel({
        requestId: button.requestId,
        actor,
        proof: { token: button.token, channelId: body.channel?.id, messageId: body.message?.ts },
      });
      if ('request' in outcome) {
        // From stored state: a card that still offered Cancel after the run started is repaired.
        await deps.cards
          .redraw(outcome.request.id, { channel: body.channel?.id, ts: body.message?.ts })
          .catch((error: unknown) =>
            logger.warn({ err: error }, 'request message could not be updated'),
          );
      }
      await tellClicker(
        cancelRefusal(outcome, button.requestId) ?? cancelledReply(button.requestId),
      );
      if (outcome.kind === 'cancelled') logger.info('request cancelled');
    } catch (error) {
      logger.error({ err: error }, 'cancel failed');
      await tellClicker(DECISION_FAILED).catch(() => undefined);
    }
  };
}
