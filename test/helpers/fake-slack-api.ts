// The playground's fake Slack Web API plus the controls only tests use: injected failures and
// latency, the log of calls, and waits for a call or a response_url post.

import {
  type FakeSlackApiOptions,
  FakeSlackApi as PlaygroundSlackApi,
} from '../../src/playground/fake-slack/fake-slack-web-api.js';
import type { FakeSlackWorkspace } from '../../src/playground/fake-slack/slack-workspace.js';
import type {
  CannedFailure,
  ResponseUrlPost,
  SlackApiCall,
  WebApiServer,
} from '../../src/playground/fake-slack/web-api-protocol.js';
import { waitFor } from './wait.js';

export type {
  FakeSlackApiOptions,
  FakeSlackFile,
  FakeSlackMessage,
  FakeSlackUser,
} from '../../src/playground/fake-slack/fake-slack-web-api.js';
export type { ResponseUrlPost, SlackApiCall };

export interface FailMethodOptions {
  /** Fail this many calls, then answer normally. Default: every call until clearFailures(). */
  times?: number;
  /** Fail only calls whose `channel` argument is this ID. */
  channel?: string;
  /** Retry-After of a `ratelimited` failure. Default 1. */
  retryAfterSeconds?: number;
}

interface FailureRule extends CannedFailure {
  method: string;
  remaining: number;
  channel: string | undefined;
}

/** What the test controls keep between the server's hooks and the test's calls. */
class TestControls {
  readonly calls: SlackApiCall[] = [];
  readonly failures: FailureRule[] = [];
  latencyMs = 0;

  readonly hooks = {
    beforeRequest: async () => {
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    },
    onCall: (call: SlackApiCall) => {
      this.calls.push(call);
    },
    failureFor: (call: SlackApiCall) => {
      const rule = this.failures.find(
        (candidate) =>
          candidate.method === call.method &&
          candidate.remaining > 0 &&
          (candidate.channel === undefined || candidate.channel === call.args.channel),
      );
      if (rule) rule.remaining -= 1;
      return rule;
    },
  };
}

export class FakeSlackApi extends PlaygroundSlackApi {
  private constructor(
    server: WebApiServer,
    workspace: FakeSlackWorkspace,
    private readonly controls: TestControls,
  ) {
    super(server, workspace);
  }

  static override async start(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
    const controls = new TestControls();
    const { server, workspace } = await PlaygroundSlackApi.startParts(options, controls.hooks);
    return new FakeSlackApi(server, workspace, controls);
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.server.url;
  }

  get botId(): string {
    return this.workspace.botId;
  }

  addUserGroup(id: string, userIds: string[]): void {
    this.workspace.addUserGroup(id, userIds);
  }

  /**
   * Makes `method` answer `{ ok: false, error }` (HTTP 429 + Retry-After for `ratelimited`).
   * Rules apply in the order added; the first that matches a call is used.
   */
  failMethod(method: string, error: string, options: FailMethodOptions = {}): void {
    this.controls.failures.push({
      method,
      error,
      remaining: options.times ?? Number.POSITIVE_INFINITY,
      channel: options.channel,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
    });
  }

  clearFailures(): void {
    this.controls.failures.length = 0;
  }

  /** Delays every answer (API and response_url) by `ms`. */
  setLatency(ms: number): void {
    this.controls.latencyMs = ms;
  }

  calls(method?: string): SlackApiCall[] {
    return this.controls.calls.filter((call) => method === undefined || call.method === method);
  }

  /** Forgets recorded calls and response_url posts (seeds, messages and failures stay). */
  clearCalls(): void {
    this.controls.calls.length = 0;
    this.server.forgetResponses();
  }

  /** Resolves with the first call (past or future) to `method` that satisfies `predicate`. */
  waitForCall(
    method: string,
    predicate: (call: SlackApiCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<SlackApiCall> {
    return waitFor(
      () =>
        `No ${method} call matched within ${timeoutMs} ms. Calls seen:\n${describeList(
          this.controls.calls.map(
            (call) => `${call.method} ${brief(call.args)} → ${call.error ?? 'ok'}`,
          ),
        )}`,
      () => this.calls(method).find(predicate),
      { timeoutMs, intervalMs: 10 },
    );
  }

  waitForResponse(
    name: string,
    predicate: (post: ResponseUrlPost) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ResponseUrlPost> {
    return waitFor(
      () =>
        `No response_url post to "${name}" matched within ${timeoutMs} ms. Posts seen:\n${describeList(
          this.responses().map((post) => `${post.name} ${brief(post.body)}`),
        )}`,
      () => this.responses(name).find(predicate),
      { timeoutMs, intervalMs: 10 },
    );
  }
}

export function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  return FakeSlackApi.start(options);
}

function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function describeList(lines: string[]): string {
  return lines.length === 0 ? '  (none)' : lines.map((line) => `  - ${line}`).join('\n');
}
