import { TurnContext } from 'botbuilder';
import type { BatchView } from '../../offboarding/batch.service.js';
import type { Actor } from '../../offboarding/policy.js';
import type { ScheduleInput } from '../../offboarding/schedule.js';
import { batchProblemsText } from '../../offboarding/wording/batch.js';
import { profileUnreadable } from '../../offboarding/wording/refusals.js';
import { cardMessage } from '../activities.js';
import { type AdaptiveCard, adaptiveCard, heading, line, run } from '../adaptive-card.js';
import {
  type BatchClickData,
  batchCard,
  batchClickReply,
  batchFormProblem,
  batchSummary,
} from '../batch-cards.js';
import { teamsBatchPoster } from '../batch-notifier.js';
import { storedCard } from '../conversation.js';
import { describeTeamsUser } from '../identity.js';
import { TEAMS_STYLE } from '../messages.js';
import { type RequestFormData, requestFormCard } from '../request-form-card.js';
import type { TeamsHandlerDeps } from './deps.js';

/**
 * The form with more than one email: a batch. Everything wrong with its lines is shown on the
 * form (nothing recorded); a good batch is filed and its one card posted where approvers see it.
 * Checked within the turn, so that the problems can be drawn on the form the person sees.
 */
export async function submitBatchForm(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  entered: RequestFormData,
  actor: Actor,
): Promise<AdaptiveCard> {
  const timeZone = context.activity.localTimezone || undefined;
  const schedule: ScheduleInput | undefined = entered.lastDay
    ? { date: entered.lastDay, time: entered.lastTime }
    : undefined;
  const check = await deps.batches.checkBatch({
    requester: actor,
    lines: entered.emails.split(/\r?\n/),
    reason: entered.reason.trim() || undefined,
    schedule,
    timeZone,
  });
  if (check.kind !== 'ready') {
    return requestFormCard(entered, { emails: batchFormProblem(check) });
  }
  const { activityId: _formCard, ...here } = TurnContext.getConversationReference(context.activity);
  const personal = context.activity.conversation.conversationType === 'personal';
  const logger = deps.logger.child({ teamsUser: actor.id });
  const filed = await deps.batches.fileBatch(
    check.plan,
    teamsBatchPoster(deps, { here, personal }, logger),
  );
  switch (filed.kind) {
    case 'problems':
      return requestFormCard(entered, { emails: batchProblemsText(filed.problems) });
    case 'undeliverable':
      return requestFormCard(entered, {
        emails:
          filed.why.cause === 'no_approver_conversation'
            ? `Approvers cannot see this personal chat, so bulk offboarding #${filed.batch.id} could not be approved here; I cancelled it. Send the form in the approvers' channel instead, or have an approver run “offboard notify here” there.`
            : `I could not post bulk offboarding #${filed.batch.id} where approvers can see it, so I cancelled it. Check that the bot is installed there, then try again in a minute.`,
      });
    case 'posted':
      logger.info(
        { batchId: filed.batch.id, people: filed.batch.member_count },
        'bulk offboarding filed',
      );
      return adaptiveCard([
        heading('Offboard several people'),
        line([
          run(
            `Bulk offboarding #${filed.batch.id} of ${filed.batch.member_count} people is posted for approval${personal ? ' in the offboarding notices conversation' : ''}. One approval runs them all; its progress and report appear under its card.`,
          ),
        ]),
      ]);
  }
}

export interface BatchClickAnswer {
  /** The batch card as the clicker should now see it; undefined to leave their card as is. */
  card: AdaptiveCard | undefined;
  note: string | undefined;
}

/**
 * Approve all, Reject all (the batch card) and Retry failed (the report): through the same
 * checked decision path as the Slack buttons, with the card's token as proof. The card for
 * everyone is redrawn by the batch's progress job, which every decision queues.
 */
export async function batchClick(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  data: BatchClickData,
): Promise<BatchClickAnswer> {
  const batchId = data.offboardingBatchId;
  const { actor, profileRead } = await describeTeamsUser(context, deps.logger);
  if (!profileRead) {
    return { card: undefined, note: profileUnreadable(TEAMS_STYLE, 'decision') };
  }
  const logger = deps.logger.child({
    batchId,
    teamsUser: actor.id,
    choice: data.offboardingBatchChoice,
  });
  const proof = {
    token: data.offboardingToken,
    // The card's own activity. Retry failed sits on the report, another activity: the batch's
    // token proves that click alone, as a click in `offboard list` does.
    messageId:
      data.offboardingBatchChoice === 'retry' ? undefined : context.activity.replyToId || undefined,
  };
  if (data.offboardingBatchChoice === 'retry') {
    const outcome = await deps.batches.retryFailed({ batchId, actor, proof });
    if (outcome.kind === 'retried')
      logger.info({ retried: outcome.requestIds.length }, 'batch retried');
    return { card: undefined, note: batchClickReply(outcome) };
  }
  const outcome = await deps.batches.decideBatch({
    batchId,
    actor,
    decision: data.offboardingBatchChoice,
    proof,
  });
  const note = batchClickReply(outcome);
  // An out-of-date card gets words only: a current card would hand its token to the old one's holder.
  if (!('batch' in outcome)) return { card: undefined, note };
  if (outcome.kind === 'decided') logger.info({ requests: outcome.requests }, 'batch decided');
  const view = await deps.batches.viewOf(outcome.batch);
  redrawForEveryone(deps, view, logger);
  return { card: batchCard(view, { approvers: deps.approvers, note }), note };
}

/** At once, after the turn; the progress job draws it again from the database shortly after. */
function redrawForEveryone(
  deps: TeamsHandlerDeps,
  view: BatchView,
  logger: TeamsHandlerDeps['logger'],
): void {
  const stored = storedCard(view.batch);
  if (!stored) return;
  deps.background.run('teams batch card update', async () => {
    await deps.sender
      .update(
        stored.card,
        stored.cardActivityId,
        cardMessage(batchCard(view, { approvers: deps.approvers }), batchSummary(view)),
      )
      .catch((error: unknown) => logger.warn({ err: error }, 'batch card could not be updated'));
  });
}
