import type { ConversationReference } from 'botbuilder';
import type { Db, DbOrTx } from '../db/database.js';
import type { NotifyDestination } from '../offboarding/offboarding.service.js';
import type { Actor } from '../offboarding/policy.js';
import { DEFAULT_SERVICE_URL, isChannel, withoutThread } from './conversation.js';
import {
  findNotifyConversation,
  saveNotifyConversation,
} from './notify-conversation.repository.js';

/**
 * The conversation for completion and failure notices (and for requests typed in a personal
 * chat, where no approver could see them): the one registered with `offboard notify here`, else
 * TEAMS_NOTIFY_CONVERSATION_ID. The registered one wins because it is the later, deliberate act.
 */
export class NotifyConversations {
  constructor(
    private readonly db: Db,
    private readonly configuredId: string | undefined,
  ) {}

  /** This conversation as the notices' destination, for the service to save (and audit). */
  destination(reference: Partial<ConversationReference>, by: Actor): NotifyDestination {
    return {
      save: async (trx: DbOrTx) => {
        const { activityId: _message, ...rest } = reference;
        const conversation = rest.conversation;
        if (!conversation) throw new Error('The conversation reference has no conversation');
        // In a channel, notices start threads of their own rather than pile up in this one.
        const id = isChannel(rest) ? withoutThread(conversation.id) : conversation.id;
        await saveNotifyConversation(trx, {
          purpose: 'notices',
          conversationId: id,
          reference: { ...rest, conversation: { ...conversation, id } },
          registeredById: by.id,
          registeredByName: by.name,
        });
        return id;
      },
    };
  }

  /**
   * A reference to post notices with, or undefined when none is set. A configured id comes
   * without a service URL: the caller passes the one of a conversation in the same tenant.
   */
  async target(
    serviceUrl: string | undefined,
  ): Promise<Partial<ConversationReference> | undefined> {
    const registered = await findNotifyConversation(this.db, 'notices');
    if (registered) return registered.conversation_reference as Partial<ConversationReference>;
    if (!this.configuredId) return undefined;
    return {
      channelId: 'msteams',
      serviceUrl: serviceUrl ?? DEFAULT_SERVICE_URL,
      // Only the id is known; Teams needs nothing else to post into an existing conversation.
      conversation: { id: this.configuredId } as ConversationReference['conversation'],
    };
  }
}
