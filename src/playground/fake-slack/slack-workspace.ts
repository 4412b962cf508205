// The Slack side of the fake: one workspace's users, user groups, channels and messages, and the
// Web API methods the bot calls on them, answered with Slack's field names and error codes.

import { blockErrors, viewErrors } from './block-kit-checks.js';
import {
  FILE_DOWNLOAD_PATH,
  isRecord,
  SlackApiError,
  type SlackMethod,
  UPLOAD_URL_PATH,
} from './web-api-protocol.js';

export interface FakeSlackWorkspaceOptions {
  teamId?: string;
  teamDomain?: string;
  /** An Enterprise Grid org id; with `enterpriseInstall`, auth.test reports an org-wide install. */
  enterpriseId?: string;
  enterpriseInstall?: boolean;
  botUserId?: string;
  botId?: string;
  /**
   * When true, only channels added with `addChannel` (and DMs opened by posting to a user) exist;
   * by default any well-formed channel ID (C…, G…, D…) is accepted and created on first use.
   */
  strictChannels?: boolean;
  /** Seconds part of the first message ts; later ones increase from it. */
  firstTs?: number;
  /**
   * When true, a ts is the instant of posting, as Slack's are (still unique and increasing), so
   * a page can show when a message came and place it among other events; `firstTs` is ignored.
   */
  tsFromClock?: boolean;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
  /** The profile's IANA time zone (`tz` in users.info), e.g. Europe/Paris; default UTC. */
  tz?: string;
  /** A multi-channel guest. */
  isRestricted?: boolean;
  /** A single-channel guest (Slack sets is_restricted too). */
  isUltraRestricted?: boolean;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
}

/** A message as it stands now (after any chat.update). */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: string | undefined;
  blocks: unknown[] | undefined;
  metadata: unknown;
  /** How many times chat.update changed it. */
  updateCount: number;
}

/** A file uploaded with files.getUploadURLExternal, the upload URL and completeUploadExternal. */
export interface FakeSlackFile {
  id: string;
  filename: string;
  title: string;
  /** The length announced to getUploadURLExternal. */
  length: number;
  /** The bytes POSTed to the upload URL; undefined until then. */
  content: Buffer | undefined;
  /** Where completeUploadExternal shared it; undefined while not completed (or kept private). */
  channel: string | undefined;
  /** The message it was shared with (its text is the upload's `initial_comment`). */
  messageTs: string | undefined;
  completed: boolean;
  /** Slack's file type (`csv`, `text`), for files people attached. */
  filetype?: string;
}

type KnownChannel = FakeSlackChannel & { isIm: boolean };

/**
 * What the workspace's people would still see after a restart, in plain JSON: channels (DMs
 * included), messages as they stand, files (bytes in base64) and the counters behind ts and ids.
 * Users and user groups are not in it: whoever starts the workspace adds them.
 */
export interface FakeSlackWorkspaceState {
  channels: KnownChannel[];
  messages: FakeSlackMessage[];
  files: Array<Omit<FakeSlackFile, 'content'> & { contentBase64: string | undefined }>;
  tsSequence: number;
  fileSequence: number;
}

/** A view as views.open / views.update / views.publish left it. */
export interface FakeSlackView {
  id: string;
  /** The user it was published to (Home tabs). */
  userId: string | undefined;
  /** The trigger_id it was opened with (modals): says whose action opened it. */
  triggerId: string | undefined;
  view: Record<string, unknown>;
  /** How many times views.update or views.publish replaced it. */
  updateCount: number;
}

const MAX_MESSAGE_TEXT = 40_000;

const CHANNEL_ID = /^[CGD][A-Z0-9]+$/;
const USER_ID = /^[UW][A-Z0-9]+$/;

export class FakeSlackWorkspace {
  /** The Web API methods this workspace answers, by name. */
  readonly methods: Readonly<Record<string, SlackMethod>>;

  private readonly users = new Map<string, FakeSlackUser>();
  private readonly userGroups = new Map<string, string[]>();
  private readonly channels = new Map<string, KnownChannel>();
  private readonly messagesByKey = new Map<string, FakeSlackMessage>();
  private tsSequence = 0;
  /** With `tsFromClock`: microseconds since the epoch of the latest ts given. */
  private lastClockMicros = 0;
  private readonly views = new Map<string, FakeSlackView>();
  private readonly homes = new Map<string, string>();
  private viewSequence = 0;
  private readonly filesById = new Map<string, FakeSlackFile>();
  private fileSequence = 0;
  /** The server's `http://127.0.0.1:<port>`, which upload URLs point at; set once it listens. */
  uploadBaseUrl = 'http://127.0.0.1';

  constructor(private readonly options: FakeSlackWorkspaceOptions = {}) {
    this.methods = {
      'auth.test': () => this.authTest(),
      'chat.postMessage': (args) => this.postMessage(args),
      'chat.update': (args) => this.updateMessage(args),
      'chat.postEphemeral': (args) => this.postEphemeral(args),
      'users.info': (args) => ({ user: this.userProfile(this.findUser(args.user)) }),
      'users.lookupByEmail': (args) => ({
        user: this.userProfile(this.findUserByEmail(args.email)),
      }),
      'usergroups.users.list': (args) => ({ users: this.findUserGroup(args.usergroup) }),
      'conversations.open': (args) => ({
        channel: { id: this.resolveChannel(optionalString(args.users)?.split(',')[0]) },
      }),
      'views.open': (args) => this.openView(args),
      'views.update': (args) => this.updateView(args),
      'views.publish': (args) => this.publishView(args),
      'conversations.info': (args) => ({
        channel: this.channelInfo(this.findChannel(args.channel)),
      }),
      'files.getUploadURLExternal': (args) => this.uploadUrlFor(args),
      'files.completeUploadExternal': (args) => this.completeUploads(args),
      'files.info': (args) => ({ file: this.fileInfo(args.file) }),
    };
  }

  get teamId(): string {
    return this.options.teamId ?? 'T0TEST';
  }

  get botUserId(): string {
    return this.options.botUserId ?? 'U0BOT';
  }

  get botId(): string {
    return this.options.botId ?? 'B0BOT';
  }

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, { ...user });
  }

  addUserGroup(id: string, userIds: string[]): void {
    this.userGroups.set(id, [...userIds]);
  }

  addChannel(channel: FakeSlackChannel): void {
    this.channels.set(channel.id, { ...channel, isIm: channel.id.startsWith('D') });
  }

  persisted(): FakeSlackWorkspaceState {
    return {
      channels: [...this.channels.values()].map((channel) => ({ ...channel })),
      messages: [...this.messagesByKey.values()].map((message) => structuredClone(message)),
      files: [...this.filesById.values()].map(({ content, ...file }) => ({
        ...file,
        contentBase64: content?.toString('base64'),
      })),
      tsSequence: this.tsSequence,
      fileSequence: this.fileSequence,
    };
  }

  /** Takes back what `persisted()` gave; views (modals, Home tabs) start over. */
  restore(state: FakeSlackWorkspaceState): void {
    for (const channel of state.channels) this.channels.set(channel.id, { ...channel });
    this.messagesByKey.clear();
    for (const message of state.messages) {
      this.messagesByKey.set(messageKey(message.channel, message.ts), structuredClone(message));
    }
    this.filesById.clear();
    for (const { contentBase64, ...file } of state.files) {
      this.filesById.set(file.id, {
        ...file,
        content: contentBase64 === undefined ? undefined : Buffer.from(contentBase64, 'base64'),
      });
    }
    this.tsSequence = state.tsSequence;
    this.fileSequence = state.fileSequence;
  }

  /**
   * No message, file or view any more; channels and people stay. Message ts and file ids go on
   * increasing, as in Slack, so nothing said before can be mistaken for something new.
   */
  clearHistory(): void {
    this.messagesByKey.clear();
    this.filesById.clear();
    this.views.clear();
    this.homes.clear();
  }

  /** Messages as they stand now, oldest first. */
  messages(channel?: string): FakeSlackMessage[] {
    return [...this.messagesByKey.values()].filter(
      (message) => channel === undefined || message.channel === channel,
    );
  }

  message(channel: string, ts: string): FakeSlackMessage | undefined {
    return this.messagesByKey.get(messageKey(channel, ts));
  }

  /** Files uploaded and shared (or still waiting for their bytes or completion), oldest first. */
  files(channel?: string): FakeSlackFile[] {
    return [...this.filesById.values()].filter(
      (file) => channel === undefined || file.channel === channel,
    );
  }

  /**
   * A file a person attached (a modal's file_input): files.info describes it and its
   * url_private_download serves its bytes to the bot token. Returns its id.
   */
  addUserFile(file: { filename: string; content: string | Buffer; filetype?: string }): string {
    this.fileSequence += 1;
    const id = `F${String(this.fileSequence).padStart(8, '0')}`;
    const content = Buffer.from(file.content);
    this.filesById.set(id, {
      id,
      filename: file.filename,
      title: file.filename,
      length: content.length,
      content,
      channel: undefined,
      messageTs: undefined,
      completed: true,
      filetype: file.filetype ?? file.filename.split('.').pop() ?? 'text',
    });
    return id;
  }

  /** The bytes behind a url_private_download, for a completed file. */
  downloadFile(fileId: string): Buffer | undefined {
    const file = this.filesById.get(fileId);
    return file?.completed ? file.content : undefined;
  }

  private fileInfo(value: unknown): Record<string, unknown> {
    const id = optionalString(value);
    const file = id === undefined ? undefined : this.filesById.get(id);
    if (file === undefined || !file.completed) throw new SlackApiError('file_not_found');
    return {
      id: file.id,
      name: file.filename,
      title: file.title,
      filetype: file.filetype ?? 'text',
      size: file.length,
      url_private: `${this.uploadBaseUrl}${FILE_DOWNLOAD_PATH}${file.id}/${encodeURIComponent(file.filename)}`,
      url_private_download: `${this.uploadBaseUrl}${FILE_DOWNLOAD_PATH}${file.id}/download/${encodeURIComponent(file.filename)}`,
    };
  }

  /**
   * The bytes POSTed to a file's upload URL. False for a URL this workspace never gave, or whose
   * upload was completed already (Slack's upload URLs are single-use).
   */
  receiveUpload(fileId: string, content: Buffer): boolean {
    const file = this.filesById.get(fileId);
    if (file === undefined || file.completed) return false;
    file.content = content;
    return true;
  }

  private uploadUrlFor(args: Record<string, unknown>): Record<string, unknown> {
    const filename = optionalString(args.filename);
    const length = Number(args.length);
    if (filename === undefined || !Number.isInteger(length) || length < 1) {
      throw new SlackApiError('invalid_arguments');
    }
    this.fileSequence += 1;
    const id = `F${String(this.fileSequence).padStart(8, '0')}`;
    this.filesById.set(id, {
      id,
      filename,
      title: filename,
      length,
      content: undefined,
      channel: undefined,
      messageTs: undefined,
      completed: false,
    });
    return { upload_url: `${this.uploadBaseUrl}${UPLOAD_URL_PATH}${id}`, file_id: id };
  }

  private completeUploads(args: Record<string, unknown>): Record<string, unknown> {
    const wanted = args.files;
    if (!Array.isArray(wanted) || wanted.length === 0) throw new SlackApiError('invalid_arguments');
    const files = wanted.map((entry: unknown) => {
      const id = isRecord(entry) ? optionalString(entry.id) : undefined;
      const file = id === undefined ? undefined : this.filesById.get(id);
      // Slack answers file_not_found for an id it never gave or whose bytes never arrived.
      if (file === undefined || file.content === undefined || file.completed) {
        throw new SlackApiError('file_not_found');
      }
      if (file.content.length !== file.length) throw new SlackApiError('file_upload_size_mismatch');
      return { file, title: isRecord(entry) ? optionalString(entry.title) : undefined };
    });
    const channelId = optionalString(args.channel_id);
    const channel = channelId === undefined ? undefined : this.resolveChannel(channelId);
    let messageTs: string | undefined;
    if (channel !== undefined) {
      const message: FakeSlackMessage = {
        channel,
        ts: this.nextTs(),
        threadTs: optionalString(args.thread_ts),
        text: optionalString(args.initial_comment),
        blocks: undefined,
        metadata: undefined,
        updateCount: 0,
      };
      this.messagesByKey.set(messageKey(channel, message.ts), message);
      messageTs = message.ts;
    }
    for (const { file, title } of files) {
      file.completed = true;
      file.title = title ?? file.filename;
      file.channel = channel;
      file.messageTs = messageTs;
    }
    return {
      files: files.map(({ file }) => ({
        id: file.id,
        name: file.filename,
        title: file.title,
        size: file.length,
      })),
    };
  }

  /** Modals opened with views.open, oldest first, as they stand now. */
  modals(): FakeSlackView[] {
    return [...this.views.values()].filter((view) => view.view.type === 'modal');
  }

  /** The Home tab last published to the user. */
  home(userId: string): FakeSlackView | undefined {
    const id = this.homes.get(userId);
    return id === undefined ? undefined : this.views.get(id);
  }

  private openView(args: Record<string, unknown>): Record<string, unknown> {
    if (optionalString(args.trigger_id) === undefined)
      throw new SlackApiError('invalid_trigger_id');
    const view = validView(args.view, 'modal');
    this.viewSequence += 1;
    const stored: FakeSlackView = {
      id: `V${String(this.viewSequence).padStart(8, '0')}`,
      userId: undefined,
      triggerId: optionalString(args.trigger_id),
      view,
      updateCount: 0,
    };
    this.views.set(stored.id, stored);
    return { view: this.viewPayload(stored) };
  }

  private updateView(args: Record<string, unknown>): Record<string, unknown> {
    const id = optionalString(args.view_id);
    const stored = id === undefined ? undefined : this.views.get(id);
    if (stored === undefined) throw new SlackApiError('not_found');
    stored.view = validView(args.view, stored.view.type as 'modal' | 'home');
    stored.updateCount += 1;
    return { view: this.viewPayload(stored) };
  }

  private publishView(args: Record<string, unknown>): Record<string, unknown> {
    const userId = optionalString(args.user_id);
    if (userId === undefined || !this.users.has(userId)) throw new SlackApiError('user_not_found');
    const view = validView(args.view, 'home');
    const existing = this.home(userId);
    if (existing) {
      existing.view = view;
      existing.updateCount += 1;
      return { view: this.viewPayload(existing) };
    }
    this.viewSequence += 1;
    const stored: FakeSlackView = {
      id: `V${String(this.viewSequence).padStart(8, '0')}`,
      userId,
      triggerId: undefined,
      view,
      updateCount: 0,
    };
    this.views.set(stored.id, stored);
    this.homes.set(userId, stored.id);
    return { view: this.viewPayload(stored) };
  }

  private viewPayload(stored: FakeSlackView): Record<string, unknown> {
    return {
      id: stored.id,
      team_id: this.teamId,
      ...stored.view,
      state: { values: {} },
      hash: `${stored.id}.${stored.updateCount}`,
      bot_id: this.botId,
    };
  }

  private authTest(): Record<string, unknown> {
    const domain = this.options.teamDomain ?? 'offboarding-test';
    return {
      url: `https://${domain}.slack.com/`,
      team: domain,
      user: 'offboarding-bot',
      team_id: this.options.enterpriseInstall ? '' : this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      ...(this.options.enterpriseId ? { enterprise_id: this.options.enterpriseId } : {}),
      is_enterprise_install: this.options.enterpriseInstall ?? false,
    };
  }

  private postMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = this.resolveChannel(args.channel);
    const content = validMessageContent(args);
    // No check that the parent exists: Slack accepts replies to messages this fake never saw.
    const threadTs = optionalString(args.thread_ts);
    const message: FakeSlackMessage = {
      channel,
      ts: this.nextTs(),
      threadTs,
      ...content,
      updateCount: 0,
    };
    this.messagesByKey.set(messageKey(channel, message.ts), message);
    return { channel, ts: message.ts, message: this.messagePayload(message) };
  }

  private updateMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = optionalString(args.channel);
    const ts = optionalString(args.ts);
    if (channel === undefined) throw new SlackApiError('channel_not_found');
    const message = ts === undefined ? undefined : this.messagesByKey.get(messageKey(channel, ts));
    if (message === undefined) throw new SlackApiError('message_not_found');
    const content = validMessageContent(args);
    message.text = content.text;
    message.blocks = content.blocks;
    if (args.metadata !== undefined) message.metadata = content.metadata;
    message.updateCount += 1;
    return {
      channel,
      ts: message.ts,
      text: message.text ?? '',
      message: this.messagePayload(message),
    };
  }

  private postEphemeral(args: Record<string, unknown>): Record<string, unknown> {
    this.resolveChannel(args.channel);
    if (!this.users.has(String(args.user)) && !USER_ID.test(String(args.user ?? ''))) {
      throw new SlackApiError('user_not_found');
    }
    validMessageContent(args);
    return { message_ts: this.nextTs() };
  }

  private messagePayload(message: FakeSlackMessage): Record<string, unknown> {
    return {
      type: 'message',
      subtype: 'bot_message',
      text: message.text ?? '',
      ts: message.ts,
      ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
      user: this.botUserId,
      bot_id: this.botId,
      team: this.teamId,
      ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
      ...(message.updateCount > 0 ? { edited: { user: this.botUserId, ts: message.ts } } : {}),
    };
  }

  /** Unique and increasing like Slack's: 1732800000.000100, 1732800000.000200, … */
  private nextTs(): string {
    if (this.options.tsFromClock) return this.nextClockTs();
    this.tsSequence += 1;
    const micros = this.tsSequence * 100;
    const seconds = (this.options.firstTs ?? 1732800000) + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private nextClockTs(): string {
    this.lastClockMicros = Math.max(Date.now() * 1000, this.lastClockMicros + 1);
    const seconds = Math.floor(this.lastClockMicros / 1_000_000);
    return `${seconds}.${String(this.lastClockMicros % 1_000_000).padStart(6, '0')}`;
  }

  /** The channel a message lands in; posting to a user ID opens (or reuses) a DM, as in Slack. */
  private resolveChannel(value: unknown): string {
    const id = optionalString(value);
    if (id !== undefined && USER_ID.test(id)) {
      const dmId = `D${id.slice(1)}`;
      if (!this.channels.has(dmId)) this.channels.set(dmId, { id: dmId, name: id, isIm: true });
      return dmId;
    }
    return this.findChannel(id).id;
  }

  private findChannel(value: unknown): KnownChannel {
    const id = optionalString(value);
    const known = id === undefined ? undefined : this.channels.get(id);
    if (known) return known;
    if (id === undefined || this.options.strictChannels || !CHANNEL_ID.test(id)) {
      throw new SlackApiError('channel_not_found');
    }
    const created = {
      id,
      name: id.toLowerCase(),
      isPrivate: id.startsWith('G'),
      isIm: id.startsWith('D'),
    };
    this.channels.set(id, created);
    return created;
  }

  private channelInfo(channel: KnownChannel): Record<string, unknown> {
    if (channel.isIm) {
      return { id: channel.id, is_im: true, user: channel.name, is_open: true };
    }
    return {
      id: channel.id,
      name: channel.name,
      is_channel: !channel.isPrivate,
      is_group: false,
      is_im: false,
      is_private: channel.isPrivate ?? false,
      is_archived: false,
      is_member: true,
    };
  }

  private findUser(value: unknown): FakeSlackUser {
    const user = this.users.get(String(value));
    if (user === undefined) throw new SlackApiError('user_not_found');
    return user;
  }

  private findUserByEmail(value: unknown): FakeSlackUser {
    const email = String(value).toLowerCase();
    const user = [...this.users.values()].find(
      (candidate) => candidate.email?.toLowerCase() === email,
    );
    if (user === undefined) throw new SlackApiError('users_not_found');
    return user;
  }

  private findUserGroup(value: unknown): string[] {
    const members = this.userGroups.get(String(value));
    if (members === undefined) throw new SlackApiError('no_such_subteam');
    return [...members];
  }

  private userProfile(user: FakeSlackUser): Record<string, unknown> {
    const realName = user.realName ?? user.name;
    return {
      id: user.id,
      team_id: this.teamId,
      name: user.name,
      deleted: user.deleted ?? false,
      real_name: realName,
      is_bot: user.isBot ?? false,
      is_admin: false,
      is_restricted: (user.isRestricted ?? false) || (user.isUltraRestricted ?? false),
      is_ultra_restricted: user.isUltraRestricted ?? false,
      tz: user.tz ?? 'UTC',
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: user.name,
        display_name_normalized: user.name,
        ...(user.email === undefined ? {} : { email: user.email }),
      },
    };
  }
}

function validMessageContent(args: Record<string, unknown>): {
  text: string | undefined;
  blocks: unknown[] | undefined;
  metadata: unknown;
} {
  const text = optionalString(args.text);
  const blocks = args.blocks;
  if (blocks !== undefined && !Array.isArray(blocks))
    throw new SlackApiError('invalid_blocks_format');
  if (text === undefined && blocks === undefined && args.attachments === undefined) {
    throw new SlackApiError('no_text');
  }
  if (text !== undefined && text.length > MAX_MESSAGE_TEXT) throw new SlackApiError('msg_too_long');
  if (blocks !== undefined) {
    const errors = blockErrors(blocks);
    if (errors.length > 0) {
      throw new SlackApiError('invalid_blocks', {
        errors,
        response_metadata: { messages: errors.map((error) => `[ERROR] ${error}`) },
      });
    }
  }
  return { text, blocks, metadata: args.metadata };
}

function validView(value: unknown, type: 'modal' | 'home'): Record<string, unknown> {
  const errors = viewErrors(value, type);
  if (errors.length > 0) {
    throw new SlackApiError('invalid_arguments', {
      response_metadata: { messages: errors.map((error) => `[ERROR] ${error}`) },
    });
  }
  return value as Record<string, unknown>;
}

function messageKey(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
