import { TurnContext } from 'botbuilder';
import { NOTIFY_HERE_DONE, NOTIFY_HERE_NOT_APPROVER } from '../../offboarding/wording/notices.js';
import { plainText } from '../activities.js';
import { describeTeamsUser } from '../identity.js';
import type { TeamsHandlerDeps } from './deps.js';

/**
 * `offboard notify here`: completion and failure notices (and requests made in personal chats)
 * go to this conversation from now on. The service checks that an approver asks and audits it.
 */
export async function handleNotifyHere(
  context: TurnContext,
  deps: TeamsHandlerDeps,
): Promise<void> {
  const { actor } = await describeTeamsUser(context, deps.logger);
  const here = deps.notifyConversations.destination(
    TurnContext.getConversationReference(context.activity),
    actor,
  );
  const outcome = await deps.service.chooseNotifyDestination(actor, here);
  await context.sendActivity(
    plainText(outcome.kind === 'chosen' ? `✅ ${NOTIFY_HERE_DONE}` : NOTIFY_HERE_NOT_APPROVER),
  );
}
