import type { ConversationReference } from 'botbuilder';
import type { OffboardingRequest } from '../offboarding/request.table.js';

/**
 * Teams conversation ids: a personal chat `a:…`, a group chat `19:…@thread.v2`, a channel
 * `19:…@thread.tacv2` (older teams: `@thread.skype`). A thread in a channel is the channel id
 * plus `;messageid=<id of the thread's first message>`; posting to that id replies in the thread,
 * posting to the bare channel id starts a new thread.
 */

const THREAD_SUFFIX = /;messageid=.*$/;

/** Teams' global service URL, for a configured conversation the bot has not heard from yet. */
export const DEFAULT_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

export function withoutThread(conversationId: string): string {
  return conversationId.replace(THREAD_SUFFIX, '');
}

export function isChannel(reference: Partial<ConversationReference>): boolean {
  const conversation = reference.conversation;
  if (!conversation) return false;
  if (conversation.conversationType) return conversation.conversationType === 'channel';
  return /@thread\.(tacv2|skype)$/.test(withoutThread(conversation.id));
}

/**
 * Where replies about a card go: the card's thread in a channel (the thread it was posted in,
 * or the one it started), otherwise the conversation itself. Without an activity id, so replies
 * are posted to the conversation rather than as answers to a particular message.
 */
export function threadReference(
  cardReference: Partial<ConversationReference>,
  cardActivityId: string,
): Partial<ConversationReference> {
  const { activityId: _replyTarget, ...reference } = cardReference;
  const conversation = reference.conversation;
  if (!conversation || !isChannel(reference) || THREAD_SUFFIX.test(conversation.id)) {
    return reference;
  }
  return {
    ...reference,
    conversation: { ...conversation, id: `${conversation.id};messageid=${cardActivityId}` },
  };
}

/** Where a request's (or a batch's) card lives, as stored with `service.attachMessage`. */
export interface StoredCard {
  /** For replies in the card's thread. */
  thread: Partial<ConversationReference>;
  /** For updating the card itself: the conversation it was posted to. */
  card: Partial<ConversationReference>;
  cardActivityId: string;
}

export function storedCard(
  request: Pick<OffboardingRequest, 'chat_channel_id' | 'chat_message_id' | 'chat_context'>,
): StoredCard | undefined {
  const thread = request.chat_context;
  if (!request.chat_channel_id || !request.chat_message_id || !isReference(thread)) {
    return undefined;
  }
  const conversation = { ...thread.conversation, id: request.chat_channel_id };
  return { thread, card: { ...thread, conversation }, cardActivityId: request.chat_message_id };
}

function isReference(value: unknown): value is Partial<ConversationReference> & {
  conversation: ConversationReference['conversation'];
  serviceUrl: string;
} {
  if (typeof value !== 'object' || value === null) return false;
  const { conversation, serviceUrl } = value as Record<string, unknown>;
  return (
    typeof serviceUrl === 'string' &&
    typeof conversation === 'object' &&
    conversation !== null &&
    typeof (conversation as { id?: unknown }).id === 'string'
  );
}
