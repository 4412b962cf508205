import type { Logger } from 'pino';
import type { DecisionOutcome } from '../../../offboarding/offboarding.service.js';
import { DECISION_FAILED, decisionRefusal } from '../../../offboarding/wording/refusals.js';
import { rejectModal } from '../../reject-modal.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';
import { cardButtonListener, cardProof } from './card-button.js';

/** Approve decides on the click (Slack asked to confirm); Reject first opens its modal. */
export function decisionHandler(deps: SlackListenerDeps, decision: 'approved' | 'rejected') {
  return cardButtonListener(
    deps,
    { what: 'decision', failedText: DECISION_FAILED, logFields: { decision } },
    async (click) => {
      const { body, action, client } = click.args;
      if (decision === 'rejected') {
        // Nothing is decided yet: the submission carries the button and is checked as a click.
        await client.views.open({
          trigger_id: body.trigger_id,
          view: rejectModal(click.button.requestId, action.value ?? '', {
            channel: body.channel?.id,
            ts: body.message?.ts,
          }),
        });
        return;
      }
      const actor = await click.clicker();
      if (!actor) return;
      const outcome = await deps.service.decide({
        requestId: click.button.requestId,
        decision,
        actor,
        proof: cardProof(click),
      });
      redrawAfterDecision(deps, outcome, click.logger, {
        channel: body.channel?.id,
        ts: body.message?.ts,
      });
      const message = decisionRefusal(outcome, SLACK_STYLE);
      if (message) await click.tellClicker(message);
    },
  );
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
