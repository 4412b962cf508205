import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { type PlaygroundBot, startPlaygroundBot } from './playground-bot.js';
import { ADAM, MARIA, playgroundClient } from './playground-client.js';

const REQUESTS = 'C0PLAYREQUESTS';

let running: PlaygroundBot;
let api: ReturnType<typeof playgroundClient>;

beforeAll(async () => {
  running = await startPlaygroundBot();
  api = playgroundClient(running.bot.url);
});
afterAll(async () => {
  await running?.close();
});

interface ModalState {
  modal?: { id: string; view: { callback_id: string } };
  home?: unknown[];
}

const stateOf = async (userId: string) =>
  (await api.state(userId)) as unknown as ModalState & Awaited<ReturnType<typeof api.state>>;

describe('the playground’s request modal and Home tab', () => {
  it('`/offboard` alone opens the modal for its typist only; the picker, errors and submission work', async () => {
    expect((await api.command(MARIA, '/offboard')).status).toBe(200);
    const modal = await waitFor('Maria’s modal', async () => (await stateOf(MARIA)).modal);
    expect(modal.view.callback_id).toBe('offboarding_request_modal');
    expect((await stateOf(ADAM)).modal).toBeUndefined();

    const suggested = await api.post('modal/suggest', {
      userId: MARIA,
      viewId: modal.id,
      value: 'zo',
    });
    const options = (
      suggested.json as { options: Array<{ value: string; text: { text: string } }> }
    ).options;
    expect(options.map((option) => option.value)).toContain('zoe.angstrom@example.com');

    const refused = await api.post('modal/submit', {
      userId: MARIA,
      viewId: modal.id,
      email: 'zoe.angstrom@example.com',
      reason: '',
      channel: REQUESTS,
    });
    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: { offboarding_reason_block: expect.stringContaining('Give a reason') },
    });
    expect((await stateOf(MARIA)).modal?.id).toBe(modal.id);

    const accepted = await api.post('modal/submit', {
      userId: MARIA,
      viewId: modal.id,
      email: 'zoe.angstrom@example.com',
      reason: 'Moved to another team',
      channel: REQUESTS,
    });
    expect(accepted.json).toEqual({ response_action: 'clear' });
    expect((await stateOf(MARIA)).modal).toBeUndefined();
    await waitFor('the request card', async () => {
      const channel = (await api.state(MARIA)).channels.find((c) => c.id === REQUESTS);
      return channel?.messages.find((m) => JSON.stringify(m.blocks).includes('Zoë Ångström'));
    });
  });

  it('the Home tab shows an approver the waiting request, and Approve works from it', async () => {
    expect((await api.post('home', { userId: ADAM })).status).toBe(200);
    const home = await waitFor('Adam’s Home', async () => {
      const blocks = (await stateOf(ADAM)).home;
      return blocks && JSON.stringify(blocks).includes('offboarding_home_approve')
        ? blocks
        : undefined;
    });
    const approve = (home as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>)
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === 'offboarding_home_approve')?.value;
    expect(approve).toMatch(/^\d+\./);
    const click = await api.post('home/click', {
      userId: ADAM,
      actionId: 'offboarding_home_approve',
      value: approve,
    });
    expect(click.status).toBe(200);
    await waitFor('the approval noted on Adam’s Home', async () =>
      JSON.stringify((await stateOf(ADAM)).home).includes(': approved.') ? true : undefined,
    );
  });

  it('"Several people" redraws the modal; its lines are checked, then one batch card is posted and Approve all runs it', async () => {
    expect((await api.command(MARIA, '/offboard')).status).toBe(200);
    const modal = await waitFor('Maria’s modal', async () => (await stateOf(MARIA)).modal);
    expect(
      (await api.post('modal/mode', { userId: MARIA, viewId: modal.id, mode: 'several' })).status,
    ).toBe(200);
    const several = await waitFor('the modal in "Several people" mode', async () => {
      const view = (await stateOf(MARIA)).modal?.view as
        | { private_metadata?: string; blocks?: Array<{ block_id?: string }> }
        | undefined;
      return view?.private_metadata?.includes('several') ? view : undefined;
    });
    expect(several.blocks?.map((block) => block.block_id)).toEqual(
      expect.arrayContaining(['offboarding_people_block', 'offboarding_people_file_block']),
    );

    const refused = await api.post('modal/submit', {
      userId: MARIA,
      viewId: modal.id,
      people: 'bjorn.thorsson@example.com\nnobody@example.com',
      reason: 'Team closed',
      channel: REQUESTS,
    });
    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: { offboarding_people_block: expect.stringContaining('Line 2') },
    });

    const accepted = await api.post('modal/submit', {
      userId: MARIA,
      viewId: modal.id,
      people: 'bjorn.thorsson@example.com\nchen.wei@example.com',
      reason: 'Team closed',
      channel: REQUESTS,
    });
    expect(accepted.json).toEqual({ response_action: 'clear' });
    const card = await waitFor('the batch card', async () => {
      const channel = (await api.state(ADAM)).channels.find((c) => c.id === REQUESTS);
      return channel?.messages.find((m) => m.text.startsWith('Bulk offboarding #'));
    });
    const approve = (
      card.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>
    )
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === 'offboarding_batch_approve')?.value;
    expect(approve).toBeDefined();
    const click = await api.click(ADAM, {
      channel: REQUESTS,
      messageTs: card.ts,
      actionId: 'offboarding_batch_approve',
      value: approve as string,
    });
    expect(click.status).toBe(200);
    await waitFor(
      'the batch approved',
      async () => {
        const channel = (await api.state(ADAM)).channels.find((c) => c.id === REQUESTS);
        const now = channel?.messages.find((m) => m.ts === card.ts);
        return JSON.stringify(now?.blocks).includes('offboarding_batch_approve') ? undefined : true;
      },
      { timeoutMs: 20_000 },
    );
  });
});
