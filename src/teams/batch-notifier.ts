import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import { listBatchMembers } from '../offboarding/batch.repository.js';
import type { BatchPoster, BatchView } from '../offboarding/batch.service.js';
import type { BatchNotifier } from '../workflow/batch-progress.js';
import { cardMessage, plainText } from './activities.js';
import { batchCard, batchFinishedText, batchProgressCard, batchSummary } from './batch-cards.js';
import { storedCard, threadReference } from './conversation.js';
import type { NotifyConversations } from './notify-conversations.js';
import type { TeamsUndeliverable } from './request-poster.js';
import type { TeamsSender } from './sender.js';

/**
 * Keeps a batch's card current and its one progress activity in the card's thread, updated in
 * place (updateActivity). Teams bots cannot upload files into a channel, so the end report is
 * that progress activity itself, drawn as a report card (counts, failed people and their errors,
 * Retry failed) and redrawn from the database like the rest, redaction included; `report` adds a
 * short notice without names, so the end of the run notifies the thread.
 */
export class TeamsBatchNotifier implements BatchNotifier {
  constructor(
    private readonly sender: TeamsSender,
    private readonly db: Db,
    private readonly approvers: readonly string[],
  ) {}

  async show(view: BatchView, progressMessageId: string | null): Promise<string | undefined> {
    const stored = storedCard(view.batch);
    if (!stored) return progressMessageId ?? undefined;
    await this.sender.update(
      stored.card,
      stored.cardActivityId,
      cardMessage(batchCard(view, { approvers: this.approvers }), batchSummary(view)),
    );
    if (view.batch.state !== 'approved') return progressMessageId ?? undefined;
    const failed = view.settled
      ? (await listBatchMembers(this.db, view.batch.id)).filter(
          (member) => member.state === 'failed',
        )
      : [];
    const progress = cardMessage(batchProgressCard(view, failed), batchSummary(view));
    if (progressMessageId) {
      await this.sender.update(stored.thread, progressMessageId, progress);
      return progressMessageId;
    }
    return this.sender.send(stored.thread, progress);
  }

  /**
   * A Teams batch records where its card goes only when the card is posted (the conversation
   * reference comes with the post), so there is no card to post after the fact: a filing cut
   * short leaves its people pending until they expire, and the requester files them again.
   */
  async postCard(view: BatchView): Promise<string> {
    throw new AppError(
      'BATCH_CARD_UNPOSTABLE',
      `batch ${view.batch.id}: a Teams batch card can only be posted while it is filed`,
    );
  }

  async report(view: BatchView, _csv: string): Promise<void> {
    const stored = storedCard(view.batch);
    if (!stored) return;
    await this.sender.send(stored.thread, plainText(batchFinishedText(view)));
  }
}

/**
 * Posts a new batch's card where approvers see it: the conversation the form came from, or, for
 * a personal chat, the notices conversation (as a single request's card).
 */
export function teamsBatchPoster(
  deps: {
    sender: TeamsSender;
    notifyConversations: NotifyConversations;
    approvers: readonly string[];
  },
  asked: { here: Partial<ConversationReference>; personal: boolean },
  logger: Logger,
): BatchPoster<TeamsUndeliverable> {
  return {
    async post(view) {
      const where = asked.personal
        ? await deps.notifyConversations.target(asked.here.serviceUrl)
        : asked.here;
      if (!where) {
        return {
          undeliverable: {
            reason: 'Requested in a personal chat, and no notification conversation is set',
            cause: 'no_approver_conversation',
          },
        };
      }
      try {
        const conversationId = where.conversation?.id;
        if (!conversationId) throw new Error('The conversation reference has no conversation id');
        const card = batchCard(view, { approvers: deps.approvers });
        const cardActivityId = await deps.sender.send(where, cardMessage(card, batchSummary(view)));
        logger.info({ batchId: view.batch.id, cardActivityId }, 'batch card posted');
        return {
          posted: {
            channelId: conversationId,
            messageId: cardActivityId,
            context: threadReference(where, cardActivityId),
          },
        };
      } catch (error) {
        logger.warn({ err: error, batchId: view.batch.id }, 'batch card could not be posted');
        return {
          undeliverable: {
            reason: `Could not post the batch: ${error instanceof Error ? error.message : String(error)}`,
            cause: 'post_failed',
          },
        };
      }
    },
  };
}
