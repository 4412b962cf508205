import { randomUUID } from 'node:crypto';
import type { SeedUser, StoredUser } from './types.js';

/** Every Genesys org has a Home division; seeded users without one land there. */
export const HOME_DIVISION = { id: '0b6a8a3c-1d4e-4b7f-9a55-6f0e2c1d9b01', name: 'Home' } as const;

/** Personal data a completed GDPR_DELETE leaves behind. */
export const ERASED_NAME = 'Erased User';

export function erasedEmail(userId: string): string {
  return `erased-${userId}@gdpr.invalid`;
}

/**
 * The emulated directory. Holds users by id in seed order; callers own validation and HTTP
 * concerns, this class owns the invariants (versions bump on every change, erasure is final).
 */
export class UserDirectory {
  readonly #users = new Map<string, StoredUser>();

  seed(users: readonly SeedUser[]): Array<{ id: string; email: string }> {
    return users.map((seed) => {
      const id = seed.id ?? randomUUID();
      const previous = this.#users.get(id);
      const user: StoredUser = {
        id,
        name: seed.name,
        email: seed.email,
        username: seed.email,
        state: seed.state ?? 'active',
        // Re-seeding an id keeps versions moving forward so stale PATCHes still conflict.
        version: previous ? previous.version + 1 : 1,
        division: seed.division ? { ...seed.division } : { ...HOME_DIVISION },
        acdAutoAnswer: false,
        erased: false,
        tokenRevocations: previous?.tokenRevocations ?? [],
      };
      if (seed.department !== undefined) user.department = seed.department;
      if (seed.title !== undefined) user.title = seed.title;
      if (seed.dateLastLogin !== undefined) user.dateLastLogin = seed.dateLastLogin;
      this.#users.set(id, user);
      return { id, email: user.email };
    });
  }

  /** The live record; callers that hand it out must copy it. */
  get(id: string): StoredUser | undefined {
    return this.#users.get(id);
  }

  all(): StoredUser[] {
    return [...this.#users.values()];
  }

  /** What directory search sees: deleted users vanish from it. */
  searchable(): StoredUser[] {
    return this.all().filter((user) => user.state !== 'deleted');
  }

  touch(user: StoredUser): void {
    user.version += 1;
  }

  erase(user: StoredUser): void {
    user.name = ERASED_NAME;
    user.email = erasedEmail(user.id);
    user.username = user.email;
    delete user.preferredName;
    delete user.dateLastLogin;
    user.erased = true;
    this.touch(user);
  }

  /** Replaces every user with these (as a snapshot left them). */
  restore(users: readonly StoredUser[]): void {
    this.#users.clear();
    for (const user of users) this.#users.set(user.id, structuredClone(user));
  }

  snapshot(): StoredUser[] {
    return this.all().map((user) => structuredClone(user));
  }
}
