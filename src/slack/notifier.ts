import type { WebClient } from '@slack/web-api';
import { refreshesCard } from '../offboarding/card-refresh.js';
import type { Deployment } from '../offboarding/deployment.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import type { ChatNotifier, DeliveredMessage } from '../workflow/notification-dispatcher.js';
import {
  eventMessage,
  noticeMessage,
  redactedMessage,
  requestMessage,
  withSandboxNotice,
} from './blocks.js';

/** Posts workflow events in the request's thread and keeps the request message current. */
export class SlackNotifier implements ChatNotifier {
  constructor(
    private readonly client: WebClient,
    private readonly service: OffboardingService,
    private readonly options: {
      approvers: readonly string[];
      notifyChannel: string | undefined;
      deployment: Deployment;
    },
  ) {}

  async deliver(
    request: OffboardingRequest,
    event: Exclude<WorkflowEvent, { type: 'redacted' }>,
  ): Promise<DeliveredMessage | undefined> {
    if (event.type === 'outcome_notice') {
      if (!this.options.notifyChannel) return;
      const notice = withSandboxNotice(noticeMessage(request, event), this.options.deployment);
      const posted = await this.client.chat.postMessage({
        channel: this.options.notifyChannel,
        text: notice.text,
        blocks: notice.blocks,
        unfurl_links: false,
      });
      return located(posted);
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
    const posted = await this.client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      text: reply.text,
      blocks: reply.blocks,
      unfurl_links: false,
    });
    return located(posted);
  }

  /** chat.update on the card (its stored ts) and on each message that named the leaver. */
  async redact(
    request: OffboardingRequest,
    event: Extract<WorkflowEvent, { type: 'redacted' }>,
    messages: ReadonlyArray<DeliveredMessage & { event: WorkflowEvent }>,
  ): Promise<void> {
    const message = withSandboxNotice(
      redactedMessage(request, event.retentionDays),
      this.options.deployment,
    );
    if (request.chat_channel_id && request.chat_message_id) {
      await this.client.chat.update({
        channel: request.chat_channel_id,
        ts: request.chat_message_id,
        text: message.text,
        blocks: message.blocks,
      });
    }
    for (const sent of messages) {
      await this.client.chat.update({
        channel: sent.channel,
        ts: sent.id,
        text: message.text,
        blocks: message.blocks,
      });
    }
  }
}

function located(posted: { channel?: string; ts?: string }): DeliveredMessage | undefined {
  return posted.channel && posted.ts ? { channel: posted.channel, id: posted.ts } : undefined;
}
