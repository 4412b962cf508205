import type { WebClient } from '@slack/web-api';
import type { AccessPolicy, Actor } from '../offboarding/policy.js';

const GROUP_CACHE_MS = 60_000;

/**
 * SLACK_APPROVERS / SLACK_REQUESTERS hold user ids (U…, W…) and user-group ids (S…). Group
 * members are read with usergroups.users.list and cached briefly, so a removal takes effect
 * within a minute without a call on every click.
 */
export class SlackAccessPolicy implements AccessPolicy {
  private readonly groupCache = new Map<string, { members: Set<string>; until: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly approvers: readonly string[],
    private readonly requesters: readonly string[] | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  async canRequest(actor: Actor): Promise<boolean> {
    if (this.requesters === undefined) return true;
    return this.isListed(actor.id, this.requesters);
  }

  async isApprover(actor: Actor): Promise<boolean> {
    return this.isListed(actor.id, this.approvers);
  }

  private async isListed(userId: string, ids: readonly string[]): Promise<boolean> {
    if (ids.includes(userId)) return true;
    for (const groupId of ids.filter((id) => id.startsWith('S'))) {
      if ((await this.groupMembers(groupId)).has(userId)) return true;
    }
    return false;
  }

  private async groupMembers(groupId: string): Promise<Set<string>> {
    const cached = this.groupCache.get(groupId);
    if (cached && cached.until > this.now()) return cached.members;
    const response = await this.client.usergroups.users.list({ usergroup: groupId });
    const members = new Set<string>(response.users ?? []);
    this.groupCache.set(groupId, { members, until: this.now() + GROUP_CACHE_MS });
    return members;
  }
}
