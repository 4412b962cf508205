// A local stand-in for https://slack.com/api/ that speaks the Web API wire protocol, so the real
// `@slack/web-api` WebClient inside Bolt talks to it unchanged. The playground ships it: it is
// where the bot's messages go when no Slack credentials are set.
//   new App({ token, signingSecret, clientOptions: { slackApiUrl: fake.apiUrl } })
// Three parts: web-api-protocol.ts (HTTP, bodies, auth, Slack's answer envelope, response_url),
// slack-workspace.ts (users, channels, messages and the methods on them), block-kit-checks.ts.
// The test suite's controls (fault injection, call log, waits) are in test/helpers/fake-slack-api.ts.

import {
  type FakeSlackChannel,
  type FakeSlackFile,
  type FakeSlackMessage,
  type FakeSlackUser,
  type FakeSlackView,
  FakeSlackWorkspace,
  type FakeSlackWorkspaceOptions,
  type FakeSlackWorkspaceState,
} from './slack-workspace.js';
import {
  type ResponseUrlPost,
  type ResponseUrlState,
  type WebApiHooks,
  WebApiServer,
} from './web-api-protocol.js';

export interface FakeSlackApiOptions extends FakeSlackWorkspaceOptions {
  /** When set, only this token is accepted; otherwise any `xoxb-` token is. */
  botToken?: string;
  /** Called after every request answered (which may have changed what it holds). */
  onChange?: () => void;
}

/** The workspace's history and the response_url posts, to start another fake where this one is. */
export interface FakeSlackState {
  workspace: FakeSlackWorkspaceState;
  responses: ResponseUrlState;
}

export class FakeSlackApi {
  protected constructor(
    protected readonly server: WebApiServer,
    protected readonly workspace: FakeSlackWorkspace,
  ) {}

  static async start(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
    const { workspace, server } = await FakeSlackApi.startParts(options);
    return new FakeSlackApi(server, workspace);
  }

  /** The workspace and the server answering for it; `hooks` are the test suite's seams. */
  protected static async startParts(
    options: FakeSlackApiOptions,
    hooks: WebApiHooks = {},
  ): Promise<{ workspace: FakeSlackWorkspace; server: WebApiServer }> {
    const workspace = new FakeSlackWorkspace(options);
    const server = await WebApiServer.start({
      methods: workspace.methods,
      botToken: options.botToken,
      hooks: options.onChange ? { ...hooks, afterRequest: options.onChange } : hooks,
      receiveUpload: (fileId, content) => workspace.receiveUpload(fileId, content),
      downloadFile: (fileId) => workspace.downloadFile(fileId),
    });
    workspace.uploadBaseUrl = server.url;
    return { workspace, server };
  }

  /** `http://127.0.0.1:<port>/api/`: give it to Bolt as `clientOptions.slackApiUrl`. */
  get apiUrl(): string {
    return this.server.apiUrl;
  }

  get teamId(): string {
    return this.workspace.teamId;
  }

  get botUserId(): string {
    return this.workspace.botUserId;
  }

  addUser(user: FakeSlackUser): void {
    this.workspace.addUser(user);
  }

  addChannel(channel: FakeSlackChannel): void {
    this.workspace.addChannel(channel);
  }

  /** Messages as they stand now, oldest first. */
  messages(channel?: string): FakeSlackMessage[] {
    return this.workspace.messages(channel);
  }

  message(channel: string, ts: string): FakeSlackMessage | undefined {
    return this.workspace.message(channel, ts);
  }

  /** Files uploaded with filesUploadV2 (with their bytes), oldest first. */
  files(channel?: string): FakeSlackFile[] {
    return this.workspace.files(channel);
  }

  /** A file a person attached (a modal's file_input); returns its id for the submission. */
  addUserFile(file: { filename: string; content: string | Buffer; filetype?: string }): string {
    return this.workspace.addUserFile(file);
  }

  /** Modals opened with views.open, oldest first. */
  modals(): FakeSlackView[] {
    return this.workspace.modals();
  }

  /** The Home tab last published to `userId`. */
  home(userId: string): FakeSlackView | undefined {
    return this.workspace.home(userId);
  }

  /** A response_url on this server; what is POSTed there shows in `responses(name)`. */
  responseUrl(name: string): string {
    return this.server.responseUrl(name);
  }

  responses(name?: string): ResponseUrlPost[] {
    return this.server.responses(name);
  }

  persistedState(): FakeSlackState {
    return {
      workspace: this.workspace.persisted(),
      responses: this.server.persistedResponses(),
    };
  }

  restoreState(state: FakeSlackState): void {
    this.workspace.restore(state.workspace);
    this.server.restoreResponses(state.responses);
  }

  /** No message, file, view or private answer any more; people and channels stay. */
  clearHistory(): void {
    this.workspace.clearHistory();
    this.server.restoreResponses({ posts: [], uses: [] });
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

export function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  return FakeSlackApi.start(options);
}

export type {
  FakeSlackChannel,
  FakeSlackFile,
  FakeSlackMessage,
  FakeSlackUser,
  FakeSlackView,
  ResponseUrlPost,
};
