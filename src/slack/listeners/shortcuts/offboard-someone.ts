import type { AllMiddlewareArgs, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { requestModal } from '../../request-modal.js';
import type { SlackListenerDeps } from '../deps.js';

type ShortcutArgs = SlackShortcutMiddlewareArgs & AllMiddlewareArgs;

/** The global shortcut "Offboard someone": the request modal, with no channel chosen yet. */
export function offboardSomeoneShortcut(deps: SlackListenerDeps) {
  return async ({ shortcut, ack, client }: ShortcutArgs): Promise<void> => {
    await ack();
    try {
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: requestModal({ deployment: deps.deployment }),
      });
    } catch (error) {
      deps.logger.warn(
        { err: error, slackUser: shortcut.user.id },
        'could not open the request modal',
      );
    }
  };
}
