import type { WebClient } from '@slack/web-api';
import { parseCommand } from '../../offboarding/command.js';
import { organizationLine } from '../../offboarding/deployment.js';
import { sandboxText } from '../blocks.js';
import { escapeMrkdwn } from '../escape.js';
import { describeSlackUser } from '../identity.js';
import type { SlackListenerDeps } from '../listeners/deps.js';
import { refusalText, statusLine, USAGE } from '../replies.js';
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
      case 'help': {
        const usage = `${USAGE}\n${escapeMrkdwn(organizationLine(deps.deployment))}`;
        await tellRequester(
          parsed.kind === 'empty' ? `Tell me whom to offboard.\n${usage}` : usage,
        );
        return;
      }
      case 'notify_here':
        await tellRequester(
          'In Slack the notification channel is set with SLACK_NOTIFY_CHANNEL. `notify here` is for Teams.',
        );
        return;
      case 'status_invalid':
        await tellRequester(
          `\`${parsed.input}\` is not a request number. Use \`/offboard status 12\`.`,
        );
        return;
      case 'status': {
        await tellRequester(await statusText(deps, command.user_id, parsed.requestId));
        return;
      }
      case 'offboard':
        break;
    }

    const requester = await describeSlackUser(client, command.user_id, command.user_name);
    if (!requester) {
      await tellRequester(
        'I could not read your Slack profile, so I cannot check who you are. Nothing was recorded; try again.',
      );
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
      { requester, targetEmail, reason: parsed.reason },
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
        await tellRequester(refusalText(outcome, link));
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

async function statusText(
  deps: SlackListenerDeps,
  userId: string,
  requestId: number | undefined,
): Promise<string> {
  if (requestId !== undefined) {
    const request = await deps.service.findRequestFor({ platform: 'slack', id: userId }, requestId);
    if (request === 'not_found') return `There is no request #${requestId}.`;
    if (request === 'not_allowed') {
      return `Request #${requestId} is visible only to the person who filed it and the approvers.`;
    }
    return statusLine(request);
  }
  const recent = await deps.service.recentRequests({ platform: 'slack', id: userId });
  if (recent.length === 0) return 'You have not requested any offboarding yet.';
  return `*Your recent requests*\n${recent.map(statusLine).join('\n')}`;
}
