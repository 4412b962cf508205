// The sandbox's demo org as the playground shows it: each user is also a member of the fake Slack
// workspace (with their Genesys email on their Slack profile, as in a real company), so
// `/offboard @jane` resolves the way the bot resolves a mention in Slack; and the sidebar marks who
// the emulator says is already offboarded.

import type { StoredGdprRequest, StoredUser } from '../genesys/emulator/types.js';
import { PLAYGROUND_PEOPLE } from './cast.js';

/** A demo org user the page suggests as a target; `id` is the Genesys user id when known. */
export interface DemoTarget {
  id?: string | undefined;
  name: string;
  email: string;
}

/** A Slack member of the playground's workspace who is not one of the people you can be. */
export interface DemoMember {
  slackId: string;
  /** The Slack handle: `@handle` in the composer becomes a mention of this member. */
  handle: string;
  name: string;
  email: string;
}

/** What the sandbox's Genesys emulator knows, as far as the sidebar needs it. */
export interface SandboxDirectory {
  user(id: string): Pick<StoredUser, 'state'> | undefined;
  gdprRequests(): Pick<StoredGdprRequest, 'requestType' | 'status' | 'subject'>[];
}

/**
 * Why a demo user counts as offboarded: soft-deleted in Genesys, or the subject of a GDPR
 * request that erases (GDPR_DELETE) or pseudonymises (GDPR_UPDATE) them, filed or completed.
 */
export type OffboardedMark = 'deleted' | 'erasure_filed' | 'erased';

/**
 * Handles as a person would pick them: the first part of the email (`jane` for jane.doe@…), the
 * whole local part when that is taken (by one of the cast or an earlier member).
 */
export function demoMembers(targets: readonly DemoTarget[]): DemoMember[] {
  const taken = new Set(PLAYGROUND_PEOPLE.map((person) => person.handle));
  return targets.map((target, index) => {
    const local = slackHandle(target.email.split('@')[0] ?? '');
    const short = local.split('.')[0] ?? local;
    const handle = short !== '' && !taken.has(short) ? short : local;
    taken.add(handle);
    return {
      slackId: `U0DEMO${String(index + 1).padStart(3, '0')}`,
      handle,
      name: target.name,
      email: target.email,
    };
  });
}

/** Slack handles are lowercase letters, digits, periods, hyphens and underscores. */
function slackHandle(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '');
}

export function offboardedMark(
  target: DemoTarget,
  directory: SandboxDirectory,
): OffboardedMark | undefined {
  const email = target.email.toLowerCase();
  const erasures = directory
    .gdprRequests()
    .filter(
      (request) =>
        (request.requestType === 'GDPR_DELETE' || request.requestType === 'GDPR_UPDATE') &&
        request.status !== 'ERROR' &&
        ((target.id !== undefined && request.subject.userId === target.id) ||
          (request.subject.emailAddresses ?? []).some(
            (address) => address.toLowerCase() === email,
          )),
    );
  if (erasures.some((request) => request.status === 'COMPLETED')) return 'erased';
  if (erasures.length > 0) return 'erasure_filed';
  if (target.id !== undefined && directory.user(target.id)?.state === 'deleted') return 'deleted';
  return undefined;
}
