import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { RequestPoster, Undeliverable } from '../offboarding/request-poster.js';
import { cardMessage } from './activities.js';
import { requestCard } from './cards.js';
import { threadReference } from './conversation.js';
import type { TeamsHandlerDeps } from './handlers/deps.js';

export interface TeamsUndeliverable extends Undeliverable {
  /**
   * `no_approver_conversation`: asked in a personal chat, which approvers cannot see, and no
   * notices conversation is set to post in instead. `post_failed`: Teams refused the card.
   */
  cause: 'no_approver_conversation' | 'post_failed';
}

/**
 * Posts a request's card where approvers see it: the conversation the command came from, or,
 * for a personal chat, the notices conversation.
 */
export function teamsRequestPoster(
  deps: Pick<TeamsHandlerDeps, 'approvers' | 'sender' | 'notifyConversations' | 'service'>,
  asked: { here: Partial<ConversationReference>; personal: boolean },
  logger: Logger,
): RequestPoster<TeamsUndeliverable> {
  return {
    async post(request) {
      const where = asked.personal
        ? await deps.notifyConversations.target(asked.here.serviceUrl)
        : asked.here;
      if (!where) {
        return {
          undeliverable: {
            reason: 'Requested in a personal chat, and no notification conversation is set',
            cause: 'no_approver_conversation',
          },
        };
      }
      try {
        const conversationId = where.conversation?.id;
        if (!conversationId) throw new Error('The conversation reference has no conversation id');
        const card = requestCard(request, {
          approvers: deps.approvers,
          approvalsRequired: deps.service.approvalsRequired,
        });
        const summary = `Offboarding request #${request.id}: ${request.target_name} (${request.target_email})`;
        const cardActivityId = await deps.sender.send(where, cardMessage(card, summary));
        logger.info({ requestId: request.id, cardActivityId }, 'offboarding request card posted');
        return {
          posted: {
            channelId: conversationId,
            messageId: cardActivityId,
            context: threadReference(where, cardActivityId),
          },
        };
      } catch (error) {
        logger.warn({ err: error, requestId: request.id }, 'request card could not be posted');
        return {
          undeliverable: {
            reason: `Could not post the request: ${error instanceof Error ? error.message : String(error)}`,
            cause: 'post_failed',
          },
        };
      }
    },
  };
}
