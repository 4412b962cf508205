import { undoReply } from '../../../offboarding/wording/undo.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';
import { cardButtonListener, cardProof } from './card-button.js';

export const UNDO_FAILED = 'Something went wrong and nothing was undone. Try again.';

/**
 * Undo during the grace period. Acknowledged at once: the restore calls Genesys, and the clicker
 * hears how it went in a private reply; the thread and the notification channel hear it from
 * the workflow's outbox.
 */
export function undoAction(deps: SlackListenerDeps) {
  return cardButtonListener(deps, { what: 'undo', failedText: UNDO_FAILED }, async (click) => {
    const actor = await click.clicker();
    if (!actor) return;
    const outcome = await deps.service.undo({
      requestId: click.button.requestId,
      actor,
      proof: cardProof(click),
    });
    // A click on a card whose state moved on repairs the card (the Undo button goes away).
    if ('request' in outcome && outcome.kind !== 'restored') {
      await deps.cards
        .redraw(outcome.request.id)
        .catch((error: unknown) =>
          click.logger.warn({ err: error }, 'request message could not be updated'),
        );
    }
    const reply = undoReply(outcome, SLACK_STYLE);
    if (reply) await click.tellClicker(reply);
  });
}
