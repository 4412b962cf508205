import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import {
  DECISION_FAILED,
  decisionRefusal,
  profileUnreadable,
  UNKNOWN_BUTTON,
} from '../../../offboarding/wording/refusals.js';
import { parseDecisionButtonValue, requestMessage, sandboxText } from '../../blocks.js';
import { describeSlackUser } from '../../identity.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Approve and Reject differ only in the decision they record. */
export function decisionHandler(deps: SlackListenerDeps, decision: 'approved' | 'rejected') {
  return async ({ ack, body, action, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    const button = parseDecisionButtonValue(action.value);
    const logger = deps.logger.child({
      requestId: button?.requestId,
      slackUser: body.user.id,
      decision,
    });
    const tellClicker = async (text: string) => {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: sandboxText(text, deps.deployment),
      });
    };
    if (!button) {
      logger.warn({ reason: 'unreadable button value' }, 'decision refused');
      await tellClicker(UNKNOWN_BUTTON);
      return;
    }

    try {
      // Email and guest status come from Slack's directory, never from the click's payload.
      const actor = await describeSlackUser(client, body.user.id, body.user.name);
      if (!actor) {
        logger.warn({ reason: 'users.info failed' }, 'decision refused');
        await tellClicker(profileUnreadable(SLACK_STYLE, 'decision'));
        return;
      }
      const outcome = await deps.service.decide({
        requestId: button.requestId,
        decision,
        actor,
        proof: { token: button.token, channelId: body.channel?.id, messageId: body.message?.ts },
      });
      const message = decisionRefusal(outcome, SLACK_STYLE);
      if ('request' in outcome) {
        // Render from stored state, so a retried click or a second approver repairs the card too.
        const channel = outcome.request.chat_channel_id ?? body.channel?.id;
        const ts = outcome.request.chat_message_id ?? body.message?.ts;
        if (channel && ts) {
          const { request } = outcome;
          // Read now, while the request is this click's: the redraw below must not wait on it.
          const decisions = await deps.service.decisionsFor(request.id);
          // Redrawn after the ack, off this listener's path: in a burst of clicks the next
          // requests are read (and acknowledged) before this one's card is rendered and sent.
          setImmediate(() => {
            const card = requestMessage(request, {
              approvers: deps.approvers,
              ...decisions,
              deployment: deps.deployment,
            });
            client.chat
              .update({ channel, ts, text: card.text, blocks: card.blocks })
              .catch((error: unknown) =>
                logger.warn({ err: error }, 'request message could not be updated'),
              );
          });
        }
      }
      if (message) await tellClicker(message);
      if (outcome.kind === 'decided') {
        logger.info('request decided');
        deps.homes.refreshLater(outcome.request);
      }
    } catch (error) {
      logger.error({ err: error }, 'decision failed');
      await tellClicker(DECISION_FAILED).catch(() => undefined);
    }
  };
}
