import { type Activity, CardFactory, type ChannelAccount, type Mention } from 'botbuilder';
import type { AdaptiveCard } from './adaptive-card.js';

/** Raw text: Teams applies no markdown, so names and errors in it show exactly as written. */
export function plainText(text: string): Partial<Activity> {
  return { type: 'message', text, textFormat: 'plain' };
}

/** `summary` is what notifications and the chat list show for a card. */
export function cardMessage(card: AdaptiveCard, summary: string): Partial<Activity> {
  return { type: 'message', summary, attachments: [CardFactory.adaptiveCard(card)] };
}

/**
 * A reply addressed to one person in a shared conversation, for clients without Universal
 * Actions (where a card can be refreshed for the clicker alone). A mention needs markup, so this
 * is XML text with everything but the mention escaped.
 */
export function mentionReply(person: ChannelAccount, text: string): Partial<Activity> {
  const tag = `<at>${escapeXml(person.name ?? 'you')}</at>`;
  const mention: Mention = { type: 'mention', mentioned: person, text: tag };
  return {
    type: 'message',
    textFormat: 'xml',
    text: `${tag} (only for you) ${escapeXml(text)}`,
    entities: [mention],
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
