import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import {
  DECISION_FAILED,
  decisionRefusal,
  profileUnreadable,
  UNKNOWN_BUTTON,
} from '../../../offboarding/wording/refusals.js';
import { parseDecisionButtonValue } from '../../blocks.js';
import { escapeMrkdwn } from '../../escape.js';
import { describeSlackUser } from '../../identity.js';
import { rejectModal } from '../../reject-modal.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * Approve or Reject from the App Home. The same decision path as the card's buttons (the same
 * token, the same refusals; Reject opens the same modal); the click has no card location, so the
 * token proves it alone and the decision records that it came from the Home tab. The answer is
 * shown at the top of the clicker's refreshed Home, since a Home tab has no thread or response_url.
 */
export function homeDecisionHandler(deps: SlackListenerDeps, decision: 'approved' | 'rejected') {
  return async ({ ack, body, action, client }: ButtonArgs): Promise<void> => {
    await ack();
    const button = parseDecisionButtonValue(action.value);
    const logger = deps.logger.child({
      requestId: button?.requestId,
      slackUser: body.user.id,
      decision,
      surface: 'slack_app_home',
    });
    const tellClicker = (text: string) =>
      deps.homes.opened(body.user.id, `:information_source: ${text}`);
    if (!button) {
      logger.warn({ reason: 'unreadable button value' }, 'decision refused');
      await tellClicker(UNKNOWN_BUTTON);
      return;
    }
    try {
      if (decision === 'rejected') {
        // As on the card: the modal asks, and its submission decides through the same checks.
        await client.views.open({
          trigger_id: body.trigger_id,
          view: rejectModal(button.requestId, action.value ?? '', 'slack_app_home'),
        });
        return;
      }
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
        proof: { token: button.token, surface: 'slack_app_home' },
      });
      if ('request' in outcome) {
        await deps.cards
          .redraw(outcome.request.id)
          .catch((error: unknown) =>
            logger.warn({ err: error }, 'request message could not be updated'),
          );
      }
      if (outcome.kind === 'decided') {
        logger.info('request decided');
        const { request } = outcome;
        await tellClicker(
          `Request #${request.id} for ${escapeMrkdwn(request.target_name)}: ${decision}.`,
        );
        // The clicker's Home was just published, after the decision, with its notice.
        deps.homes.refreshLater(request, body.user.id);
        return;
      }
      await tellClicker(decisionRefusal(outcome, SLACK_STYLE) ?? DECISION_FAILED);
    } catch (error) {
      logger.error({ err: error }, 'decision failed');
      await tellClicker(DECISION_FAILED);
    }
  };
}
