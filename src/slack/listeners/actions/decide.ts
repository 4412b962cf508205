import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { decisionRefusal } from '../../../offboarding/describe.js';
import type { DecisionOutcome } from '../../../offboarding/offboarding.service.js';
import { parseDecisionButtonValue, requestMessage, sandboxText } from '../../blocks.js';
import { escapeMrkdwn, mentionSlackId } from '../../escape.js';
import { describeSlackUser } from '../../identity.js';
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
      await tellClicker('This button does not belong to a request I know.');
      return;
    }

    try {
      // Email and guest status come from Slack's directory, never from the click's payload.
      const actor = await describeSlackUser(client, body.user.id, body.user.name);
      if (!actor) {
        logger.warn({ reason: 'users.info failed' }, 'decision refused');
        await tellClicker(
          'I could not read your Slack profile, so I cannot check who you are. Nothing was changed; try again.',
        );
        return;
      }
      const outcome = await deps.service.decide({
        requestId: button.requestId,
        decision,
        actor,
        proof: { token: button.token, channelId: body.channel?.id, messageId: body.message?.ts },
      });
      const message = clickerMessage(outcome);
      if ('request' in outcome) {
        // Render from stored state, so a retried click or a second approver repairs the card too.
        const channel = outcome.request.chat_channel_id ?? body.channel?.id;
        const ts = outcome.request.chat_message_id ?? body.message?.ts;
        if (channel && ts) {
          const card = requestMessage(outcome.request, {
            approvers: deps.approvers,
            decision: 'decision' in outcome ? outcome.decision : undefined,
            deployment: deps.deployment,
          });
          await client.chat
            .update({ channel, ts, text: card.text, blocks: card.blocks })
            .catch((error: unknown) =>
              logger.warn({ err: error }, 'request message could not be updated'),
            );
        }
      }
      if (message) await tellClicker(message);
      if (outcome.kind === 'decided') logger.info('request decided');
    } catch (error) {
      logger.error({ err: error }, 'decision failed');
      await tellClicker(
        'Something went wrong and your decision was not recorded. Try again.',
      ).catch(() => undefined);
    }
  };
}

function clickerMessage(outcome: DecisionOutcome): string | undefined {
  return decisionRefusal(outcome, (decision) =>
    decision.decider_platform === 'slack'
      ? mentionSlackId(decision.decider_id)
      : escapeMrkdwn(decision.decider_name ?? decision.decider_id),
  );
}
