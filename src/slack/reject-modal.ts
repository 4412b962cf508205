import type { ViewStateValue } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { MAX_REJECTION_REASON_LENGTH } from '../offboarding/offboarding.service.js';
import { mrkdwn, plain } from './escape.js';

/** The Reject modal's callback id (`app.view`). */
export const REJECT_MODAL_CALLBACK = 'offboarding_reject_modal';
export const REJECT_REASON_BLOCK = 'offboarding_reject_reason_block';
export const REJECT_REASON_ACTION = 'offboarding_reject_reason';

/**
 * What the modal carries from the click to its submission: the card's button value (request
 * number and token) and where the card is, so the submission is checked exactly as a click on the
 * card is. Slack returns it untouched, but anyone can forge a submission: it is proof, not trust.
 */
export interface RejectModalMetadata {
  button: string;
  channel?: string | undefined;
  ts?: string | undefined;
  /** Set when Reject was clicked on the App Home: no card location, the token proves it alone. */
  surface?: 'slack_app_home' | undefined;
}

/**
 * Asks once more before rejecting, with an optional reason. `button` is the clicked Reject
 * button's value, carried as it came: the submission proves what the click would have.
 */
export function rejectModal(
  requestId: number,
  button: string,
  from: { channel?: string | undefined; ts?: string | undefined } | 'slack_app_home',
): ModalView {
  const metadata: RejectModalMetadata =
    from === 'slack_app_home'
      ? { button, surface: from }
      : {
          button,
          ...(from.channel ? { channel: from.channel } : {}),
          ...(from.ts ? { ts: from.ts } : {}),
        };
  return {
    type: 'modal',
    callback_id: REJECT_MODAL_CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: plain('Reject request'),
    submit: plain('Reject'),
    close: plain('Keep it'),
    blocks: [
      {
        type: 'section',
        text: plain(
          `Reject offboarding request #${requestId}? It is closed and nothing is changed in Genesys Cloud. The requester is told, with your reason.`,
        ),
      },
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK,
        optional: true,
        label: plain('Reason (optional)'),
        element: {
          type: 'plain_text_input',
          action_id: REJECT_REASON_ACTION,
          multiline: true,
          max_length: MAX_REJECTION_REASON_LENGTH,
          placeholder: plain('Why is this request rejected?'),
        },
      },
    ],
  };
}

/** What the modal tells after a submission that decided nothing (no submit button: it is read). */
export function rejectAnswerModal(mrkdwnText: string): ModalView {
  return {
    type: 'modal',
    callback_id: REJECT_MODAL_CALLBACK,
    title: plain('Reject request'),
    close: plain('Close'),
    blocks: [{ type: 'section', text: mrkdwn(mrkdwnText) }],
  };
}

/** Undefined when the metadata is not what rejectModal wrote. */
export function readRejectMetadata(value: string | undefined): RejectModalMetadata | undefined {
  try {
    const parsed = JSON.parse(value ?? '') as Partial<Record<keyof RejectModalMetadata, unknown>>;
    if (typeof parsed.button !== 'string') return undefined;
    if (parsed.surface === 'slack_app_home')
      return { button: parsed.button, surface: 'slack_app_home' };
    return {
      button: parsed.button,
      channel: typeof parsed.channel === 'string' ? parsed.channel : undefined,
      ts: typeof parsed.ts === 'string' ? parsed.ts : undefined,
    };
  } catch {
    return undefined;
  }
}

/** The typed reason; undefined when none was typed. */
export function readRejectReason(
  values: Record<string, Record<string, ViewStateValue>>,
): string | undefined {
  const value = values[REJECT_REASON_BLOCK]?.[REJECT_REASON_ACTION]?.value;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
