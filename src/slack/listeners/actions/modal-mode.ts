import type {
  AllMiddlewareArgs,
  BlockAction,
  RadioButtonsAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { readModalMetadata, requestModal } from '../../request-modal.js';
import type { SlackListenerDeps } from '../deps.js';

type ModeArgs = SlackActionMiddlewareArgs<BlockAction<RadioButtonsAction>> & AllMiddlewareArgs;

/**
 * "One person" / "Several people": the modal is drawn again with the other mode's fields
 * (views.update, with the view's hash so a stale redraw cannot overwrite a newer one).
 */
export function modalModeAction(deps: SlackListenerDeps) {
  return async ({ ack, body, action, client }: ModeArgs): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view) return;
    const mode = action.selected_option?.value === 'several' ? 'several' : 'single';
    const metadata = readModalMetadata(view.private_metadata);
    if (metadata.mode === mode) return;
    try {
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: requestModal({
          mode,
          originChannel: metadata.origin,
          deployment: deps.deployment,
        }),
      });
    } catch (error) {
      deps.logger.warn({ err: error, slackUser: body.user.id }, 'could not switch the modal mode');
    }
  };
}
