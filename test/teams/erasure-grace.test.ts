import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import { type Activity, executeActivity, submitActivity } from '../helpers/teams-activities.js';
import {
  ADAM,
  cardOf,
  cardText,
  executeActions,
  MARIA,
  OSCAR,
  startTeamsHarness,
  type TeamsHarness,
  UMA,
} from '../helpers/teams-harness.js';

let h: TeamsHarness;
let counter = 0;
beforeAll(async () => {
  h = await startTeamsHarness({
    erasureDelayHours: 1,
    users: Array.from({ length: 4 }, (_, i) => ({
      name: `Agent ${i}`,
      email: `agent${i}@example.com`,
    })),
  });
});
afterAll(async () => {
  await h?.close();
});

async function state(requestId: number): Promise<OffboardingRequest> {
  const row = await h.bot.service.findRequest(requestId);
  if (!row) throw new Error(`no request ${requestId}`);
  return row;
}

/** A request approved by Adam, soft-deleted and waiting for its erasure, with Undo on its card. */
async function parked() {
  const filed = await h.requestInChannel(`agent${counter++}@example.com`, 'leaving');
  await h.execute(
    { requestId: filed.request.id, decision: 'approved', cardActivityId: filed.card.id },
    ADAM,
    filed.place,
  );
  const shared = await h.waitFor(
    'the Undo button on the shared card',
    () => {
      const current = cardOf(h.connector.activity(filed.card.id)?.activity);
      return executeActions(current).some((a) => a.verb === 'offboarding.undo')
        ? current
        : undefined;
    },
    40_000,
  );
  const undo = executeActions(shared).find((a) => a.verb === 'offboarding.undo');
  return { ...filed, shared, undoData: undo?.data as Record<string, unknown> };
}

/** A click on Undo as Teams sends it: the card's own Action.Execute data, or the Submit fallback. */
function undoClick(
  kind: 'execute' | 'submit',
  from: typeof ADAM,
  filed: Awaited<ReturnType<typeof parked>>,
  data: Record<string, unknown> = filed.undoData,
): Activity {
  const click = { requestId: filed.request.id, decision: 'approved' as const, token: null };
  const activity =
    kind === 'execute'
      ? executeActivity(h.connector.serviceUrl, from, click, filed.place)
      : submitActivity(h.connector.serviceUrl, from, click, filed.place);
  return {
    ...activity,
    replyToId: filed.card.id,
    value:
      kind === 'execute'
        ? { action: { type: 'Action.Execute', verb: 'offboarding.undo', data }, trigger: 'manual' }
        : data,
  };
}

describe('Undo on the Teams card (ERASURE_DELAY_HOURS=1)', { timeout: 120_000 }, () => {
  it('the card says when the erasure is filed and what a restore does not bring back', async () => {
    const filed = await parked();
    const text = cardText(filed.shared);
    expect(text).toContain('The GDPR request will be filed on');
    expect(text).toContain('extensions, the default station or roles granted directly');
    expect(h.emulator.user(filed.request.target_genesys_id)?.state).toBe('deleted');
    expect(h.emulator.gdprRequests()).toEqual([]);
  });

  it('refuses an outsider and a forged token; an approver restores the user', async () => {
    const filed = await parked();
    h.emulator.clearCalls();
    const outsider = await h.post(undoClick('execute', OSCAR, filed));
    expect(JSON.stringify(outsider.body)).toContain('Only an approver can undo an offboarding');
    const forged = await h.post(
      undoClick('execute', UMA, filed, { ...filed.undoData, offboardingToken: 'forged' }),
    );
    expect(JSON.stringify(forged.body)).toContain('This card is out of date');
    expect(forged.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect((await state(filed.request.id)).state).toBe('awaiting_erasure');
    expect(h.emulator.calls().filter((c) => c.method === 'PATCH')).toEqual([]);

    const undone = await h.post(undoClick('execute', UMA, filed));
    expect(cardText((undone.body as { value: unknown }).value)).toContain(
      'is restored in Genesys Cloud and the GDPR request will not be filed',
    );
    expect((await state(filed.request.id)).state).toBe('restored');
    expect(h.emulator.user(filed.request.target_genesys_id)?.state).toBe('active');
    const shared = await h.waitFor('the shared card without Undo', () => {
      const current = cardOf(h.connector.activity(filed.card.id)?.activity);
      return cardText(current).includes('Undone on') ? current : undefined;
    });
    expect(executeActions(shared)).toEqual([]);
    await h.waitFor('the thread told', () =>
      h.connector
        .activities()
        .some((a) => JSON.stringify(a.activity).includes('Undone by Uma Upn')),
    );
  });

  it('the requester who is not an approver cannot undo, even by the Submit fallback', async () => {
    const filed = await parked();
    await h.post(undoClick('submit', MARIA, filed));
    await h.waitFor('the refusal', () =>
      h.connector
        .activities()
        .some((a) => JSON.stringify(a.activity).includes('Only an approver can undo')),
    );
    expect((await state(filed.request.id)).state).toBe('awaiting_erasure');
    expect(h.emulator.user(filed.request.target_genesys_id)?.state).toBe('deleted');
  });
});
