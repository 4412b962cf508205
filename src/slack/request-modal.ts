import type { ViewStateValue } from '@slack/bolt';
import type { KnownBlock, ModalView, Option } from '@slack/types';
import type { GenesysUser } from '../genesys/types.js';
import { MAX_BATCH_SIZE } from '../offboarding/batch.service.js';
import type { Deployment } from '../offboarding/deployment.js';
import { MIN_SUGGESTION_TEXT } from '../offboarding/offboarding.service.js';
import type {
  RequestFormErrors,
  RequestFormField,
  RequestFormFields,
} from '../offboarding/request-form.js';
import { SANDBOX_NOTICE } from '../offboarding/wording/deployment.js';
import { mrkdwn, plain } from './escape.js';

/** The request modal's callback id (`app.view`). */
export const REQUEST_MODAL_CALLBACK = 'offboarding_request_modal';
/** The global shortcut "Offboard someone" (also in slack-app-manifest.yml). */
export const OFFBOARD_SHORTCUT_CALLBACK = 'offboard_someone';
/** The Genesys people picker, whose options Slack loads from /slack/events (`app.options`). */
export const PERSON_PICKER_ACTION = 'offboarding_person';
/** The "One person" / "Several people" switch at the top of the modal (views.update). */
export const MODAL_MODE_ACTION = 'offboarding_mode';
/** The "Several people" mode: one email per line, or a CSV file. */
export const PEOPLE_ACTION = 'offboarding_people';
export const PEOPLE_FILE_ACTION = 'offboarding_people_file';

/** One input block per field, so Slack shows an error right under the field it is about. */
export const MODAL_BLOCKS = {
  person: 'offboarding_person_block',
  lastDay: 'offboarding_last_day_block',
  lastTime: 'offboarding_last_time_block',
  reason: 'offboarding_reason_block',
  channel: 'offboarding_channel_block',
  mode: 'offboarding_mode_block',
  people: 'offboarding_people_block',
  peopleFile: 'offboarding_people_file_block',
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

export type ModalMode = 'single' | 'several';

/**
 * What the modal carries between opening and submission: which mode's blocks it shows (the
 * switch redraws the modal with views.update) and where `/offboard` was typed.
 */
export interface ModalMetadata {
  mode: ModalMode;
  /** The channel `/offboard` was typed in, if any. */
  origin?: string;
}

/** The modal's metadata; anything unreadable is the one-person modal with no origin. */
export function readModalMetadata(privateMetadata: string | undefined): ModalMetadata {
  try {
    const parsed = JSON.parse(privateMetadata ?? '') as Partial<ModalMetadata>;
    return {
      mode: parsed.mode === 'several' ? 'several' : 'single',
      ...(typeof parsed.origin === 'string' ? { origin: parsed.origin } : {}),
    };
  } catch {
    return { mode: 'single' };
  }
}

const MODE_OPTIONS: Record<ModalMode, Option> = {
  single: { text: plain('One person'), value: 'single' },
  several: { text: plain(`Several people (up to ${MAX_BATCH_SIZE})`), value: 'several' },
};

/** Slack's limits: option text 75 characters, option value 150. */
const OPTION_TEXT_MAX = 75;
const OPTION_VALUE_MAX = 150;

/** The request modal. `originChannel` is where `/offboard` was typed; a shortcut has none. */
export function requestModal(options: {
  originChannel?: string | undefined;
  deployment: Deployment;
  mode?: ModalMode;
  /** "Several people" drawn again after a check that took too long to answer inline. */
  several?: SeveralPeopleRedraw | undefined;
}): ModalView {
  const again = options.several;
  const mode = options.mode ?? 'single';
  const metadata: ModalMetadata = {
    mode,
    ...(options.originChannel ? { origin: options.originChannel } : {}),
  };
  const blocks: KnownBlock[] = [
    ...(options.deployment.sandbox
      ? [{ type: 'context', elements: [plain(SANDBOX_NOTICE)] } as KnownBlock]
      : []),
    {
      type: 'actions',
      block_id: MODAL_BLOCKS.mode,
      elements: [
        {
          type: 'radio_buttons',
          action_id: MODAL_MODE_ACTION,
          options: [MODE_OPTIONS.single, MODE_OPTIONS.several],
          initial_option: MODE_OPTIONS[mode],
        },
      ],
    },
    ...(mode === 'several' ? peopleBlocks(again) : [personBlock()]),
    {
      type: 'input',
      block_id: MODAL_BLOCKS.lastDay,
      optional: true,
      label: plain('Last day'),
      hint: plain('In your time zone. Leave empty to offboard once approved.'),
      element: {
        type: 'datepicker',
        action_id: ACTIONS.lastDay,
        ...(again?.lastDay ? { initial_date: again.lastDay } : {}),
      },
    },
    {
      type: 'input',
      block_id: MODAL_BLOCKS.lastTime,
      optional: true,
      label: plain('Time on the last day'),
      element: {
        type: 'timepicker',
        action_id: ACTIONS.lastTime,
        ...(again?.lastTime ? { initial_time: again.lastTime } : {}),
      },
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
        ...(again?.reason ? { initial_value: again.reason } : {}),
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
        ...((again?.channelId ?? options.originChannel)
          ? { initial_conversation: again?.channelId ?? options.originChannel }
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

function personBlock(): KnownBlock {
  return {
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
  };
}

/** What a "Several people" form held, and what its check found, to draw it again. */
export interface SeveralPeopleRedraw {
  peopleText?: string | undefined;
  reason?: string | undefined;
  lastDay?: string | undefined;
  lastTime?: string | undefined;
  channelId?: string | undefined;
  /** Why it was not filed (the offending lines), shown above the People field. */
  problem: string;
}

/** Slack's limit for a text input: about a hundred addresses; a CSV file takes up to 500. */
const PEOPLE_TEXT_MAX = 3000;

/** Both optional: the submission checks that one of them names somebody. */
function peopleBlocks(again?: SeveralPeopleRedraw): KnownBlock[] {
  return [
    ...(again
      ? [
          { type: 'section', text: mrkdwn(':warning: *Nothing was recorded yet.*') } as KnownBlock,
          // The offending lines, quoted as typed: plain text, never mrkdwn.
          { type: 'section', text: plain(again.problem) } as KnownBlock,
        ]
      : []),
    {
      type: 'input',
      block_id: MODAL_BLOCKS.people,
      optional: true,
      label: plain('People'),
      hint: plain(
        `One email per line, up to ${MAX_BATCH_SIZE}. Everyone is checked in Genesys Cloud before anything is recorded.`,
      ),
      element: {
        type: 'plain_text_input',
        action_id: PEOPLE_ACTION,
        multiline: true,
        max_length: PEOPLE_TEXT_MAX,
        placeholder: plain('jane.doe@example.com'),
        ...(again?.peopleText ? { initial_value: again.peopleText.slice(0, PEOPLE_TEXT_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: MODAL_BLOCKS.peopleFile,
      optional: true,
      label: plain('Or a CSV file'),
      hint: plain('One email per row (the column holding an @ is used); a header row is skipped.'),
      element: {
        type: 'file_input',
        action_id: PEOPLE_FILE_ACTION,
        filetypes: ['csv', 'txt'],
        max_files: 1,
      },
    } as KnownBlock,
  ];
}

/** While a long "Several people" check runs: no inputs, so nothing can be submitted twice. */
export function checkingPeopleModal(count: number, metadata: ModalMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: REQUEST_MODAL_CALLBACK,
    title: plain('Offboard someone'),
    close: plain('Close'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:hourglass_flowing_sand: Checking ${count} ${count === 1 ? 'person' : 'people'} in Genesys Cloud… The form comes back here with anything to fix; otherwise the card is posted.`,
        ),
      },
    ],
  };
}

/** What the modal says once a long check ended: posted, or why not. */
export function bulkOutcomeModal(text: string, metadata: ModalMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: REQUEST_MODAL_CALLBACK,
    title: plain('Offboard someone'),
    close: plain('Close'),
    private_metadata: JSON.stringify(metadata),
    blocks: [{ type: 'section', text: mrkdwn(text) }],
  };
}

/** What a submitted "Several people" modal holds. */
export interface BulkModalSubmission {
  peopleText: string;
  /** Ids of the files attached (at most one). */
  fileIds: string[];
  fields: Omit<RequestFormFields, 'targetEmail'>;
  channelId: string | undefined;
}

export function readBulkModalSubmission(
  values: Record<string, Record<string, ViewStateValue>>,
): BulkModalSubmission {
  const value = (block: string, action: string) => values[block]?.[action];
  const { fields, channelId } = readModalSubmission(values);
  const { targetEmail: _unused, ...rest } = fields;
  return {
    peopleText: value(MODAL_BLOCKS.people, PEOPLE_ACTION)?.value ?? '',
    fileIds: (value(MODAL_BLOCKS.peopleFile, PEOPLE_FILE_ACTION)?.files ?? []).map(
      (file) => file.id,
    ),
    fields: rest,
    channelId,
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
