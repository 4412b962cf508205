import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { handleOffboardCommand } from '../../commands/handle-offboard-command.js';
import { requestModal } from '../../request-modal.js';
import type { SlackListenerDeps } from '../deps.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * Acknowledges at once and queues the command: the slow part (Slack profile, Genesys search,
 * posting the card) runs from the job queue, so an ack never waits behind other commands' work
 * and a command survives a restart right after its ack. `/offboard` alone opens the request
 * modal instead, at once: its trigger_id is valid for 3 seconds only.
 */
export function offboardCommand(deps: SlackListenerDeps) {
  return async ({ command, ack, client }: CommandArgs): Promise<void> => {
    await ack();
    if (command.text.trim() === '') {
      try {
        await client.views.open({
          trigger_id: command.trigger_id,
          view: requestModal({ originChannel: command.channel_id, deployment: deps.deployment }),
        });
        return;
      } catch (error) {
        // The queued command then answers with the usage, so the requester is not left waiting.
        deps.logger.warn({ err: error }, 'could not open the request modal');
      }
    }
    const queued = {
      text: command.text,
      user_id: command.user_id,
      user_name: command.user_name,
      channel_id: command.channel_id,
      response_url: command.response_url,
    };
    try {
      await deps.commands.enqueue(queued);
    } catch (error) {
      // The queue lives in the database; handling it here gives the requester the right answer.
      deps.logger.warn({ err: error }, 'could not queue /offboard; handling it in the request');
      await handleOffboardCommand(deps, queued, client);
    }
  };
}
