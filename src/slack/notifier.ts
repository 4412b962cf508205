import type { WebClient } from '@slack/web-api';
import { refreshesCard } from '../offboarding/card-refresh.js';
import type { Decision } from '../offboarding/decision.table.js';
import type { Deployment } from '../offboarding/deployment.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { approverReminderText, rejectionDirectText } from '../offboarding/wording/events.js';
import type { ChatNotifier, DeliveredMessage } from '../workflow/notification-dispatcher.js';
import { eventMessage, noticeMessage, redactedMessage, withSandboxNotice } from './blocks.js';
import type { SlackCards } from './cards.js';
import { mentionSlackId } from './escape.js';
import type { SlackHomes } from './home.js';
import { SLACK_STYLE } from './replies.js';

/** Posts workflow events in the request's thread and keeps the request message current. */
export class SlackNotifier implements ChatNotifier {
  constructor(
    private readonly client: WebClient,
    private readonly service: OffboardingService,
    private readonly cards: SlackCards,
    private readonly options: {
      approvers: readonly string[];
      notifyChannel: string | undefined;
      deployment: Deployment;
      /** Refreshed after each event: a state change shows in Home tabs too. */
      homes?: SlackHomes | undefined;
    },
  ) {}

  async deliver(
    request: OffboardingRequest,
    event: Exclude<WorkflowEvent, { type: 'redacted' }>,
  ): Promise<DeliveredMessage | undefined> {
    const delivered = await this.deliverToChat(request, event);
    if (event.type !== 'outcome_notice') this.options.homes?.refreshLater(request);
    return delivered;
  }

  private async deliverToChat(
    request: OffboardingRequest,
    event: Exclude<WorkflowEvent, { type: 'redacted' }>,
  ): Promise<DeliveredMessage | undefined> {
    const decision = namesTheDecision(event)
      ? await this.service.decisionFor(request.id)
      : undefined;
    if (event.type === 'outcome_notice') {
      if (!this.options.notifyChannel) return;
      const notice = withSandboxNotice(
        noticeMessage(request, event, decision),
        this.options.deployment,
      );
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

    // Drawn from what is stored now, not from the event: steps run on while messages wait.
    if (refreshesCard(event)) await this.cards.redraw(request.id);
    let reply = eventMessage(request, event, decision);
    if (event.type === 'rejected' && request.requester_platform === 'slack') {
      // As for reminders: the direct message first, so a retry repeats nothing in the channel.
      await this.tellRequesterDirectly(
        request,
        rejectionDirectText(request, event.byName, decision, `<#${channel}>`, SLACK_STYLE),
      );
    }
    if (event.type === 'approval_reminder') {
      const waitingFor = await this.approversStillNeeded(request);
      // Direct messages first: a retry after a failed thread reply then repeats nothing visible
      // in the channel.
      await this.remindDirectly(request, channel, waitingFor.users);
      reply = withMentions(reply, waitingFor.mentions);
    }
    reply = withSandboxNotice(reply, this.options.deployment);
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

  private async approversStillNeeded(
    request: OffboardingRequest,
  ): Promise<{ mentions: string[]; users: string[] }> {
    const { approvals } = await this.service.decisionsFor(request.id);
    return slackApproversStillNeeded(this.client, this.options.approvers, approvals, request);
  }

  private async tellRequesterDirectly(request: OffboardingRequest, text: string): Promise<void> {
    const message = withSandboxNotice(
      { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
      this.options.deployment,
    );
    const opened = await this.client.conversations.open({ users: request.requester_id });
    const dm = opened.channel?.id;
    if (!dm) throw new Error(`conversations.open gave no channel for ${request.requester_id}`);
    await this.client.chat.postMessage({
      channel: dm,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
  }

  private async remindDirectly(
    request: OffboardingRequest,
    channel: string,
    users: readonly string[],
  ): Promise<void> {
    const text = approverReminderText(request, `<#${channel}>`, SLACK_STYLE);
    const message = withSandboxNotice(
      { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
      this.options.deployment,
    );
    for (const user of users) {
      const opened = await this.client.conversations.open({ users: user });
      const dm = opened.channel?.id;
      if (!dm) throw new Error(`conversations.open gave no channel for ${user}`);
      await this.client.chat.postMessage({
        channel: dm,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
      });
    }
  }
}

/**
 * The approvers a reminder is for: the configured ones (user groups as their members for the
 * direct messages), less the requester and whoever already approved.
 */
export async function slackApproversStillNeeded(
  client: WebClient,
  approvers: readonly string[],
  approvals: readonly Decision[],
  requester: Pick<OffboardingRequest, 'requester_platform' | 'requester_id'>,
): Promise<{ mentions: string[]; users: string[] }> {
  const excluded = new Set(
    approvals.filter((each) => each.decider_platform === 'slack').map((each) => each.decider_id),
  );
  if (requester.requester_platform === 'slack') excluded.add(requester.requester_id);
  const users = new Set<string>();
  for (const id of approvers) {
    if (!id.startsWith('S')) {
      users.add(id);
      continue;
    }
    const members = await client.usergroups.users.list({ usergroup: id });
    for (const member of members.users ?? []) users.add(member);
  }
  return {
    mentions: approvers.filter((id) => !excluded.has(id)).map(mentionSlackId),
    users: [...users].filter((id) => !excluded.has(id)),
  };
}

/** A rejection's messages say who rejected and why, from the stored decision. */
function namesTheDecision(event: WorkflowEvent): boolean {
  return (
    event.type === 'rejected' || (event.type === 'outcome_notice' && event.outcome === 'rejected')
  );
}

/** The reminder in the thread names the approvers, so Slack notifies them. */
function withMentions(
  message: ReturnType<typeof eventMessage>,
  mentions: readonly string[],
): ReturnType<typeof eventMessage> {
  if (mentions.length === 0) return message;
  const prefix = `${mentions.join(' ')} `;
  const [first, ...rest] = message.blocks;
  const section =
    first?.type === 'section' && first.text?.type === 'mrkdwn'
      ? { ...first, text: { ...first.text, text: `${prefix}${first.text.text}` } }
      : first;
  return { text: `${prefix}${message.text}`, blocks: section ? [section, ...rest] : rest };
}

function located(posted: { channel?: string; ts?: string }): DeliveredMessage | undefined {
  return posted.channel && posted.ts ? { channel: posted.channel, id: posted.ts } : undefined;
}
