import { refreshesCard } from '../offboarding/card-refresh.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { cardSummary } from '../offboarding/wording/card.js';
import type { ChatNotifier } from '../workflow/notification-dispatcher.js';
import { cardMessage, plainText } from './activities.js';
import { approverNames, requestCard } from './cards.js';
import { storedCard } from './conversation.js';
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
  ) {}

  async deliver(request: OffboardingRequest, event: WorkflowEvent): Promise<void> {
    const stored = storedCard(request);
    if (event.type === 'outcome_notice') {
      const target = await this.notifyConversations.target(stored?.thread.serviceUrl);
      if (!target) return;
      await this.sender.send(target, plainText(eventText(request, event)));
      return;
    }
    if (!stored) return;

    if (refreshesCard(event)) {
      const card = requestCard(request, {
        approvers: this.approvers,
        ...(await this.service.decisionsFor(request.id)),
      });
      await this.sender.update(
        stored.card,
        stored.cardActivityId,
        cardMessage(card, cardSummary(request, TEAMS_STYLE)),
      );
    }
    // Teams mentions need each approver's id and display name as Teams knows them; the
    // configured UPNs name them instead.
    const text =
      event.type === 'approval_reminder'
        ? `${approverNames(this.approvers).join(', ')}: ${eventText(request, event)}`
        : eventText(request, event);
    await this.sender.send(stored.thread, plainText(text));
  }
}
