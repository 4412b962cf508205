import { TurnContext } from 'botbuilder';
import { plainText } from '../activities.js';
import { describeTeamsUser } from '../identity.js';
import type { TeamsHandlerDeps } from './deps.js';

/**
 * `offboard notify here`: completion and failure notices (and requests made in personal chats)
 * go to this conversation from now on. Only an approver may move them, or anyone could divert
 * the approvers' view of what happens.
 */
export async function handleNotifyHere(
  context: TurnContext,
  deps: TeamsHandlerDeps,
): Promise<void> {
  const { actor } = await describeTeamsUser(context, deps.logger);
  if (!(await deps.policy.isApprover(actor))) {
    await context.sendActivity(
      plainText('Only an approver can choose where offboarding notices go. Nothing was changed.'),
    );
    return;
  }
  const conversationId = await deps.notifyConversations.register(
    TurnContext.getConversationReference(context.activity),
    actor,
  );
  deps.logger.info({ conversationId, by: actor.id }, 'Teams notify conversation registered');
  await context.sendActivity(
    plainText(
      '✅ Offboarding notices will be posted here: every completed or failed offboarding, and the requests people make in a personal chat with me.',
    ),
  );
}
