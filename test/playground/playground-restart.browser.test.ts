import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type Chromium,
  describeInChromium,
  launchChromium,
  pressed,
  watchForProblems,
} from '../helpers/chromium.js';
import { type PlaygroundBot, startPlaygroundBot } from './playground-bot.js';

const RESTARTED_SCREENSHOT = path.resolve('test-results/playground-restarted.png');
const RESET_SCREENSHOT = path.resolve('test-results/playground-reset.png');

/** GDPR filed at once (no grace period), so a restart can catch it while Genesys works on it. */
const ENV = { ERASURE_DELAY_HOURS: '0' };

describeInChromium('the local trial across a restart, and its Reset, in Chromium', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'playground-restart-'));
  const dataDir = path.join(scratch, 'db');
  let running: PlaygroundBot | undefined;
  let browser: Chromium | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function send(page: Page, command: string): Promise<void> {
    const composer = page.getByLabel('Message #offboarding');
    await composer.fill(command);
    await composer.press('Enter');
  }

  async function actAs(page: Page, name: string): Promise<void> {
    await page.getByRole('button', { name: new RegExp(name) }).click();
    await expect.poll(() => pressed(page, name)).toBe('true');
  }

  async function approve(page: Page, requestNumber: number): Promise<void> {
    const card = cardOf(page, requestNumber);
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.locator('dialog#confirm').getByRole('button', { name: 'Approve' }).click();
  }

  function cardOf(page: Page, requestNumber: number) {
    return page.locator('#timeline article.message', {
      hasText: `Offboarding request #${requestNumber}:`,
    });
  }

  it('shows a pending and a running request after a restart, then starts over on Reset', async () => {
    if (!browser) throw new Error('setup did not run');
    running = await startPlaygroundBot({ embeddedDataDir: dataDir, env: ENV });
    let page = await browser.context.newPage();
    let problems = watchForProblems(page, running.bot.url);
    await page.goto(`${running.bot.url}/playground`);
    await expect.poll(() => pressed(page, 'Maria Manager')).toBe('true');

    await send(page, '/offboard jane.doe@example.com Stays pending over the restart');
    await cardOf(page, 1).getByRole('button', { name: 'Approve' }).waitFor();
    await send(page, '/offboard zoe.angstrom@example.com Runs over the restart');
    await cardOf(page, 2).getByRole('button', { name: 'Approve' }).waitFor();
    await actAs(page, 'Adam Approver');
    await approve(page, 2);
    // The GDPR request is filed and Genesys is working on it: stop the bot now.
    await cardOf(page, 2)
      .locator('section.thread')
      .getByText(/GDPR request .* is now/)
      .first()
      .waitFor({ timeout: 60_000 });
    expect(problems).toEqual([]);
    await page.close();
    await running.close();
    running = undefined;

    running = await startPlaygroundBot({ embeddedDataDir: dataDir, env: ENV });
    page = await browser.context.newPage();
    problems = watchForProblems(page, running.bot.url);
    await page.goto(`${running.bot.url}/playground`);
    await expect.poll(() => pressed(page, 'Maria Manager')).toBe('true');
    // Both cards, Maria's own commands (private to her) and the running thread, as before.
    await cardOf(page, 1).getByRole('button', { name: 'Approve' }).waitFor();
    await cardOf(page, 2).waitFor();
    await page.getByText('/offboard jane.doe@example.com Stays pending over the restart').waitFor();
    // The run goes on: the GDPR request filed before the restart is found and followed to the end.
    await cardOf(page, 2)
      .locator('section.thread')
      .getByText('Offboarding of Zoë Ångström (zoe.angstrom@example.com) is complete.')
      .waitFor({ timeout: 100_000 });
    expect(await cardOf(page, 2).locator('section.thread').textContent()).not.toContain('404');

    // The pending card still works.
    await actAs(page, 'Adam Approver');
    await approve(page, 1);
    await cardOf(page, 1)
      .locator('section.thread')
      .getByText('Offboarding of Jane Doe (jane.doe@example.com) is complete.')
      .waitFor({ timeout: 100_000 });
    mkdirSync(path.dirname(RESTARTED_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: RESTARTED_SCREENSHOT, fullPage: true });

    // Reset: asked first, then the page is empty and Genesys is the demo org again.
    await page.locator('header').getByRole('button', { name: 'Reset' }).click();
    const dialog = page.locator('dialog#confirm');
    await dialog.getByText('Start the trial over?').waitFor();
    await dialog.getByRole('button', { name: 'Reset' }).click();
    await page.getByText('No messages yet.').waitFor();
    expect(await page.locator('#notices article').count()).toBe(0);
    await actAs(page, 'Maria Manager');
    await expect
      .poll(() => page.locator('#timeline .note-reply, #timeline .note-command').count())
      .toBe(0);

    // A fresh start: request #1 again, and Zoë (erased before the reset) can be found again.
    await send(page, '/offboard zoe.angstrom@example.com After the reset');
    await cardOf(page, 1).getByText('Offboarding request #1: Zoë Ångström').waitFor();
    await cardOf(page, 1).getByRole('button', { name: 'Approve' }).waitFor();
    expect(await page.locator('#timeline article.message').count()).toBe(1);
    await page.screenshot({ path: RESET_SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  }, 300_000);
});
