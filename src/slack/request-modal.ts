import type { ViewStateValue } from '@slack/bolt';
import type { KnownBlock, ModalView, Option } from '@slack/types';
import type { GenesysUser } from '../genesys/types.js';
import type { Deployment } from '../offboarding/deployment.js';
import { MIN_SUGGESTION_TEXT } from '../offboarding/offboarding.service.js';
import type {
  RequestFormErrors,
  RequestFormField,
  RequestFormFields,
} from '../offboarding/request-form.js';
import { SANDBOX_NOTICE } from '../offboarding/wording/deployment.js';
import { plain } from './escape.js';

/** The request modal's callback id (`app.view`). */
export const REQUEST_MODAL_CALLBACK = 'offboarding_request_modal';
/** The global shortcut "Offboard someone" (also in slack-app-manifest.yml). */
export const OFFBOARD_SHORTCUT_CALLBACK = 'offboard_someone';
/** The Genesys people picker, whose options Slack loads from /slack/events (`app.options`). */
export const PERSON_PICKER_ACTION = 'offboarding_person';

/** One input block per field, so Slack shows an error right under the field it is about. */
export const MODAL_BLOCKS = {
  person: 'offboarding_person_block',
  lastDay: 'offboarding_last_day_block',
  lastTime: 'offboarding_last_time_block',
  reason: 'offboarding_reason_block',
  channel: 'offboarding_channel_block',
} as const;
const ACTIONS = {
  lastDay: 'offboarding_last_day',
  lastTime: 'offboarding_last_time',
  reason: 'offboarding_reason',
  channel: 'offboarding_channel',
} as const;

const FIELD_BLOCKS: Record<RequestFormField, string> = {
  targetEmail: MODAL_BLOCKS.person,
  lastDay: MODAL_BLOCKS.lastDay,
  lastTime: MODAL_BLOCKS.lastTime,
  reason: MODAL_BLOCKS.reason,
};

/**
 * What the modal carries between opening and submission. `mode` is `single` today; a "Several
 * people" mode (a different set of blocks, switched with views.update) adds its own value.
 */
interface ModalMetadata {
  mode: 'single';
  /** The channel `/offboard` was typed in, if any. */
  origin?: string;
}

/** Slack's limits: option text 75 characters, option value 150. */
const OPTION_TEXT_MAX = 75;
const OPTION_VALUE_MAX = 150;

/** The request modal. `originChannel` is where `/offboard` was typed; a shortcut has none. */
export function requestModal(options: {
  originChannel?: string | undefined;
  deployment: Deployment;
}): ModalView {
  const metadata: ModalMetadata = {
    mode: 'single',
    ...(options.originChannel ? { origin: options.originChannel } : {}),
  };
  const blocks: KnownBlock[] = [
    ...(options.deployment.sandbox
      ? [{ type: 'context', elements: [plain(SANDBOX_NOTICE)] } as KnownBlock]
      : []),
    {
      type: 'input',
      block_id: MODAL_BLOCKS.person,
      label: plain('Person'),
      hint: plain(`Type at least ${MIN_SUGGESTION_TEXT} letters of their name or email.`),
      element: {
        type: 'external_select',
        action_id: PERSON_PICKER_ACTION,
        min_query_length: MIN_SUGGESTION_TEXT,
        placeholder: plain('Search Genesys Cloud users'),
      },
    },
    {
      type: 'input',
      block_id: MODAL_BLOCKS.lastDay,
      optional: true,
      label: plain('Last day'),
      hint: plain('In your time zone. Leave empty to offboard once approved.'),
      element: { type: 'datepicker', action_id: ACTIONS.lastDay },
    },
    {
      type: 'input',
      block_id: MODAL_BLOCKS.lastTime,
      optional: true,
      label: plain('Time on the last day'),
      element: { type: 'timepicker', action_id: ACTIONS.lastTime },
    },
    {
      type: 'input',
      block_id: MODAL_BLOCKS.reason,
      label: plain('Reason'),
      hint: plain('Approvers see it on the card; it stays in the audit trail.'),
      element: {
        type: 'plain_text_input',
        action_id: ACTIONS.reason,
        multiline: true,
        max_length: 1000,
      },
    },
    {
      type: 'input',
      block_id: MODAL_BLOCKS.channel,
      label: plain('Post the request in'),
      hint: plain('Approvers decide on the card there; add the bot to that channel first.'),
      element: {
        type: 'conversations_select',
        action_id: ACTIONS.channel,
        // Gives the submission a response_url in that channel, so refusals reach the requester
        // privately there exactly as for the typed command.
        response_url_enabled: true,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(options.originChannel
          ? { initial_conversation: options.originChannel }
          : { placeholder: plain('Choose a channel') }),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: REQUEST_MODAL_CALLBACK,
    title: plain('Offboard someone'),
    submit: plain('Request'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** What a submitted modal holds: the form fields and where to post the card. */
export interface ModalSubmission {
  fields: RequestFormFields;
  channelId: string | undefined;
}

/** Reads the submitted values; a missing value reads as empty, for the checks to name. */
export function readModalSubmission(
  values: Record<string, Record<string, ViewStateValue>>,
): ModalSubmission {
  const value = (block: string, action: string) => values[block]?.[action];
  return {
    fields: {
      targetEmail: value(MODAL_BLOCKS.person, PERSON_PICKER_ACTION)?.selected_option?.value ?? '',
      lastDay: value(MODAL_BLOCKS.lastDay, ACTIONS.lastDay)?.selected_date ?? undefined,
      lastTime: value(MODAL_BLOCKS.lastTime, ACTIONS.lastTime)?.selected_time ?? undefined,
      reason: value(MODAL_BLOCKS.reason, ACTIONS.reason)?.value ?? '',
    },
    channelId: value(MODAL_BLOCKS.channel, ACTIONS.channel)?.selected_conversation ?? undefined,
  };
}

/** `response_action: errors` wants messages keyed by block id. */
export function modalErrors(
  errors: RequestFormErrors,
  channelError?: string | undefined,
): Record<string, string> {
  const byBlock: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as [RequestFormField, string][]) {
    byBlock[FIELD_BLOCKS[field]] = message;
  }
  if (channelError) byBlock[MODAL_BLOCKS.channel] = channelError;
  return byBlock;
}

/** A picker option: "Name — email · department", clipped to Slack's 75 characters. */
export function personOption(user: GenesysUser): Option | undefined {
  if (user.email.length > OPTION_VALUE_MAX) return undefined;
  const label = `${user.name} — ${user.email}${user.department ? ` · ${user.department}` : ''}`;
  return { text: plain(label, OPTION_TEXT_MAX), value: user.email };
}
