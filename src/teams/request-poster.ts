import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { PostResult, RequestPoster, Undeliverable } from '../offboarding/request-poster.js';
import { cardMessage } from './activities.js';
import type { AdaptiveCard } from './adaptive-card.js';
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

/** Where the card was asked for: the conversation, and whether it is a personal chat. */
export interface AskedIn {
  here: Partial<ConversationReference>;
  personal: boolean;
}

/**
 * Posts a card where approvers see it: the conversation it was asked for in, or, for a personal
 * chat (which approvers cannot see), the notices conversation. What Teams refuses is answered as
 * undeliverable, not thrown. A request's card and a batch's go this way.
 */
export async function postForApprovers(
  deps: Pick<TeamsHandlerDeps, 'sender' | 'notifyConversations'>,
  asked: AskedIn,
  message: { card: AdaptiveCard; summary: string; what: 'request' | 'batch'; id: number },
  logger: Logger,
): Promise<PostResult<TeamsUndeliverable>> {
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
  const idField = message.what === 'batch' ? 'batchId' : 'requestId';
  try {
    const conversationId = where.conversation?.id;
    if (!conversationId) throw new Error('The conversation reference has no conversation id');
    const cardActivityId = await deps.sender.send(
      where,
      cardMessage(message.card, message.summary),
    );
    logger.info({ [idField]: message.id, cardActivityId }, `${message.what} card posted`);
    return {
      posted: {
        channelId: conversationId,
        messageId: cardActivityId,
        context: threadReference(where, cardActivityId),
      },
    };
  } catch (error) {
    logger.warn({ err: error, [idField]: message.id }, `${message.what} card could not be posted`);
    return {
      undeliverable: {
        reason: `Could not post the ${message.what}: ${error instanceof Error ? error.message : String(error)}`,
        cause: 'post_failed',
      },
    };
  }
}

/** Posts a request's card where approvers see it. */
export function teamsRequestPoster(
  deps: Pick<TeamsHandlerDeps, 'approvers' | 'sender' | 'notifyConversations' | 'service'>,
  asked: AskedIn,
  logger: Logger,
): RequestPoster<TeamsUndeliverable> {
  return {
    post: (request) =>
      postForApprovers(
        deps,
        asked,
        {
          card: requestCard(request, {
            approvers: deps.approvers,
            approvalsRequired: deps.service.approvalsRequired,
          }),
          summary: `Offboarding request #${request.id}: ${request.target_name} (${request.target_email})`,
          what: 'request',
          id: request.id,
        },
        logger,
      ),
  };
}
