import type { Deployment } from '../deployment.js';
import { organizationLine } from './deployment.js';
import type { TextStyle } from './style.js';

/** What differs in the usage text, for a real reason: what each platform's commands can do. */
export interface UsageOptions {
  /** Where the bot listens, when that is not obvious (Teams: chats and channel mentions). */
  where?: string;
  /** Lines only this platform has, after the first one. */
  extraLines: readonly string[];
}

/** The answer to `help` (and, after "Tell me whom to offboard.", to an empty command). */
export function usageText(
  style: TextStyle,
  options: UsageOptions,
  deployment: Deployment,
  empty: boolean,
): string {
  const lines = [
    ...(empty ? ['Tell me whom to offboard.'] : []),
    `${style.strong('Usage')}${options.where ? ` (${options.where})` : ''}`,
    `${style.command('jane.doe@example.com Last day Friday')} asks to offboard a Genesys Cloud user; the reason is optional.`,
    `${style.command('jane.doe@example.com on 2026-12-18 at 18:00 Last day')} runs it at that time, in your time zone (a date alone means the default time of day); nothing changes in Genesys Cloud before then.`,
    ...options.extraLines,
    `${style.command('cancel 12')} cancels request #12 until its run starts (you filed it, or you are an approver).`,
    `${style.command('status')} lists your recent requests; ${style.command('status 12')} shows request #12.`,
    `${style.command('help')} shows this.`,
    'An approver other than you approves or rejects the request with its buttons. Then the bot revokes the user’s sessions, soft deletes them and files the GDPR request, posting each step in the request’s thread.',
    style.text(organizationLine(deployment)),
  ];
  return lines.join('\n');
}

/** Slack only: a Slack user can be named by mention, and their profile gives the email. */
export function mentionUsageLine(style: TextStyle): string {
  return `${style.command('@jane Last day Friday')} does the same for a Slack user, by their email.`;
}

/** Teams only: Slack's notice channel is configured instead. */
export function notifyHereUsageLine(style: TextStyle): string {
  return `${style.command('notify here')} sends completion and failure notices to this conversation, and requests made in a personal chat too.`;
}
