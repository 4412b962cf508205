import type { WebClient } from '@slack/web-api';
import { refreshesCard } from '../offboarding/card-refresh.js';
import type { Deployment } from '../offboarding/deployment.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import type { ChatNotifier } from '../workflow/notification-dispatcher.js';
import { eventMessage, noticeMessage, requestMessage, withSandboxNotice } from './blocks.js';
import type { SlackHomes } from './home.js';

/** Posts workflow events in the request's thread and keeps the request message current. */
export class SlackNotifier implements ChatNotifier {
  constructor(
    private readonly client: WebClient,
    private readonly service: OffboardingService,
    private readonly options: {
      approvers: readonly string[];
      notifyChannel: string | undefined;
      deployment: Deployment;
      /** Refreshed after each event: a state change shows in Home tabs too. */
      homes?: SlackHomes | undefined;
    },
  ) {}

  async deliver(request: OffboardingRequest, event: WorkflowEvent): Promise<void> {
    await this.deliverToChat(request, event);
    if (event.type !== 'outcome_notice') this.options.homes?.refreshLater(request);
  }

  private async deliverToChat(request: OffboardingRequest, event: WorkflowEvent): Promise<void> {
    if (event.type === 'outcome_notice') {
      if (!this.options.notifyChannel) return;
      const notice = withSandboxNotice(noticeMessage(request, event), this.options.deployment);
      await this.client.chat.postMessage({
        channel: this.options.notifyChannel,
        text: notice.text,
        blocks: notice.blocks,
        unfurl_links: false,
      });
      return;
    }
    const channel = request.chat_channel_id;
    const threadTs = request.chat_message_id;
    if (!channel || !threadTs) return;

    if (refreshesCard(event)) {
      const card = requestMessage(request, {
        approvers: this.options.approvers,
        decision: await this.service.decisionFor(request.id),
        deployment: this.options.deployment,
      });
      await this.client.chat.update({
        channel,
        ts: threadTs,
        text: card.text,
        blocks: card.blocks,
      });
    }
    const reply = withSandboxNotice(eventMessage(request, event), this.options.deployment);
    await this.client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      text: reply.text,
      blocks: reply.blocks,
      unfurl_links: false,
    });
  }
}
