import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenesysClient, GenesysUser } from '../../src/genesys/types.js';
import { OffboardingService } from '../../src/offboarding/offboarding.service.js';
import type { Actor } from '../../src/offboarding/policy.js';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import type {
  PostResult,
  RequestPoster,
  Undeliverable,
} from '../../src/offboarding/request-poster.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

// The one flow both chat adapters use to file a request: record it, post it through the adapter's
// poster, then remember where it was posted, cancel it, or post again a request an earlier try
// recorded and never showed. The real service on the embedded database; the poster is a fake of
// our own port, and Genesys a stand-in that knows everyone at example.com but nobody@. One
// database for the file (the audit log cannot be emptied): each test offboards its own person.

const REQUESTER: Actor = { platform: 'slack', id: 'U0REQ', email: 'req@example.com' };
const OTHER_REQUESTER: Actor = { platform: 'teams', id: 'teams-other', email: 'other@example.com' };

let people = 0;
/** A request for someone no other test asks about. */
function ask() {
  people += 1;
  return { requester: REQUESTER, targetEmail: `leaver${people}@example.com`, reason: 'Last day' };
}

interface FakeUndeliverable extends Undeliverable {
  note: string;
}

/** Answers each post with the next scripted result, and remembers what it was asked to post. */
class FakePoster implements RequestPoster<FakeUndeliverable> {
  readonly posted: OffboardingRequest[] = [];

  constructor(
    private readonly answer: (
      request: OffboardingRequest,
    ) => Promise<PostResult<FakeUndeliverable>> = async (request) => ({
      posted: { channelId: 'C0APPROVERS', messageId: `msg-${request.id}`, context: { n: 1 } },
    }),
  ) {}

  async post(request: OffboardingRequest): Promise<PostResult<FakeUndeliverable>> {
    this.posted.push(request);
    return this.answer(request);
  }
}

function genesysUser(email: string): GenesysUser {
  return { id: `genesys-${email}`, name: email, email, state: 'active', version: 1 };
}

const genesys: GenesysClient = (() => {
  const unused = () => Promise.reject(new Error('not used when filing a request'));
  return {
    findUsersByEmail: async (email) =>
      email.startsWith('nobody@') ? [] : [genesysUser(email.toLowerCase())],
    getUser: async () => undefined,
    searchUsers: unused,
    revokeTokens: unused,
    softDeleteUser: unused,
    restoreUser: unused,
    createGdprRequest: unused,
    getGdprRequest: unused,
    listGdprRequests: unused,
    getOrganization: unused,
  };
})();

let database: TestDatabase;
let service: OffboardingService;

beforeAll(async () => {
  database = await createTestDatabase({ backend: 'embedded' });
  const everyoneMay = { canRequest: async () => true, isApprover: async () => true };
  service = new OffboardingService({
    db: database.db,
    genesys,
    gdprMode: 'delete',
    requestExpiryHours: 24,
    recordHashKey: 'file-request-test-record-hash-key-0123456789',
    policies: { slack: everyoneMay, teams: everyoneMay },
    workflow: {
      start: async (_trx, request) => request,
      notify: async () => {},
      undoErasure: async () => ({ kind: 'not_found' }),
    },
    logger: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await database.drop();
});

async function requestRows(targetEmail: string) {
  return database.db
    .selectFrom('offboarding_requests')
    .selectAll()
    .where('target_email', '=', targetEmail)
    .execute();
}

describe('filing a request', () => {
  it('records it, posts it once and remembers where', async () => {
    const asked = ask();
    const poster = new FakePoster();
    const outcome = await service.fileRequest(asked, poster);

    expect(outcome.kind).toBe('posted');
    expect(poster.posted).toHaveLength(1);
    expect(poster.posted[0]?.state).toBe('pending');
    const [row] = await requestRows(asked.targetEmail);
    expect(row).toMatchObject({
      state: 'pending',
      target_genesys_id: `genesys-${asked.targetEmail}`,
      chat_channel_id: 'C0APPROVERS',
      chat_message_id: `msg-${row?.id}`,
      chat_context: { n: 1 },
    });
  });

  it('cancels a request nobody could be shown, with the poster’s reason, and hands back its why', async () => {
    const asked = ask();
    const poster = new FakePoster(async () => ({
      undeliverable: { reason: 'Could not post the request: no channel', note: 'adapter detail' },
    }));
    const outcome = await service.fileRequest(asked, poster);

    expect(outcome).toMatchObject({
      kind: 'undeliverable',
      why: { reason: 'Could not post the request: no channel', note: 'adapter detail' },
    });
    const [row] = await requestRows(asked.targetEmail);
    expect(row).toMatchObject({
      state: 'cancelled',
      failure_reason: 'Could not post the request: no channel',
      chat_message_id: null,
    });
    const audit = await database.db
      .selectFrom('audit_events')
      .select('event')
      .where('request_id', '=', row?.id ?? 0)
      .orderBy('id')
      .execute();
    expect(audit.map((entry) => entry.event)).toEqual(['requested', 'cancelled']);
    // Cancelled, it no longer blocks a new request for the same person.
    expect((await service.fileRequest(asked, new FakePoster())).kind).toBe('posted');
  });

  it('posts again its own request that an earlier try recorded and never showed', async () => {
    const asked = ask();
    // The earlier try crashed between recording and posting.
    const recorded = await service.requestOffboarding(asked);
    if (recorded.kind !== 'created') throw new Error(recorded.kind);

    const poster = new FakePoster();
    const outcome = await service.fileRequest(asked, poster);

    expect(outcome).toMatchObject({ kind: 'posted', request: { id: recorded.request.id } });
    expect(poster.posted.map((request) => request.id)).toEqual([recorded.request.id]);
    const rows = await requestRows(asked.targetEmail);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.chat_message_id).toBe(`msg-${recorded.request.id}`);
  });

  it('after a poster that threw, the next try posts the same request', async () => {
    const asked = ask();
    const failing = new FakePoster(async () => {
      throw new Error('the process died here');
    });
    await expect(service.fileRequest(asked, failing)).rejects.toThrow('the process died here');
    expect((await requestRows(asked.targetEmail))[0]).toMatchObject({
      state: 'pending',
      chat_message_id: null,
    });

    const outcome = await service.fileRequest(asked, new FakePoster());
    expect(outcome.kind).toBe('posted');
    expect(await requestRows(asked.targetEmail)).toHaveLength(1);
  });

  it('refuses, without posting, a request that is already open and shown', async () => {
    const asked = ask();
    const first = await service.fileRequest(asked, new FakePoster());
    if (first.kind !== 'posted') throw new Error(first.kind);

    const poster = new FakePoster();
    const outcome = await service.fileRequest(asked, poster);

    expect(outcome).toMatchObject({ kind: 'already_open', request: { id: first.request.id } });
    expect(poster.posted).toHaveLength(0);
  });

  it('refuses, without posting, someone else’s request that was never shown', async () => {
    const asked = ask();
    const recorded = await service.requestOffboarding({ ...asked, requester: OTHER_REQUESTER });
    if (recorded.kind !== 'created') throw new Error(recorded.kind);

    const poster = new FakePoster();
    const outcome = await service.fileRequest(asked, poster);

    expect(outcome).toMatchObject({ kind: 'already_open', request: { id: recorded.request.id } });
    expect(poster.posted).toHaveLength(0);
  });

  it('records and posts nothing when the request is refused', async () => {
    const asked = ask();
    const poster = new FakePoster();
    const outcome = await service.fileRequest(
      { ...asked, targetEmail: 'nobody@example.com' },
      poster,
    );

    expect(outcome).toEqual({ kind: 'user_not_found', email: 'nobody@example.com' });
    expect(poster.posted).toHaveLength(0);
    expect(await requestRows(asked.targetEmail)).toHaveLength(0);
  });
});
