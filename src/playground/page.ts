import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Route } from '../http/server.js';
import { PLAYGROUND_PATH } from '../playground-path.js';
import { PAGE_STYLE } from './page-style.js';

export { PLAYGROUND_PATH };

const PAGE_BODY = `
<header class="top">
  <strong>Offboarding bot</strong><span class="badge">Playground</span>
  <span class="sub">A local Slack: the real bot, a fake Slack and the Genesys Cloud sandbox. Nothing real is touched.</span>
  <button id="reset-trial" class="btn top-reset" type="button">Reset</button>
</header>
<div class="layout">
  <nav class="sidebar" aria-label="People and examples">
    <h2>You are</h2>
    <div id="people" role="group" aria-label="You are"></div>
    <section id="examples-section" hidden>
      <h2>Users you can offboard</h2>
      <p class="hint">The Genesys sandbox's demo org, in this Slack too as @handle. Click one to fill in the command.</p>
      <ul id="examples" class="examples"></ul>
    </section>
  </nav>
  <main class="channel">
    <h1 class="channel-name" id="channel-title">#offboarding</h1>
    <div id="timeline"></div>
    <div id="composer-area" class="composer-area">
      <div class="jump-area" aria-live="polite">
        <button id="jump-to-reply" class="jump" type="button" hidden>New reply, only visible to you ↓</button>
      </div>
      <p id="composer-who" class="composer-who"></p>
      <form id="composer" class="composer" autocomplete="off">
        <input id="command" name="command" value="/offboard " spellcheck="false" aria-label="Message #offboarding">
        <button class="btn btn-primary" type="submit">Send</button>
      </form>
      <p id="composer-error" class="composer-error" role="alert"></p>
      <div class="composer-extras">
        <button id="open-shortcut" class="btn" type="button">⚡ Offboard someone (shortcut)</button>
        <button id="open-home" class="btn" type="button">Open the app’s Home tab</button>
      </div>
    </div>
  </main>
  <aside class="notices" aria-labelledby="notice-title">
    <h2 id="notice-title">#offboarding-notices</h2>
    <div id="notices"></div>
  </aside>
</div>
<dialog id="modal" class="wide" aria-labelledby="modal-title">
  <h2 id="modal-title"></h2>
  <form id="modal-form" autocomplete="off"></form>
</dialog>
<dialog id="home" class="wide" aria-labelledby="home-title">
  <h2 id="home-title">Home · Offboarding app</h2>
  <div id="home-blocks"></div>
  <div class="dialog-buttons"><button id="home-close" class="btn" type="button">Close</button></div>
</dialog>
<dialog id="confirm" aria-labelledby="confirm-title">
  <h2 id="confirm-title"></h2>
  <div id="confirm-text"></div>
  <div class="dialog-buttons">
    <button id="confirm-deny" class="btn" type="button"></button>
    <button id="confirm-ok" class="btn btn-primary" type="button"></button>
  </div>
</dialog>`;

const PAGE_SCRIPT = loadPageScript();

const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offboarding bot · Playground</title>
<style>${PAGE_STYLE}</style>
</head>
<body>${PAGE_BODY}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Only our own inline script and style run, and the page talks to this server alone. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${sha256(PAGE_SCRIPT)}`,
  `style-src ${sha256(PAGE_STYLE)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function playgroundPageRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: PLAYGROUND_PATH,
      handle: (_request, response) => {
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        });
        response.end(PAGE_HTML);
      },
    },
    {
      // A newcomer who opens the bot's bare address lands on the playground, not on a 404.
      method: 'GET',
      path: '/',
      handle: (_request, response) => {
        response.writeHead(302, { location: PLAYGROUND_PATH });
        response.end();
      },
    },
  ];
}

/**
 * The compiled bot serves what `npm run build` emitted beside this file (tsc with
 * browser/tsconfig.json). Run from source (tsx: tests, benchmarks) there is no emitted file, so
 * the script is transpiled here with the same compiler, a devDependency present wherever the
 * source runs.
 */
function loadPageScript(): string {
  if (!import.meta.url.endsWith('.ts')) {
    return readFileSync(new URL('./browser/page-script.js', import.meta.url), 'utf8');
  }
  const source = readFileSync(new URL('./browser/page-script.ts', import.meta.url), 'utf8');
  const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
  return ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleDetection: ts.ModuleDetectionKind.Legacy,
      strict: true,
    },
  }).outputText;
}
