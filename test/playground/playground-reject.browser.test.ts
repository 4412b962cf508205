import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type Chromium,
  describeInChromium,
  launchChromium,
  pressed,
  watchForProblems,
} from '../helpers/chromium.js';
import { type PlaygroundBot, startPlaygroundBot } from './playground-bot.js';

const MODAL_SCREENSHOT = path.resolve('test-results/playground-reject-modal.png');
const REJECTED_SCREENSHOT = path.resolve('test-results/playground-rejected.png');

describeInChromium('Reject with a reason in the playground, in Chromium', () => {
  let running: PlaygroundBot | undefined;
  let browser: Chromium | undefined;

  beforeAll(async () => {
    running = await startPlaygroundBot();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('an approver rejects through the modal; the card, the thread and the notices say why', async () => {
    if (!running || !browser) throw new Error('setup did not run');
    const page = await browser.context.newPage();
    const problems = watchForProblems(page, running.bot.url);
    await page.goto(`${running.bot.url}/playground`);
    await expect.poll(() => pressed(page, 'Maria Manager')).toBe('true');

    const composer = page.getByLabel('Message #offboarding');
    await composer.fill('/offboard zoe.angstrom@example.com Last day Friday');
    await composer.press('Enter');
    const card = page.locator('#timeline article.message').first();
    await card.getByText('Offboarding request #1: Zoë Ångström').waitFor();

    await page.getByRole('button', { name: /Adam Approver/ }).click();
    await expect.poll(() => pressed(page, 'Adam Approver')).toBe('true');
    await card.getByRole('button', { name: 'Reject' }).click();

    // The confirm step: nothing is decided until the modal is submitted.
    const modal = page.locator('dialog#modal');
    await modal.getByText('Reject request').waitFor();
    await modal.getByText('Reject offboarding request #1?', { exact: false }).waitFor();
    expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(1);
    const reason = 'She stays until March <b>, & <!here> stays text';
    await modal.getByLabel('Reason (optional)').fill(reason);
    mkdirSync(path.dirname(MODAL_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: MODAL_SCREENSHOT, fullPage: true });
    await modal.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => modal.getAttribute('open')).toBeNull();

    // Shown as typed: the reason's markup is text, not formatting.
    // Case-sensitive (a RegExp), so the card's line, not the thread's "…was rejected by…".
    await card
      .getByText(new RegExp(escapeRegExp(`Rejected by @Adam Approver: ${reason}`)))
      .waitFor();
    expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    const thread = card.locator('section.thread');
    await thread
      .getByText('@Maria Manager, this request was rejected by @Adam Approver', { exact: false })
      .waitFor({ timeout: 30_000 });
    await page
      .locator('#notices')
      .getByText('Request #1 to offboard Zoë Ångström', { exact: false })
      .waitFor({ timeout: 30_000 });
    expect((await page.locator('#notices').textContent()) ?? '').toContain(reason);
    await page.screenshot({ path: REJECTED_SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
