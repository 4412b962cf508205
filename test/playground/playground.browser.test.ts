import { mkdirSync } from 'node:fs';
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
import { ADAM, MARIA, playgroundClient } from './playground-client.js';

const SCREENSHOT = path.resolve('test-results/playground.png');
const CONFIRM_SCREENSHOT = path.resolve('test-results/playground-confirm.png');
const JUMP_SCREENSHOT = path.resolve('test-results/playground-new-reply.png');
const REPLY_SCREENSHOT = path.resolve('test-results/playground-reply-in-view.png');
const SIDEBAR_SCREENSHOT = path.resolve('test-results/playground-sidebar.png');

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
    // The sidebar now marks her as erased.
    const zoe = page.locator('#examples button.example', { hasText: 'Zoë Ångström' });
    await zoe.locator('.offboarded').waitFor();
    expect(await zoe.locator('.offboarded').getAttribute('title')).toContain('erased');

    await screenshotWhole(page, SCREENSHOT);
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

    const answer = page.locator('#timeline .note-reply', { hasText: 'Only visible to you' });
    await answer.getByText('is not an email address').waitFor();
    expect(await answer.locator('code').first().textContent()).toBe(hostile);
    expect(await page.locator('#timeline .note-command').last().textContent()).toBe(
      `/offboard ${hostile} bye`,
    );
    expect(await page.locator('img').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('sends a bare /offboard to the bot, which opens the request modal', async () => {
    if (!running || !browser) throw new Error('setup did not run');
    const page = await browser.context.newPage();
    const problems = watchForProblems(page, running.bot.url);
    await page.goto(`${running.bot.url}/playground`);
    await expect.poll(() => pressed(page, 'Maria Manager')).toBe('true');
    const composer = page.getByLabel('Message #offboarding');
    const modal = page.locator('dialog#modal');
    for (const typed of ['/offboard', '/offboard    ']) {
      await composer.fill(typed);
      await composer.press('Enter');
      await modal.getByText('Offboard someone').waitFor();
      await modal.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => modal.getAttribute('open')).toBeNull();
    }
    await expect
      .poll(() => page.locator('#timeline .note-command', { hasText: /^\/offboard$/ }).count())
      .toBe(2);
    // A composer with nothing in it is no command: the page says what to type, sends nothing.
    const posted: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posted.push(request.url());
    });
    await composer.fill('   ');
    await composer.press('Enter');
    await page.locator('#composer-error', { hasText: '/offboard alone opens the form' }).waitFor();
    expect(posted).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('names a demo user by @handle, as the help advertises', async () => {
    if (!running || !browser) throw new Error('setup did not run');
    const page = await browser.context.newPage();
    const problems = watchForProblems(page, running.bot.url);
    await page.goto(`${running.bot.url}/playground`);
    await expect.poll(() => pressed(page, 'Maria Manager')).toBe('true');
    const composer = page.getByLabel('Message #offboarding');
    await composer.fill('/offboard help');
    await composer.press('Enter');
    const help = page.locator('#timeline .note-reply', { hasText: 'Usage' }).last();
    await help.getByText('@jane Last day Friday').waitFor();

    const refusals = page.locator('#timeline .note-reply', { hasText: 'not an email address' });
    const refusedBefore = await refusals.count();
    await composer.fill('/offboard @jane Last day Friday');
    await composer.press('Enter');
    const card = page.locator('#timeline article.message', { hasText: 'Jane Doe' });
    await card.getByText('Email: jane.doe@example.com').waitFor();
    await card.getByRole('button', { name: 'Approve' }).waitFor();
    expect(await page.locator('#timeline .note-command').last().textContent()).toBe(
      '/offboard @jane Last day Friday',
    );
    expect(await refusals.count()).toBe(refusedBefore);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a fast person switch: a refresh for the previous person is ignored, the click goes as the new one', async () => {
    if (!running || !browser) throw new Error('setup did not run');
    const baseUrl = running.bot.url;
    const page = await browser.context.newPage();
    const problems = watchForProblems(page, baseUrl);
    await page.goto(`${baseUrl}/playground`);
    await expect.poll(() => pressed(page, 'Maria Manager')).toBe('true');
    await playgroundClient(baseUrl).command(MARIA, '/offboard hannah.schaefer@example.com Switch');
    const card = page.locator('#timeline article.message', { hasText: 'Hannah Schäfer' });
    await card.getByRole('button', { name: 'Approve' }).waitFor();

    // Maria's next refresh is held on its way back, as a slow server would.
    const isMariasState = (url: string) => {
      const parsed = new URL(url);
      return (
        parsed.pathname === '/playground/api/state' && parsed.searchParams.get('userId') === MARIA
      );
    };
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = 0;
    await page.route(
      (url) => isMariasState(url.href),
      async (route) => {
        held += 1;
        await released;
        await route.continue();
      },
    );
    await expect.poll(() => held, { timeout: 10_000 }).toBeGreaterThan(0);

    await page.getByRole('button', { name: /Adam Approver/ }).click();
    await expect.poll(() => pressed(page, 'Adam Approver')).toBe('true');
    // Adam's state is drawn: Maria's own notes are gone from the page.
    await expect.poll(() => page.locator('#timeline .note').count()).toBe(0);

    const staleAnswered = page.waitForEvent('requestfinished', (request) =>
      isMariasState(request.url()),
    );
    release();
    await staleAnswered;
    await page.unroute((url) => isMariasState(url.href));
    // Two more of Adam's refreshes come back (the second asked a second after the stale answer
    // arrived): by then the page has handled that answer. Had it taken Maria back, it would ask
    // for Maria's state instead, and these would never come.
    const isAdamsState = (response: { url(): string }) =>
      response.url().includes(`/state?userId=${ADAM}`);
    await page.waitForResponse(isAdamsState);
    await page.waitForResponse(isAdamsState);
    expect(await pressed(page, 'Adam Approver')).toBe('true');
    expect(await pressed(page, 'Maria Manager')).toBe('false');

    await card.getByRole('button', { name: 'Approve' }).click();
    await page.locator('dialog#confirm').getByRole('button', { name: 'Approve' }).click();
    await card.getByText('Approved by @Adam Approver', { exact: false }).waitFor({
      timeout: 30_000,
    });
    expect(await page.locator('#timeline .note-reply').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('a reply while scrolled up: announced with a jump control, or brought into view after a click', async () => {
    if (!running || !browser) throw new Error('setup did not run');
    const baseUrl = running.bot.url;
    const api = playgroundClient(baseUrl);
    // Enough cards for the channel to be several screens long.
    for (const email of ['seun.adebayo@example.com', 'priya.raghunathan@example.com']) {
      await api.command(MARIA, `/offboard ${email} Long channel`);
    }
    const page = await browser.context.newPage();
    const problems = watchForProblems(page, baseUrl);
    await page.goto(`${baseUrl}/playground`);
    await page
      .locator('#timeline article.message', { hasText: 'Priya Raghunathan' })
      .getByRole('button', { name: 'Approve' })
      .waitFor();
    expect(await page.evaluate('document.body.scrollHeight > 2 * window.innerHeight')).toBe(true);
    // Opened, the channel shows its latest: the last note is in view.
    await expect.poll(() => inView(page, '#timeline > :last-child')).toBe(true);

    // Maria reads the top of the channel when an answer to her arrives from elsewhere (here the
    // API, as from another tab): the page stays where she reads and announces it.
    await page.evaluate('window.scrollTo(0, 0)');
    const repliesBefore = await page.locator('#timeline .note-reply').count();
    await api.command(MARIA, '/offboard status');
    await expect.poll(() => page.locator('#timeline .note-reply').count()).toBe(repliesBefore + 1);
    const jump = page.getByRole('button', { name: /New reply/ });
    await jump.waitFor();
    const newest = '#timeline .note-reply >> nth=-1';
    expect(await page.evaluate('window.scrollY')).toBe(0);
    expect(await inView(page, newest)).toBe(false);
    mkdirSync(path.dirname(JUMP_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: JUMP_SCREENSHOT });
    await jump.click();
    await expect.poll(() => inView(page, newest)).toBe(true);
    expect(await page.locator(newest).textContent()).toContain('#');
    await expect.poll(() => jump.isHidden()).toBe(true);

    // Her own click on a card far up: the answer is what she waits for, so it comes into view.
    const jane = page.locator('#timeline article.message', { hasText: 'Jane Doe' });
    await jane.scrollIntoViewIfNeeded();
    expect(await inView(page, newest)).toBe(false);
    await jane.getByRole('button', { name: 'Approve' }).click();
    await page.locator('dialog#confirm').getByRole('button', { name: 'Approve' }).click();
    const refusal = page.locator('#timeline .note-reply', {
      hasText: 'another approver must decide it',
    });
    await refusal.waitFor();
    await expect.poll(() => inView(page, '#timeline .note-reply >> nth=-1')).toBe(true);
    expect(await jump.isHidden()).toBe(true);
    await page.screenshot({ path: REPLY_SCREENSHOT });

    // A command typed while scrolled up: the card it posts comes into view.
    await page.evaluate('window.scrollTo(0, 0)');
    const composer = page.getByLabel('Message #offboarding');
    await composer.fill('/offboard lukasz.wisniewski@example.com Typed while scrolled up');
    await composer.press('Enter');
    const lukasz = '#timeline article.message:has-text("Łukasz Wiśniewski")';
    await page.locator(lukasz).getByRole('button', { name: 'Approve' }).waitFor();
    await expect.poll(() => inView(page, lukasz)).toBe(true);

    // Everything in the channel, notes included, is in time order and says when it came.
    const items = page.locator('#timeline > [data-key]');
    const times: string[] = [];
    for (const item of await items.all()) {
      times.push((await item.locator('time').first().getAttribute('datetime')) ?? '');
    }
    expect(times.every((time) => time !== '')).toBe(true);
    expect(times).toEqual([...times].sort());
    const order = await items.allTextContents();
    const typedAt = order.findIndex((text) => text.includes('/offboard @jane Last day Friday'));
    const cardAt = order.findIndex(
      (text) => text.includes('Offboarding request') && text.includes('Jane Doe'),
    );
    expect(typedAt).toBeGreaterThan(-1);
    expect(cardAt).toBeGreaterThan(typedAt);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('marks in the sidebar the demo users already offboarded', async () => {
    if (!running || !browser) throw new Error('setup did not run');
    const page = await browser.context.newPage();
    const problems = watchForProblems(page, running.bot.url);
    await page.goto(`${running.bot.url}/playground`);
    const example = (name: string) => page.locator('#examples button.example', { hasText: name });
    // Seeded as deleted in the demo org (the walkthrough checks a user it erased).
    await example('Tomás Herrera').locator('.offboarded').waitFor();
    expect(await example('Björn Þórsson').locator('.offboarded').count()).toBe(0);
    expect(await example('Jane Doe').textContent()).toContain('@jane');
    // Tall enough for the whole sidebar, which otherwise scrolls on its own.
    await page.setViewportSize({ width: 1400, height: 1300 });
    await page.locator('nav.sidebar').screenshot({ path: SIDEBAR_SCREENSHOT });
    expect(problems).toEqual([]);
    await page.close();
  });
});

/** Whether the element is on screen, neither above the window nor behind the sticky composer. */
async function inView(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const composer = await page.locator('#composer-area').boundingBox();
  if (!box || !composer) return false;
  return box.y >= 0 && box.y + box.height <= composer.y + 1;
}

/**
 * The whole page as a window that tall would show it: the sticky sidebar and composer where they
 * sit, not where a full-page capture of a scrolled window would leave them.
 */
async function screenshotWhole(page: Page, file: string): Promise<void> {
  const viewport = page.viewportSize();
  const height = Number(await page.evaluate('document.body.scrollHeight'));
  await page.setViewportSize({ width: viewport?.width ?? 1400, height });
  await page.screenshot({ path: file });
  if (viewport) await page.setViewportSize(viewport);
}
