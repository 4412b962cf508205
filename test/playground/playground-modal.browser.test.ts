import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlaygroundBot, startPlaygroundBot } from './playground-bot.js';

// As in playground.browser.test.ts: Debian's chromium, skipped (saying why) without it.
const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SUITE = 'the playground’s request modal and Home tab in Chromium';
const MODAL_SCREENSHOT = path.resolve('test-results/playground-modal.png');
const HOME_SCREENSHOT = path.resolve('test-results/playground-home.png');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!HAS_CHROMIUM) {
  console.warn(`Skipping "${SUITE}": ${CHROMIUM} is missing (apt-get install chromium).`);
}

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM ? SUITE : `${SUITE} (SKIPPED: ${CHROMIUM} is missing; apt-get install chromium)`,
  () => {
    let running: PlaygroundBot | undefined;
    let context: BrowserContext | undefined;
    let userDataDir = '';

    beforeAll(async () => {
      running = await startPlaygroundBot();
      userDataDir = mkdtempSync(path.join(tmpdir(), 'playground-chromium-'));
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_FLAGS,
        viewport: { width: 1400, height: 1000 },
        locale: 'en-GB',
        timezoneId: 'UTC',
      });
    });

    afterAll(async () => {
      await context?.close();
      if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
      await running?.close();
    });

    it('requests through the modal, then approves from the Home tab', async () => {
      if (!running || !context) throw new Error('setup did not run');
      const page = await context.newPage();
      const problems = watchForProblems(page, running.bot.url);
      await page.goto(`${running.bot.url}/playground`);
      await expect.poll(() => pressed(page, 'Maria Manager')).toBe('true');

      const composer = page.getByLabel('Message #offboarding');
      await composer.fill('/offboard');
      await composer.press('Enter');
      const modal = page.locator('dialog#modal');
      await modal.getByText('Offboard someone').waitFor();
      const person = modal.getByLabel('Person');
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
  },
);

function pressed(page: Page, name: string): Promise<string | null> {
  return page.locator('#people button', { hasText: name }).getAttribute('aria-pressed');
}

function watchForProblems(page: Page, baseUrl: string): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(baseUrl)) problems.push(`outside request: ${request.url()}`);
  });
  return problems;
}
