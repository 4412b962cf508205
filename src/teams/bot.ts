import {
  ActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  TurnContext,
} from 'botbuilder';
import { parseCommand } from '../offboarding/command.js';
import { cardMessage, plainText } from './activities.js';
import { parseBatchData } from './batch-cards.js';
import { parseDecisionData, parseEvidenceData, parseUndoData } from './cards.js';
import { handleCancel, handleInvalidCancel } from './handlers/cancel.js';
import { handleCardInvoke, handleCardSubmit } from './handlers/card-action.js';
import type { TeamsHandlerDeps } from './handlers/deps.js';
import { handleHelp } from './handlers/help.js';
import { handleList } from './handlers/list.js';
import { handleNotifyHere } from './handlers/notify-here.js';
import { handleOffboard } from './handlers/offboard.js';
import { sendRequestForm, submitRequestForm } from './handlers/request-form.js';
import { handleInvalidStatus, handleStatus } from './handlers/status.js';
import { commandText } from './text.js';

/** Routes each incoming activity to its handler; the handlers only translate for the domain. */
export class OffboardingBot extends ActivityHandler {
  constructor(private readonly deps: TeamsHandlerDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return handleCardInvoke(context, this.deps, invokeValue);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const logger = this.deps.logger.child({ teamsUser: context.activity.from?.id });
    try {
      if ((context.activity.value as { offboardingForm?: unknown } | undefined)?.offboardingForm) {
        // The form's Action.Submit fallback (clients without Universal Actions).
        const answer = await submitRequestForm(context, this.deps, context.activity.value);
        await context.sendActivity(cardMessage(answer, 'Offboard someone'));
        return;
      }
      const clicked =
        parseDecisionData(context.activity.value) ??
        parseUndoData(context.activity.value) ??
        parseEvidenceData(context.activity.value) ??
        parseBatchData(context.activity.value);
      if (clicked) {
        await handleCardSubmit(context, this.deps, clicked);
        return;
      }
      const text = commandText(TurnContext.removeRecipientMention(context.activity) ?? '');
      if (text.trim().toLowerCase() === 'list') {
        await handleList(context, this.deps);
        return;
      }
      const command = parseCommand(text);
      switch (command.kind) {
        case 'empty':
          await sendRequestForm(context);
          return;
        case 'help':
          await handleHelp(context, false, this.deps.deployment);
          return;
        case 'status':
          await handleStatus(context, this.deps, command.requestId);
          return;
        case 'status_invalid':
          await handleInvalidStatus(context, command.input);
          return;
        case 'cancel':
          await handleCancel(context, this.deps, command.requestId);
          return;
        case 'cancel_invalid':
          await handleInvalidCancel(context, command.input);
          return;
        case 'notify_here':
          await handleNotifyHere(context, this.deps);
          return;
        case 'offboard':
          await handleOffboard(context, this.deps, command);
          return;
      }
    } catch (error) {
      logger.error({ err: error }, 'Teams message failed');
      await context
        .sendActivity(
          plainText(
            'Something went wrong on my side and nothing was done. Try again in a minute; if it keeps failing, tell your bot admin.',
          ),
        )
        .catch(() => undefined);
    }
  }
}
