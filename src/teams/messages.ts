import type { Decision } from '../offboarding/decision.table.js';
import type { WorkflowEvent } from '../offboarding/events.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { describeEvent, type EventIcon } from '../offboarding/wording/events.js';
import { notifyHereUsageLine, type UsageOptions } from '../offboarding/wording/help.js';
import { type TextStyle, utcMinute } from '../offboarding/wording/style.js';

/**
 * How Teams writes the shared wording (src/offboarding/wording). Text messages are sent with
 * textFormat `plain` and cards use TextRuns, which Teams shows as raw text: names, reasons and
 * Genesys errors cannot turn into markdown or links, so nothing is escaped, and emphasis is left
 * to the card's runs.
 */
export const TEAMS_STYLE: TextStyle = {
  text: (value) => value,
  code: (value) => value,
  strong: (value) => value,
  quoted: (value) => `“${value}”`,
  command: (args) => `“offboard ${args}”`,
  date: utcMinute,
  requester: (request) => request.requester_name ?? 'The requester',
  decider: (decision) => decision.decider_name ?? decision.decider_id,
  platformName: 'Teams',
  notAllowedHint: 'Ask your bot admin.',
};

export const TEAMS_USAGE: UsageOptions = {
  where: 'in a chat with me, or mention me in a channel',
  extraLines: [notifyHereUsageLine(TEAMS_STYLE)],
};

const EVENT_ICONS: Record<EventIcon, string> = {
  started: '⚙️',
  step: '▶️',
  done: '✅',
  warning: '⚠️',
  waiting: '⏳',
  finished: '🎉',
  failed: '❌',
  expired: '⏰',
  reminder: '🔔',
  scheduled: '🗓️',
  cancelled: '✖️',
  rejected: '⛔',
};

/**
 * A reply in the request's thread, or (outcome_notice) a notice in the notify conversation. A
 * rejection's needs its decision (who, and why).
 */
export function eventText(
  request: OffboardingRequest,
  event: WorkflowEvent,
  decision?: Decision,
): string {
  const { icon, text, detail } = describeEvent(request, event, TEAMS_STYLE, decision);
  return `${EVENT_ICONS[icon]} ${text}${detail ? `\n${detail}` : ''}`;
}
