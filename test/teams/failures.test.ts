import { afterEach, describe, expect, it } from 'vitest';
import {
  ADAM,
  cardText,
  JANE,
  startTeamsHarness,
  type TeamsHarness,
} from '../helpers/teams-harness.js';

let h: TeamsHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a Teams outage', () => {
  it('delays messages and card updates, never the decision or the Genesys work', async () => {
    h = await startTeamsHarness();
    const harness = h;
    const { request, card, place } = await harness.requestInChannel(JANE.email, 'leaving');
    harness.connector.failNext(1_000);
    const clickedAt = Date.now();
    const click = await harness.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: card.id },
      ADAM,
      place,
    );
    // The clicker gets the decided card at once: the shared card's update waits for Teams.
    expect(click.status).toBe(200);
    expect(Date.now() - clickedAt).toBeLessThan(3000);
    expect(cardText(click.body.value)).toContain('Approved by Adam Approver');
    await harness.waitFor(
      'completed',
      async () => (await harness.bot.service.findRequest(request.id))?.state === 'completed',
      20_000,
    );
    expect(harness.emulator.gdprRequests()).toHaveLength(1);
    await harness.waitFor('the failed card update logged', () =>
      harness.logs.join('').includes('request card could not be updated'),
    );
    // Teams is back: the outage ends so that stopping the bot does not wait on retries.
    harness.connector.failNext(0);
  });
});
