// The baseline of the ack benchmark: a Bolt app that only acknowledges, wired exactly like the
// bot's Slack adapter (src/slack/app.ts): Bolt's HTTPReceiver with the same signing secret,
// endpoint and pino-backed logger, its request listener mounted on our own node:http server
// (src/http/server.ts), the App with the bot token and the same Web API base URL. Only the
// listeners differ: they call ack() and nothing else.
//
// Run as a child process by bench/ack-latency.ts; reads SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN,
// SLACK_API_URL and LOG_LEVEL, listens on a free port and logs `{"port":N,...,"msg":"ready"}`.

import { App, HTTPReceiver } from '@slack/bolt';
import { createHttpServer, healthRoute, listen } from '../src/http/server.js';
import { createLogger } from '../src/logger.js';
import { APPROVE_ACTION, REJECT_ACTION } from '../src/slack/blocks.js';
import { boltLogger } from '../src/slack/bolt-logger.js';
import { REJECT_MODAL_CALLBACK } from '../src/slack/reject-modal.js';

const SLACK_EVENTS_PATH = '/slack/events';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' }).child({
  platform: 'slack',
});
const receiver = new HTTPReceiver({
  signingSecret: required('SLACK_SIGNING_SECRET'),
  endpoints: SLACK_EVENTS_PATH,
  logger: boltLogger(logger),
});
const app = new App({
  receiver,
  token: required('SLACK_BOT_TOKEN'),
  logger: boltLogger(logger),
  clientOptions: { slackApiUrl: required('SLACK_API_URL') },
});
app.command('/offboard', async ({ ack }) => {
  await ack();
});
for (const action of [APPROVE_ACTION, REJECT_ACTION]) {
  app.action(action, async ({ ack }) => {
    await ack();
  });
}
app.view(REJECT_MODAL_CALLBACK, async ({ ack }) => {
  await ack();
});

const server = createHttpServer(
  [
    healthRoute(async () => true),
    { method: 'POST', path: SLACK_EVENTS_PATH, handle: receiver.requestListener },
  ],
  logger,
);
const port = await listen(server, 0, '127.0.0.1');
logger.info({ port }, 'ready');

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
