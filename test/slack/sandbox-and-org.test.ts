import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_ORGANIZATION } from '../../src/genesys/emulator/index.js';
import {
  APPROVER,
  CHANNEL,
  type Harness,
  JANE,
  NOTIFY_CHANNEL,
  OUTSIDER,
  startHarness,
} from '../helpers/bot-harness.js';

const NOTICE = 'Sandbox: nothing real is changed';
// A name Slack would read as markup if it were not escaped or shown as plain text.
const ORG = { id: 'b7f1c0de-0000-4000-8000-00000000000b', name: 'Acme <EU> & *Co*' };

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function postedCard(h: Harness) {
  const call = await h.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === CHANNEL && !c.args.thread_ts,
    10_000,
  );
  const request = await h.waitFor('request row', async () =>
    h.database.db.selectFrom('offboarding_requests').selectAll().executeTakeFirst(),
  );
  const message = h.slack.messages(CHANNEL).find((m) => m.threadTs === undefined);
  if (!message) throw new Error('no request message');
  return { call, request, ts: message.ts };
}

describe('Slack: the organization approvers act on', () => {
  it('is named in the card footer and in help, and no sandbox notice shows with real credentials', async () => {
    harness = await startHarness({ emulator: { organization: ORG } });
    const h = harness;
    expect(h.bot.organization).toEqual({ ...ORG, sandbox: false });

    await h.command(`${JANE.email} Last day`);
    const { call } = await postedCard(h);
    const blocks = call.args.blocks as Array<{ type: string; elements?: unknown[] }>;
    const footer = blocks.at(-1);
    // plain_text: the name shows literally, whatever characters it holds.
    expect(footer).toMatchObject({
      type: 'context',
      elements: [{ type: 'plain_text', text: `Genesys Cloud organization: ${ORG.name}` }],
    });
    expect(JSON.stringify(call.args)).not.toContain(NOTICE);

    const help = await h.command('help');
    const answer = await h.slack.waitForResponse(help.responseName);
    const text = (answer.body as { text: string }).text;
    // Escaped like any text from Genesys: no `<…>` link or mention can come out of a name.
    expect(text).toContain('Genesys Cloud organization: Acme &lt;EU&gt; &amp; *Co*');
    expect(text).not.toContain(NOTICE);
  });
});

describe('Slack served by the sandbox (GENESYS_SANDBOX=true)', () => {
  it('says plainly on the card, the ephemeral replies, the thread and the notice that nothing real is changed', async () => {
    harness = await startHarness({ sandbox: true });
    const h = harness;
    expect(h.bot.sandbox).toBeDefined();
    expect(h.bot.organization).toEqual({ ...SANDBOX_ORGANIZATION, sandbox: true });

    // The sandbox's own demo org.
    await h.command('zoe.angstrom@example.com Last day Friday');
    const { call, request, ts } = await postedCard(h);
    const blocks = call.args.blocks as Array<{ type: string; elements?: Array<{ text: string }> }>;
    expect(blocks[0]?.type).toBe('context');
    expect(blocks[0]?.elements?.[0]?.text).toContain(NOTICE);
    expect(String(call.args.text)).toContain(NOTICE);
    expect(JSON.stringify(blocks.at(-1))).toContain(
      `Genesys Cloud organization: ${SANDBOX_ORGANIZATION.name}`,
    );

    // Ephemeral replies: help, a refusal, and a click by someone who may not decide.
    const help = await h.command('help');
    expect(JSON.stringify((await h.slack.waitForResponse(help.responseName)).body)).toContain(
      NOTICE,
    );
    const unknown = await h.command('nobody@example.com');
    expect(JSON.stringify((await h.slack.waitForResponse(unknown.responseName)).body)).toContain(
      NOTICE,
    );
    const refused = await h.click('approve', request.id, ts, OUTSIDER);
    expect(JSON.stringify((await h.slack.waitForResponse(refused.responseName)).body)).toContain(
      NOTICE,
    );

    // Thread replies and the updated card, once approved.
    await h.click('approve', request.id, ts, APPROVER);
    await h.waitFor('a thread reply', () =>
      h.slack.messages(CHANNEL).some((m) => m.threadTs === ts),
    );
    const updated = await h.slack.waitForCall('chat.update', () => true, 10_000);
    expect(JSON.stringify(updated.args.blocks)).toContain(NOTICE);
    const replies = h.slack.calls('chat.postMessage').filter((c) => c.args.thread_ts === ts);
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      expect(String(reply.args.text)).toContain(NOTICE);
      expect(JSON.stringify(reply.args.blocks)).toContain(NOTICE);
    }
    // The notice channel, when the sandbox's GDPR request completes (seconds, not days).
    const notice = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === NOTIFY_CHANNEL,
      40_000,
    );
    expect(String(notice.args.text)).toContain(NOTICE);
  }, 60_000);
});
