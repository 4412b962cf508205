// A local stand-in for the Bot Framework connector service (the `serviceUrl` of an incoming
// activity), speaking the REST protocol botbuilder's ConnectorClient uses, so the real
// CloudAdapter talks to it unchanged:
//   POST /v3/conversations/{conversationId}/activities               send to a conversation
//   POST /v3/conversations/{conversationId}/activities/{replyToId}   reply to an activity
//   PUT  /v3/conversations/{conversationId}/activities/{activityId}  update an activity
//   GET  /v3/conversations/{conversationId}/members/{memberId}       TeamsInfo.getMember
// Conversation ids arrive URL-encoded (`19:abc@thread.tacv2;messageid=1` has `:`, `@`, `;`, `=`)
// and are decoded before they are recorded. Like Teams, any activity id is accepted for replies
// and updates: a proactive turn replies to an activity id the connector never issued.
// Members are looked up by Teams user id, Entra object id or UPN, as Teams does, and answered
// with the REST field names (`objectId`, `userPrincipalName`).

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait.js';

export interface FakeTeamsMember {
  /** The Teams user id, `29:…`. */
  id: string;
  name: string;
  /** Entra object id. */
  aadObjectId: string;
  userPrincipalName: string;
  email?: string;
  /** What the member API reports as `userRole`: 'user' unless set ('guest' for a B2B guest). */
  userRole?: string;
}

/** An activity the bot sent, as it stands now (after any update). */
export interface RecordedActivity {
  id: string;
  conversationId: string;
  /** Set when the bot used the reply route. */
  replyToId: string | undefined;
  activity: Record<string, unknown>;
  /** Every version the bot sent for this id, the first post included. */
  versions: Record<string, unknown>[];
  /** When the first version arrived. */
  at: number;
}

export interface RecordedUpdate {
  conversationId: string;
  activityId: string;
  activity: Record<string, unknown>;
  at: number;
}

export interface ConnectorRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export class FakeBotConnector {
  private readonly sent: RecordedActivity[] = [];
  private readonly updateLog: RecordedUpdate[] = [];
  private readonly requestLog: ConnectorRequest[] = [];
  private readonly members: FakeTeamsMember[] = [];
  private failures = 0;
  private holding = false;
  private heldCount = 0;
  private counter = 0;

  private constructor(
    private readonly server: Server,
    /** The `serviceUrl` to put in activities; ends with `/` like Teams' own. */
    readonly serviceUrl: string,
  ) {}

  static async start(): Promise<FakeBotConnector> {
    let fake: FakeBotConnector | undefined;
    const server = createServer((request, response) => {
      // Requests cannot arrive before listen() resolved, so `fake` is set by then.
      fake?.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'ServiceError', message: String(error) } }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    fake = new FakeBotConnector(server, `http://127.0.0.1:${port}/`);
    return fake;
  }

  addMember(member: FakeTeamsMember): void {
    this.members.push(member);
  }

  /** The next `count` sends and updates answer 503, as a connector outage would. */
  failNext(count: number): void {
    this.failures = count;
  }

  /**
   * New activity posts get no answer and are never recorded, as if the bot died before Teams
   * took its message; `releasePosts()` lets later posts through again.
   */
  holdPosts(): void {
    this.holding = true;
  }

  releasePosts(): void {
    this.holding = false;
  }

  /** How many posts arrived while held. */
  held(): number {
    return this.heldCount;
  }

  /** Activities sent to a conversation (exact id), or to every conversation. */
  activities(conversationId?: string): RecordedActivity[] {
    return this.sent.filter(
      (a) => conversationId === undefined || a.conversationId === conversationId,
    );
  }

  activity(id: string): RecordedActivity | undefined {
    return this.sent.find((a) => a.id === id);
  }

  updates(activityId?: string): RecordedUpdate[] {
    return this.updateLog.filter((u) => activityId === undefined || u.activityId === activityId);
  }

  requests(): ConnectorRequest[] {
    return [...this.requestLog];
  }

  waitForActivity(
    what: string,
    predicate: (activity: RecordedActivity) => boolean,
    timeoutMs = 10_000,
  ): Promise<RecordedActivity> {
    return waitFor(
      () => {
        const seen = this.sent.map((a) => `${a.conversationId}: ${summarize(a.activity)}`);
        return `Timed out waiting for ${what}; sent so far:\n${seen.join('\n')}`;
      },
      () => this.sent.find(predicate),
      { timeoutMs, intervalMs: 50 },
    );
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.serviceUrl);
    this.requestLog.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      authorization: request.headers.authorization,
    });
    const body = await readJson(request);
    const parts = url.pathname.split('/').filter((part) => part !== '');
    const [version, collection, encodedConversation, resource, encodedItem] = parts;
    if (version !== 'v3' || collection !== 'conversations' || !encodedConversation) {
      return reply(response, 404, { error: { code: 'NotFound', message: url.pathname } });
    }
    const conversationId = decodeURIComponent(encodedConversation);
    const item = encodedItem === undefined ? undefined : decodeURIComponent(encodedItem);

    if (resource === 'members' && request.method === 'GET' && item && parts.length === 5) {
      const wanted = item.toLowerCase();
      const member = this.members.find((m) =>
        [m.id, m.aadObjectId, m.userPrincipalName].some((key) => key.toLowerCase() === wanted),
      );
      if (!member) {
        return reply(response, 404, {
          error: { code: 'MemberNotFoundInConversation', message: 'Member not found' },
        });
      }
      return reply(response, 200, {
        id: member.id,
        name: member.name,
        objectId: member.aadObjectId,
        aadObjectId: member.aadObjectId,
        userPrincipalName: member.userPrincipalName,
        email: member.email ?? member.userPrincipalName,
        givenName: member.name.split(' ')[0],
        tenantId: 'tenant-0000',
        userRole: member.userRole ?? 'user',
      });
    }

    if (resource !== 'activities' || parts.length > 5) {
      return reply(response, 404, { error: { code: 'NotFound', message: url.pathname } });
    }
    if ((request.method === 'POST' || request.method === 'PUT') && this.failures > 0) {
      this.failures -= 1;
      return reply(response, 503, { error: { code: 'ServiceUnavailable', message: 'try later' } });
    }
    if (!isRecord(body)) {
      return reply(response, 400, { error: { code: 'BadArgument', message: 'no activity' } });
    }
    if (request.method === 'POST' && this.holding) {
      this.heldCount += 1;
      // Never answered: the sender is expected to die meanwhile (its socket closes).
      return;
    }
    if (request.method === 'POST') {
      const id = `bot-activity-${++this.counter}`;
      this.sent.push({
        id,
        conversationId,
        replyToId: item,
        activity: body,
        versions: [body],
        at: Date.now(),
      });
      return reply(response, 200, { id });
    }
    if (request.method === 'PUT' && item) {
      this.updateLog.push({ conversationId, activityId: item, activity: body, at: Date.now() });
      const existing = this.sent.find((a) => a.id === item);
      if (existing) {
        existing.activity = body;
        existing.versions.push(body);
      }
      return reply(response, 200, { id: item });
    }
    return reply(response, 405, { error: { code: 'MethodNotAllowed', message: request.method } });
  }
}

export function startFakeBotConnector(): Promise<FakeBotConnector> {
  return FakeBotConnector.start();
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function summarize(activity: Record<string, unknown>): string {
  if (typeof activity.text === 'string' && activity.text !== '') return activity.text;
  return JSON.stringify(activity).slice(0, 200);
}
