import type { TurnContext } from 'botbuilder';
import { undoReply } from '../../offboarding/wording/undo.js';
import { requestCard, type UndoData } from '../cards.js';
import { describeTeamsUser } from '../identity.js';
import { TEAMS_STYLE } from '../messages.js';
import { type CardDecision, cardLocation, updateCardForEveryone } from './decide.js';
import type { TeamsHandlerDeps } from './deps.js';

/**
 * Undo during the grace period, from either kind of click. The same checks as a decision (the
 * domain's `undo`); the shared card is re-rendered from stored state after the turn, so the Undo
 * button goes away for everyone once the request is restored or its erasure has started.
 */
export async function undoFromCard(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  data: UndoData,
): Promise<CardDecision> {
  const requestId = data.offboardingRequestId;
  const { actor } = await describeTeamsUser(context, deps.logger);
  const logger = deps.logger.child({ requestId, teamsUser: actor.id, action: 'undo' });
  const outcome = await deps.service.undo({
    requestId,
    actor,
    proof: { token: data.offboardingToken, messageId: context.activity.replyToId || undefined },
  });
  const note = undoReply(outcome, TEAMS_STYLE);
  // An out-of-date card gets words only, as for Approve and Reject.
  if (!('request' in outcome)) return { card: undefined, note };

  const current = (await deps.service.findRequest(requestId)) ?? outcome.request;
  const location = cardLocation(context, current, false);
  deps.background.run('teams card update', async () => {
    if (!location) return;
    await updateCardForEveryone(deps, requestId, location).catch((error: unknown) =>
      logger.warn({ err: error }, 'request card could not be updated'),
    );
  });
  if (outcome.kind === 'restored') logger.info('offboarding undone');
  const details = await deps.service.cardFor(current);
  return { card: requestCard(current, { approvers: deps.approvers, ...details, note }), note };
}
