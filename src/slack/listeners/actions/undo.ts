import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { profileUnreadable, UNKNOWN_BUTTON } from '../../../offboarding/wording/refusals.js';
import { undoReply } from '../../../offboarding/wording/undo.js';
import { parseDecisionButtonValue, sandboxText } from '../../blocks.js';
import { describeSlackUser } from '../../identity.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export const UNDO_FAILED = 'Something went wrong and nothing was undone. Try again.';

/**
 * Undo during the grace period. Acknowledged at once: the restore calls Genesys, and the clicker
 * hears how it went in a private reply; the thread and the notification channel hear it from
 * the workflow's outbox.
 */
export function undoAction(deps: SlackListenerDeps) {
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
      logger.warn({ reason: 'unreadable button value' }, 'undo refused');
      await tellClicker(UNKNOWN_BUTTON);
      return;
    }
    try {
      const actor = await describeSlackUser(client, body.user.id, body.user.name);
      if (!actor) {
        logger.warn({ reason: 'users.info failed' }, 'undo refused');
        await tellClicker(profileUnreadable(SLACK_STYLE, 'decision'));
        return;
      }
      const outcome = await deps.service.undo({
        requestId: button.requestId,
        actor,
        proof: { token: button.token, channelId: body.channel?.id, messageId: body.message?.ts },
      });
      // A click on a card whose state moved on repairs the card (the Undo button goes away).
      if ('request' in outcome && outcome.kind !== 'restored') {
        await deps.cards
          .redraw(outcome.request.id)
          .catch((error: unknown) =>
            logger.warn({ err: error }, 'request message could not be updated'),
          );
      }
      const reply = undoReply(outcome, SLACK_STYLE);
      if (reply) await tellClicker(reply);
    } catch (error) {
      logger.error({ err: error }, 'undo failed');
      await tellClicker(UNDO_FAILED).catch(() => undefined);
    }
  };
}
