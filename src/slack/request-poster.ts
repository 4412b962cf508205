import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Deployment } from '../offboarding/deployment.js';
import type { RequestPoster, Undeliverable } from '../offboarding/request-poster.js';
import { requestMessage } from './blocks.js';

/** Errors meaning the bot may not post in the channel where the command was typed. */
const CANNOT_POST_HERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

export interface SlackUndeliverable extends Undeliverable {
  /** The bot is not a member of the channel (or may not post there): adding it fixes this. */
  notInChannel: boolean;
  /** What went wrong, for the requester. */
  problem: string;
}

/** Posts a request's card in the channel where `/offboard` was typed. */
export function slackRequestPoster(
  client: WebClient,
  channelId: string,
  options: {
    approvers: readonly string[];
    deployment: Deployment;
    logger: Logger;
    service: { approvalsRequired: number };
  },
): RequestPoster<SlackUndeliverable> {
  return {
    async post(request) {
      const card = requestMessage(request, {
        approvers: options.approvers,
        approvalsRequired: options.service.approvalsRequired,
        deployment: options.deployment,
      });
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
          { err: error, requestId: request.id },
          'request message could not be posted',
        );
        return { undeliverable: undeliverableFromSlackError(error) };
      }
    },
  };
}

/** What the requester is told when Slack refused a card (a request's or a batch's). */
export function undeliverableFromSlackError(error: unknown): SlackUndeliverable {
  const slackError = (error as { data?: { error?: string } }).data?.error;
  const notInChannel = CANNOT_POST_HERE.has(slackError ?? '');
  const problem = notInChannel
    ? 'the bot is not in this channel'
    : `Slack refused the message (${slackError ?? (error as Error).message})`;
  return { reason: `Could not post the request: ${problem}`, notInChannel, problem };
}
