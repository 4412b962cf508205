import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import { listBatchMembers } from '../offboarding/batch.repository.js';
import type { BatchPoster, BatchView } from '../offboarding/batch.service.js';
import {
  batchApprovalReminderText,
  batchExpiryWarningText,
  batchOutcomeNotice,
} from '../offboarding/wording/batch.js';
import type { BatchNotifier, BatchReminderKind } from '../workflow/batch-progress.js';
import { cardMessage, plainText } from './activities.js';
import { batchCard, batchFinishedText, batchProgressCard, batchSummary } from './batch-cards.js';
import { approverNames } from './cards.js';
import { storedCard } from './conversation.js';
import type { TeamsHandlerDeps } from './handlers/deps.js';
import type { NotifyConversations } from './notify-conversations.js';
import { type AskedIn, postForApprovers, type TeamsUndeliverable } from './request-poster.js';
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
    private readonly notifyConversations?: NotifyConversations,
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
    const notices = await this.notifyConversations?.target(stored.thread.serviceUrl);
    if (notices?.conversation) {
      await this.sender.send(notices, plainText(batchOutcomeNotice(view)));
    }
  }

  /**
   * A reply in the card's thread. Teams mentions need each approver's id and display name as
   * Teams knows them, so the approval reminder names the configured approvers, as a request's.
   */
  async remind(view: BatchView, kind: BatchReminderKind): Promise<void> {
    const stored = storedCard(view.batch);
    if (!stored) return;
    const names = approverNames(this.approvers);
    const text =
      kind === 'expiry'
        ? batchExpiryWarningText(view)
        : `${names.length > 0 ? `${names.join(', ')}: ` : ''}${batchApprovalReminderText(view)}`;
    await this.sender.send(stored.thread, plainText(text));
  }
}

/** Posts a new batch's card where approvers see it, as a single request's card. */
export function teamsBatchPoster(
  deps: Pick<TeamsHandlerDeps, 'sender' | 'notifyConversations' | 'approvers'>,
  asked: AskedIn,
  logger: Logger,
): BatchPoster<TeamsUndeliverable> {
  return {
    post: (view) =>
      postForApprovers(
        deps,
        asked,
        {
          card: batchCard(view, { approvers: deps.approvers }),
          summary: batchSummary(view),
          what: 'batch',
          id: view.batch.id,
        },
        logger,
      ),
  };
}
