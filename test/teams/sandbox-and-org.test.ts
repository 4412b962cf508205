import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_ORGANIZATION } from '../../src/genesys/emulator/index.js';
import {
  ADAM,
  CHANNEL,
  cardOf,
  cardText,
  JANE,
  MARIA,
  OSCAR,
  startTeamsHarness,
  type TeamsHarness,
} from '../helpers/teams-harness.js';

const NOTICE = 'Sandbox: nothing real is changed';
const ORG = { id: 'b7f1c0de-0000-4000-8000-00000000000b', name: 'Acme <EU> & *Co*' };

let harness: TeamsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function textsOf(h: TeamsHarness): string[] {
  return h.connector
    .activities()
    .flatMap((a) => a.versions)
    .map((activity) => String(activity.text ?? ''))
    .filter((text) => text !== '');
}

function cardsOf(h: TeamsHarness): Array<Record<string, unknown>> {
  return h.connector
    .activities()
    .flatMap((a) => a.versions)
    .filter((activity) => Array.isArray(activity.attachments))
    .map((activity) => cardOf(activity));
}

describe('Teams: the organization approvers act on', () => {
  it('is named in the card footer and in help, without a sandbox notice for a real org', async () => {
    harness = await startTeamsHarness({ emulator: { organization: ORG } });
    const h = harness;
    const { card } = await h.requestInChannel(JANE.email, 'Last day');
    const content = cardOf(card.activity);
    const body = content.body as Array<Record<string, unknown>>;
    // The last element, as a TextRun: Teams shows the name literally.
    expect(cardText(body.at(-1))).toBe(`\nGenesys Cloud organization: ${ORG.name}`);
    expect(cardText(content)).not.toContain(NOTICE);

    await h.say('help', MARIA, { kind: 'personal' });
    const help = await h.waitFor('the help text', () =>
      textsOf(h).find((text) => text.includes('Usage')),
    );
    expect(help).toContain(`Genesys Cloud organization: ${ORG.name}`);
    expect(help).not.toContain(NOTICE);
  });
});

describe('Teams served by the sandbox (GENESYS_SANDBOX=true)', () => {
  it('marks every card, text reply and clicker-only answer', async () => {
    harness = await startTeamsHarness({ sandbox: true });
    const h = harness;
    expect(h.bot.organization).toEqual({ ...SANDBOX_ORGANIZATION, sandbox: true });

    const { card, request, place } = await h.requestInChannel('zoe.angstrom@example.com', 'Bye');
    const first = cardOf(card.activity);
    expect(cardText((first.body as unknown[])[0])).toContain(NOTICE);
    expect(cardText(first)).toContain(`Genesys Cloud organization: ${SANDBOX_ORGANIZATION.name}`);

    // A refusal answered to the clicker alone (Universal Action message response).
    const refused = await h.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: card.id },
      OSCAR,
      place,
    );
    expect(JSON.stringify(refused.body)).toContain(NOTICE);

    // The approval: the card answered to the approver, and the thread replies that follow.
    const approved = await h.execute(
      { requestId: request.id, decision: 'approved', cardActivityId: card.id },
      ADAM,
      place,
    );
    expect(approved.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(approved.body.value)).toContain(NOTICE);
    // Only one banner, however often the card is sent again.
    expect(cardText(approved.body.value).split(NOTICE)).toHaveLength(2);

    await h.waitFor('thread replies', () => textsOf(h).length >= 2);
    for (const text of textsOf(h)) expect(text).toContain(NOTICE);
    for (const content of cardsOf(h)) {
      expect(cardText(content)).toContain(NOTICE);
      expect(cardText(content).split(NOTICE)).toHaveLength(2);
    }
    expect(h.connector.activities().some((a) => a.conversationId.startsWith(CHANNEL))).toBe(true);
  });
});
