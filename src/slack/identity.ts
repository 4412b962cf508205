import type { WebClient } from '@slack/web-api';
import type { Actor } from '../offboarding/policy.js';

/**
 * A Slack user as the domain needs them: the email (users.info profile.email, which needs the
 * users:read.email scope) and whether they are a guest. Slack marks multi-channel guests
 * `is_restricted` and single-channel guests `is_ultra_restricted`. Undefined when Slack did not
 * answer, so callers refuse rather than act on an unknown person.
 */
export async function describeSlackUser(
  client: WebClient,
  userId: string,
  fallbackName: string | undefined,
): Promise<(Actor & { timeZone?: string | undefined }) | undefined> {
  try {
    const info = await client.users.info({ user: userId });
    const user = info.user;
    return {
      platform: 'slack',
      id: userId,
      name: user?.profile?.real_name || user?.name || fallbackName,
      email: user?.profile?.email || undefined,
      guest: user?.is_restricted === true || user?.is_ultra_restricted === true,
      // The profile's IANA zone (`Europe/Paris`): a scheduled time is read in it.
      timeZone: user?.tz || undefined,
    };
  } catch {
    return undefined;
  }
}
