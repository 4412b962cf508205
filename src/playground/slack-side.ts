import {
  BATCH_APPROVE_ACTION,
  BATCH_REJECT_ACTION,
  BATCH_RETRY_ACTION,
} from '../slack/batch-blocks.js';
import { APPROVE_ACTION, CANCEL_ACTION, REJECT_ACTION } from '../slack/blocks.js';
import { HOME_APPROVE_ACTION, HOME_REJECT_ACTION } from '../slack/home.js';
import {
  REJECT_MODAL_CALLBACK,
  REJECT_REASON_ACTION,
  REJECT_REASON_BLOCK,
} from '../slack/reject-modal.js';
import {
  MODAL_BLOCKS,
  MODAL_MODE_ACTION,
  type ModalMode,
  OFFBOARD_SHORTCUT_CALLBACK,
  PEOPLE_ACTION,
  PEOPLE_FILE_ACTION,
  PERSON_PICKER_ACTION,
  REQUEST_MODAL_CALLBACK,
} from '../slack/request-modal.js';
import { type PlaygroundPerson, REQUEST_CHANNEL } from './cast.js';
import type { FakeSlackApi } from './fake-slack/fake-slack-web-api.js';
import { BadRequest } from './http-json.js';
import {
  blockActionBody,
  blockSuggestionPayload,
  escapeMentions,
  eventCallbackBody,
  fakeTriggerId,
  globalShortcutPayload,
  homeBlockActionPayload,
  interactivityBody,
  postToSlackEndpoint,
  type SlackEndpointResponse,
  slashCommandBody,
  viewSubmissionPayload,
} from './slack-requests.js';
import type { PrivateEntry } from './visible-state.js';

export interface PlaygroundSlackSideState {
  responseOwners: Array<[string, string]>;
  commandsTyped: Array<{ userId: string; at: string; text: string }>;
  sequence: number;
}

/** The buttons the bot puts on its cards; Slack only ever sends clicks on buttons it shows. */
const BOT_ACTIONS = new Set([
  APPROVE_ACTION,
  REJECT_ACTION,
  CANCEL_ACTION,
  BATCH_APPROVE_ACTION,
  BATCH_REJECT_ACTION,
  BATCH_RETRY_ACTION,
]);

/**
 * What Slack's servers do between a person and the bot: turn a typed command or a button click
 * into the signed request Slack would send to the app's Request URL, with a response_url that
 * shows answers to that person only.
 */
export class PlaygroundSlackSide {
  /** response_url name → the person whose command or click it belongs to. */
  readonly responseOwners = new Map<string, string>();
  readonly commandsTyped: PrivateEntry[] = [];
  /**
   * What a modal said instead of closing (a refused Reject: `response_action: update`). The page
   * shows no updated modal, so the words go with the person's private replies.
   */
  readonly modalAnswers: PrivateEntry[] = [];
  /** trigger_id → the person whose command or shortcut carried it (whose modal it opens). */
  private readonly triggerOwners = new Map<string, string>();
  /** Modals submitted or closed: Slack closes them. */
  private readonly closedViews = new Set<string>();
  private sequence = 0;

  /** Who owns which private answer, so a restarted playground shows each to the right person. */
  persisted(): PlaygroundSlackSideState {
    return {
      responseOwners: [...this.responseOwners.entries()],
      commandsTyped: this.commandsTyped.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
      sequence: this.sequence,
    };
  }

  restore(state: PlaygroundSlackSideState): void {
    this.responseOwners.clear();
    for (const [name, owner] of state.responseOwners) this.responseOwners.set(name, owner);
    this.commandsTyped.splice(
      0,
      this.commandsTyped.length,
      ...state.commandsTyped.map((entry) => ({ ...entry, at: new Date(entry.at) })),
    );
    this.sequence = state.sequence;
  }

  /** Nobody typed anything yet; response_url names keep increasing so none is reused. */
  clearHistory(): void {
    this.restore({ responseOwners: [], commandsTyped: [], sequence: this.sequence });
    this.triggerOwners.clear();
    this.closedViews.clear();
  }

  /**
   * `handles`: Slack handle → member id of everyone in the workspace, for the mentions Slack
   * makes of `@handle` in a command.
   */
  constructor(
    private readonly fake: FakeSlackApi,
    private readonly signingSecret: string,
    private readonly handles: ReadonlyMap<string, string> = new Map(),
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
      text: escapeMentions(match[1]?.trim() ?? '', this.handles),
      userId: person.id,
      userName: person.handle,
      channelId: REQUEST_CHANNEL.id,
      channelName: REQUEST_CHANNEL.name,
      teamId: this.fake.teamId,
      responseUrl: this.responseUrlFor(person, 'command'),
      triggerId: this.triggerFor(person),
    });
    return postToSlackEndpoint(eventsUrl, this.signingSecret, body);
  }

  /** The global shortcut "Offboard someone". */
  useShortcut(eventsUrl: string, person: PlaygroundPerson): Promise<SlackEndpointResponse> {
    const payload = globalShortcutPayload({
      callbackId: OFFBOARD_SHORTCUT_CALLBACK,
      userId: person.id,
      userName: person.handle,
      teamId: this.fake.teamId,
      triggerId: this.triggerFor(person),
    });
    return postToSlackEndpoint(eventsUrl, this.signingSecret, interactivityBody(payload));
  }

  /** The modal the person has open, if any: the latest one their own action opened. */
  openModal(person: PlaygroundPerson): { id: string; view: Record<string, unknown> } | undefined {
    const mine = this.fake
      .modals()
      .filter(
        (modal) =>
          !this.closedViews.has(modal.id) &&
          modal.triggerId !== undefined &&
          this.triggerOwners.get(modal.triggerId) === person.id,
      );
    const latest = mine[mine.length - 1];
    return latest && { id: latest.id, view: latest.view };
  }

  closeModal(person: PlaygroundPerson, viewId: string): void {
    if (this.openModal(person)?.id === viewId) this.closedViews.add(viewId);
  }

  /** Typing in the people picker: Slack asks the bot for options (block_suggestion). */
  async suggest(eventsUrl: string, person: PlaygroundPerson, viewId: string, value: string) {
    const payload = blockSuggestionPayload({
      actionId: PERSON_PICKER_ACTION,
      blockId: MODAL_BLOCKS.person,
      value,
      userId: person.id,
      userName: person.handle,
      teamId: this.fake.teamId,
      viewId,
      callbackId: REQUEST_MODAL_CALLBACK,
    });
    return postToSlackEndpoint(eventsUrl, this.signingSecret, interactivityBody(payload));
  }

  /** "One person" / "Several people" picked in the open modal: a block_actions on the view. */
  async switchModalMode(
    eventsUrl: string,
    person: PlaygroundPerson,
    viewId: string,
    mode: ModalMode,
  ): Promise<SlackEndpointResponse> {
    const open = this.fake.modals().find((modal) => modal.id === viewId);
    if (!open || this.openModal(person)?.id !== viewId) {
      throw new BadRequest('That form is closed.', 409);
    }
    const payload = {
      ...homeBlockActionPayload({
        actionId: MODAL_MODE_ACTION,
        value: mode,
        userId: person.id,
        userName: person.handle,
        teamId: this.fake.teamId,
        viewId,
      }),
      view: {
        ...open.view,
        id: viewId,
        team_id: this.fake.teamId,
        hash: `${viewId}.${open.updateCount}`,
        state: { values: {} },
      },
      actions: [
        {
          type: 'radio_buttons',
          action_id: MODAL_MODE_ACTION,
          block_id: MODAL_BLOCKS.mode,
          selected_option: { text: { type: 'plain_text', text: mode }, value: mode },
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    return postToSlackEndpoint(eventsUrl, this.signingSecret, interactivityBody(payload));
  }

  /** Submits the person's open modal with the values of its inputs, as Slack would. */
  async submitModal(
    eventsUrl: string,
    person: PlaygroundPerson,
    viewId: string,
    form: {
      email: string;
      day: string;
      time: string;
      reason: string;
      channel: string;
      /** "Several people": the lines typed (or read from a chosen file by the page). */
      people?: string;
    },
  ): Promise<SlackEndpointResponse> {
    const open = this.openModal(person);
    if (open?.id !== viewId) throw new BadRequest('That form is closed.', 409);
    if (open.view.callback_id === REJECT_MODAL_CALLBACK) {
      return this.submitRejectModal(eventsUrl, person, open, form.reason);
    }
    const privateMetadata =
      typeof open.view.private_metadata === 'string' ? open.view.private_metadata : undefined;
    const option = form.email
      ? { text: { type: 'plain_text', text: form.email }, value: form.email }
      : null;
    const payload = viewSubmissionPayload({
      callbackId: REQUEST_MODAL_CALLBACK,
      userId: person.id,
      userName: person.handle,
      teamId: this.fake.teamId,
      viewId,
      ...(privateMetadata === undefined ? {} : { privateMetadata }),
      values: {
        [MODAL_BLOCKS.person]: {
          [PERSON_PICKER_ACTION]: { type: 'external_select', selected_option: option },
        },
        [MODAL_BLOCKS.people]: {
          [PEOPLE_ACTION]: { type: 'plain_text_input', value: form.people || null },
        },
        // The playground keeps no uploaded files: the page reads a chosen file into the lines.
        [MODAL_BLOCKS.peopleFile]: { [PEOPLE_FILE_ACTION]: { type: 'file_input', files: [] } },
        [MODAL_BLOCKS.lastDay]: {
          offboarding_last_day: { type: 'datepicker', selected_date: form.day || null },
        },
        [MODAL_BLOCKS.lastTime]: {
          offboarding_last_time: { type: 'timepicker', selected_time: form.time || null },
        },
        [MODAL_BLOCKS.reason]: {
          offboarding_reason: { type: 'plain_text_input', value: form.reason || null },
        },
        [MODAL_BLOCKS.channel]: {
          offboarding_channel: {
            type: 'conversations_select',
            selected_conversation: form.channel || null,
          },
        },
      },
      responseUrls: form.channel
        ? [
            {
              block_id: MODAL_BLOCKS.channel,
              action_id: 'offboarding_channel',
              channel_id: form.channel,
              response_url: this.responseUrlFor(person, 'command'),
            },
          ]
        : [],
    });
    const answer = await postToSlackEndpoint(
      eventsUrl,
      this.signingSecret,
      interactivityBody(payload),
    );
    const action = (answer.json as { response_action?: string } | undefined)?.response_action;
    if (answer.status === 200 && action !== 'errors') this.closedViews.add(viewId);
    return answer;
  }

  /** The Reject modal: its reason, and the private_metadata the bot gave it, as Slack returns it. */
  private async submitRejectModal(
    eventsUrl: string,
    person: PlaygroundPerson,
    modal: { id: string; view: Record<string, unknown> },
    reason: string,
  ): Promise<SlackEndpointResponse> {
    const payload = viewSubmissionPayload({
      callbackId: REJECT_MODAL_CALLBACK,
      userId: person.id,
      userName: person.handle,
      teamId: this.fake.teamId,
      viewId: modal.id,
      privateMetadata: String(modal.view.private_metadata ?? ''),
      values: {
        [REJECT_REASON_BLOCK]: {
          [REJECT_REASON_ACTION]: { type: 'plain_text_input', value: reason || null },
        },
      },
    });
    const answer = await postToSlackEndpoint(
      eventsUrl,
      this.signingSecret,
      interactivityBody(payload),
    );
    const json = answer.json as
      | { response_action?: string; view?: { blocks?: Array<{ text?: { text?: unknown } }> } }
      | undefined;
    if (answer.status === 200) {
      this.closedViews.add(modal.id);
      const said =
        json?.response_action === 'update' ? json.view?.blocks?.[0]?.text?.text : undefined;
      if (typeof said === 'string') {
        this.modalAnswers.push({ userId: person.id, at: new Date(), text: said });
      }
    }
    return answer;
  }

  /** Opening the app's Home tab (app_home_opened). */
  openHome(eventsUrl: string, person: PlaygroundPerson): Promise<SlackEndpointResponse> {
    const body = eventCallbackBody(
      {
        type: 'app_home_opened',
        user: person.id,
        channel: `D${person.id.slice(1)}`,
        tab: 'home',
        event_ts: `${Date.now() / 1000}`,
      },
      this.fake.teamId,
    );
    return postToSlackEndpoint(eventsUrl, this.signingSecret, body);
  }

  /** A click on a Home tab button the bot published to this person. */
  clickHome(
    eventsUrl: string,
    person: PlaygroundPerson,
    click: { actionId: string; value: string },
  ): Promise<SlackEndpointResponse> {
    const home = this.fake.home(person.id);
    const blocks = (home?.view.blocks as unknown[] | undefined) ?? [];
    if (
      ![HOME_APPROVE_ACTION, HOME_REJECT_ACTION].includes(click.actionId) ||
      blockIdOfButton(blocks, click.actionId, click.value) === undefined
    ) {
      throw new BadRequest('That button is no longer on your Home tab.', 409);
    }
    const payload = homeBlockActionPayload({
      actionId: click.actionId,
      value: click.value,
      userId: person.id,
      userName: person.handle,
      teamId: this.fake.teamId,
      ...(home ? { viewId: home.id } : {}),
      // Reject opens a modal with it: the modal is then this person's.
      triggerId: this.triggerFor(person),
    });
    return postToSlackEndpoint(eventsUrl, this.signingSecret, interactivityBody(payload));
  }

  private triggerFor(person: PlaygroundPerson): string {
    const triggerId = fakeTriggerId();
    this.triggerOwners.set(triggerId, person.id);
    return triggerId;
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
      // Reject opens a modal with it: the modal is then this person's.
      triggerId: this.triggerFor(person),
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
