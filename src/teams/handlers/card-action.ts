import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import {
  DECISION_FAILED,
  REQUEST_GONE,
  UNKNOWN_BUTTON,
} from '../../offboarding/wording/refusals.js';
import { mentionReply, plainText } from '../activities.js';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../adaptive-card.js';
import { BATCH_VERB, type BatchClickData, parseBatchData } from '../batch-cards.js';
import {
  DECISION_VERB,
  type DecisionData,
  EVIDENCE_VERB,
  type EvidenceData,
  parseDecisionData,
  parseEvidenceData,
  parseUndoData,
  UNDO_VERB,
  type UndoData,
} from '../cards.js';
import { REQUEST_FORM_VERB } from '../request-form-card.js';
import { batchClick } from './batch.js';
import { type CardDecision, decideFromCard } from './decide.js';
import type { TeamsHandlerDeps } from './deps.js';
import { evidenceFromCard } from './evidence.js';
import { refreshedList } from './list.js';
import { submitRequestForm } from './request-form.js';
import { undoFromCard } from './undo.js';

const MESSAGE_CONTENT_TYPE = 'application/vnd.microsoft.activity.message';

/**
 * A Universal Action (Action.Execute) click. The card we answer replaces the card for the
 * clicker only, which is how a refusal reaches just them; the decision itself is shown to
 * everyone by updating the shared card.
 */
export async function handleCardInvoke(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  invoke: AdaptiveCardInvokeValue,
): Promise<AdaptiveCardInvokeResponse> {
  if (invoke.action.verb === REQUEST_FORM_VERB) {
    try {
      const form = await submitRequestForm(context, deps, invoke.action.data);
      return invokeResponse(ADAPTIVE_CARD_CONTENT_TYPE, form);
    } catch (error) {
      deps.logger.error({ err: error }, 'request form failed');
      return message(
        'Something went wrong on my side and nothing was done. Try again in a minute; if it keeps failing, tell your bot admin.',
      );
    }
  }
  if (invoke.action.verb === BATCH_VERB) {
    const clicked = parseBatchData(invoke.action.data);
    if (!clicked) return message(UNKNOWN_BUTTON);
    try {
      const { card, note } = await batchClick(context, deps, clicked);
      if (!card) return message(note ?? REQUEST_GONE);
      return invokeResponse(ADAPTIVE_CARD_CONTENT_TYPE, card);
    } catch (error) {
      deps.logger.error({ err: error, batchId: clicked.offboardingBatchId }, 'batch click failed');
      return message(DECISION_FAILED);
    }
  }
  const data =
    invoke.action.verb === DECISION_VERB
      ? parseDecisionData(invoke.action.data)
      : invoke.action.verb === UNDO_VERB
        ? parseUndoData(invoke.action.data)
        : invoke.action.verb === EVIDENCE_VERB
          ? parseEvidenceData(invoke.action.data)
          : undefined;
  if (!data) return message(UNKNOWN_BUTTON);
  try {
    const { card, note } = await clickFromCard(context, deps, data);
    if ('offboardingSurface' in data && data.offboardingSurface === 'teams_list') {
      // The clicker keeps their list, now without the decided request, and the answer on it.
      const decided =
        card && !note
          ? `Request #${data.offboardingRequestId}: ${data.offboardingDecision}.`
          : undefined;
      return invokeResponse(
        ADAPTIVE_CARD_CONTENT_TYPE,
        await refreshedList(context, deps, note ?? decided ?? REQUEST_GONE),
      );
    }
    if (!card) return message(note ?? REQUEST_GONE);
    return invokeResponse(ADAPTIVE_CARD_CONTENT_TYPE, card);
  } catch (error) {
    deps.logger.error({ err: error, requestId: data.offboardingRequestId }, 'decision failed');
    return message(DECISION_FAILED);
  }
}

/**
 * The Action.Submit fallback, for clients without Universal Actions: the click arrives as a
 * message carrying the button's data, and a refusal can only be a reply addressed to the clicker.
 */
export async function handleCardSubmit(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  data: DecisionData | UndoData | EvidenceData | BatchClickData,
): Promise<void> {
  let note: string | undefined;
  try {
    ({ note } =
      'offboardingBatchId' in data
        ? await batchClick(context, deps, data)
        : await clickFromCard(context, deps, data));
  } catch (error) {
    deps.logger.error({ err: error }, 'decision failed');
    note = DECISION_FAILED;
  }
  if (!note) return;
  const personal = context.activity.conversation.conversationType === 'personal';
  await context.sendActivity(
    personal ? plainText(note) : mentionReply(context.activity.from, note),
  );
}

function clickFromCard(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  data: DecisionData | UndoData | EvidenceData,
): Promise<CardDecision> {
  if ('offboardingEvidence' in data) return evidenceFromCard(context, deps, data);
  return 'offboardingUndo' in data
    ? undoFromCard(context, deps, data)
    : decideFromCard(context, deps, data);
}

function message(text: string): AdaptiveCardInvokeResponse {
  return invokeResponse(MESSAGE_CONTENT_TYPE, text);
}

/** botbuilder types `value` as an object, but Teams' message response carries a plain string. */
function invokeResponse(type: string, value: unknown): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type, value: value as AdaptiveCardInvokeResponse['value'] };
}
