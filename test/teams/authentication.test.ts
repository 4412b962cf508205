import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageActivity } from '../helpers/teams-activities.js';
import { JANE, MARIA, startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.js';
import { waitForQuiet } from '../helpers/wait.js';

let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness({ authenticated: true });
});
afterAll(async () => {
  await h?.close();
});

describe('with MICROSOFT_APP_ID set, /api/messages needs a Bot Framework token', () => {
  const command = () => messageActivity(h.connector.serviceUrl, MARIA, `offboard ${JANE.email}`);

  it('no Authorization header: 401, and nothing is done', async () => {
    const { status } = await h.post(command());
    expect(status).toBe(401);
  });

  it('a token that is not a Bot Framework token: 401', async () => {
    const { status } = await h.post(command(), { authorization: 'Bearer not.a.jwt' });
    expect(status).toBe(401);
  });

  it('after the refusals, nothing was recorded or sent', async () => {
    await waitForQuiet(h.database.db);
    expect(await h.database.db.selectFrom('offboarding_requests').selectAll().execute()).toEqual(
      [],
    );
    expect(h.connector.requests()).toEqual([]);
    expect(h.logs.join('')).not.toContain('test-app-password-secret');
  });

  it('other methods are refused by the server', async () => {
    const response = await fetch(`${h.bot.url}/api/messages`);
    expect(response.status).toBe(405);
  });
});
