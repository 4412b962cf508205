import { CardRedraws, refreshesCard } from '../offboarding/card-refresh.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { cardSummary, redactedLine } from '../offboarding/wording/card.js';
import type { ChatNotifier, DeliveredMessage } from '../workflow/notification-dispatcher.js';
import { cardMessage, plainText } from './activities.js';
import { approverNames, redactedCard, requestCard } from './cards.js';
import { type StoredCard, storedCard } from './conversation.js';
import { eventText, TEAMS_STYLE } from './messages.js';
import type { NotifyConversations } from './notify-conversations.js';
import type { TeamsSender } from './sender.js';

/**
 * Posts workflow events in the request card's thread and keeps the card current, proactively
 * from the conversation reference stored with the card; outcome notices go to the notify
 * conversation.
 */
export class TeamsNotifier implements ChatNotifier {
  constructor(
    private readonly sender: TeamsSender,
    private readonly service: OffboardingService,
    private readonly notifyConversations: NotifyConversations,
    private readonly approvers: readonly string[],
    private readonly redraws = new CardRedraws(),
  ) {}

  async deliver(
    request: OffboardingRequest,
    event: Exclude<WorkflowEvent, { type: 'redacted' }>,
  ): Promise<DeliveredMessage | undefined> {
    const stored = storedCard(request);
    const decision =
      event.type === 'rejected' || (event.type === 'outcome_notice' && event.outcome === 'rejected')
        ? await this.service.decisionFor(request.id)
        : undefined;
    if (event.type === 'outcome_notice') {
      const target = await this.notifyConversations.target(stored?.thread.serviceUrl);
      if (!target?.conversation) return;
      const id = await this.sender.send(target, plainText(eventText(request, event, decision)));
      return { channel: target.conversation.id, id };
    }
    if (!stored) return;

    // Drawn from what is stored now, not from the event: steps run on while messages wait.
    if (refreshesCard(event)) await this.redrawCard(request.id);
    // Teams mentions need each approver's id and display name as Teams knows them; the
    // configured UPNs name them instead.
    const text =
      event.type === 'approval_reminder'
        ? `${approverNames(this.approvers).join(', ')}: ${eventText(request, event)}`
        : eventText(request, event, decision);
    const id = await this.sender.send(stored.thread, plainText(text));
    return { channel: threadConversation(stored), id };
  }

  private async redrawCard(requestId: number): Promise<void> {
    const current = await this.service.findRequest(requestId);
    const stored = current && storedCard(current);
    if (!current || !stored) return;
    const details = await this.service.cardFor(current);
    const card = requestCard(current, { approvers: this.approvers, ...details });
    await this.redraws.redraw(requestId, details.progress.version, () =>
      this.sender.update(
        stored.card,
        stored.cardActivityId,
        cardMessage(card, cardSummary(current, TEAMS_STYLE)),
      ),
    );
  }

  /** Updates the card activity and each message that named the leaver (updateActivity). */
  async redact(
    request: OffboardingRequest,
    event: Extract<WorkflowEvent, { type: 'redacted' }>,
    messages: ReadonlyArray<DeliveredMessage & { event: WorkflowEvent }>,
  ): Promise<void> {
    const stored = storedCard(request);
    const text = redactedLine(request, event.retentionDays);
    if (stored) {
      await this.sender.update(
        stored.card,
        stored.cardActivityId,
        cardMessage(redactedCard(request, event.retentionDays), text),
      );
    }
    const notices = await this.notifyConversations.target(stored?.thread.serviceUrl);
    for (const sent of messages) {
      // A thread reply lives in the card's conversation; a notice in the notify conversation.
      const reference =
        stored && sent.channel === threadConversation(stored)
          ? stored.thread
          : notices?.conversation?.id === sent.channel
            ? notices
            : undefined;
      if (!reference) continue;
      await this.sender.update(reference, sent.id, plainText(text));
    }
  }
}

/** The conversation the card's thread replies go to. */
function threadConversation(stored: StoredCard): string {
  return stored.thread.conversation?.id ?? stored.card.conversation?.id ?? '';
}
