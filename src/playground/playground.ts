import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Route } from '../http/server.js';
import { playgroundApiRoutes } from './api-routes.js';
import {
  NOTICE_CHANNEL,
  PLAYGROUND_APPROVERS,
  PLAYGROUND_BOT_TOKEN,
  PLAYGROUND_PEOPLE,
  REQUEST_CHANNEL,
} from './cast.js';
import {
  type DemoTarget,
  demoMembers,
  offboardedMark,
  type SandboxDirectory,
} from './demo-targets.js';
import { type FakeSlackState, startFakeSlackApi } from './fake-slack/fake-slack-web-api.js';
import { PLAYGROUND_PATH, playgroundPageRoutes } from './page.js';
import { PlaygroundSlackSide, type PlaygroundSlackSideState } from './slack-side.js';
import type { ExampleTarget } from './visible-state.js';

export { PLAYGROUND_PATH };

export interface PlaygroundOptions {
  logger: Logger;
  /**
   * Genesys users the page suggests as targets (the sandbox's demo org). Each is also a member of
   * the playground's Slack, with the same email, so `/offboard @jane` works as in Slack.
   */
  exampleTargets?: readonly DemoTarget[];
  /** The sandbox's emulator, from which the page marks the targets already offboarded. */
  sandboxDirectory?: SandboxDirectory;
  /** What a previous playground left (its `persistedState()`), to carry on from. */
  restore?: PlaygroundPersistedState | undefined;
  /** Called after anything may have changed what the playground shows. */
  onChange?: () => void;
  /** Empties the bot's side of the trial (requests, jobs); the page's Reset calls it first. */
  resetBot?: () => Promise<void>;
}

/** The fake Slack's history and who saw which private answer, in plain JSON. */
export interface PlaygroundPersistedState {
  slack: FakeSlackState;
  slackSide: PlaygroundSlackSideState;
}

export interface Playground {
  /** The page and its JSON API, to serve beside /slack/events. */
  routes: Route[];
  /** Slack settings that point the bot at the playground's fake Slack instead of slack.com. */
  slackConfig: NonNullable<Config['slack']>;
  persistedState(): PlaygroundPersistedState;
  /** Back to an empty channel: no message, file or private answer. */
  clearHistory(): void;
  close(): Promise<void>;
}

/**
 * A local Slack for trying the bot without a workspace: a fake Slack Web API that receives what
 * the bot posts, and a page whose clicks and commands reach the bot as signed Slack requests on
 * its own /slack/events. The bot runs exactly as with real Slack; only Slack itself is local.
 */
export async function createPlayground(options: PlaygroundOptions): Promise<Playground> {
  const fake = await startFakeSlackApi({
    botToken: PLAYGROUND_BOT_TOKEN,
    strictChannels: true,
    tsFromClock: true,
    ...(options.onChange ? { onChange: options.onChange } : {}),
  });
  for (const person of PLAYGROUND_PEOPLE) {
    fake.addUser({
      id: person.id,
      name: person.handle,
      realName: person.name,
      email: person.email,
      tz: person.timeZone,
    });
  }
  const targets = options.exampleTargets ?? [];
  const members = demoMembers(targets);
  for (const member of members) {
    fake.addUser({
      id: member.slackId,
      name: member.handle,
      realName: member.name,
      email: member.email,
    });
  }
  fake.addChannel(REQUEST_CHANNEL);
  fake.addChannel(NOTICE_CHANNEL);

  // Made up at each start: nothing outside this process can sign a request the bot accepts.
  const signingSecret = randomBytes(32).toString('hex');
  const handles = new Map([
    ...PLAYGROUND_PEOPLE.map((person) => [person.handle, person.id] as const),
    ...members.map((member) => [member.handle, member.slackId] as const),
  ]);
  const slackSide = new PlaygroundSlackSide(fake, signingSecret, handles);
  const directory = options.sandboxDirectory;
  const examples = (): ExampleTarget[] =>
    members.map((member, index) => ({
      name: member.name,
      email: member.email,
      slackId: member.slackId,
      handle: member.handle,
      offboarded: directory && targets[index] && offboardedMark(targets[index], directory),
    }));
  if (options.restore) {
    fake.restoreState(options.restore.slack);
    slackSide.restore(options.restore.slackSide);
  }
  const clearHistory = () => {
    fake.clearHistory();
    slackSide.clearHistory();
  };
  const logger = options.logger.child({ component: 'playground' });
  return {
    routes: [
      ...playgroundPageRoutes(),
      ...playgroundApiRoutes({
        fake,
        slackSide,
        examples,
        logger,
        reset: async () => {
          await options.resetBot?.();
          clearHistory();
          options.onChange?.();
        },
      }),
    ],
    slackConfig: {
      signingSecret,
      botToken: PLAYGROUND_BOT_TOKEN,
      apiUrl: fake.apiUrl,
      approvers: [...PLAYGROUND_APPROVERS],
      requesters: undefined,
      notifyChannel: NOTICE_CHANNEL.id,
    },
    persistedState: () => ({ slack: fake.persistedState(), slackSide: slackSide.persisted() }),
    clearHistory,
    close: () => fake.close(),
  };
}

/**
 * The playground runs only when no chat platform is configured and Genesys is the sandbox. It has
 * no login: anyone who can reach the port can act as an approver, which is harmless against the
 * sandbox's made-up users and unacceptable against a real org.
 */
export async function startPlaygroundIfLocal(
  config: Pick<Config, 'slack' | 'teams'>,
  options: PlaygroundOptions & { sandboxRunning: boolean },
): Promise<Playground | undefined> {
  if (config.slack || config.teams) return undefined;
  if (!options.sandboxRunning) {
    options.logger.warn(
      'Playground is off: it has no login, so it only runs against the Genesys sandbox. Unset GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET to try the bot there.',
    );
    return undefined;
  }
  return createPlayground(options);
}
