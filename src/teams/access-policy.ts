import type { AccessPolicy, Actor } from '../offboarding/policy.js';

/**
 * TEAMS_APPROVERS holds Entra object ids and user principal names, lower-cased by config. A
 * Teams actor's id is their object id (`from.aadObjectId`), and its email their UPN as
 * TeamsInfo.getMember reports it (see identity.ts), so either form of entry matches.
 * Anyone in a conversation with the bot may request: approval is the control.
 */
export class TeamsAccessPolicy implements AccessPolicy {
  private readonly approvers: ReadonlySet<string>;

  constructor(approvers: readonly string[]) {
    this.approvers = new Set(approvers.map((entry) => entry.toLowerCase()));
  }

  async canRequest(_actor: Actor): Promise<boolean> {
    return true;
  }

  async isApprover(actor: Actor): Promise<boolean> {
    if (actor.platform !== 'teams') return false;
    if (this.approvers.has(actor.id.toLowerCase())) return true;
    return actor.email !== undefined && this.approvers.has(actor.email.toLowerCase());
  }
}
