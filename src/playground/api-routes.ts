import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Route } from '../http/server.js';
import { SLACK_EVENTS_PATH } from '../slack/app.js';
import { findPerson, PLAYGROUND_PEOPLE, type PlaygroundPerson } from './cast.js';
import type { FakeSlackApi } from './fake-slack/fake-slack-web-api.js';
import { BadRequest, readJsonObject, requiredString, sendJson } from './http-json.js';
import type { SlackEndpointResponse } from './slack-requests.js';
import type { PlaygroundSlackSide } from './slack-side.js';
import { type ExampleTarget, visibleState } from './visible-state.js';

export const PLAYGROUND_API_PATH = '/playground/api';

interface ApiDeps {
  fake: FakeSlackApi;
  slackSide: PlaygroundSlackSide;
  /** The demo org's users as they stand now in the sandbox. */
  examples: () => readonly ExampleTarget[];
  logger: Logger;
  /** Starts the trial over: no request, no message, the demo org as at first start. */
  reset: () => Promise<void>;
}

export function playgroundApiRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: `${PLAYGROUND_API_PATH}/command`,
      handle: answering(deps.logger, async (request) => {
        const body = await readJsonObject(request);
        const person = personIn(body);
        const typed = requiredString(body, 'text', 3000);
        const ack = await deps.slackSide.typeCommand(eventsUrl(request), person, typed);
        return acknowledged(ack);
      }),
    },
    {
      method: 'POST',
      path: `${PLAYGROUND_API_PATH}/click`,
      handle: answering(deps.logger, async (request) => {
        const body = await readJsonObject(request);
        const person = personIn(body);
        const ack = await deps.slackSide.clickButton(eventsUrl(request), person, {
          channel: requiredString(body, 'channel'),
          messageTs: requiredString(body, 'messageTs'),
          actionId: requiredString(body, 'actionId'),
          value: requiredString(body, 'value', 2000),
        });
        return acknowledged(ack);
      }),
    },
    {
      method: 'POST',
      path: `${PLAYGROUND_API_PATH}/shortcut`,
      handle: answering(deps.logger, async (request) => {
        const person = personIn(await readJsonObject(request));
        return acknowledged(await deps.slackSide.useShortcut(eventsUrl(request), person));
      }),
    },
    {
      method: 'POST',
      path: `${PLAYGROUND_API_PATH}/modal/suggest`,
      handle: answering(deps.logger, async (request) => {
        const body = await readJsonObject(request);
        const answer = await deps.slackSide.suggest(
          eventsUrl(request),
          personIn(body),
          requiredString(body, 'viewId'),
          requiredString(body, 'value', 200),
        );
        acknowledged(answer);
        return answer.json ?? { options: [] };
      }),
    },
    {
      method: 'POST',
      path: `${PLAYGROUND_API_PATH}/modal/submit`,
      handle: answering(deps.logger, async (request) => {
        const body = await readJsonObject(request);
        const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
        const answer = await deps.slackSide.submitModal(
          eventsUrl(request),
          personIn(body),
          requiredString(body, 'viewId'),
          {
            email: text('email'),
            day: text('day'),
            time: text('time'),
            reason: text('reason').slice(0, 3000),
            channel: text('channel'),
            people: text('people').slice(0, 100_000),
          },
        );
        acknowledged(answer);
        return answer.json ?? {};
      }),
    },
    {
      method: 'POST',
      path: `${PLAYGROUND_API_PATH}/modal/mode`,
      handle: answering(deps.logger, async (request) => {
        const body = await readJsonObject(request);
        const mode = requiredString(body, 'mode');
        if (mode !== 'single' && mode !== 'several') throw new BadRequest('Unknown mode.', 400);
        return acknowledged(
          await deps.slackSide.switchModalMode(
            eventsUrl(request),
            personIn(body),
            requiredString(body, 'viewId'),
            mode,
          ),
        );
      }),
    },
    {
      method: 'POST',
      path: `${PLAYGROUND_API_PATH}/modal/close`,
      handle: answering(deps.logger, async (request) => {
        const body = await readJsonObject(request);
        deps.slackSide.closeModal(personIn(body), requiredString(body, 'viewId'));
        return { status: 200 };
      }),
    },
    {
      method: 'POST',
      path: `${PLAYGROUND_API_PATH}/home`,
      handle: answering(deps.logger, async (request) => {
        const person = personIn(await readJsonObject(request));
        return acknowledged(await deps.slackSide.openHome(eventsUrl(request), person));
      }),
    },
    {
      method: 'POST',
      path: `${PLAYGROUND_API_PATH}/home/click`,
      handle: answering(deps.logger, async (request) => {
        const body = await readJsonObject(request);
        const ack = await deps.slackSide.clickHome(eventsUrl(request), personIn(body), {
          actionId: requiredString(body, 'actionId'),
          value: requiredString(body, 'value', 2000),
        });
        return acknowledged(ack);
      }),
    },
    {
      method: 'POST',
      path: `${PLAYGROUND_API_PATH}/reset`,
      handle: answering(deps.logger, async (request) => {
        // Read for its content type, the CSRF guard: no other page may reset the trial.
        await readJsonObject(request);
        await deps.reset();
        deps.logger.warn('playground reset: requests, messages and the Genesys sandbox start over');
        return { status: 200 };
      }),
    },
    {
      method: 'GET',
      path: `${PLAYGROUND_API_PATH}/state`,
      handle: answering(deps.logger, async (request) => {
        const userId = new URL(request.url ?? '/', 'http://playground').searchParams.get('userId');
        // A first visit names nobody yet: it starts as the requester.
        const you = personIn({ userId: userId || PLAYGROUND_PEOPLE[0]?.id });
        return {
          ...visibleState({
            fake: deps.fake,
            you,
            commandsTyped: deps.slackSide.commandsTyped,
            modalAnswers: deps.slackSide.modalAnswers,
            responseOwners: deps.slackSide.responseOwners,
            examples: deps.examples(),
          }),
          // The request modal open for this person, and their Home tab as last published.
          modal: deps.slackSide.openModal(you),
          home: deps.fake.home(you.id)?.view.blocks,
        };
      }),
    },
  ];
}

function answering(
  logger: Logger,
  handle: (request: IncomingMessage) => Promise<unknown>,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    try {
      sendJson(response, 200, await handle(request));
    } catch (error) {
      if (error instanceof BadRequest) {
        sendJson(response, error.status, { error: error.message });
        return;
      }
      logger.error({ err: error, path: request.url }, 'playground request failed');
      sendJson(response, 500, { error: 'The playground failed; the bot log has the details.' });
    }
  };
}

function personIn(body: Record<string, unknown>): PlaygroundPerson {
  const person = findPerson(body.userId);
  if (!person) throw new BadRequest('userId must be one of the playground people');
  return person;
}

/** Bolt answers an acknowledged command or click with 200 and nothing else worth showing. */
function acknowledged(ack: SlackEndpointResponse): { status: number } {
  if (ack.status !== 200) {
    throw new BadRequest(`The bot answered HTTP ${ack.status}: ${ack.body.slice(0, 200)}`, 502);
  }
  return { status: ack.status };
}

/**
 * The bot's own /slack/events, on the very server that took this request: the playground goes
 * through the real receiver (signature check included) without knowing the port it listens on.
 */
function eventsUrl(request: IncomingMessage): string {
  const { localAddress, localPort } = request.socket;
  const address = (localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${localPort}${SLACK_EVENTS_PATH}`;
}
