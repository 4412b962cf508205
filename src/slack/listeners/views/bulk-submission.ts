import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { requestFormErrors } from '../../../offboarding/request-form.js';
import { batchCheckText, batchProblemsText } from '../../../offboarding/wording/batch.js';
import { profileUnreadable } from '../../../offboarding/wording/refusals.js';
import { slackBatchPoster } from '../../batch-notifier.js';
import { sandboxText } from '../../blocks.js';
import { describeSlackUser } from '../../identity.js';
import { SLACK_STYLE } from '../../replies.js';
import { MODAL_BLOCKS, modalErrors, readBulkModalSubmission } from '../../request-modal.js';
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
 * A submitted "Several people" modal. Everything is checked before Slack gets its answer,
 * Genesys look-ups included, and shown on its field (`response_action: errors`): nothing is
 * recorded until every line names one Genesys user with no open request. A good submission
 * closes the modal, then files the batch and posts its one card.
 */
export function bulkModalSubmission(deps: SlackListenerDeps, now: () => Date = () => new Date()) {
  return async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const logger = deps.logger.child({ slackUser: body.user.id, mode: 'several' });
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
    if (!channelId)
      errors[MODAL_BLOCKS.channel] = 'Choose the channel where approvers will see the request.';
    else if (!responseUrl) {
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
      for (const fileId of submission.fileIds)
        lines = lines.concat(await readPeopleFile(client, fileId));
    } catch (error) {
      logger.warn({ err: error }, 'the attached people file could not be read');
      errors[MODAL_BLOCKS.peopleFile] =
        'I could not read that file. Attach a CSV or text file with one email per row, or type the emails.';
    }
    if (Object.keys(errors).length > 0 || !actor || !channelId || !responseUrl) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const check = await deps.batches.checkBatch({
      requester: actor,
      lines,
      reason: submission.fields.reason.trim(),
      schedule: submission.fields.lastDay
        ? { date: submission.fields.lastDay, time: submission.fields.lastTime }
        : undefined,
      timeZone: actor.timeZone,
    });
    if (check.kind !== 'ready') {
      const message = clip(batchCheckText(check, SLACK_STYLE) ?? 'Nothing was recorded.');
      await ack({
        response_action: 'errors',
        errors: { [check.kind === 'invalid_schedule' ? MODAL_BLOCKS.lastDay : field]: message },
      });
      return;
    }
    await ack({ response_action: 'clear' });

    const tellRequester = (text: string) =>
      replyPrivately(responseUrl, sandboxText(text, deps.deployment)).catch((error: unknown) =>
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
          return;
        case 'undeliverable':
          await tellRequester(
            `Your bulk offboarding was not recorded: ${filed.why.problem}.${filed.why.notInChannel ? ' Add the bot to the channel, then try again.' : ''}`,
          );
          return;
        case 'problems':
          await tellRequester(batchProblemsText(filed.problems));
          return;
      }
    } catch (error) {
      logger.error({ err: error }, 'batch could not be filed');
      await tellRequester(
        'Something went wrong while filing your bulk offboarding; nothing was posted. Try again.',
      );
    }
  };
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

function clip(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

async function replyPrivately(responseUrl: string, text: string): Promise<void> {
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', text }),
  });
  if (!response.ok) throw new Error(`Slack refused the reply: HTTP ${response.status}`);
}
