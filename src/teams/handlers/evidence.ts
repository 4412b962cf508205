import type { TurnContext } from 'botbuilder';
import { evidenceRefusal, teamsEvidenceReply } from '../../offboarding/wording/evidence.js';
import type { EvidenceData } from '../cards.js';
import { describeTeamsUser } from '../identity.js';
import { TEAMS_STYLE } from '../messages.js';
import type { CardDecision } from './decide.js';
import type { TeamsHandlerDeps } from './deps.js';

/**
 * Evidence on a completed request's card, from either kind of click: the same checks as on Slack
 * (the domain's `evidenceFor`: the card's token, the requester and approvers only), then the
 * clicker alone is told what Teams cannot carry and which command gives the files. The card
 * itself does not change.
 */
export async function evidenceFromCard(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  data: EvidenceData,
): Promise<CardDecision> {
  const requestId = data.offboardingRequestId;
  const { actor } = await describeTeamsUser(context, deps.logger);
  const outcome = await deps.service.evidenceFor({
    requestId,
    actor,
    proof: { token: data.offboardingToken, messageId: context.activity.replyToId || undefined },
  });
  const refusal = evidenceRefusal(outcome, requestId, TEAMS_STYLE);
  if (refusal) return { card: undefined, note: refusal };
  deps.logger.info({ requestId, teamsUser: actor.id }, 'evidence asked for on Teams');
  return { card: undefined, note: teamsEvidenceReply(requestId, TEAMS_STYLE) };
}
