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

const MODAL_SCREENSHOT = path.resolve('test-results/playground-modal.png');
const HOME_SCREENSHOT = path.resolve('test-results/playground-home.png');
const BULK_SCREENSHOT = path.resolve('test-results/playground-bulk-card.png');

describeInChromium('the playground’s request modal and Home tab in Chromium', () => {
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

  it('requests through the modal, then approves from the Home tab', async () => {
    if (!running || !browser) throw new Error('setup did not run');
    const page = await browser.context.newPage();
    const problems = watchForProblems(page, running.bot.url);
    await page.goto(`${running.bot.url}/playground`);
    await expect.poll(() => pressed(page, 'Maria Manager')).toBe('true');

    const composer = page.getByLabel('Message #offboarding');
    await composer.fill('/offboard');
    await composer.press('Enter');
    const modal = page.locator('dialog#modal');
    await modal.getByText('Offboard someone').waitFor();
    const person = modal.getByLabel('Person', { exact: true });
    await person.fill('zo');
    await expect
      .poll(() => modal.locator('datalist option').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await person.fill('zoe.angstrom@example.com');
    await modal.getByRole('button', { name: 'Request' }).click();
    await modal.getByText('Give a reason').waitFor();
    await modal.getByLabel('Reason').fill('Moved to another company');
    mkdirSync(path.dirname(MODAL_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: MODAL_SCREENSHOT, fullPage: true });
    await modal.getByRole('button', { name: 'Request' }).click();
    await expect.poll(() => modal.getAttribute('open')).toBeNull();
    const card = page.locator('#timeline article.message').first();
    await card.getByText('Offboarding request #1: Zoë Ångström').waitFor();

    await page.getByRole('button', { name: /Adam Approver/ }).click();
    await expect.poll(() => pressed(page, 'Adam Approver')).toBe('true');
    await page.getByRole('button', { name: 'Open the app’s Home tab' }).click();
    const home = page.locator('dialog#home');
    await home.getByText('Waiting for a decision', { exact: false }).waitFor();
    await page.screenshot({ path: HOME_SCREENSHOT, fullPage: true });
    await home.getByRole('button', { name: 'Approve' }).click();
    await page.locator('dialog#confirm').getByRole('button', { name: 'Approve' }).click();
    await card
      .getByText('Approved by @Adam Approver', { exact: false })
      .waitFor({ timeout: 60_000 });
    expect(problems).toEqual([]);
  }, 120_000);

  it('"Several people": radio buttons redraw the modal; typed lines and a chosen file make one batch card', async () => {
    if (!running || !browser) throw new Error('setup did not run');
    const page = await browser.context.newPage();
    const problems = watchForProblems(page, running.bot.url);
    await page.goto(`${running.bot.url}/playground`);
    await page.getByRole('button', { name: /Maria Manager/ }).click();
    await expect.poll(() => pressed(page, 'Maria Manager')).toBe('true');
    const composer = page.getByLabel('Message #offboarding');
    await composer.fill('/offboard');
    await composer.press('Enter');
    const modal = page.locator('dialog#modal');
    await modal.getByRole('radio', { name: /Several people/ }).check();
    const people = modal.getByLabel('People', { exact: true });
    await people.waitFor();
    await people.fill('seun.adebayo@example.com');
    await modal.getByLabel('Or a CSV file').setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email\nlukasz.wisniewski@example.com\n'),
    });
    await expect.poll(() => people.inputValue()).toContain('lukasz.wisniewski@example.com');
    expect(await people.inputValue()).toBe(
      'seun.adebayo@example.com\nlukasz.wisniewski@example.com',
    );
    await modal.getByLabel('Reason').fill('Team closed');
    await modal.getByRole('button', { name: 'Request' }).click();
    await expect.poll(() => modal.getAttribute('open'), { timeout: 30_000 }).toBeNull();
    const card = page.locator('#timeline article.message', { hasText: 'Bulk offboarding #' });
    await card.first().waitFor({ timeout: 30_000 });
    mkdirSync(path.dirname(BULK_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: BULK_SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000);
});
