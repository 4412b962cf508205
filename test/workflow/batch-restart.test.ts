import { afterEach, describe, expect, it } from 'vitest';
import type { SeedUser } from '../../src/genesys/emulator/types.js';
import { blockActionBody, viewSubmissionPayload } from '../../src/playground/slack-requests.js';
import { BATCH_APPROVE_ACTION } from '../../src/slack/batch-blocks.js';
import {
  MODAL_BLOCKS,
  PEOPLE_ACTION,
  REQUEST_MODAL_CALLBACK,
} from '../../src/slack/request-modal.js';
import {
  type ProcessWorld,
  startProcessWorld,
  until,
  WORLD_APPROVER,
  WORLD_REQUESTER,
} from '../helpers/process-world.js';
import { hasPostgres } from '../helpers/test-database.js';

/** A bulk run killed halfway resumes on another instance: each person once, one progress message. */

const CHANNEL = 'C0BATCH';
const PEOPLE: SeedUser[] = Array.from({ length: 10 }, (_, index) => ({
  name: `Restart Person ${index + 1}`,
  email: `restart.person${index + 1}@example.com`,
}));

let world: ProcessWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function states(w: ProcessWorld): Promise<string[]> {
  const rows = await w.database.db
    .selectFrom('offboarding_requests')
    .select('state')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.state);
}

describe.skipIf(!hasPostgres)('a bulk run and a crash', () => {
  it('killed mid-run, a new instance finishes every person once and the one progress message', {
    timeout: 180_000,
  }, async () => {
    const [target, ...others] = PEOPLE as [SeedUser, ...SeedUser[]];
    world = await startProcessWorld({
      target,
      others,
      channel: CHANNEL,
      gdpr: { pollsPerStage: 2 },
    });
    const w = world;
    const first = await w.startBot('first');
    const submission = viewSubmissionPayload({
      callbackId: REQUEST_MODAL_CALLBACK,
      userId: WORLD_REQUESTER.id,
      privateMetadata: JSON.stringify({ mode: 'several', origin: CHANNEL }),
      values: {
        [MODAL_BLOCKS.people]: {
          [PEOPLE_ACTION]: {
            type: 'plain_text_input',
            value: PEOPLE.map((p) => p.email).join('\n'),
          },
        },
        [MODAL_BLOCKS.reason]: {
          offboarding_reason: { type: 'plain_text_input', value: 'Closing the site' },
        },
        [MODAL_BLOCKS.channel]: {
          offboarding_channel: { type: 'conversations_select', selected_conversation: CHANNEL },
        },
      },
      responseUrls: [
        {
          block_id: MODAL_BLOCKS.channel,
          action_id: 'offboarding_channel',
          channel_id: CHANNEL,
          response_url: w.slack.responseUrl('modal'),
        },
      ],
    });
    const answer = await w.post(
      first,
      new URLSearchParams({ payload: JSON.stringify(submission) }).toString(),
    );
    expect(answer.json ?? {}).toEqual({ response_action: 'clear' });
    const batch = await until('the batch card', async () => {
      const row = await w.database.db.selectFrom('batches').selectAll().executeTakeFirst();
      return row?.chat_message_id ? row : undefined;
    });
    await w.post(
      first,
      blockActionBody({
        actionId: BATCH_APPROVE_ACTION,
        value: `${batch.id}.${batch.decision_token}`,
        userId: WORLD_APPROVER.id,
        channelId: CHANNEL,
        messageTs: batch.chat_message_id as string,
        responseUrl: w.slack.responseUrl('click'),
      }),
    );
    // Halfway: some people done, some not.
    await until(
      'some people completed',
      async () =>
        (await states(w)).filter((s) => s === 'completed').length >= 1 ? true : undefined,
      60_000,
    );
    expect((await states(w)).some((s) => s !== 'completed')).toBe(true);
    await first.kill('SIGKILL');

    await w.startBot('second');
    await until(
      'every person completed and the report posted',
      async () =>
        (await states(w)).every((s) => s === 'completed') && w.slack.files(CHANNEL).length === 1
          ? true
          : undefined,
      120_000,
    );

    // Each person's GDPR request was filed once, across the kill.
    const gdpr = w.emulator.gdprRequests();
    expect(gdpr).toHaveLength(PEOPLE.length);
    expect(new Set(gdpr.map((r) => r.subject.userId)).size).toBe(PEOPLE.length);
    // One progress message, redrawn from the database by the new instance.
    const progress = await until('the final progress text', async () => {
      const replies = w.slack
        .messages(CHANNEL)
        .filter((m) => m.threadTs === batch.chat_message_id && m.blocks !== undefined);
      return replies.length === 1 && replies[0]?.text?.startsWith('Finished:')
        ? replies
        : undefined;
    });
    expect(progress[0]?.text).toBe(`Finished: 10 of 10 done, 0 failed. 10 offboarded.`);
    const report = w.slack.files(CHANNEL)[0]?.content?.toString('utf8') ?? '';
    expect(report.trim().split('\r\n')).toHaveLength(PEOPLE.length + 1);
  });
});
