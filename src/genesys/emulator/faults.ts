import type { FaultSpec } from './types.js';

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

export type TerminalFault = Extract<FaultSpec, { kind: 'status' } | { kind: 'reset' }>;

/** What to do to one request: wait this long, then maybe answer with a fault instead. */
export interface FaultPlan {
  delayMs: number;
  terminal?: TerminalFault;
}

function matches(spec: FaultSpec, method: string, pathname: string): boolean {
  if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) return false;
  if (typeof spec.path === 'string') return spec.path === pathname;
  // A global or sticky RegExp keeps state between test() calls; start each match afresh.
  spec.path.lastIndex = 0;
  return spec.path.test(pathname);
}

export function validateFault(spec: FaultSpec): void {
  if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times > 0)) {
    throw new Error('fault.times must be a positive integer');
  }
  if (
    spec.kind === 'status' &&
    !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)
  ) {
    throw new Error('fault.status must be an HTTP error status (400-599)');
  }
  if (spec.kind === 'latency' && !(spec.ms >= 0)) throw new Error('fault.ms must be >= 0');
}

/**
 * Injected faults, applied in the order they were added: every matching latency adds its delay;
 * the first matching status or reset decides the answer. Each match uses up one of `times`.
 */
export class FaultRegistry {
  #faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    validateFault(spec);
    this.#faults.push({ spec, remaining: spec.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.#faults = [];
  }

  plan(method: string, pathname: string): FaultPlan {
    const plan: FaultPlan = { delayMs: 0 };
    for (const fault of this.#faults) {
      if (fault.remaining <= 0 || !matches(fault.spec, method, pathname)) continue;
      fault.remaining -= 1;
      if (fault.spec.kind === 'latency') {
        plan.delayMs += fault.spec.ms;
        continue;
      }
      plan.terminal = fault.spec;
      break;
    }
    this.#faults = this.#faults.filter((fault) => fault.remaining > 0);
    return plan;
  }
}

/**
 * What Genesys answers when a user changes while it deletes or updates it (a version conflict
 * inside the directory): 400 `general.conflict`, not 409. Repeating the call succeeds.
 */
export function directoryConflictFault(
  method: 'DELETE' | 'PATCH',
  userId: string,
  times = 1,
): FaultSpec {
  return {
    method,
    path: `/api/v2/users/${userId}`,
    times,
    kind: 'status',
    status: 400,
    code: 'general.conflict',
    message: 'Conflict deleting specified userId',
  };
}
