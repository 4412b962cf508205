import {
  cancelledReply,
  cancelRefusal,
  DECISION_FAILED,
} from '../../../offboarding/wording/refusals.js';
import type { SlackListenerDeps } from '../deps.js';
import { cardButtonListener, cardProof } from './card-button.js';

/**
 * The card's Cancel button: the requester or an approver closes the request before its run
 * starts. The click must come from the request's own card, as for Approve and Reject.
 */
export function cancelAction(deps: SlackListenerDeps) {
  return cardButtonListener(
    deps,
    { what: 'cancel', failedText: DECISION_FAILED },
    async (click) => {
      const { body } = click.args;
      const { requestId } = click.button;
      const actor = await click.clicker();
      if (!actor) return;
      const outcome = await deps.service.cancel({ requestId, actor, proof: cardProof(click) });
      if ('request' in outcome) {
        // From stored state: a card that still offered Cancel after the run started is repaired.
        await deps.cards
          .redraw(outcome.request.id, { channel: body.channel?.id, ts: body.message?.ts })
          .catch((error: unknown) =>
            click.logger.warn({ err: error }, 'request message could not be updated'),
          );
      }
      await click.tellClicker(cancelRefusal(outcome, requestId) ?? cancelledReply(requestId));
      if (outcome.kind === 'cancelled') click.logger.info('request cancelled');
    },
  );
}
