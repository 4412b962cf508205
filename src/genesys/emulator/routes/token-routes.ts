import { notFound } from '../api-error.js';
import type { EmulatorState } from '../emulator-state.js';
import type { Route } from '../router.js';

export function tokenRoutes(state: EmulatorState): Route[] {
  return [
    {
      method: 'DELETE',
      pattern: /^\/api\/v2\/tokens\/([^/]+)$/,
      handle(context) {
        const user = state.directory.get(context.params[0] ?? '');
        if (!user) throw notFound('Unable to find a user with that userId');
        const at = new Date().toISOString();
        user.tokenRevocations.push(at);
        state.tokenRevocations.push({ userId: user.id, at });
        return { status: 204 };
      },
    },
  ];
}
