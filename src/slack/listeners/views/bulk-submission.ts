import { setTimeout as sleep } from 'node:timers/promises';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { BatchCheck } from '../../../offboarding/batch.service.js';
import { requestFormErrors } from '../../../offboarding/request-form.js';
import { batchCheckText, batchProblemsText } from '../../../offboarding/wording/batch.js';
import { profileUnreadable } from '../../../offboarding/wording/refusals.js';
import { slackBatchPoster } from '../../batch-notifier.js';
import { sandboxText } from '../../blocks.js';
import { describeSlackUser } from '../../identity.js';
import { SLACK_STYLE } from '../../replies.js';
import {
  bulkOutcomeModal,
  checkingPeopleModal,
  MODAL_BLOCKS,
  modalErrors,
  readBulkModalSubmission,
  readModalMetadata,
  requestModal,
} from '../../request-modal.js';
import type { SlackListenerDeps } from '../deps.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** A CSV of 500 addresses is a few tens of kilobytes; anything far bigger is not one. */
const MAX_FILE_BYTES = 1_000_000;
/** Slack shows a longer inline error clipped; the list is cut to the first ten lines anyway. */
const MAX_ERROR_LENGTH = 1_900;

class PeopleFileError extends Error {
  readonly code = 'PEOPLE_FILE_UNREADABLE';
}

/**
 * Slack closes a modal with an error when the submission is not answered within 3 s; the
 * inline answer must be sent well before that, from the moment the submission arrived.
 */
const INLINE_ANSWER_MS = 2_300;

/**
 * A submitted "Several people" modal. Everything is checked before anything is recorded,
 * Genesys look-ups included. When the check ends in time it is answered inline, on the field
 * (`response_action: errors`); a longer one (hundreds of people) turns the modal into "Checking…"
 * and then draws the form again with the offending lines, or says where the card was posted.
 * A good batch is filed and its one card posted.
 */
export function bulkModalSubmission(deps: SlackListenerDeps, now: () => Date = () => new Date()) {
  return async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const arrived = Date.now();
    const logger = deps.logger.child({ slackUser: body.user.id, mode: 'several' });
    const metadata = readModalMetadata(view.private_metadata);
    const submission = readBulkModalSubmission(view.state.values);
    const actor = await describeSlackUser(client, body.user.id, body.user.name);
    const formErrors = requestFormErrors(
      // The person field is the one-person mode's; the lines are checked below.
      { ...submission.fields, targetEmail: 'people@example.invalid' },
      now(),
      actor?.timeZone,
    );
    const errors: Record<string, string> = modalErrors(formErrors);
    const channelId = submission.channelId;
    const responseUrl = body.response_urls?.find(
      (entry) => entry.block_id === MODAL_BLOCKS.channel,
    )?.response_url;
    if (!channelId) {
      errors[MODAL_BLOCKS.channel] = 'Choose the channel where approvers will see the request.';
    } else if (!responseUrl) {
      errors[MODAL_BLOCKS.channel] =
        'Slack did not let me answer in that channel; choose it again or use another one.';
    }
    if (!actor) errors[MODAL_BLOCKS.people] = profileUnreadable(SLACK_STYLE, 'request');

    // Lines from the text and the file alike; problems are told on the field the lines came from.
    const field =
      submission.peopleText.trim() === '' && submission.fileIds.length > 0
        ? MODAL_BLOCKS.peopleFile
        : MODAL_BLOCKS.people;
    let lines = submission.peopleText.split(/\r?\n/);
    try {
      for (const fileId of submission.fileIds) {
        lines = lines.concat(await readPeopleFile(client, fileId));
      }
    } catch (error) {
      logger.warn({ err: error }, 'the attached people file could not be read');
      errors[MODAL_BLOCKS.peopleFile] =
        'I could not read that file. Attach a CSV or text file with one email per row, or type the emails.';
    }
    if (Object.keys(errors).length > 0 || !actor || !channelId || !responseUrl) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const checking = deps.batches.checkBatch({
      requester: actor,
      lines,
      reason: submission.fields.reason.trim(),
      schedule: submission.fields.lastDay
        ? { date: submission.fields.lastDay, time: submission.fields.lastTime }
        : undefined,
      timeZone: actor.timeZone,
    });
    const inTime = await Promise.race([
      checking,
      sleep(Math.max(0, INLINE_ANSWER_MS - (Date.now() - arrived))).then(() => undefined),
    ]);
    const filing: Filing = { deps, client, channelId, responseUrl, logger };

    if (inTime) {
      if (inTime.kind !== 'ready') {
        await ack({
          response_action: 'errors',
          errors: {
            [inTime.kind === 'invalid_schedule' ? MODAL_BLOCKS.lastDay : field]: clip(
              checkText(inTime),
            ),
          },
        });
        return;
      }
      await ack({ response_action: 'clear' });
      // The card in the channel is the confirmation; only a failure is told.
      await fileAndTell(filing, inTime, (text) => replyPrivately(filing, text), {
        confirm: false,
      });
      return;
    }

    const count = lines.filter((line) => line.trim() !== '').length;
    await ack({ response_action: 'update', view: checkingPeopleModal(count, metadata) });
    const showInModal = async (modal: ModalView, text: string) => {
      await client.views.update({ view_id: view.id, view: modal }).catch(async (error: unknown) => {
        // Closed meanwhile: the requester still hears how it ended, privately in the channel.
        logger.warn({ err: error }, 'the bulk modal could not be updated');
        await replyPrivately(filing, text);
      });
    };
    try {
      const check = await checking;
      if (check.kind !== 'ready') {
        const problem = clip(checkText(check));
        await showInModal(
          requestModal({
            mode: 'several',
            originChannel: metadata.origin,
            deployment: deps.deployment,
            several: {
              peopleText: submission.peopleText,
              reason: submission.fields.reason,
              lastDay: submission.fields.lastDay,
              lastTime: submission.fields.lastTime,
              channelId,
              problem,
            },
          }),
          problem,
        );
        return;
      }
      await fileAndTell(
        filing,
        check,
        (text) => showInModal(bulkOutcomeModal(text, metadata), text),
        { confirm: true },
      );
    } catch (error) {
      logger.error({ err: error }, 'the batch check failed');
      await showInModal(bulkOutcomeModal(FILING_FAILED, metadata), FILING_FAILED);
    }
  };
}

interface Filing {
  deps: SlackListenerDeps;
  client: WebClient;
  channelId: string;
  responseUrl: string;
  logger: SlackListenerDeps['logger'];
}

const FILING_FAILED =
  'Something went wrong while filing your bulk offboarding; nothing was posted. Try again.';

function checkText(check: BatchCheck): string {
  return batchCheckText(check, SLACK_STYLE) ?? 'Nothing was recorded.';
}

/** Files the checked batch and posts its card; `tell` says how it ended when not posted. */
async function fileAndTell(
  filing: Filing,
  check: Extract<BatchCheck, { kind: 'ready' }>,
  tell: (text: string) => Promise<void>,
  options: { confirm: boolean },
): Promise<void> {
  const { deps, client, channelId, logger } = filing;
  const safely = (text: string) =>
    tell(text).catch((error: unknown) =>
      logger.warn({ err: error }, 'could not tell the requester about their batch'),
    );
  try {
    const filed = await deps.batches.fileBatch(
      check.plan,
      slackBatchPoster(client, channelId, {
        approvers: deps.approvers,
        deployment: deps.deployment,
        logger,
      }),
    );
    switch (filed.kind) {
      case 'posted':
        logger.info({ batchId: filed.batch.id, people: check.plan.users.length }, 'batch filed');
        if (!options.confirm) return;
        await safely(
          `:white_check_mark: Bulk offboarding #${filed.batch.id} (${check.plan.users.length} people) is posted in <#${channelId}> for approval.`,
        );
        return;
      case 'undeliverable':
        await safely(
          `Your bulk offboarding was not recorded: ${filed.why.problem}.${filed.why.notInChannel ? ' Add the bot to the channel, then try again.' : ''}`,
        );
        return;
      case 'problems':
        await safely(batchProblemsText(filed.problems));
        return;
    }
  } catch (error) {
    logger.error({ err: error }, 'batch could not be filed');
    await safely(FILING_FAILED);
  }
}

async function replyPrivately(filing: Filing, text: string): Promise<void> {
  const response = await fetch(filing.responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      response_type: 'ephemeral',
      text: sandboxText(text, filing.deps.deployment),
    }),
  });
  if (!response.ok) throw new Error(`Slack refused the reply: HTTP ${response.status}`);
}

/**
 * The file attached to the modal, fetched with the bot token (files.info, then its
 * url_private_download): one person per row, the cell holding an `@`; a first row without one
 * is a header. Rows without an address are kept as typed, for the check to name them.
 */
async function readPeopleFile(client: WebClient, fileId: string): Promise<string[]> {
  const info = await client.files.info({ file: fileId });
  const url = info.file?.url_private_download ?? info.file?.url_private;
  if (!url) throw new PeopleFileError('files.info gave no download URL');
  if ((info.file?.size ?? 0) > MAX_FILE_BYTES) throw new PeopleFileError('file too large');
  // The bot token goes to Slack's own hosts only, whatever a file's URL says.
  if (!isSlackHost(url, client.slackApiUrl)) throw new PeopleFileError('file URL outside Slack');
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${client.token ?? ''}` },
    redirect: 'manual',
  });
  if (!response.ok) throw new PeopleFileError(`file download answered HTTP ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_FILE_BYTES) throw new PeopleFileError('file too large');
  const rows = text.split(/\r?\n/).filter((row) => row.trim() !== '');
  const people = rows.map((row) => {
    const cells = row.split(/[,;\t]/).map((cell) =>
      cell
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim(),
    );
    return cells.find((cell) => cell.includes('@')) ?? row.trim();
  });
  if (rows.length > 0 && !rows[0]?.includes('@')) people.shift();
  return people;
}

function isSlackHost(url: string, apiUrl: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'slack.com' || host.endsWith('.slack.com') || host === new URL(apiUrl).hostname;
  } catch {
    return false;
  }
}

function clip(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
