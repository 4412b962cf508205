import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { Option } from '@slack/types';
import { describeSlackUser } from '../../identity.js';
import { personOption } from '../../request-modal.js';
import type { SlackListenerDeps } from '../deps.js';

type OptionsArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

/** Slack drops options that come later than 3 s; answer within this, found or not. */
export const PICKER_DEADLINE_MS = 2500;
const PICKER_MAX_OPTIONS = 20;

/**
 * The Genesys people picker of the request modal: users whose name or email contains what was
 * typed. The look-up is interactive (it goes ahead of workflow steps in the Genesys limiter)
 * and bounded: past the deadline Slack gets no options rather than a late answer it would drop.
 */
export function personPickerOptions(deps: SlackListenerDeps) {
  return async ({ body, ack, client }: OptionsArgs): Promise<void> => {
    const logger = deps.logger.child({ slackUser: body.user.id });
    const search = async (): Promise<Option[]> => {
      const actor = await describeSlackUser(client, body.user.id, body.user.name);
      if (!actor) return [];
      const found = await deps.service.suggestTargets(actor, body.value, PICKER_MAX_OPTIONS);
      if (found.kind !== 'found') return [];
      return found.users.flatMap((user) => personOption(user) ?? []);
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), PICKER_DEADLINE_MS);
    });
    let options: Option[] = [];
    try {
      const result = await Promise.race([search(), deadline]);
      if (result === 'late') logger.warn('person picker: Genesys did not answer in time');
      else options = result;
    } catch (error) {
      logger.warn({ err: error }, 'person picker: search failed');
    } finally {
      clearTimeout(timer);
    }
    await ack({ options });
  };
}
