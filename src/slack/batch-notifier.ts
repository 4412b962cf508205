import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { BatchPoster, BatchView } from '../offboarding/batch.service.js';
import type { Deployment } from '../offboarding/deployment.js';
import {
  batchApprovalReminderText,
  batchApproverReminderText,
  batchExpiryWarningText,
  batchOutcomeNotice,
  batchReportComment,
} from '../offboarding/wording/batch.js';
import type { BatchNotifier, BatchReminderKind } from '../workflow/batch-progress.js';
import { batchCard, batchProgressMessage } from './batch-blocks.js';
import { sandboxText } from './blocks.js';
import { mentionSlackId } from './escape.js';
import { slackApproversStillNeeded } from './notifier.js';
import { type SlackUndeliverable, undeliverableFromSlackError } from './request-poster.js';

interface BatchDrawing {
  approvers: readonly string[];
  deployment: Deployment;
  /** SLACK_NOTIFY_CHANNEL: told when a batch finishes, as for a single request's outcome. */
  notifyChannel?: string | undefined;
}

/** Keeps a batch's card current, its one progress message in place, and posts the report. */
export class SlackBatchNotifier implements BatchNotifier {
  constructor(
    private readonly client: WebClient,
    private readonly options: BatchDrawing,
  ) {}

  async show(view: BatchView, progressMessageId: string | null): Promise<string | undefined> {
    const { batch } = view;
    const channel = batch.chat_channel_id;
    const cardTs = batch.chat_message_id;
    if (!channel || !cardTs) return undefined;
    const card = batchCard(view, this.options);
    await this.client.chat.update({ channel, ts: cardTs, text: card.text, blocks: card.blocks });
    if (batch.state !== 'approved') return progressMessageId ?? undefined;
    const progress = batchProgressMessage(view, this.options.deployment);
    if (progressMessageId) {
      await this.client.chat.update({
        channel,
        ts: progressMessageId,
        text: progress.text,
        blocks: progress.blocks,
      });
      return progressMessageId;
    }
    const posted = await this.client.chat.postMessage({
      channel,
      thread_ts: cardTs,
      text: progress.text,
      blocks: progress.blocks,
      unfurl_links: false,
    });
    return posted.ts;
  }

  async postCard(view: BatchView): Promise<string> {
    const channel = view.batch.chat_channel_id;
    if (!channel) throw new Error(`batch ${view.batch.id} has no channel to post its card in`);
    const card = batchCard(view, this.options);
    const posted = await this.client.chat.postMessage({
      channel,
      text: card.text,
      blocks: card.blocks,
      unfurl_links: false,
    });
    if (!posted.ts) throw new Error('Slack returned no message timestamp');
    return posted.ts;
  }

  async report(view: BatchView, csv: string): Promise<void> {
    const { batch } = view;
    if (!batch.chat_channel_id || !batch.chat_message_id) return;
    const filename = `bulk-offboarding-${batch.id}.csv`;
    await this.client.filesUploadV2({
      channel_id: batch.chat_channel_id,
      thread_ts: batch.chat_message_id,
      initial_comment: batchReportComment(view),
      file_uploads: [{ file: Buffer.from(csv, 'utf8'), filename, title: filename }],
    });
    const { notifyChannel, deployment } = this.options;
    if (notifyChannel) {
      await this.client.chat.postMessage({
        channel: notifyChannel,
        text: sandboxText(batchOutcomeNotice(view), deployment),
        unfurl_links: false,
      });
    }
  }

  /**
   * An approval reminder goes by direct message to each approver still needed, then in the card's
   * thread naming them (direct messages first: a retry after a failed thread reply repeats
   * nothing in the channel). The expiry warning is a thread reply naming the requester.
   */
  async remind(view: BatchView, kind: BatchReminderKind): Promise<void> {
    const { batch } = view;
    const channel = batch.chat_channel_id;
    const thread = batch.chat_message_id;
    if (!channel || !thread) return;
    let text: string;
    if (kind === 'approval') {
      const waitingFor = await slackApproversStillNeeded(
        this.client,
        this.options.approvers,
        view.approvals,
        batch,
      );
      const direct = sandboxText(
        batchApproverReminderText(view, `<#${channel}>`),
        this.options.deployment,
      );
      for (const user of waitingFor.users) {
        const opened = await this.client.conversations.open({ users: user });
        const dm = opened.channel?.id;
        if (!dm) throw new Error(`conversations.open gave no channel for ${user}`);
        await this.client.chat.postMessage({ channel: dm, text: direct, unfurl_links: false });
      }
      text = [...waitingFor.mentions, batchApprovalReminderText(view)].join(' ');
    } else {
      const requester =
        batch.requester_platform === 'slack' ? `${mentionSlackId(batch.requester_id)} ` : '';
      text = `${requester}${batchExpiryWarningText(view)}`;
    }
    await this.client.chat.postMessage({
      channel,
      thread_ts: thread,
      text: sandboxText(text, this.options.deployment),
      unfurl_links: false,
    });
  }
}

/** Posts a new batch's card in the channel the requester chose. */
export function slackBatchPoster(
  client: WebClient,
  channelId: string,
  options: BatchDrawing & { logger: Logger },
): BatchPoster<SlackUndeliverable> {
  return {
    channelId,
    async post(view) {
      const card = batchCard(view, options);
      try {
        const posted = await client.chat.postMessage({
          channel: channelId,
          text: card.text,
          blocks: card.blocks,
          unfurl_links: false,
        });
        if (!posted.ts || !posted.channel) throw new Error('Slack returned no message timestamp');
        return { posted: { channelId: posted.channel, messageId: posted.ts } };
      } catch (error) {
        options.logger.warn(
          { err: error, batchId: view.batch.id },
          'batch card could not be posted',
        );
        return { undeliverable: undeliverableFromSlackError(error) };
      }
    },
  };
}
