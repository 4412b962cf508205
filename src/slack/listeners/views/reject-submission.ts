import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import {
  DECISION_FAILED,
  decisionRefusal,
  profileUnreadable,
  UNKNOWN_BUTTON,
} from '../../../offboarding/wording/refusals.js';
import { parseDecisionButtonValue } from '../../blocks.js';
import { describeSlackUser } from '../../identity.js';
import { readRejectMetadata, readRejectReason, rejectAnswerModal } from '../../reject-modal.js';
import { SLACK_STYLE } from '../../replies.js';
import { redrawAfterDecision } from '../actions/decide.js';
import type { SlackListenerDeps } from '../deps.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The Reject modal's submission: the same checked decision as a click on the card (the button's
 * token and the card's location from the modal's metadata, the same refusals, each audited), with
 * the reason typed. A refusal replaces the modal with what happened instead; a rejection closes
 * it, and the card and the thread show it.
 */
export function rejectModalSubmission(deps: SlackListenerDeps) {
  return async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const metadata = readRejectMetadata(view.private_metadata);
    const button = parseDecisionButtonValue(metadata?.button);
    const logger = deps.logger.child({
      requestId: button?.requestId,
      slackUser: body.user.id,
      decision: 'rejected',
    });
    const answer = (text: string) =>
      ack({ response_action: 'update', view: rejectAnswerModal(text) });
    if (!metadata || !button) {
      logger.warn({ reason: 'unreadable modal metadata' }, 'decision refused');
      await answer(UNKNOWN_BUTTON);
      return;
    }
    try {
      const actor = await describeSlackUser(client, body.user.id, body.user.name);
      if (!actor) {
        logger.warn({ reason: 'users.info failed' }, 'decision refused');
        await answer(profileUnreadable(SLACK_STYLE, 'decision'));
        return;
      }
      const outcome = await deps.service.decide({
        requestId: button.requestId,
        decision: 'rejected',
        actor,
        proof: metadata.surface
          ? { token: button.token, surface: metadata.surface }
          : { token: button.token, channelId: metadata.channel, messageId: metadata.ts },
        reason: readRejectReason(view.state.values),
      });
      redrawAfterDecision(deps, outcome, logger, { channel: metadata.channel, ts: metadata.ts });
      const message = decisionRefusal(outcome, SLACK_STYLE);
      if (message) await answer(message);
      else await ack({ response_action: 'clear' });
      // From the Home tab, the clicker's Home says what happened, as for a Home click.
      if (metadata.surface === 'slack_app_home') {
        await deps.homes.opened(
          body.user.id,
          `:information_source: ${message ?? `Request #${button.requestId}: rejected.`}`,
        );
      }
    } catch (error) {
      logger.error({ err: error }, 'decision failed');
      await answer(DECISION_FAILED).catch(() => undefined);
    }
  };
}
