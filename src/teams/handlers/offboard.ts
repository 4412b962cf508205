import { type ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Actor } from '../../offboarding/policy.js';
import type { OffboardingRequest } from '../../offboarding/request.table.js';
import { profileUnreadable, requestRefusal } from '../../offboarding/wording/refusals.js';
import { cardMessage, plainText } from '../activities.js';
import { requestCard } from '../cards.js';
import { threadReference } from '../conversation.js';
import { describeTeamsUser } from '../identity.js';
import { TEAMS_STYLE } from '../messages.js';
import type { TeamsHandlerDeps } from './deps.js';

/** What a Teams `offboard` command needs after its turn; kept in the job queue until handled. */
export interface QueuedTeamsCommand {
  actor: Actor;
  here: Partial<ConversationReference>;
  personal: boolean;
  target: string;
  reason: string | undefined;
}

/**
 * `offboard <email> [reason]`. Who is asking is read within the turn; the Genesys lookup and
 * the posting happen after it, from the job queue, answered proactively: Teams waits on the
 * turn's HTTP request and a Genesys lookup under retries can take longer than Teams waits, and a
 * queued command survives a restart between the turn and the card.
 */
export async function handleOffboard(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  command: { target: string; reason: string | undefined },
): Promise<void> {
  const { actor, profileRead } = await describeTeamsUser(context, deps.logger);
  if (!profileRead) {
    await context.sendActivity(plainText(profileUnreadable(TEAMS_STYLE, 'request')));
    return;
  }
  const queued: QueuedTeamsCommand = {
    actor,
    here: TurnContext.getConversationReference(context.activity),
    personal: context.activity.conversation.conversationType === 'personal',
    target: command.target,
    reason: command.reason,
  };
  try {
    await deps.commands.enqueue(queued);
  } catch (error) {
    deps.logger.error(
      { err: error, teamsUser: actor.id },
      'could not queue a Teams offboard command',
    );
    await context.sendActivity(
      plainText(
        'I could not record your request right now, so nothing was done. Try again in a minute; if it keeps failing, tell your bot admin.',
      ),
    );
  }
}

/** Handles a queued `offboard` command; run again after a crash, it finishes what the first try left. */
export async function handleQueuedOffboard(
  deps: TeamsHandlerDeps,
  command: QueuedTeamsCommand,
): Promise<void> {
  const logger = deps.logger.child({
    teamsUser: command.actor.id,
    conversation: command.here.conversation?.id,
  });
  await fileRequest(deps, { ...command, logger });
}

async function fileRequest(
  deps: TeamsHandlerDeps,
  input: {
    actor: Actor;
    here: Partial<ConversationReference>;
    personal: boolean;
    logger: Logger;
    target: string;
    reason: string | undefined;
  },
): Promise<void> {
  const { here, logger } = input;
  const tell = (text: string) => deps.sender.send(here, plainText(text));
  try {
    const outcome = await deps.service.requestOffboarding({
      requester: input.actor,
      targetEmail: input.target,
      reason: input.reason,
    });
    let request: OffboardingRequest;
    if (outcome.kind === 'created') {
      request = outcome.request;
    } else if (outcome.kind === 'already_open' && isUnposted(outcome.request, input.actor)) {
      // An earlier try of this command recorded the request and stopped before posting it.
      request = outcome.request;
    } else {
      await tell(requestRefusal(outcome, TEAMS_STYLE));
      return;
    }
    // Nobody but the requester sees a personal chat: the card goes where approvers are.
    const where = input.personal ? await deps.notifyConversations.target(here.serviceUrl) : here;
    if (!where) {
      await deps.service.cancelUndeliverable(
        request.id,
        'Requested in a personal chat, and no notification conversation is set',
      );
      await tell(
        `Approvers cannot see this personal chat, so request #${request.id} could not be approved here; I cancelled it. Mention me in the approvers' channel instead, or have an approver run “offboard notify here” there so requests from personal chats go to it.`,
      );
      return;
    }
    try {
      await postCard(deps, request, where, logger);
    } catch (error) {
      logger.warn({ err: error, requestId: request.id }, 'request card could not be posted');
      await deps.service.cancelUndeliverable(
        request.id,
        `Could not post the request: ${error instanceof Error ? error.message : String(error)}`,
      );
      await tell(
        `I could not post request #${request.id} where approvers can see it, so I cancelled it. Check that the bot is installed there, then try again in a minute.`,
      );
      return;
    }
    if (input.personal) {
      await tell(
        `Request #${request.id} for ${request.target_name} (${request.target_email}) is posted for approval in the offboarding notices conversation, with its progress. “status ${request.id}” shows where it stands.`,
      );
    }
  } catch (error) {
    logger.error({ err: error }, 'Teams offboard request failed');
    await tell(
      'Something went wrong on my side and the request may not have been posted. Check with “status” before trying again; if it keeps failing, tell your bot admin.',
    ).catch(() => undefined);
  }
}

function isUnposted(request: OffboardingRequest, requester: Actor): boolean {
  return (
    request.state === 'pending' &&
    request.chat_message_id === null &&
    request.requester_platform === 'teams' &&
    request.requester_id === requester.id
  );
}

async function postCard(
  deps: TeamsHandlerDeps,
  request: OffboardingRequest,
  where: Partial<ConversationReference>,
  logger: Logger,
): Promise<void> {
  const card = requestCard(request, { approvers: deps.approvers });
  const summary = `Offboarding request #${request.id}: ${request.target_name} (${request.target_email})`;
  const cardActivityId = await deps.sender.send(where, cardMessage(card, summary));
  const conversationId = where.conversation?.id;
  if (!conversationId) throw new Error('The conversation reference has no conversation id');
  await deps.service.attachMessage(request.id, {
    channelId: conversationId,
    messageId: cardActivityId,
    context: threadReference(where, cardActivityId),
  });
  logger.info({ requestId: request.id, cardActivityId }, 'offboarding request card posted');
}
