import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import {
  offboardCommandText,
  type RequestFormErrors,
  requestFormErrors,
} from '../../../offboarding/request-form.js';
import type { QueuedSlashCommand } from '../../commands/handle-offboard-command.js';
import { handleOffboardCommand } from '../../commands/handle-offboard-command.js';
import {
  MODAL_BLOCKS,
  modalErrors,
  readModalMetadata,
  readModalSubmission,
} from '../../request-modal.js';
import type { SlackListenerDeps } from '../deps.js';
import { bulkModalSubmission } from './bulk-submission.js';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * A submitted request modal. What can be checked without Genesys is checked here and shown on
 * its field (Slack waits 3 s for that answer); a good submission closes the modal and is queued
 * as the `/offboard` command it amounts to, so it is looked up, recorded, refused or posted
 * exactly as the typed command would be.
 */
export function requestModalSubmission(
  deps: SlackListenerDeps,
  now: () => Date = () => new Date(),
) {
  const several = bulkModalSubmission(deps, now);
  return async (args: ViewArgs): Promise<void> => {
    if (readModalMetadata(args.view.private_metadata).mode === 'several') {
      await several(args);
      return;
    }
    const { ack, body, view, client } = args;
    const logger = deps.logger.child({ slackUser: body.user.id });
    const submission = readModalSubmission(view.state.values);
    const timeZone = await client.users
      .info({ user: body.user.id })
      .then((info) => info.user?.tz)
      .catch(() => undefined);
    const errors: RequestFormErrors = requestFormErrors(submission.fields, now(), timeZone);
    const channelId = submission.channelId;
    const responseUrl = body.response_urls?.find(
      (entry) => entry.block_id === MODAL_BLOCKS.channel,
    )?.response_url;
    const channelError = !channelId
      ? 'Choose the channel where approvers will see the request.'
      : !responseUrl
        ? 'Slack did not let me answer in that channel; choose it again or use another one.'
        : undefined;
    if (Object.keys(errors).length > 0 || channelError) {
      await ack({ response_action: 'errors', errors: modalErrors(errors, channelError) });
      return;
    }
    await ack({ response_action: 'clear' });
    if (!channelId || !responseUrl) return;
    const command: QueuedSlashCommand = {
      text: offboardCommandText(submission.fields),
      user_id: body.user.id,
      user_name: body.user.name,
      channel_id: channelId,
      response_url: responseUrl,
    };
    try {
      await deps.commands.enqueue(command);
    } catch (error) {
      logger.warn({ err: error }, 'could not queue the modal request; handling it in the request');
      await handleOffboardCommand(deps, command, client);
    }
  };
}
