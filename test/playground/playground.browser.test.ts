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

const SCREENSHOT = path.resolve('test-results/playground.png');
const CONFIRM_SCREENSHOT = path.resolve('test-results/playground-confirm.png');

describeInChromium('the playground page in Chromium', () => {
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

  it('walks the whole flow: request, switch to an approver, approve, completion', async () => {
    if (!running || !browser) throw new Error('setup did not run');
    const baseUrl = running.bot.url;
    const page = await browser.context.newPage();
    const problems = watchForProblems(page, baseUrl);

    await page.goto(`${baseUrl}/playground`);
    await expect.poll(() => pressed(page, 'Maria Manager')).toBe('true');
    const composer = page.getByLabel('Message #offboarding');
    await composer.fill('/offboard zoe.angstrom@example.com Last day Friday');
    await composer.press('Enter');

    const card = page.locator('#timeline article.message').first();
    await card.getByText('Offboarding request #1: Zoë Ångström').waitFor();
    await card.getByRole('button', { name: 'Approve' }).waitFor();
    await card.getByRole('button', { name: 'Reject' }).waitFor();
    const cardText = (await card.textContent()) ?? '';
    expect(cardText).toContain('Email: zoe.angstrom@example.com');
    expect(cardText).toContain('Reason: Last day Friday');
    // mrkdwn rendered: mentions by name, bold as <strong>, no raw markup left.
    expect(cardText).toContain('@Maria Manager asks to offboard this Genesys Cloud user.');
    expect(cardText).toContain('Approvers: @Adam Approver, @Ann Approver');
    expect(await card.locator('strong', { hasText: 'Irreversible:' }).count()).toBe(1);
    expect(cardText).not.toMatch(/<@|\*Status|&lt;|&gt;/);
    await page.getByText('You typed').waitFor();

    await page.getByRole('button', { name: /Adam Approver/ }).click();
    await expect.poll(() => pressed(page, 'Adam Approver')).toBe('true');
    // Maria's own command is private to her.
    await expect.poll(() => page.getByText('You typed').count()).toBe(0);

    await card.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.locator('dialog#confirm');
    await dialog.getByText('Approve offboarding?').waitFor();
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: CONFIRM_SCREENSHOT, fullPage: true });
    await dialog.getByRole('button', { name: 'Approve' }).click();

    const thread = card.locator('section.thread');
    // The playground's grace period: the Undo button shows until the GDPR request is filed.
    await card.getByRole('button', { name: 'Undo' }).waitFor({ timeout: 30_000 });
    await thread
      .getByText('Offboarding of Zoë Ångström (zoe.angstrom@example.com) is complete.')
      .waitFor({ timeout: 100_000 });
    const threadText = (await thread.textContent()) ?? '';
    expect(threadText).toContain('Approved. Starting the offboarding in Genesys Cloud.');
    expect(threadText).toContain('COMPLETED');
    await card.getByText('Approved by @Adam Approver', { exact: false }).waitFor();
    expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await page.locator('#notices').getByText('Offboarded Zoë Ångström', { exact: false }).waitFor();

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  }, 180_000);

  it('shows what a person typed, and the bot’s answer to it, as text', async () => {
    if (!running || !browser) throw new Error('setup did not run');
    const page = await browser.context.newPage();
    const problems = watchForProblems(page, running.bot.url);
    await page.goto(`${running.bot.url}/playground`);
    const hostile = '<img/src=x/onerror=alert(1)>&amp;';
    const composer = page.getByLabel('Message #offboarding');
    await composer.fill(`/offboard ${hostile} bye`);
    await composer.press('Enter');

    const answer = page.locator('#only-you .note', { hasText: 'Only visible to you' });
    await answer.getByText('is not an email address').waitFor();
    expect(await answer.locator('code').first().textContent()).toBe(hostile);
    expect(await page.locator('#only-you .note-command').last().textContent()).toBe(
      `/offboard ${hostile} bye`,
    );
    expect(await page.locator('img').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
