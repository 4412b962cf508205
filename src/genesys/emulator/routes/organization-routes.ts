import type { EmulatorState } from '../emulator-state.js';
import type { Route } from '../router.js';

export function organizationRoutes(state: EmulatorState): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/api\/v2\/organizations\/me$/,
      handle() {
        return { status: 200, body: structuredClone(state.organization) };
      },
    },
  ];
}
