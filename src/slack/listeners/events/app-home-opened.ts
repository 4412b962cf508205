import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackListenerDeps } from '../deps.js';

type HomeOpenedArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** Opening the app's Home tab shows it as it stands now (the Messages tab is left alone). */
export function appHomeOpened(deps: SlackListenerDeps) {
  return async ({ event }: HomeOpenedArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    await deps.homes.opened(event.user);
  };
}
