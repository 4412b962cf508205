import { APPROVE_ACTION, CANCEL_ACTION, REJECT_ACTION } from '../slack/blocks.js';
import { type PlaygroundPerson, REQUEST_CHANNEL } from './cast.js';
import type { FakeSlackApi } from './fake-slack/fake-slack-web-api.js';
import { BadRequest } from './http-json.js';
import {
  blockActionBody,
  postToSlackEndpoint,
  type SlackEndpointResponse,
  slashCommandBody,
} from './slack-requests.js';
import type { PrivateEntry } from './visible-state.js';

/** The buttons the bot puts on its cards; Slack only ever sends clicks on buttons it shows. */
const BOT_ACTIONS = new Set([APPROVE_ACTION, REJECT_ACTION, CANCEL_ACTION]);

/**
 * What Slack's servers do between a person and the bot: turn a typed command or a button click
 * into the signed request Slack would send to the app's Request URL, with a response_url that
 * shows answers to that person only.
 */
export class PlaygroundSlackSide {
  /** response_url name → the person whose command or click it belongs to. */
  readonly responseOwners = new Map<string, string>();
  readonly commandsTyped: PrivateEntry[] = [];
  private sequence = 0;

  constructor(
    private readonly fake: FakeSlackApi,
    private readonly signingSecret: string,
  ) {}

  async typeCommand(
    eventsUrl: string,
    person: PlaygroundPerson,
    typed: string,
  ): Promise<SlackEndpointResponse> {
    const match = /^\/offboard(?:\s+([\s\S]*))?$/.exec(typed.trim());
    if (!match) {
      throw new BadRequest(
        'Only /offboard exists here, e.g. /offboard jane.doe@example.com Last day Friday',
      );
    }
    this.commandsTyped.push({ userId: person.id, at: new Date(), text: typed.trim() });
    const body = slashCommandBody({
      text: match[1]?.trim() ?? '',
      userId: person.id,
      userName: person.handle,
      channelId: REQUEST_CHANNEL.id,
      channelName: REQUEST_CHANNEL.name,
      teamId: this.fake.teamId,
      responseUrl: this.responseUrlFor(person, 'command'),
    });
    return postToSlackEndpoint(eventsUrl, this.signingSecret, body);
  }

  async clickButton(
    eventsUrl: string,
    person: PlaygroundPerson,
    click: { channel: string; messageTs: string; actionId: string; value: string },
  ): Promise<SlackEndpointResponse> {
    const message = this.fake.message(click.channel, click.messageTs);
    if (!message) throw new BadRequest('That message does not exist.', 404);
    const blockId = blockIdOfButton(message.blocks ?? [], click.actionId, click.value);
    if (blockId === undefined || !BOT_ACTIONS.has(click.actionId)) {
      throw new BadRequest('That button is no longer on the message.', 409);
    }
    const body = blockActionBody({
      actionId: click.actionId,
      value: click.value,
      blockId,
      userId: person.id,
      userName: person.handle,
      channelId: message.channel,
      channelName: message.channel === REQUEST_CHANNEL.id ? REQUEST_CHANNEL.name : undefined,
      teamId: this.fake.teamId,
      messageTs: message.ts,
      message: { text: message.text ?? '', blocks: message.blocks ?? [] },
      responseUrl: this.responseUrlFor(person, 'click'),
    });
    return postToSlackEndpoint(eventsUrl, this.signingSecret, body);
  }

  private responseUrlFor(person: PlaygroundPerson, what: 'command' | 'click'): string {
    this.sequence += 1;
    const name = `${what}-${this.sequence}`;
    this.responseOwners.set(name, person.id);
    return this.fake.responseUrl(name);
  }
}

function blockIdOfButton(blocks: unknown[], actionId: string, value: string): string | undefined {
  for (const block of blocks) {
    if (!isRecord(block) || block.type !== 'actions' || !Array.isArray(block.elements)) continue;
    const has = block.elements.some(
      (element) =>
        isRecord(element) &&
        element.type === 'button' &&
        element.action_id === actionId &&
        element.value === value,
    );
    // Slack makes up a block_id when the app gave none.
    if (has) return typeof block.block_id === 'string' ? block.block_id : 'actions';
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
