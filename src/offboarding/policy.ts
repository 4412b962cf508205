import { timingSafeEqual } from 'node:crypto';
import type { ChatPlatform, OffboardingRequest } from './request.table.js';

/**
 * A person acting through a chat platform, as the adapter read it from the platform's directory.
 * `email` is what the platform says it is, when known; `guest` is true for a guest or external
 * account (Slack multi/single-channel guests, Teams guest users).
 */
export interface Actor {
  platform: ChatPlatform;
  id: string;
  name?: string | undefined;
  email?: string | undefined;
  /**
   * Other addresses the platform knows for the same person (Teams: the mail address when it
   * differs from the UPN). Compared like `email`, so a UPN that is not the Genesys email still
   * identifies the leaver.
   */
  otherEmails?: readonly string[] | undefined;
  guest?: boolean | undefined;
}

/** Who may request and who may decide, answered by each platform from its own directory. */
export interface AccessPolicy {
  canRequest(actor: Actor): Promise<boolean>;
  isApprover(actor: Actor): Promise<boolean>;
}

/**
 * What a click carries to show it comes from the request's own card: the token in the button,
 * and where the card is (Slack: channel and message ts; Teams: the card's activity id, when
 * Teams sends it). A location the platform did not send is not compared; the token always is.
 */
export interface DecisionProof {
  token: string | undefined;
  channelId?: string | undefined;
  messageId?: string | undefined;
  /**
   * Where the click came from when not from the card itself: Slack's App Home, Teams'
   * `offboard list`. Such a click carries no card location, so the token alone proves it; the
   * place is recorded with the decision or the refusal.
   */
  surface?: DecisionSurface | undefined;
}

export type DecisionSurface = 'slack_app_home' | 'teams_list';

/** Why a click does not prove it comes from the request's card; undefined when it does. */
export function proofMismatch(
  request: Pick<OffboardingRequest, 'decision_token' | 'chat_channel_id' | 'chat_message_id'>,
  proof: DecisionProof,
): 'no_token' | 'token' | 'channel' | 'message' | undefined {
  if (request.decision_token === null || proof.token === undefined) return 'no_token';
  if (!sameSecret(request.decision_token, proof.token)) return 'token';
  if (
    proof.channelId !== undefined &&
    request.chat_channel_id !== null &&
    proof.channelId !== request.chat_channel_id
  ) {
    return 'channel';
  }
  if (
    proof.messageId !== undefined &&
    request.chat_message_id !== null &&
    proof.messageId !== request.chat_message_id
  ) {
    return 'message';
  }
  return undefined;
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The same person as the requester: the same chat account, or the same email on any platform. */
export function isSamePerson(
  actor: Actor,
  request: Pick<OffboardingRequest, 'requester_platform' | 'requester_id' | 'requester_email'>,
): boolean {
  if (actor.platform === request.requester_platform && actor.id === request.requester_id) {
    return true;
  }
  const requesterEmail = request.requester_email;
  return (
    requesterEmail !== null && emailsOf(actor).some((email) => sameEmail(email, requesterEmail))
  );
}

export function isSelfTarget(actor: Actor, targetEmail: string): boolean {
  return emailsOf(actor).some((email) => sameEmail(email, targetEmail));
}

function emailsOf(actor: Actor): string[] {
  return [...(actor.email === undefined ? [] : [actor.email]), ...(actor.otherEmails ?? [])];
}

function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function actorLabel(actor: Actor): string {
  return `${actor.platform}:${actor.id}`;
}
