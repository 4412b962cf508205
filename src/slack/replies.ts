import type { Decision } from '../offboarding/decision.table.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { mentionUsageLine, type UsageOptions } from '../offboarding/wording/help.js';
import type { TextStyle } from '../offboarding/wording/style.js';
import { escapeMrkdwn, mentionSlackId } from './escape.js';

/**
 * How Slack writes the shared wording (src/offboarding/wording): mrkdwn, with every piece of
 * text from users or Genesys escaped, and people as mentions where they are Slack users.
 */
export const SLACK_STYLE: TextStyle = {
  text: escapeMrkdwn,
  code: (value) => `\`${escapeMrkdwn(value)}\``,
  strong: (value) => `*${escapeMrkdwn(value)}*`,
  quoted: (value) => `\`${escapeMrkdwn(value)}\``,
  command: (args) => `\`/offboard ${escapeMrkdwn(args)}\``,
  link: (url, label) => `<${url}|${escapeMrkdwn(label)}>`,
  date: slackDate,
  requester: requesterMention,
  decider: deciderMention,
  platformName: 'Slack',
  notAllowedHint: 'Ask your Slack admin to add you (or a group you are in) to SLACK_REQUESTERS.',
};

export const SLACK_USAGE: UsageOptions = { extraLines: [mentionUsageLine(SLACK_STYLE)] };

/** Shown in each reader's own time zone; the fallback is for clients that cannot. */
export function slackDate(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} at {time}|${date.toISOString()}>`;
}

export function requesterMention(request: OffboardingRequest): string {
  return request.requester_platform === 'slack'
    ? mentionSlackId(request.requester_id)
    : escapeMrkdwn(request.requester_name ?? request.requester_id);
}

function deciderMention(decision: Decision): string {
  return decision.decider_platform === 'slack'
    ? mentionSlackId(decision.decider_id)
    : escapeMrkdwn(decision.decider_name ?? decision.decider_id);
}
