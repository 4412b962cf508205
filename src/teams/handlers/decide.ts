import { type ConversationReference, TurnContext } from 'botbuilder';
import type { Decision } from '../../offboarding/decision.table.js';
import type { OffboardingRequest } from '../../offboarding/request.table.js';
import { cardSummary } from '../../offboarding/wording/card.js';
import { cancelRefusal, decisionRefusal } from '../../offboarding/wording/refusals.js';
import { cardMessage } from '../activities.js';
import type { AdaptiveCard } from '../adaptive-card.js';
import { type DecisionData, requestCard } from '../cards.js';
import { storedCard } from '../conversation.js';
import { describeTeamsUser } from '../identity.js';
import { TEAMS_STYLE } from '../messages.js';
import type { TeamsHandlerDeps } from './deps.js';

export interface CardDecision {
  /** The card as the person who clicked should now see it; undefined if the request is gone. */
  card: AdaptiveCard | undefined;
  /** What only they are told; undefined when the updated card says it all. */
  note: string | undefined;
}

/**
 * Approve or Reject, from either kind of click (Universal Action or Submit fallback). The domain
 * decides once however many clicks arrive; every click that finds a request re-renders the
 * shared card from stored state, so a lost update is repaired by the next click.
 */
export async function decideFromCard(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  data: DecisionData,
): Promise<CardDecision> {
  const requestId = data.offboardingRequestId;
  const { actor } = await describeTeamsUser(context, deps.logger);
  const logger = deps.logger.child({
    requestId,
    teamsUser: actor.id,
    decision: data.offboardingDecision,
  });
  // replyToId is the card's activity id; Teams sends it with card clicks in most clients. A
  // click in `offboard list` is on another message: the token proves it alone.
  const proof =
    data.offboardingSurface === 'teams_list'
      ? { token: data.offboardingToken, surface: 'teams_list' as const }
      : { token: data.offboardingToken, messageId: context.activity.replyToId || undefined };
  let outcome: {
    kind: string;
    note: string | undefined;
    request?: OffboardingRequest;
    decision?: Decision | undefined;
  };
  if (data.offboardingDecision === 'cancelled') {
    const cancelled = await deps.service.cancel({ requestId, actor, proof });
    outcome = {
      kind: cancelled.kind,
      note: cancelRefusal(cancelled, requestId),
      ...('request' in cancelled
        ? {
            request: cancelled.request,
            decision: await deps.service.decisionFor(requestId),
          }
        : {}),
    };
  } else {
    const decided = await deps.service.decide({
      requestId,
      decision: data.offboardingDecision,
      actor,
      proof,
      reason: data.offboardingRejectReason,
    });
    outcome = {
      kind: decided.kind,
      note: decisionRefusal(decided, TEAMS_STYLE),
      ...('request' in decided ? { request: decided.request } : {}),
      ...('decision' in decided ? { decision: decided.decision } : {}),
    };
  }
  const { note } = outcome;
  // An out-of-date card is answered with words only: showing the current request's card would
  // hand its buttons, and their token, to whoever held the old one.
  if (outcome.kind === 'stale_card') return { card: undefined, note };

  if (outcome.request) {
    const { request } = outcome;
    const decisions = await deps.service.cardFor(request);
    const location = cardLocation(context, request, data.offboardingSurface === 'teams_list');
    // After the turn: the clicker sees the new card in the answer to their click already, and a
    // slow or failing connector must not hold that answer back.
    deps.background.run('teams card update', async () => {
      if (!location) return;
      await updateCardForEveryone(deps, request.id, location).catch((error: unknown) =>
        logger.warn({ err: error }, 'request card could not be updated'),
      );
    });
    if (outcome.kind === 'decided') logger.info('request decided');
    if (outcome.kind === 'cancelled') logger.info('request cancelled');
    return {
      card: requestCard(request, { approvers: deps.approvers, ...decisions, note }),
      note,
    };
  }
  const current = await deps.service.findRequest(requestId);
  if (!current) return { card: undefined, note };
  const decisions = await deps.service.cardFor(current);
  return { card: requestCard(current, { approvers: deps.approvers, ...decisions, note }), note };
}

export interface CardLocation {
  reference: Partial<ConversationReference>;
  activityId: string;
}

/**
 * Where the shared card is: as stored when it was posted, or else (the card was posted but
 * recording where failed) the card the click came from.
 */
export function cardLocation(
  context: TurnContext,
  request: OffboardingRequest,
  fromList: boolean,
): CardLocation | undefined {
  const stored = storedCard(request);
  if (stored) return { reference: stored.card, activityId: stored.cardActivityId };
  // The list is not the request's card: never overwrite it with one.
  if (fromList) return undefined;
  const clicked = context.activity.replyToId;
  if (!clicked) return undefined;
  const { activityId: _click, ...reference } = TurnContext.getConversationReference(
    context.activity,
  );
  return { reference, activityId: clicked };
}

/** Rendered from the state as it is now, so a late update cannot show an older state. */
export async function updateCardForEveryone(
  deps: TeamsHandlerDeps,
  requestId: number,
  location: CardLocation,
): Promise<void> {
  const request = await deps.service.findRequest(requestId);
  if (!request) return;
  const details = await deps.service.cardFor(request);
  const card = requestCard(request, { approvers: deps.approvers, ...details });
  await deps.cardRedraws.redraw(requestId, details.progress.version, () =>
    deps.sender.update(
      location.reference,
      location.activityId,
      cardMessage(card, cardSummary(request, TEAMS_STYLE)),
    ),
  );
}
