import { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { startGenesysEmulator } from '../../src/genesys/emulator/index.js';
import type { RunningEmulator } from '../../src/genesys/emulator/types.js';
import { TEAMS_COMMAND_QUEUE } from '../../src/teams/command-queue.js';
import { type BotProcess, startBotProcess } from '../helpers/bot-process.js';
import { type FakeBotConnector, startFakeBotConnector } from '../helpers/fake-bot-connector.js';
import { messageActivity } from '../helpers/teams-activities.js';
import {
  ADAM,
  CHANNEL,
  JANE,
  MARIA,
  startTeamsHarness,
  type TeamsHarness,
} from '../helpers/teams-harness.js';
import {
  createPostgresTestDatabase,
  hasPostgres,
  type TestDatabase,
} from '../helpers/test-database.js';
import { waitFor } from '../helpers/wait.js';

interface JobRow {
  id: string;
  state: string;
  data: { actor: { id: string }; target: string };
}

async function teamsCommandJobs(database: TestDatabase): Promise<JobRow[]> {
  const result = await database.db.executeQuery(
    CompiledQuery.raw(
      `select id, state, data from pgboss.job where name = $1 order by created_on`,
      [TEAMS_COMMAND_QUEUE.name],
    ),
  );
  return result.rows as JobRow[];
}

async function requestRows(database: TestDatabase) {
  return database.db.selectFrom('offboarding_requests').selectAll().orderBy('id').execute();
}

let h: TeamsHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Teams offboard commands go through the job queue', () => {
  it('the turn queues the command; a worker records the request and posts its card', async () => {
    h = await startTeamsHarness();
    const { request, card } = await h.requestInChannel(JANE.email, 'Last day Friday');
    const jobs = await teamsCommandJobs(h.database);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data.actor.id).toBe(MARIA.aadObjectId);
    expect(jobs[0]?.data.target).toBe(JANE.email);
    expect(request.chat_message_id).toBe(card.id);
  });
});

interface World {
  database: TestDatabase & { url: string };
  emulator: RunningEmulator;
  connector: FakeBotConnector;
  bots: BotProcess[];
}
let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  await Promise.all(world.bots.map((b) => b.kill('SIGKILL')));
  await world.emulator.close();
  await world.connector.close();
  await world.database.drop();
  world = undefined;
});

const until = <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000) =>
  waitFor(what, check, { timeoutMs, intervalMs: 50 });

describe.skipIf(!hasPostgres)('a crash between recording a Teams request and posting it', () => {
  it('the re-run posts the recorded request instead of refusing it; one request, one card', async () => {
    const database = await createPostgresTestDatabase();
    const emulator = await startGenesysEmulator({ users: [JANE], gdpr: { pollsPerStage: 1 } });
    const connector = await startFakeBotConnector();
    for (const member of [MARIA, ADAM]) connector.addMember(member);
    world = { database, emulator, connector, bots: [] };
    const env = {
      DATABASE_URL: database.url,
      GENESYS_CLIENT_ID: 'emulator-client',
      GENESYS_CLIENT_SECRET: 'emulator-secret',
      GENESYS_API_URL: emulator.url,
      TEAMS_ALLOW_UNAUTHENTICATED: 'true',
      TEAMS_APPROVERS: ADAM.aadObjectId,
    };
    const say = async (bot: BotProcess, text: string) => {
      const response = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          messageActivity(connector.serviceUrl, MARIA, text, {
            kind: 'channel',
            channelId: CHANNEL,
          }),
        ),
      });
      expect(response.status).toBeLessThan(300);
    };

    const first = await startBotProcess('first', env);
    world.bots.push(first);
    // Teams never gets the card: the bot dies while posting it, after recording the request.
    connector.holdPosts();
    await say(first, `offboard ${JANE.email} Last day Friday`);
    await until('the card post in flight', async () => (connector.held() > 0 ? true : undefined));
    await first.kill('SIGKILL');
    const [recorded] = await requestRows(database);
    expect(recorded?.state).toBe('pending');
    expect(recorded?.chat_message_id).toBeNull();
    connector.releasePosts();

    // pg-boss hands a job whose worker died to another once it expires (300 s); expire it now.
    const [job] = await teamsCommandJobs(database);
    expect(job?.state).toBe('active');
    await database.db.executeQuery(
      CompiledQuery.raw(
        `update pgboss.job set state = 'retry', start_after = now() where id = $1`,
        [job?.id],
      ),
    );

    const second = await startBotProcess('second', env);
    world.bots.push(second);
    const card = await connector.waitForActivity(
      'the request card from the re-run',
      (a) => a.conversationId.startsWith(CHANNEL) && JSON.stringify(a.activity).includes('Approve'),
      20_000,
    );
    const posted = await until('the card attached to the request', async () => {
      const [row] = await requestRows(database);
      return row?.chat_message_id ? row : undefined;
    });
    expect(posted.id).toBe(recorded?.id);
    expect(posted.chat_message_id).toBe(card.id);
    expect(await requestRows(database)).toHaveLength(1);

    // Asking again now is refused: the request is visible, so there is nothing to re-post.
    await say(second, `offboard ${JANE.email} Last day Friday`);
    await connector.waitForActivity('the refusal', (a) =>
      JSON.stringify(a.activity).includes('already open'),
    );
    const cards = connector
      .activities()
      .filter(
        (a) =>
          JSON.stringify(a.activity).includes(`#${recorded?.id}`) &&
          JSON.stringify(a.activity).includes('Approve'),
      );
    expect(cards).toHaveLength(1);
    expect(await requestRows(database)).toHaveLength(1);
  }, 90_000);
});
