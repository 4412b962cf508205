import { afterEach, describe, expect, it } from 'vitest';
import { executeActivity, type TeamsPlace } from '../helpers/teams-activities.js';
import {
  ADAM,
  cardOf,
  executeActions,
  JANE,
  OSCAR,
  startTeamsHarness,
  type TeamsHarness,
} from '../helpers/teams-harness.js';
import { hasPostgres } from '../helpers/test-database.js';
import { waitForQuiet } from '../helpers/wait.js';

let harness: TeamsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** An Action.Execute click on the Evidence button, carrying what the card's button carries. */
function evidenceClick(
  h: TeamsHarness,
  from: typeof ADAM,
  place: TeamsPlace,
  cardActivityId: string,
  data: Record<string, unknown>,
): Promise<{ status: number; body: unknown }> {
  const activity = executeActivity(
    h.connector.serviceUrl,
    from,
    { requestId: Number(data.offboardingRequestId), decision: 'approved', cardActivityId },
    place,
  );
  const value = { action: { type: 'Action.Execute', verb: 'offboarding.evidence', data } };
  return h.post({ ...activity, value });
}

describe.skipIf(!hasPostgres)('Evidence action in Teams', () => {
  it('says plainly that Teams cannot carry the files and gives the command; refuses others', async () => {
    harness = await startTeamsHarness();
    const h = harness;
    const { request, card, place } = await h.requestInChannel(JANE.email, 'Last day Friday');
    await h.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: card.id },
      ADAM,
      place,
    );
    await h.waitFor('completion', async () => {
      const row = await h.bot.service.findRequest(request.id);
      return row?.state === 'completed' ? row : undefined;
    });
    const evidence = await h.waitFor('Evidence on the completed card', () =>
      executeActions(cardOf(h.connector.activity(card.id)?.activity)).find(
        (action) => action.verb === 'offboarding.evidence',
      ),
    );
    expect(evidence.title).toBe('Evidence');
    expect(evidence.data).toEqual({
      offboardingRequestId: request.id,
      offboardingEvidence: true,
      offboardingToken: request.decision_token,
    });
    // The run's last messages and card redraws are still going out: count from when they are done.
    await waitForQuiet(h.database.db);
    const sentBefore = h.connector.activities().length;

    const asked = await evidenceClick(
      h,
      ADAM,
      place,
      card.id,
      evidence.data as Record<string, unknown>,
    );
    expect(asked.status).toBe(200);
    const answer = asked.body as { type: string; value: string };
    expect(answer.type).toBe('application/vnd.microsoft.activity.message');
    expect(answer.value).toContain('Teams does not let this bot send files here');
    expect(answer.value).toContain(`npm run evidence -- ${request.id} --out DIR`);

    const outsider = await evidenceClick(
      h,
      OSCAR,
      place,
      card.id,
      evidence.data as Record<string, unknown>,
    );
    expect((outsider.body as { value: string }).value).toContain(
      `Only the person who filed request #${request.id} or an approver can get its evidence`,
    );
    const forged = await evidenceClick(h, ADAM, place, card.id, {
      ...(evidence.data as Record<string, unknown>),
      offboardingToken: 'not-the-token',
    });
    expect((forged.body as { value: string }).value).toContain('This card is out of date');

    // Nothing was posted or attached anywhere: the answers went to the clicker only.
    expect(h.connector.activities()).toHaveLength(sentBefore);
    const audit = await h.database.db
      .selectFrom('audit_events')
      .select(['event', 'actor', 'details'])
      .where('event', 'in', ['evidence_sent', 'evidence_refused'])
      .orderBy('id')
      .execute();
    expect(audit.map((row) => [row.event, (row.details as { reason?: string }).reason])).toEqual([
      ['evidence_refused', 'not_allowed'],
      ['evidence_refused', 'stale_card'],
    ]);
  });
});
