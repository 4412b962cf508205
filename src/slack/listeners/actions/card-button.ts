import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Actor } from '../../../offboarding/policy.js';
import { profileUnreadable, UNKNOWN_BUTTON } from '../../../offboarding/wording/refusals.js';
import { parseDecisionButtonValue, sandboxText } from '../../blocks.js';
import { describeSlackUser } from '../../identity.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** A click on a button that carries `<id>.<token>`: a request's card, a batch's, the Home tab. */
export interface CardClick {
  args: ButtonArgs;
  button: { requestId: number; token: string | undefined };
  logger: Logger;
  /** A private answer to the person who clicked. */
  tellClicker(text: string): Promise<void>;
  /**
   * The clicker as Slack's directory describes them (email, guest status), never as the click's
   * payload does; undefined once they have been told their profile could not be read.
   */
  clicker(): Promise<Actor | undefined>;
}

export interface CardButtonOptions {
  /** For the logs: "decision", "undo"… ("<what> refused", "<what> failed"). */
  what: string;
  /** What the clicker hears when the handler throws: nothing more was done. */
  failedText: string;
  /** Extra fields for the click's child logger. */
  logFields?: Record<string, unknown>;
  /** The name the button's id goes by in the logs (a batch's button carries the batch id). */
  idField?: 'requestId' | 'batchId';
  /** Where private answers go; by default an ephemeral reply through the click's response_url. */
  tellClicker?: (args: ButtonArgs, text: string) => Promise<void>;
}

/**
 * The part every card button shares: acknowledge at once, read the button's value (refusing an
 * unreadable one), a child logger for the click, private answers, the clicker's identity from
 * Slack's directory, and one answer when anything fails.
 */
export function cardButtonListener(
  deps: SlackListenerDeps,
  options: CardButtonOptions,
  handle: (click: CardClick) => Promise<void>,
) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, action, respond, client } = args;
    await ack();
    const button = parseDecisionButtonValue(action.value);
    const logger = deps.logger.child({
      [options.idField ?? 'requestId']: button?.requestId,
      slackUser: body.user.id,
      ...options.logFields,
    });
    const answer = options.tellClicker;
    const tellClicker = answer
      ? (text: string) => answer(args, text)
      : async (text: string) => {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: sandboxText(text, deps.deployment),
          });
        };
    if (!button) {
      logger.warn({ reason: 'unreadable button value' }, `${options.what} refused`);
      await tellClicker(UNKNOWN_BUTTON);
      return;
    }
    const clicker = async () => {
      const actor = await describeSlackUser(client, body.user.id, body.user.name);
      if (!actor) {
        logger.warn({ reason: 'users.info failed' }, `${options.what} refused`);
        await tellClicker(profileUnreadable(SLACK_STYLE, 'decision'));
      }
      return actor;
    };
    try {
      await handle({ args, button, logger, tellClicker, clicker });
    } catch (error) {
      logger.error({ err: error }, `${options.what} failed`);
      await tellClicker(options.failedText).catch(() => undefined);
    }
  };
}

/** The click's proof that it belongs to its card: the token, and where the card is. */
export function cardProof(click: CardClick) {
  const { body } = click.args;
  return { token: click.button.token, channelId: body.channel?.id, messageId: body.message?.ts };
}
