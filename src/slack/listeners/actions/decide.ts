import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import type { DecisionOutcome } from '../../../offboarding/offboarding.service.js';
import {
  DECISION_FAILED,
  decisionRefusal,
  profileUnreadable,
  UNKNOWN_BUTTON,
} from '../../../offboarding/wording/refusals.js';
import { parseDecisionButtonValue, sandboxText } from '../../blocks.js';
import { describeSlackUser } from '../../identity.js';
import { rejectModal } from '../../reject-modal.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Approve decides on the click (Slack asked to confirm); Reject first opens its modal. */
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
      if (decision === 'rejected') {
        // Nothing is decided yet: the submission carries the button and is checked as a click.
        await client.views.open({
          trigger_id: body.trigger_id,
          view: rejectModal(button.requestId, action.value ?? '', {
            channel: body.channel?.id,
            ts: body.message?.ts,
          }),
        });
        return;
      }
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
      redrawAfterDecision(deps, outcome, logger, {
        channel: body.channel?.id,
        ts: body.message?.ts,
      });
      const message = decisionRefusal(outcome, SLACK_STYLE);
      if (message) await tellClicker(message);
    } catch (error) {
      logger.error({ err: error }, 'decision failed');
      await tellClicker(DECISION_FAILED).catch(() => undefined);
    }
  };
}

/**
 * Redraws the card of a request the decision was about, from stored state, so a retried click or
 * a second approver repairs the card too; off the listener's path, so in a burst of clicks the
 * next ones are read (and acknowledged) before this card is rendered and sent.
 */
export function redrawAfterDecision(
  deps: SlackListenerDeps,
  outcome: DecisionOutcome,
  logger: Logger,
  card: { channel?: string | undefined; ts?: string | undefined },
): void {
  if (!('request' in outcome)) return;
  const { request } = outcome;
  setImmediate(() => {
    deps.cards
      .redraw(request.id, card)
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'request message could not be updated'),
      );
  });
  if (outcome.kind === 'decided') {
    logger.info('request decided');
    deps.homes.refreshLater(request);
  }
}
