import { type TeamsChannelAccount, TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Actor } from '../offboarding/policy.js';

export interface TeamsUser {
  actor: Actor;
  /** False when Teams could not tell us the user's principal name (the email is then unknown). */
  profileRead: boolean;
}

/**
 * The person behind the turn's activity. The id is the Entra object id (stable across chats,
 * what TEAMS_APPROVERS lists); the email is the user principal name from TeamsInfo.getMember
 * (falling back to the mail address), which the domain needs to refuse a self-offboarding and
 * the policy to match UPN approvers. The REST answer names the object id `objectId`.
 */
export async function describeTeamsUser(context: TurnContext, logger: Logger): Promise<TeamsUser> {
  const from = context.activity.from;
  let member: (TeamsChannelAccount & { objectId?: string }) | undefined;
  try {
    member = await TeamsInfo.getMember(context, from.id);
  } catch (error) {
    logger.warn({ err: error, teamsUser: from.id }, 'Teams member details could not be read');
  }
  const objectId = from.aadObjectId ?? member?.objectId ?? member?.aadObjectId;
  return {
    actor: {
      platform: 'teams',
      id: objectId ? objectId.toLowerCase() : from.id,
      name: from.name || member?.name || undefined,
      email: member?.userPrincipalName || member?.email || undefined,
      otherEmails:
        member?.email && member.email !== member.userPrincipalName ? [member.email] : undefined,
      // Teams reports guests (B2B invitees) with userRole 'guest'; unknown until the lookup works.
      guest: member?.userRole?.toLowerCase() === 'guest',
    },
    profileRead: member !== undefined,
  };
}
