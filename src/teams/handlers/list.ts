import type { TurnContext } from 'botbuilder';
import { profileUnreadable } from '../../offboarding/wording/refusals.js';
import { cardMessage, plainText } from '../activities.js';
import type { AdaptiveCard } from '../adaptive-card.js';
import { describeTeamsUser } from '../identity.js';
import { TEAMS_STYLE } from '../messages.js';
import { ownRequestsText, waitingListCard } from '../request-form-card.js';
import type { TeamsHandlerDeps } from './deps.js';

/** `offboard list`: an approver's waiting requests with their decision buttons. */
export async function handleList(context: TurnContext, deps: TeamsHandlerDeps): Promise<void> {
  const { actor, profileRead } = await describeTeamsUser(context, deps.logger);
  if (!profileRead) {
    await context.sendActivity(plainText(profileUnreadable(TEAMS_STYLE, 'decision')));
    return;
  }
  const overview = await deps.service.overviewFor(actor);
  if (!overview.approver) {
    await context.sendActivity(plainText(ownRequestsText(overview)));
    return;
  }
  await context.sendActivity(
    cardMessage(
      waitingListCard(actor.id, overview),
      `${overview.waiting.length} offboarding requests wait for a decision`,
    ),
  );
}

/** The list again after a click on it, as the clicker should now see it. */
export async function refreshedList(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  note: string | undefined,
): Promise<AdaptiveCard> {
  const { actor } = await describeTeamsUser(context, deps.logger);
  return waitingListCard(actor.id, await deps.service.overviewFor(actor), note);
}
