import type { ChatPlatform, OffboardingRequest } from './request.table.js';

/** A person acting through a chat platform. `email` is what the platform says it is, when known. */
export interface Actor {
  platform: ChatPlatform;
  id: string;
  name?: string | undefined;
  email?: string | undefined;
}

/** Who may request and who may decide, answered by each platform from its own directory. */
export interface AccessPolicy {
  canRequest(actor: Actor): Promise<boolean>;
  isApprover(actor: Actor): Promise<boolean>;
}

export function isSamePerson(actor: Actor, request: OffboardingRequest): boolean {
  return actor.platform === request.requester_platform && actor.id === request.requester_id;
}

export function isSelfTarget(actor: Actor, targetEmail: string): boolean {
  return actor.email !== undefined && actor.email.toLowerCase() === targetEmail.toLowerCase();
}

export function actorLabel(actor: Actor): string {
  return `${actor.platform}:${actor.id}`;
}
