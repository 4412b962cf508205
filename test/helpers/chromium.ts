import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';

// Debian's chromium package; CI installs it. Without it a browser suite is skipped, saying why.
const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);

// As root on a closed network: no sandbox (needs user namespaces), and nothing that phones home.
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

/** describe() that runs in Chromium, or is skipped with the reason in its name. */
export function describeInChromium(suite: string, body: () => void): void {
  if (!HAS_CHROMIUM) {
    console.warn(`Skipping "${suite}": ${CHROMIUM} is missing (apt-get install chromium).`);
  }
  describe.skipIf(!HAS_CHROMIUM)(
    HAS_CHROMIUM ? suite : `${suite} (SKIPPED: ${CHROMIUM} is missing; apt-get install chromium)`,
    body,
  );
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile each time; launchPersistentContext is how Playwright takes --user-data-dir. */
export async function launchChromium(): Promise<Chromium> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'playground-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 1000 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Whether the playground's sidebar shows this person as the one acting. */
export function pressed(page: Page, name: string): Promise<string | null> {
  return page.locator('#people button', { hasText: name }).getAttribute('aria-pressed');
}

/** Script errors, CSP violations (console errors) and any request leaving the bot's origin. */
export function watchForProblems(page: Page, baseUrl: string): string[] {
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
