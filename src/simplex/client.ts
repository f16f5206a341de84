/**
 * `SimplexClient`: a SimpleX Chat bot's view of its CLI. It owns one `SimplexSession` and offers what a bot does:
 * send text, content and files (from a path, a Buffer or a stream), reply, edit, delete, react, accept or reject
 * contacts, receive files, wait for events, and keep its address and profile as configured.
 *
 * Events:
 * - `state` (SessionState), `user` (User | undefined): from the session
 * - `event` (ChatResponse): every event the CLI sends, known or not
 * - `item` (InboundItem, ChatResponse): each chat item of a `newChatItems` event, sent and received, messages and
 *   service items alike (filter on `direction`/`isMessage`)
 */
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { checkMessageSize } from './limits';
import { chatRefString, idString, normalizeReaction, type ReactionEmoji } from './commands';
import { chatItemsOf, isObject, toInboundItem, type InboundItem } from './decode';
import { ChatCommandError, InvalidInputError, SimplexError, TimeoutError } from './errors';
import {
  MAX_FILE_BYTES,
  readReceivedFile,
  removeSharedFile,
  resolveReceivedPath,
  sweepSharedFolder,
  writeSharedFile,
} from './files';
import { SimplexSession, type CommandOptions, type SessionState, type SimplexSessionOptions } from './session';
import type {
  AChatItem,
  AddressSettings,
  ChatBotCommand,
  ChatRef,
  ChatResponse,
  ComposedMessage,
  Contact,
  GroupInfo,
  GroupMember,
  MsgContent,
  Profile,
  User,
  UserContactLink,
} from './types';

export interface SimplexClientOptions extends SimplexSessionOptions {
  /**
   * The CLI's `--files-folder`, as this process sees it. Received files are read from here, and nothing outside it
   * is read.
   */
  filesFolder?: string;
  /** Where Buffers and streams are written for the CLI to send. Default: `filesFolder`. */
  sharedFolder?: string;
  /** Largest file to send or read (bytes); at most 1 GiB, the CLI's own limit. Default 100 MB. */
  maxFileBytes?: number;
  /** Copies in the shared folder older than this are removed at start (ms). Default one day. */
  staleFileMs?: number;
}

export interface SendOptions {
  /** Stream a message live (`live=on`): update it with `update(..., {live: true})`, end with `live: false`. */
  live?: boolean;
  /** Disappearing message: seconds until it is deleted. */
  ttl?: number;
  sign?: boolean;
}

/** What a send returns: the CLI's chat items and the same as plain objects. */
export interface SentItems {
  chatItems: AChatItem[];
  items: InboundItem[];
  /** The id of the first item (what to edit, delete or react to later). */
  chatItemId?: number;
}

export type FileSource =
  /** A file the CLI can read at this path (absolute, as the CLI sees it). It is never deleted. */
  | { path: string }
  /** Bytes written into the shared folder under `fileName`; the copy is removed once the upload ends. */
  | { data: Buffer | Uint8Array | Readable; fileName: string };

export interface FileSendOptions extends SendOptions {
  /** Caption. */
  text?: string;
  /**
   * The message content that goes with the file; default `{type: 'file', text}`. For an image, give
   * `{type: 'image', text, image: 'data:image/jpg;base64,...'}` (a small preview).
   */
  msgContent?: MsgContent;
  quotedItemId?: number;
}

export interface ReceivedFile {
  fileId: number;
  fileName: string;
  /** Absolute path of the received file inside the files folder. */
  path: string;
  /** The file's bytes, when `read` was asked for. */
  data?: Buffer;
}

export interface AddressOptions {
  /** Accept every contact request by itself. */
  autoAccept?: boolean;
  /** Sent to each new contact when auto-accept is on. Empty or left out: no welcome. */
  welcome?: string | MsgContent;
  /** Contacts become business chats (a group per customer). */
  businessAddress?: boolean;
  /** Publish the address in the bot's profile. */
  publishInProfile?: boolean;
}

export interface AddressInfo {
  /** The short link when the CLI has one, else the full link. */
  link: string;
  contactLink: UserContactLink;
  /** What had to change: nothing when the address was already as asked. */
  created: boolean;
  settingsChanged: boolean;
}

export interface BotProfileOptions {
  displayName?: string;
  fullName?: string;
  shortDescr?: string;
  image?: string;
  /** `bot` by default. */
  peerType?: 'bot' | 'human';
  /** Let contacts send files to the bot. */
  allowFiles?: boolean;
  /** The command menu shown to contacts. */
  commands?: ChatBotCommand[];
}

/** Cleanup bookkeeping: at most this many ids of finished uploads and downloads are remembered. */
const RECENT_LIMIT = 1000;
const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;
/** Events that end an upload, after which the shared copy is no longer needed. */
const UPLOAD_END_EVENTS = new Set([
  'sndFileCompleteXFTP',
  'sndFileError',
  'sndFileCancelled',
  'sndStandaloneFileComplete',
]);

export class SimplexClient extends EventEmitter {
  readonly session: SimplexSession;
  readonly filesFolder?: string;
  readonly sharedFolder?: string;
  readonly maxFileBytes: number;
  private readonly staleFileMs: number;
  /** Copies in the shared folder waiting for their upload to end, by path; their file ids once known. */
  private readonly uploads = new Map<string, number | undefined>();
  /** Ids of uploads that ended before the send's reply said which copy they were. */
  private readonly endedUploads = new Set<number>();
  /** Files received (`rcvFileComplete`), by id: the path the CLI reported. */
  private readonly receivedFiles = new Map<number, { fileName: string; filePath?: string }>();

  constructor(options: SimplexClientOptions = {}) {
    super();
    this.session = new SimplexSession(options);
    this.filesFolder = options.filesFolder ? path.resolve(options.filesFolder) : undefined;
    const shared = options.sharedFolder ?? options.filesFolder;
    this.sharedFolder = shared ? path.resolve(shared) : undefined;
    this.maxFileBytes = Math.min(options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, MAX_FILE_BYTES);
    this.staleFileMs = options.staleFileMs ?? 24 * 3600 * 1000;
    this.session.on('state', (state: SessionState) => this.emit('state', state));
    this.session.on('user', (user: User | undefined) => this.emit('user', user));
    this.session.on('event', (resp: ChatResponse) => this.onEvent(resp));
  }

  get state(): SessionState['state'] {
    return this.session.state;
  }

  get user(): User | undefined {
    return this.session.user;
  }

  start(): void {
    this.session.start();
    if (this.sharedFolder) {
      sweepSharedFolder(this.sharedFolder, this.staleFileMs).catch(() => {
        // A folder that cannot be read now is reported when a file is first written to it.
      });
    }
  }

  stop(): Promise<void> {
    return this.session.stop();
  }

  /** Sends a raw command string (see `SimplexSession.command`). */
  command(cmd: string, options?: CommandOptions): Promise<ChatResponse> {
    return this.session.command(cmd, options);
  }

  /** Sends a command of the reference by name, with validated parameters (see `SimplexSession.call`). */
  call(name: string, params: Record<string, unknown> = {}, options?: CommandOptions): Promise<ChatResponse> {
    return this.session.call(name, params, options);
  }

  /** The active user's id, waiting for the connection (and the user) up to the offline wait. */
  async userId(): Promise<number> {
    return (await this.session.ready()).userId;
  }

  // Messages

  /** Sends one or more composed messages in one command. */
  async send(chatRef: ChatRef | string, messages: ComposedMessage[], options: SendOptions = {}): Promise<SentItems> {
    const ref = chatRefString(chatRef);
    if (!Array.isArray(messages) || messages.length === 0) throw new InvalidInputError('nothing to send');
    for (const message of messages) checkMessageSize(message);
    const resp = await this.session.call('APISendMessages', {
      sendRef: ref,
      liveMessage: options.live === true,
      ttl: options.ttl,
      signMessages: options.sign === true,
      composedMessages: messages,
    });
    return sentItems(resp);
  }

  async sendText(
    chatRef: ChatRef | string,
    text: string,
    options: SendOptions & { quotedItemId?: number; mentions?: Record<string, number> } = {},
  ): Promise<SentItems> {
    if (typeof text !== 'string') throw new InvalidInputError('the text must be a string');
    return this.send(chatRef, [composed({ type: 'text', text }, options.quotedItemId, options.mentions)], options);
  }

  async sendContent(
    chatRef: ChatRef | string,
    content: MsgContent,
    options: SendOptions & { quotedItemId?: number } = {},
  ): Promise<SentItems> {
    return this.send(chatRef, [composed(checkContent(content), options.quotedItemId)], options);
  }

  /** Replies to `chatItemId`, quoting it. */
  async reply(
    chatRef: ChatRef | string,
    chatItemId: number,
    content: string | MsgContent,
    options: SendOptions = {},
  ): Promise<SentItems> {
    const msgContent = typeof content === 'string' ? { type: 'text', text: content } : checkContent(content);
    return this.send(chatRef, [composed(msgContent, Number(idString(chatItemId, 'chatItemId')))], options);
  }

  /**
   * Sends a file. A Buffer or stream is first written into the shared folder (the CLI reads files from disk); that
   * copy is removed when the CLI reports the upload finished or failed, or at once when the send fails.
   */
  async sendFile(chatRef: ChatRef | string, source: FileSource, options: FileSendOptions = {}): Promise<SentItems> {
    const ref = chatRefString(chatRef);
    const msgContent = options.msgContent
      ? checkContent(options.msgContent)
      : { type: 'file', text: options.text ?? '' };
    const message: ComposedMessage = { fileSource: { filePath: '' }, msgContent };
    if (options.quotedItemId !== undefined) {
      message.quotedItemId = Number(idString(options.quotedItemId, 'quotedItemId'));
    }
    // Everything that can be refused is checked before a copy is written.
    checkMessageSize(message);
    let filePath: string;
    let copy = false;
    if ('path' in source) {
      if (typeof source.path !== 'string' || !path.isAbsolute(source.path)) {
        throw new InvalidInputError('the file path must be absolute (as the CLI sees it)');
      }
      filePath = source.path;
    } else {
      if (!this.sharedFolder) {
        throw new InvalidInputError('sending a Buffer or stream needs a shared folder the CLI can read');
      }
      const data = source.data;
      if (!(data instanceof Uint8Array) && !(data instanceof Readable)) {
        throw new InvalidInputError('the file data must be a Buffer or a readable stream');
      }
      filePath = await writeSharedFile(this.sharedFolder, source.fileName, data, { maxBytes: this.maxFileBytes });
      copy = true;
      this.uploads.set(filePath, undefined);
    }
    message.fileSource = { filePath };
    try {
      const sent = await this.send(ref, [message], options);
      if (copy) this.trackUpload(filePath, sent.chatItems);
      return sent;
    } catch (err) {
      // Refused or never sent: the CLI will not read the copy. After "outcome unknown" it may still, so it stays
      // until the upload's end event or the stale-file sweep.
      if (copy && !(err instanceof SimplexError && (err.code === 'TIMEOUT' || err.code === 'OUTCOME_UNKNOWN'))) {
        this.uploads.delete(filePath);
        await removeSharedFile(filePath).catch(() => undefined);
      }
      throw err;
    }
  }

  /** Edits a sent message. */
  async update(
    chatRef: ChatRef | string,
    chatItemId: number,
    content: string | MsgContent,
    options: { live?: boolean; mentions?: Record<string, number> } = {},
  ): Promise<ChatResponse> {
    const msgContent = typeof content === 'string' ? { type: 'text', text: content } : checkContent(content);
    const updatedMessage = { msgContent, mentions: options.mentions ?? {} };
    checkMessageSize(updatedMessage);
    return this.session.call('APIUpdateChatItem', {
      chatRef: chatRefString(chatRef),
      chatItemId,
      liveMessage: options.live === true,
      updatedMessage,
    });
  }

  /** Deletes messages: `broadcast` (for everyone, default), `internal` (only here), `internalMark`, `history`. */
  async delete(
    chatRef: ChatRef | string,
    chatItemIds: number | number[],
    mode: 'broadcast' | 'internal' | 'internalMark' | 'history' = 'broadcast',
  ): Promise<ChatResponse> {
    return this.session.call('APIDeleteChatItem', {
      chatRef: chatRefString(chatRef),
      chatItemIds: Array.isArray(chatItemIds) ? chatItemIds : [chatItemIds],
      deleteMode: mode,
    });
  }

  /** Adds (or with `add` false removes) a reaction; only the eight reactions the CLI knows are accepted. */
  async react(
    chatRef: ChatRef | string,
    chatItemId: number,
    emoji: ReactionEmoji | string,
    add = true,
  ): Promise<ChatResponse> {
    const reaction = { type: 'emoji', emoji: normalizeReaction(emoji) };
    return this.session.call('APIChatItemReaction', { chatRef: chatRefString(chatRef), chatItemId, add, reaction });
  }

  // Contacts

  async acceptContact(contactRequestId: number): Promise<ChatResponse> {
    return this.session.call('APIAcceptContact', { contactReqId: contactRequestId });
  }

  async rejectContact(contactRequestId: number): Promise<ChatResponse> {
    return this.session.call('APIRejectContact', { contactReqId: contactRequestId });
  }

  async listContacts(): Promise<Contact[]> {
    const resp = await this.session.call('APIListContacts', { userId: await this.userId() });
    return Array.isArray(resp.contacts) ? (resp.contacts as Contact[]) : [];
  }

  async listGroups(): Promise<GroupInfo[]> {
    const resp = await this.session.call('APIListGroups', { userId: await this.userId() });
    return Array.isArray(resp.groups) ? (resp.groups as GroupInfo[]) : [];
  }

  // Groups

  async createGroup(displayName: string, fullName = ''): Promise<GroupInfo> {
    const resp = await this.session.call('APINewGroup', {
      userId: await this.userId(),
      groupProfile: { displayName, fullName },
    });
    return resp.groupInfo as GroupInfo;
  }

  async addMember(groupId: number, contactId: number, role = 'member'): Promise<ChatResponse> {
    return this.session.call('APIAddMember', { groupId, contactId, memberRole: role });
  }

  async joinGroup(groupId: number): Promise<ChatResponse> {
    return this.session.call('APIJoinGroup', { groupId });
  }

  async leaveGroup(groupId: number): Promise<ChatResponse> {
    return this.session.call('APILeaveGroup', { groupId });
  }

  async listMembers(groupId: number): Promise<GroupMember[]> {
    const resp = await this.session.call('APIListMembers', { groupId });
    const group = isObject(resp.group) ? resp.group : {};
    return Array.isArray(group.members) ? (group.members as GroupMember[]) : [];
  }

  async removeMembers(groupId: number, groupMemberIds: number[], withMessages = false): Promise<ChatResponse> {
    return this.session.call('APIRemoveMembers', { groupId, groupMemberIds, withMessages });
  }

  async setAutoAcceptGroupInvitations(on: boolean): Promise<ChatResponse> {
    return this.session.call('APISetUserAutoAcceptGroupInvitations', { userId: await this.userId(), onOff: on });
  }

  // Files

  /**
   * Accepts a file offered to the bot. Idempotent: when the CLI already receives it (it accepts files by itself with
   * `-a`), that counts as accepted. Resolves `accepted`, `alreadyReceiving` or `cancelled` (the sender withdrew it).
   */
  async receiveFile(
    fileId: number,
    options: { approvedRelays?: boolean } = {},
  ): Promise<'accepted' | 'alreadyReceiving' | 'cancelled'> {
    try {
      const resp = await this.session.call('ReceiveFile', {
        fileId,
        // Without it the CLI refuses files from relays the user has not approved (fileNotApproved).
        userApprovedRelays: options.approvedRelays !== false,
      });
      return resp.type === 'rcvFileAcceptedSndCancelled' ? 'cancelled' : 'accepted';
    } catch (err) {
      if (err instanceof ChatCommandError && err.tag === 'fileAlreadyReceiving') return 'alreadyReceiving';
      throw err;
    }
  }

  /**
   * Receives a file and waits for it to be complete: accepts it (idempotently), waits for `rcvFileComplete`, and
   * returns its path inside the files folder, and its bytes with `read`.
   */
  async downloadFile(
    fileId: number,
    options: { timeoutMs?: number; read?: boolean; approvedRelays?: boolean } = {},
  ): Promise<ReceivedFile> {
    if (!this.filesFolder) throw new InvalidInputError('receiving files needs the CLI files folder');
    const id = Number(idString(fileId, 'fileId'));
    const timeoutMs = options.timeoutMs ?? 120_000;
    let done = this.receivedFiles.get(id);
    if (!done) {
      const complete = this.waitFor(
        (resp) => (resp.type === 'rcvFileComplete' || isRcvFileFailure(resp)) && fileIdOf(resp) === id,
        timeoutMs,
      );
      complete.catch(() => undefined);
      const accepted = await this.receiveFile(id, options);
      if (accepted === 'cancelled') throw new SimplexError('API_ERROR', `SimpleX file ${id}: the sender cancelled it`);
      const resp = await complete;
      if (resp.type !== 'rcvFileComplete') {
        throw new SimplexError('API_ERROR', `SimpleX file ${id}: receiving failed (${resp.type})`);
      }
      done = this.receivedFiles.get(id) ?? completedFile(resp);
    }
    if (!done?.filePath) throw new SimplexError('API_ERROR', `SimpleX file ${id}: the CLI reported no path`);
    const resolved = await resolveReceivedPath(this.filesFolder, done.filePath);
    const out: ReceivedFile = { fileId: id, fileName: done.fileName, path: resolved };
    if (options.read) out.data = await readReceivedFile(this.filesFolder, resolved, { maxBytes: this.maxFileBytes });
    return out;
  }

  /** Reads a file the CLI reported (relative to its files folder, or absolute inside it). */
  async readFile(filePath: string): Promise<Buffer> {
    if (!this.filesFolder) throw new InvalidInputError('reading files needs the CLI files folder');
    return readReceivedFile(this.filesFolder, filePath, { maxBytes: this.maxFileBytes });
  }

  // Events

  /**
   * Resolves with the next event of type `type` (or any event the predicate accepts) within `timeoutMs`. Set it up
   * before sending the command that causes the event, so it cannot be missed.
   */
  waitFor(
    type: string | ((resp: ChatResponse) => boolean),
    predicateOrTimeout?: ((resp: ChatResponse) => boolean) | number,
    timeoutMs = 30_000,
  ): Promise<ChatResponse> {
    let accept: (resp: ChatResponse) => boolean;
    let label: string;
    if (typeof type === 'function') {
      accept = type;
      label = 'the awaited event';
      if (typeof predicateOrTimeout === 'number') timeoutMs = predicateOrTimeout;
    } else {
      const predicate = typeof predicateOrTimeout === 'function' ? predicateOrTimeout : () => true;
      if (typeof predicateOrTimeout === 'number') timeoutMs = predicateOrTimeout;
      accept = (resp) => resp.type === type && predicate(resp);
      label = type;
    }
    return new Promise((resolve, reject) => {
      const onEvent = (resp: ChatResponse) => {
        let matched: boolean;
        try {
          matched = accept(resp);
        } catch (err) {
          cleanup();
          reject(err);
          return;
        }
        if (!matched) return;
        cleanup();
        resolve(resp);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new TimeoutError(`waiting for ${label}`, timeoutMs));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('event', onEvent);
      };
      this.on('event', onEvent);
    });
  }

  // Address and profile

  /**
   * Makes sure the bot has an address with these settings: creates it when missing, changes the settings only
   * when they differ. Safe to run on every connect.
   */
  async ensureAddress(options: AddressOptions = {}): Promise<AddressInfo> {
    const userId = await this.userId();
    let contactLink: UserContactLink | undefined;
    let created = false;
    try {
      const shown = await this.session.call('APIShowMyAddress', { userId });
      contactLink = shown.contactLink as UserContactLink;
    } catch (err) {
      if (!(err instanceof ChatCommandError && err.tag === 'userContactLinkNotFound')) throw err;
    }
    if (!contactLink) {
      await this.session.call('APICreateMyAddress', { userId });
      created = true;
      const shown = await this.session.call('APIShowMyAddress', { userId });
      contactLink = shown.contactLink as UserContactLink;
    }
    const wanted = addressSettings(options);
    let settingsChanged = false;
    if (!sameJson(normalizeSettings(contactLink.addressSettings), wanted)) {
      const updated = await this.session.call('APISetAddressSettings', { userId, settings: wanted });
      if (isObject(updated.contactLink)) contactLink = updated.contactLink as UserContactLink;
      settingsChanged = true;
    }
    if (options.publishInProfile !== undefined) {
      const profileLink = (await this.session.refreshUser()).profile?.contactLink;
      if (Boolean(profileLink) !== options.publishInProfile) {
        await this.session.call('APISetProfileAddress', { userId, enable: options.publishInProfile });
        await this.session.refreshUser();
      }
    }
    const links = contactLink.connLinkContact ?? { connFullLink: '' };
    return { link: links.connShortLink || links.connFullLink, contactLink, created, settingsChanged };
  }

  /**
   * Makes sure the bot's profile says what is asked (peer type bot, files allowed, command menu, names), writing it
   * only when something differs. Returns true when it was changed.
   */
  async ensureProfile(options: BotProfileOptions = {}): Promise<boolean> {
    await this.session.ready();
    const user = await this.session.refreshUser();
    const current = user.profile ?? ({} as Profile);
    const profile: Profile = {
      displayName: options.displayName ?? current.displayName,
      fullName: options.fullName ?? current.fullName ?? '',
    };
    for (const field of ['shortDescr', 'image', 'contactLink'] as const) {
      const value = field in options ? (options as Record<string, unknown>)[field] : current[field];
      if (typeof value === 'string' && value !== '') profile[field] = value;
    }
    profile.peerType = options.peerType ?? 'bot';
    const preferences = { ...(current.preferences ?? {}) };
    if (options.allowFiles !== undefined) preferences.files = { allow: options.allowFiles ? 'yes' : 'no' };
    if (options.commands !== undefined) {
      if (options.commands.length > 0) preferences.commands = checkCommands(options.commands);
      else delete preferences.commands;
    }
    if (Object.keys(preferences).length > 0) profile.preferences = preferences;
    if (profileMatches(current, profile)) return false;
    const resp = await this.session.call('APIUpdateProfile', { userId: user.userId, profile });
    await this.session.refreshUser();
    return resp.type === 'userProfileUpdated';
  }

  private onEvent(resp: ChatResponse): void {
    this.trackFiles(resp);
    this.emit('event', resp);
    if (resp.type === 'newChatItems') {
      for (const aci of chatItemsOf(resp)) {
        const item = toInboundItem(aci);
        if (item) this.emit('item', item, resp);
      }
    }
  }

  /** Remembers received files and removes shared copies whose upload ended. */
  private trackFiles(resp: ChatResponse): void {
    if (resp.type === 'rcvFileComplete') {
      const file = completedFile(resp);
      const id = fileIdOf(resp);
      if (file && id !== undefined) remember(this.receivedFiles, id, file);
      return;
    }
    if (!UPLOAD_END_EVENTS.has(resp.type)) return;
    const id = fileIdOf(resp);
    const meta = isObject(resp.fileTransferMeta) ? resp.fileTransferMeta : undefined;
    const byPath =
      meta && typeof meta.filePath === 'string' && this.uploads.has(meta.filePath) ? meta.filePath : undefined;
    const byId = id === undefined ? undefined : [...this.uploads].find(([, fileId]) => fileId === id)?.[0];
    const copy = byPath ?? byId;
    if (copy) {
      this.uploads.delete(copy);
      removeSharedFile(copy).catch(() => undefined);
    } else if (id !== undefined) {
      remember(this.endedUploads, id);
    }
  }

  /** After a send's reply: which upload is which file id (its end event comes later, or came already). */
  private trackUpload(filePath: string, chatItems: AChatItem[]): void {
    const file = chatItems.map((aci) => aci.chatItem?.file).find((f) => f && typeof f.fileId === 'number');
    if (!file) return;
    if (this.endedUploads.has(file.fileId)) {
      this.endedUploads.delete(file.fileId);
      if (this.uploads.delete(filePath)) removeSharedFile(filePath).catch(() => undefined);
      return;
    }
    if (this.uploads.has(filePath)) this.uploads.set(filePath, file.fileId);
  }
}

function composed(msgContent: MsgContent, quotedItemId?: number, mentions?: Record<string, number>): ComposedMessage {
  const message: ComposedMessage = { msgContent };
  if (quotedItemId !== undefined) message.quotedItemId = quotedItemId;
  if (mentions && Object.keys(mentions).length > 0) message.mentions = mentions;
  return message;
}

function checkContent(content: MsgContent): MsgContent {
  if (!isObject(content) || typeof content.type !== 'string' || content.type === '') {
    throw new InvalidInputError('message content needs a type (text, link, image, file, voice, ...)');
  }
  if (typeof content.text !== 'string') return { ...content, text: '' };
  return content;
}

function sentItems(resp: ChatResponse): SentItems {
  const chatItems = chatItemsOf(resp);
  const items = chatItems.map(toInboundItem).filter((i): i is InboundItem => i !== undefined);
  return { chatItems, items, chatItemId: items[0]?.chatItemId };
}

/** The file id an event is about: from its chat item, its transfer record, or its transfer metadata. */
function fileIdOf(resp: ChatResponse): number | undefined {
  for (const aci of chatItemsOf(resp)) {
    const id = aci.chatItem?.file?.fileId;
    if (typeof id === 'number') return id;
  }
  for (const field of ['rcvFileTransfer', 'fileTransferMeta']) {
    const record = resp[field];
    if (isObject(record) && typeof record.fileId === 'number') return record.fileId;
  }
  return undefined;
}

function completedFile(resp: ChatResponse): { fileName: string; filePath?: string } | undefined {
  const file = chatItemsOf(resp)[0]?.chatItem?.file;
  if (!file) return undefined;
  const filePath = file.fileSource?.filePath ?? (file as unknown as { filePath?: string }).filePath;
  return { fileName: file.fileName, ...(filePath ? { filePath } : {}) };
}

function isRcvFileFailure(resp: ChatResponse): boolean {
  return resp.type === 'rcvFileError' || resp.type === 'rcvFileSndCancelled' || resp.type === 'rcvFileCancelled';
}

function remember<K, V>(store: Map<K, V> | Set<K>, key: K, value?: V): void {
  if (store instanceof Map) store.set(key, value as V);
  else store.add(key);
  if (store.size > RECENT_LIMIT) store.delete(store.keys().next().value as K);
}

function addressSettings(options: AddressOptions): AddressSettings {
  const settings: AddressSettings = { businessAddress: options.businessAddress === true };
  if (options.autoAccept) settings.autoAccept = { acceptIncognito: false };
  const welcome = options.welcome;
  if (typeof welcome === 'string') {
    if (welcome.trim() !== '') settings.autoReply = { type: 'text', text: welcome };
  } else if (welcome !== undefined) {
    settings.autoReply = checkContent(welcome);
  }
  return settings;
}

/** The settings as compared: only the fields `addressSettings` writes. */
function normalizeSettings(settings: AddressSettings | undefined): AddressSettings {
  const out: AddressSettings = { businessAddress: settings?.businessAddress === true };
  if (settings?.autoAccept) out.autoAccept = { acceptIncognito: settings.autoAccept.acceptIncognito === true };
  if (settings?.autoReply) out.autoReply = settings.autoReply;
  return out;
}

function profileMatches(current: Profile, wanted: Profile): boolean {
  const pick = (p: Profile) => ({
    displayName: p.displayName,
    fullName: p.fullName ?? '',
    shortDescr: p.shortDescr,
    image: p.image,
    peerType: p.peerType ?? 'human',
    files: p.preferences?.files?.allow,
    commands: p.preferences?.commands ?? [],
  });
  return sameJson(pick(current), pick(wanted));
}

function checkCommands(commands: ChatBotCommand[]): ChatBotCommand[] {
  const check = (list: unknown, depth: number): ChatBotCommand[] => {
    if (!Array.isArray(list)) throw new InvalidInputError('the command menu must be a list');
    return list.map((entry) => {
      if (!isObject(entry)) throw new InvalidInputError('each command menu entry must be an object');
      if (entry.type === 'menu') {
        if (depth > 0) throw new InvalidInputError('command menus can be nested one level only');
        if (typeof entry.label !== 'string' || !entry.label) throw new InvalidInputError('a menu needs a label');
        return { type: 'menu', label: entry.label, commands: check(entry.commands, depth + 1) };
      }
      const keyword = typeof entry.keyword === 'string' ? entry.keyword.replace(/^\//, '') : '';
      if (!/^[^\s/]+$/.test(keyword))
        throw new InvalidInputError(`command keyword ${JSON.stringify(entry.keyword)} must be one word`);
      const command: ChatBotCommand = {
        type: 'command',
        keyword,
        label: typeof entry.label === 'string' && entry.label ? entry.label : keyword,
      };
      if (typeof entry.params === 'string' && entry.params) command.params = entry.params;
      return command;
    });
  };
  return check(commands, 0);
}

/** Structural equality of JSON data, with object keys in any order and undefined fields ignored. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) if (value[key] !== undefined) out[key] = canonical(value[key]);
    return out;
  }
  return value;
}
