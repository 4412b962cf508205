import type { Decision } from '../decision.table.js';
import type { OffboardingRequest } from '../request.table.js';

/**
 * How a chat platform writes the marked-up parts of a sentence, and the few things that differ
 * between platforms for a real reason. The sentences themselves live next to this file, once;
 * each adapter gives one style (Slack: mrkdwn, escaped; Teams: plain text, nothing to escape).
 */
export interface TextStyle {
  /** Text from users or Genesys, made safe for the platform. */
  text(value: string): string;
  /** An identifier from Genesys (a GDPR request id). */
  code(value: string): string;
  strong(value: string): string;
  /** What the user typed, quoted back to them (made safe as `text` does). */
  quoted(value: string): string;
  /** How to type a bot command with these arguments: `/offboard status 12`, “offboard status 12”. */
  command(args: string): string;
  /** A link, where the platform's text can carry one. */
  link?(url: string, label: string): string;
  /** A date and time the reader can read. */
  date(date: Date): string;
  /** Who asked: a mention where the platform has one, else a name. */
  requester(request: OffboardingRequest): string;
  /** Who decided: a mention where the platform has one, else a name. */
  decider(decision: Decision): string;
  /** The platform's name, as people call it ("Slack", "Teams"). */
  platformName: string;
  /** Whom a requester who may not request should ask, and for what. */
  notAllowedHint: string;
}

/** A date and minute in UTC: the same for everyone reading, whatever their time zone. */
export function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
