import { z } from 'zod';
import { ApiError, badRequest, notFound } from '../api-error.js';
import type { EmulatorState } from '../emulator-state.js';
import { requireJson } from '../http-io.js';
import type { Route } from '../router.js';
import type { FaultSpec, SeedUser } from '../types.js';

// /__emulator/*: the same controls as the in-process API, for tests that run the bot in another
// process. Loopback test tooling: no auth, no faults, not recorded as calls.
//   GET    /__emulator/calls                      RecordedCall[]
//   DELETE /__emulator/calls
//   GET    /__emulator/state                      { users, gdprRequests, tokenRevocations }
//   POST   /__emulator/users                      SeedUser[] or { users: SeedUser[] }
//   POST   /__emulator/faults                     FaultSpec; path as string or { regex, flags? }
//   DELETE /__emulator/faults
//   PUT    /__emulator/rate-limit                 { requestsPerSecond, burst? } or null
//   POST   /__emulator/gdpr/requests/{id}/fail    next progression ends in ERROR
//   POST   /__emulator/gdpr/fail-next             { count }
//   PUT    /__emulator/gdpr/list-order            { order: newest-first|oldest-first|shuffled }
//   POST   /__emulator/tokens/revoke-all

const seedUserSchema = z.object({
  id: z.string().min(1).optional(),
  name: z.string(),
  email: z.string(),
  department: z.string().optional(),
  title: z.string().optional(),
  division: z.object({ id: z.string(), name: z.string() }).optional(),
  state: z.enum(['active', 'inactive', 'deleted']).optional(),
  dateLastLogin: z.string().optional(),
});

const seedBodySchema = z.union([
  z.array(seedUserSchema),
  z.object({ users: z.array(seedUserSchema) }).transform((body) => body.users),
]);

const faultTarget = {
  method: z.string().optional(),
  path: z.union([z.string(), z.object({ regex: z.string(), flags: z.string().optional() })]),
  times: z.number().int().positive().optional(),
};

const faultSchema = z.discriminatedUnion('kind', [
  z.object({
    ...faultTarget,
    kind: z.literal('status'),
    status: z.number().int().min(400).max(599),
    code: z.string().optional(),
    message: z.string().optional(),
  }),
  z.object({ ...faultTarget, kind: z.literal('latency'), ms: z.number().min(0) }),
  z.object({ ...faultTarget, kind: z.literal('reset') }),
]);

const rateLimitSchema = z
  .object({ requestsPerSecond: z.number().positive(), burst: z.number().min(1).optional() })
  .nullable();

const failNextSchema = z.object({ count: z.number().int().min(0) });
const listOrderSchema = z.object({ order: z.enum(['newest-first', 'oldest-first', 'shuffled']) });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(z.prettifyError(result.error));
  return result.data;
}

function toFaultSpec(input: z.infer<typeof faultSchema>): FaultSpec {
  const { path, ...rest } = input;
  if (typeof path === 'string') return { ...rest, path } as FaultSpec;
  try {
    return { ...rest, path: new RegExp(path.regex, path.flags) } as FaultSpec;
  } catch (error) {
    throw badRequest(`Invalid regex: ${String(error)}`);
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function controlRoutes(state: EmulatorState): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/__emulator\/calls$/,
      handle: () => ({ status: 200, body: state.calls.all() }),
    },
    {
      method: 'DELETE',
      pattern: /^\/__emulator\/calls$/,
      handle() {
        state.calls.clear();
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: /^\/__emulator\/state$/,
      handle: () => ({ status: 200, body: state.snapshot() }),
    },
    {
      method: 'POST',
      pattern: /^\/__emulator\/users$/,
      handle(context) {
        const users = parse(seedBodySchema, requireJson(context.body));
        const seeded = state.directory.seed(
          users.map((user) => withoutUndefined(user) as SeedUser),
        );
        return { status: 200, body: seeded };
      },
    },
    {
      method: 'POST',
      pattern: /^\/__emulator\/faults$/,
      handle(context) {
        const fault = toFaultSpec(parse(faultSchema, requireJson(context.body)));
        state.faults.add(withoutUndefined(fault));
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/__emulator\/faults$/,
      handle() {
        state.faults.clear();
        return { status: 204 };
      },
    },
    {
      method: 'PUT',
      pattern: /^\/__emulator\/rate-limit$/,
      handle(context) {
        const limit = parse(rateLimitSchema, requireJson(context.body));
        state.rateLimiter.set(limit ? withoutUndefined(limit) : null);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      pattern: /^\/__emulator\/gdpr\/requests\/([^/]+)\/fail$/,
      handle(context) {
        const id = context.params[0] ?? '';
        if (!state.gdpr.find(id)) throw notFound(`No GDPR request ${id}`);
        try {
          state.gdpr.failRequest(id);
        } catch (error) {
          throw new ApiError(409, 'request.conflict', (error as Error).message);
        }
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      pattern: /^\/__emulator\/gdpr\/fail-next$/,
      handle(context) {
        state.gdpr.failNext(parse(failNextSchema, requireJson(context.body)).count);
        return { status: 204 };
      },
    },
    {
      method: 'PUT',
      pattern: /^\/__emulator\/gdpr\/list-order$/,
      handle(context) {
        state.gdpr.setListOrder(parse(listOrderSchema, requireJson(context.body)).order);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      pattern: /^\/__emulator\/tokens\/revoke-all$/,
      handle() {
        state.tokens.revokeAll();
        return { status: 204 };
      },
    },
  ];
}
