import {
  NOTICE_CHANNEL,
  PLAYGROUND_PEOPLE,
  type PlaygroundPerson,
  REQUEST_CHANNEL,
} from './cast.js';
import type { OffboardedMark } from './demo-targets.js';
import type { FakeSlackApi, FakeSlackMessage } from './fake-slack/fake-slack-web-api.js';

/** What the page draws: everything one person would see in the playground's Slack. */
export interface PlaygroundState {
  you: string;
  people: readonly PlaygroundPerson[];
  /** Names for `<@U…>` mentions: the cast, the demo org's members and the bot. */
  names: Record<string, string>;
  botUserId: string;
  channels: ChannelView[];
  /** Ephemeral answers and the person's own commands, oldest first: nobody else sees them. */
  onlyYou: OnlyYouNote[];
  examples: readonly ExampleTarget[];
}

export interface ChannelView {
  id: string;
  name: string;
  messages: MessageView[];
}

export interface MessageView {
  ts: string;
  /** ISO-8601 instant of the ts, which the playground's fake Slack takes from the clock. */
  at: string;
  text: string;
  blocks: unknown[] | undefined;
  edited: boolean;
  replies: MessageView[];
}

export interface OnlyYouNote {
  at: string;
  kind: 'command' | 'reply';
  text: string;
  blocks: unknown[] | undefined;
}

/** A demo org user, who is also a member of the playground's Slack. */
export interface ExampleTarget {
  name: string;
  email: string;
  /** Their Slack member id and handle: `@handle` in a command mentions them. */
  slackId: string;
  handle: string;
  /** Set when the Genesys sandbox has them deleted or erased (or erasing). */
  offboarded?: OffboardedMark | undefined;
}

/** Something only one person saw: a command they typed or an answer posted to its response_url. */
export interface PrivateEntry {
  userId: string;
  at: Date;
  text: string;
}

export function visibleState(input: {
  fake: FakeSlackApi;
  you: PlaygroundPerson;
  commandsTyped: readonly PrivateEntry[];
  /** What a modal answered instead of closing (a refused Reject), for its person only. */
  modalAnswers?: readonly PrivateEntry[];
  responseOwners: ReadonlyMap<string, string>;
  examples: readonly ExampleTarget[];
}): PlaygroundState {
  const { fake, you } = input;
  const typed = input.commandsTyped
    .filter((entry) => entry.userId === you.id)
    .map((entry) => ({ at: entry.at, note: note(entry.at, 'command', entry.text, undefined) }));
  const answers = fake
    .responses()
    .filter((post) => input.responseOwners.get(post.name) === you.id)
    .map((post) => ({ at: post.at, note: responseNote(post.at, post.body) }));
  const modalAnswers = (input.modalAnswers ?? [])
    .filter((entry) => entry.userId === you.id)
    .map((entry) => ({ at: entry.at, note: note(entry.at, 'reply', entry.text, undefined) }));
  const onlyYou = [...typed, ...answers, ...modalAnswers]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((entry) => entry.note);

  return {
    you: you.id,
    people: PLAYGROUND_PEOPLE,
    names: {
      ...Object.fromEntries(input.examples.map((target) => [target.slackId, target.name])),
      ...Object.fromEntries(PLAYGROUND_PEOPLE.map((person) => [person.id, person.name])),
      [fake.botUserId]: 'Offboarding bot',
    },
    botUserId: fake.botUserId,
    channels: [REQUEST_CHANNEL, NOTICE_CHANNEL].map((channel) => ({
      ...channel,
      messages: channelMessages(fake.messages(channel.id)),
    })),
    onlyYou,
    examples: input.examples,
  };
}

/** Top-level messages in order, each with its thread, as Slack lists a channel. */
function channelMessages(messages: readonly FakeSlackMessage[]): MessageView[] {
  const view = (message: FakeSlackMessage): MessageView => ({
    ts: message.ts,
    at: new Date(Number(message.ts) * 1000).toISOString(),
    text: message.text ?? '',
    blocks: message.blocks,
    edited: message.updateCount > 0,
    replies: [],
  });
  const topLevel = messages.filter((message) => message.threadTs === undefined).map(view);
  const byTs = new Map(topLevel.map((message) => [message.ts, message]));
  for (const reply of messages.filter((message) => message.threadTs !== undefined)) {
    byTs.get(reply.threadTs ?? '')?.replies.push(view(reply));
  }
  return topLevel;
}

/** Bolt's respond() posts `{ text, blocks?, response_type, replace_original? }`. */
function responseNote(at: Date, body: unknown): OnlyYouNote {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = typeof fields.text === 'string' ? fields.text : '';
  const blocks = Array.isArray(fields.blocks) ? fields.blocks : undefined;
  return note(at, 'reply', text, blocks);
}

function note(
  at: Date,
  kind: OnlyYouNote['kind'],
  text: string,
  blocks: unknown[] | undefined,
): OnlyYouNote {
  return { at: at.toISOString(), kind, text, blocks };
}
