import { TurnContext } from 'botbuilder';
import { parseCommand } from '../../offboarding/command.js';
import { offboardCommandText, requestFormErrors } from '../../offboarding/request-form.js';
import { profileUnreadable } from '../../offboarding/wording/refusals.js';
import { cardMessage } from '../activities.js';
import type { AdaptiveCard } from '../adaptive-card.js';
import { describeTeamsUser } from '../identity.js';
import { TEAMS_STYLE } from '../messages.js';
import {
  formAcceptedCard,
  parseRequestFormData,
  requestFormCard,
  type TeamsFormErrors,
} from '../request-form-card.js';
import { submitBatchForm } from './batch.js';
import type { TeamsHandlerDeps } from './deps.js';
import type { QueuedTeamsCommand } from './offboard.js';

/** `offboard` with nothing after it: the request form. */
export async function sendRequestForm(context: TurnContext): Promise<void> {
  await context.sendActivity(cardMessage(requestFormCard(), 'Offboard someone'));
}

/**
 * The form's Request button (Action.Execute). What is wrong is shown on the form itself, under
 * its field; a good form becomes the `offboard` command it amounts to and is queued like a typed
 * one, so it is looked up, refused or posted exactly the same way. With several emails (one per
 * line) it is a bulk offboarding instead: one card and one approval for all of them. The answer
 * replaces the form for the person who sent it.
 */
export async function submitRequestForm(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  data: unknown,
  now: Date = new Date(),
): Promise<AdaptiveCard> {
  const entered = parseRequestFormData(data);
  const emails = entered.emails.split(/[\s,;]+/).filter((entry) => entry !== '');
  const errors: TeamsFormErrors = requestFormErrors(
    {
      targetEmail: emails[0] ?? '',
      lastDay: entered.lastDay,
      lastTime: entered.lastTime,
      reason: entered.reason,
    },
    now,
    context.activity.localTimezone || undefined,
  );
  // Each line is checked by the batch, with its line number.
  if (emails.length > 1) delete errors.targetEmail;
  if (Object.keys(errors).length > 0) return requestFormCard(entered, errors);

  const { actor, profileRead } = await describeTeamsUser(context, deps.logger);
  if (!profileRead) {
    return requestFormCard(entered, { emails: profileUnreadable(TEAMS_STYLE, 'request') });
  }
  if (emails.length > 1) return submitBatchForm(context, deps, entered, actor);
  const command = parseCommand(
    offboardCommandText({
      targetEmail: emails[0] ?? '',
      lastDay: entered.lastDay,
      lastTime: entered.lastTime,
      reason: entered.reason,
    }),
  );
  if (command.kind !== 'offboard') {
    return requestFormCard(entered, { emails: 'Enter the email of the person to offboard.' });
  }
  const { activityId: _formCard, ...here } = TurnContext.getConversationReference(context.activity);
  const queued: QueuedTeamsCommand = {
    actor,
    here,
    personal: context.activity.conversation.conversationType === 'personal',
    target: command.target,
    reason: command.reason,
  };
  try {
    await deps.commands.enqueue(queued);
  } catch (error) {
    deps.logger.error({ err: error, teamsUser: actor.id }, 'could not queue a Teams form request');
    return requestFormCard(entered, {
      emails:
        'I could not record your request right now, so nothing was done. Try again in a minute.',
    });
  }
  return formAcceptedCard(command.target);
}
