import type { TurnContext } from 'botbuilder';
import {
  cancelledReply,
  cancelRefusal,
  invalidCancelNumber,
  profileUnreadable,
} from '../../offboarding/wording/refusals.js';
import { plainText } from '../activities.js';
import { describeTeamsUser } from '../identity.js';
import { TEAMS_STYLE } from '../messages.js';
import type { TeamsHandlerDeps } from './deps.js';

/**
 * `offboard cancel 12`: as the card's Cancel, without a card to prove. The card and the thread
 * are redrawn and told from the outbox, like any other change of the request.
 */
export async function handleCancel(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  requestId: number,
): Promise<void> {
  const { actor, profileRead } = await describeTeamsUser(context, deps.logger);
  if (!profileRead) {
    await context.sendActivity(plainText(profileUnreadable(TEAMS_STYLE, 'decision')));
    return;
  }
  const outcome = await deps.service.cancel({ requestId, actor, proof: undefined });
  if (outcome.kind === 'cancelled') {
    deps.logger.info({ requestId, teamsUser: actor.id }, 'request cancelled');
  }
  await context.sendActivity(
    plainText(cancelRefusal(outcome, requestId) ?? cancelledReply(requestId)),
  );
}

export async function handleInvalidCancel(context: TurnContext, input: string): Promise<void> {
  await context.sendActivity(plainText(invalidCancelNumber(input, TEAMS_STYLE)));
}
