import type { WebClient } from '@slack/web-api';
import { parseCommand } from '../../offboarding/command.js';
import { usageText } from '../../offboarding/wording/help.js';
import { NOTIFY_HERE_IS_CONFIGURED_IN_SLACK } from '../../offboarding/wording/notices.js';
import {
  cancelledReply,
  cancelRefusal,
  invalidCancelNumber,
  profileUnreadable,
  requestRefusal,
} from '../../offboarding/wording/refusals.js';
import {
  invalidStatusNumber,
  recentRequestsText,
  requestNotShown,
  statusLine,
} from '../../offboarding/wording/status.js';
import { sandboxText } from '../blocks.js';
import { describeSlackUser } from '../identity.js';
import type { SlackListenerDeps } from '../listeners/deps.js';
import { SLACK_STYLE, SLACK_USAGE } from '../replies.js';
import { slackRequestPoster } from '../request-poster.js';
import { normalizeCommandText, parseMention } from '../text.js';

/** The fields of a slash command the bot uses; kept in the job queue until handled. */
export interface QueuedSlashCommand {
  text: string;
  user_id: string;
  user_name: string;
  channel_id: string;
  response_url: string;
}

/**
 * Everything `/offboard` does after Slack has its acknowledgement: look up, record, post the card,
 * or tell the requester privately (through the command's response_url) why not.
 */
export async function handleOffboardCommand(
  deps: SlackListenerDeps,
  command: QueuedSlashCommand,
  client: WebClient,
): Promise<void> {
  const logger = deps.logger.child({ slackUser: command.user_id, channel: command.channel_id });
  const tellRequester = async (text: string) => {
    await replyPrivately(command.response_url, sandboxText(text, deps.deployment));
  };

  try {
    const parsed = parseCommand(normalizeCommandText(command.text));
    switch (parsed.kind) {
      case 'empty':
      case 'help':
        await tellRequester(
          usageText(SLACK_STYLE, SLACK_USAGE, deps.deployment, parsed.kind === 'empty'),
        );
        return;
      case 'notify_here':
        await tellRequester(NOTIFY_HERE_IS_CONFIGURED_IN_SLACK);
        return;
      case 'status_invalid':
        await tellRequester(invalidStatusNumber(parsed.input, SLACK_STYLE));
        return;
      case 'status': {
        await tellRequester(await statusText(deps, command.user_id, parsed.requestId));
        return;
      }
      case 'cancel_invalid':
        await tellRequester(invalidCancelNumber(parsed.input, SLACK_STYLE));
        return;
      case 'cancel':
        await tellRequester(await cancelByCommand(deps, command, client, parsed.requestId));
        return;
      case 'offboard':
        break;
    }

    const requester = await describeSlackUser(client, command.user_id, command.user_name);
    if (!requester) {
      await tellRequester(profileUnreadable(SLACK_STYLE, 'request'));
      return;
    }
    let targetEmail = parsed.target;
    const mentioned = parseMention(parsed.target);
    if (mentioned) {
      const target = await describeSlackUser(client, mentioned, undefined);
      if (!target?.email) {
        await tellRequester(
          `I could not find an email address for <@${mentioned}> in Slack. Use their Genesys Cloud email instead: \`/offboard jane.doe@example.com\`.`,
        );
        return;
      }
      targetEmail = target.email;
    }

    const outcome = await deps.service.fileRequest(
      {
        requester,
        targetEmail,
        reason: parsed.reason,
        schedule: parsed.schedule,
        timeZone: requester.timeZone,
      },
      slackRequestPoster(client, command.channel_id, { ...deps, logger }),
    );
    switch (outcome.kind) {
      case 'posted':
        logger.info({ requestId: outcome.request.id }, 'offboarding request posted');
        return;
      case 'undeliverable':
        await tellRequester(
          outcome.why.notInChannel
            ? `I can't post in this channel, so approvers would never see request #${outcome.request.id}; I cancelled it. Add me with \`/invite @Offboarding\` (or the channel's Integrations tab), then run the command again.`
            : `I could not post request #${outcome.request.id} here (${outcome.why.problem}), so I cancelled it. Try again in a minute.`,
        );
        return;
      default: {
        const link =
          outcome.kind === 'already_open' ? await permalink(client, outcome.request) : undefined;
        await tellRequester(requestRefusal(outcome, SLACK_STYLE, link));
      }
    }
  } catch (error) {
    logger.error({ err: error }, '/offboard failed');
    await tellRequester(
      'Something went wrong on my side and nothing was posted. Try again in a minute; if it keeps failing, tell your bot admin.',
    ).catch(() => undefined);
  }
}

/** An ephemeral answer through the command's response_url (valid 30 minutes, five uses). */
async function replyPrivately(responseUrl: string, text: string): Promise<void> {
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', text }),
  });
  if (!response.ok) throw new Error(`Slack refused the reply: HTTP ${response.status}`);
}

async function permalink(
  client: WebClient,
  request: { chat_channel_id: string | null; chat_message_id: string | null },
): Promise<string | undefined> {
  if (!request.chat_channel_id || !request.chat_message_id) return undefined;
  try {
    const link = await client.chat.getPermalink({
      channel: request.chat_channel_id,
      message_ts: request.chat_message_id,
    });
    return link.permalink;
  } catch {
    return undefined;
  }
}

/** `/offboard cancel 12`: cancels as the Cancel button does, and redraws the card at once. */
async function cancelByCommand(
  deps: SlackListenerDeps,
  command: QueuedSlashCommand,
  client: WebClient,
  requestId: number,
): Promise<string> {
  const actor = await describeSlackUser(client, command.user_id, command.user_name);
  if (!actor) return profileUnreadable(SLACK_STYLE, 'decision');
  const outcome = await deps.service.cancel({ requestId, actor, proof: undefined });
  const refusal = cancelRefusal(outcome, requestId);
  if (refusal) return refusal;
  if ('request' in outcome) {
    await deps.cards
      .redraw(outcome.request.id)
      .catch((error: unknown) =>
        deps.logger.warn({ err: error, requestId }, 'request message could not be updated'),
      );
  }
  return cancelledReply(requestId);
}

async function statusText(
  deps: SlackListenerDeps,
  userId: string,
  requestId: number | undefined,
): Promise<string> {
  if (requestId !== undefined) {
    const request = await deps.service.findRequestFor({ platform: 'slack', id: userId }, requestId);
    if (typeof request === 'string') return requestNotShown(requestId, request);
    return statusLine(request, SLACK_STYLE);
  }
  const recent = await deps.service.recentRequests({ platform: 'slack', id: userId });
  return recentRequestsText(recent, SLACK_STYLE);
}
