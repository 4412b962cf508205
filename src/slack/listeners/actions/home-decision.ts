import { DECISION_FAILED, decisionRefusal } from '../../../offboarding/wording/refusals.js';
import { escapeMrkdwn } from '../../escape.js';
import { rejectModal } from '../../reject-modal.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';
import { cardButtonListener } from './card-button.js';

/**
 * Approve or Reject from the App Home. The same decision path as the card's buttons (the same
 * token, the same refusals; Reject opens the same modal); the click has no card location, so the
 * token proves it alone and the decision records that it came from the Home tab. The answer is
 * shown at the top of the clicker's refreshed Home, since a Home tab has no thread or response_url.
 */
export function homeDecisionHandler(deps: SlackListenerDeps, decision: 'approved' | 'rejected') {
  return cardButtonListener(
    deps,
    {
      what: 'decision',
      failedText: DECISION_FAILED,
      logFields: { decision, surface: 'slack_app_home' },
      tellClicker: ({ body }, text) =>
        deps.homes.opened(body.user.id, `:information_source: ${text}`),
    },
    async (click) => {
      const { body, action, client } = click.args;
      const { requestId, token } = click.button;
      if (decision === 'rejected') {
        // As on the card: the modal asks, and its submission decides through the same checks.
        await client.views.open({
          trigger_id: body.trigger_id,
          view: rejectModal(requestId, action.value ?? '', 'slack_app_home'),
        });
        return;
      }
      const actor = await click.clicker();
      if (!actor) return;
      const outcome = await deps.service.decide({
        requestId,
        decision,
        actor,
        proof: { token, surface: 'slack_app_home' },
      });
      if ('request' in outcome) {
        await deps.cards
          .redraw(outcome.request.id)
          .catch((error: unknown) =>
            click.logger.warn({ err: error }, 'request message could not be updated'),
          );
      }
      if (outcome.kind === 'decided') {
        click.logger.info('request decided');
        const { request } = outcome;
        await click.tellClicker(
          `Request #${request.id} for ${escapeMrkdwn(request.target_name)}: ${decision}.`,
        );
        // The clicker's Home was just published, after the decision, with its notice.
        deps.homes.refreshLater(request, body.user.id);
        return;
      }
      await click.tellClicker(decisionRefusal(outcome, SLACK_STYLE) ?? DECISION_FAILED);
    },
  );
}
