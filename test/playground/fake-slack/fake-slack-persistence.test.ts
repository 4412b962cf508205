import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeSlackApi,
  type FakeSlackState,
  startFakeSlackApi,
} from '../../../src/playground/fake-slack/fake-slack-web-api.js';

const BOT_TOKEN = 'xoxb-playground';
const CHANNEL = { id: 'C0OFFBOARD', name: 'offboarding' };
const APPROVER = 'U0APPROVER';

const running: FakeSlackApi[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()));
});

async function start(onChange?: () => void): Promise<FakeSlackApi> {
  const fake = await startFakeSlackApi({
    botToken: BOT_TOKEN,
    strictChannels: true,
    ...(onChange ? { onChange } : {}),
  });
  fake.addUser({ id: APPROVER, name: 'adam' });
  fake.addChannel(CHANNEL);
  running.push(fake);
  return fake;
}

function client(fake: FakeSlackApi): WebClient {
  return new WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
}

/** As the file on disk carries it: plain JSON. */
function throughJson(state: FakeSlackState): FakeSlackState {
  return JSON.parse(JSON.stringify(state)) as FakeSlackState;
}

async function respond(fake: FakeSlackApi, name: string, text: string): Promise<number> {
  const response = await fetch(fake.responseUrl(name), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, response_type: 'ephemeral' }),
  });
  return response.status;
}

describe('the fake Slack restarted from its persisted state', () => {
  it('shows the same messages, threads, edits, DMs, files and private answers', async () => {
    let changes = 0;
    const first = await start(() => {
      changes += 1;
    });
    const web = client(first);
    const card = await web.chat.postMessage({
      channel: CHANNEL.id,
      text: 'Offboarding request #1',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Request #1*' } }],
    });
    await web.chat.postMessage({ channel: CHANNEL.id, thread_ts: card.ts, text: 'Approved.' });
    await web.chat.update({ channel: CHANNEL.id, ts: card.ts as string, text: 'Request #1: done' });
    await web.chat.postMessage({ channel: APPROVER, text: 'A DM' });
    await web.filesUploadV2({
      channel_id: APPROVER,
      filename: 'evidence.json',
      content: '{"request":1}',
      initial_comment: 'Evidence',
    });
    expect(await respond(first, 'command-1', 'Only you see this')).toBe(200);
    for (let use = 2; use <= 4; use += 1) await respond(first, 'command-1', `again ${use}`);
    expect(changes).toBeGreaterThanOrEqual(8);
    const saved = throughJson(first.persistedState());
    const before = first.messages();
    running.splice(running.indexOf(first), 1);
    await first.close();

    const second = await start();
    second.restoreState(saved);
    expect(second.messages()).toEqual(before);
    const restoredCard = second.message(CHANNEL.id, card.ts as string);
    expect(restoredCard).toMatchObject({ text: 'Request #1: done', updateCount: 1 });
    expect(second.messages().filter((m) => m.threadTs === card.ts)).toHaveLength(1);
    const [file] = second.files();
    expect(file?.content?.toString('utf8')).toBe('{"request":1}');
    expect(file).toMatchObject({ filename: 'evidence.json', completed: true });
    expect(second.responses('command-1').map((post) => post.body)).toHaveLength(4);
    expect(second.responses('command-1')[0]?.at).toBeInstanceOf(Date);

    // The bot carries on with the restored messages: an edit lands, a new message comes after.
    const web2 = client(second);
    await web2.chat.update({ channel: CHANNEL.id, ts: card.ts as string, text: 'Edited again' });
    expect(second.message(CHANNEL.id, card.ts as string)?.updateCount).toBe(2);
    const next = await web2.chat.postMessage({ channel: CHANNEL.id, text: 'Request #2' });
    const lastBefore = before[before.length - 1]?.ts ?? '';
    expect(Number(next.ts)).toBeGreaterThan(Number(lastBefore));
    // A response_url keeps its count of uses: Slack takes five posts, then answers used_url.
    expect(await respond(second, 'command-1', 'fifth')).toBe(200);
    expect(await respond(second, 'command-1', 'sixth')).toBe(404);
  });

  it('clears the history but keeps people and channels, and ts go on increasing', async () => {
    const fake = await start();
    const web = client(fake);
    const first = await web.chat.postMessage({ channel: CHANNEL.id, text: 'before' });
    await respond(fake, 'command-1', 'private');
    fake.clearHistory();
    expect(fake.messages()).toEqual([]);
    expect(fake.files()).toEqual([]);
    expect(fake.responses()).toEqual([]);
    const after = await web.chat.postMessage({ channel: CHANNEL.id, text: 'after' });
    expect(Number(after.ts)).toBeGreaterThan(Number(first.ts));
    expect((await web.users.info({ user: APPROVER })).user?.id).toBe(APPROVER);
  });
});
