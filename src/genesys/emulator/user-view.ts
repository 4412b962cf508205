import type { StoredUser } from './types.js';

/** Only the expansions the emulator can fill; others are accepted and ignored, like the API does for empty ones. */
export interface UserViewOptions {
  expand: readonly string[];
}

/** Splits `expand` the way the SDK sends it (comma-joined) and the way browsers do (repeated). */
export function parseExpand(values: readonly string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

/** A stored user in the spec's `User` shape (users.yml#/definitions/User). */
export function userView(user: StoredUser, options: UserViewOptions = { expand: [] }): object {
  return {
    id: user.id,
    name: user.name,
    division: {
      id: user.division.id,
      name: user.division.name,
      selfUri: `/api/v2/authorization/divisions/${user.division.id}`,
    },
    chat: { jabberId: `${user.id.replaceAll('-', '').slice(0, 24)}@emulator.orgspan.com` },
    ...(user.department === undefined ? {} : { department: user.department }),
    email: user.email,
    primaryContactInfo: [{ address: user.email, mediaType: 'EMAIL', type: 'PRIMARY' }],
    addresses: [],
    state: user.state,
    ...(user.title === undefined ? {} : { title: user.title }),
    username: user.username,
    ...(user.preferredName === undefined ? {} : { preferredName: user.preferredName }),
    version: user.version,
    acdAutoAnswer: user.acdAutoAnswer,
    ...(options.expand.includes('dateLastLogin') && user.dateLastLogin !== undefined
      ? { dateLastLogin: user.dateLastLogin }
      : {}),
    selfUri: `/api/v2/users/${user.id}`,
  };
}
