import { type ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Actor } from '../../offboarding/policy.js';
import type { ScheduleInput } from '../../offboarding/schedule.js';
import { profileUnreadable, requestRefusal } from '../../offboarding/wording/refusals.js';
import { plainText } from '../activities.js';
import { describeTeamsUser } from '../identity.js';
import { TEAMS_STYLE } from '../messages.js';
import { teamsRequestPoster } from '../request-poster.js';
import type { TeamsHandlerDeps } from './deps.js';

/** What a Teams `offboard` command needs after its turn; kept in the job queue until handled. */
export interface QueuedTeamsCommand {
  actor: Actor;
  here: Partial<ConversationReference>;
  personal: boolean;
  target: string;
  reason: string | undefined;
  /** `on YYYY-MM-DD [at HH:MM]` as typed. */
  schedule?: ScheduleInput | undefined;
  /** The activity's `localTimezone` (IANA), which the schedule is read in. */
  timeZone?: string | undefined;
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
  command: { target: string; reason: string | undefined; schedule?: ScheduleInput | undefined },
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
    schedule: command.schedule,
    timeZone: context.activity.localTimezone || undefined,
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
  input: QueuedTeamsCommand & { logger: Logger },
): Promise<void> {
  const { here, logger } = input;
  const tell = (text: string) => deps.sender.send(here, plainText(text));
  try {
    const outcome = await deps.service.fileRequest(
      {
        requester: input.actor,
        targetEmail: input.target,
        reason: input.reason,
        schedule: input.schedule,
        timeZone: input.timeZone,
      },
      teamsRequestPoster(deps, input, logger),
    );
    switch (outcome.kind) {
      case 'posted': {
        const { request } = outcome;
        if (input.personal) {
          await tell(
            `Request #${request.id} for ${request.target_name} (${request.target_email}) is posted for approval in the offboarding notices conversation, with its progress. “status ${request.id}” shows where it stands.`,
          );
        }
        return;
      }
      case 'undeliverable':
        await tell(
          outcome.why.cause === 'no_approver_conversation'
            ? `Approvers cannot see this personal chat, so request #${outcome.request.id} could not be approved here; I cancelled it. Mention me in the approvers' channel instead, or have an approver run “offboard notify here” there so requests from personal chats go to it.`
            : `I could not post request #${outcome.request.id} where approvers can see it, so I cancelled it. Check that the bot is installed there, then try again in a minute.`,
        );
        return;
      default:
        await tell(requestRefusal(outcome, TEAMS_STYLE));
    }
  } catch (error) {
    logger.error({ err: error }, 'Teams offboard request failed');
    await tell(
      'Something went wrong on my side and the request may not have been posted. Check with “status” before trying again; if it keeps failing, tell your bot admin.',
    ).catch(() => undefined);
  }
}
