// The control API in process: act as a human user, observe what a client did, inject faults.
// control-http.ts exposes the same operations under /_emulator/.
import { revokeKeyRecord } from './api/apikey';
import { roleOf } from './api/channel';
import { validateDataComponent } from './components';
import { Core } from './core';
import { badRequest, forbidden, notFound } from './envelope';
import { FailNextOptions, LoggedRequest, PendingFailure } from './faults';
import { submitForm, SubmitFormInput } from './forms';
import { chatMembers, publish } from './messaging';
import { AccountCounters } from './sockets';
import { Conversation, ConversationFilter, ChatPreview, PhoneView } from './control-view';
import {
  editAs,
  EditInput,
  reactAs,
  ReactInput,
  replyAs,
  ReplyInput,
  subscribeAs,
  SubscribeInput,
  typingAs,
  TypingInput,
  uploadAs,
  UploadInput,
} from './control-person';
import { ChatRef, sameChat, Store, StoredFile, StoredMessage, TypingSignal } from './store';
import { isObject } from './validate';

export interface EmulatorAccount {
  accountId: string;
  accountName: string;
  apiKey: string | null;
  role: 'bot' | 'user';
}

export interface CreateAccountInput {
  accountName: string;
  /** Make it a subaccount of this account (listed by GET /account/my of the parent). */
  parentAccountId?: string;
  role?: 'bot' | 'user';
  /** Use this key instead of a random one. */
  apiKey?: string;
  /** Accounts that become CONFIRMED contacts of the new one. */
  contactIds?: string[];
}

/** Where a message goes (sendAs) or which chat to read (messages): the fields of the documented requests. */
export type Destination = { recipientId: string } | { groupChatId: string } | { channelId: string };

/** A chat filter for messages(): a p2p chat `between` two accounts, a group chat, a channel, or all of one account. */
export type ChatFilter =
  { between: [string, string] } | { groupChatId: string } | { channelId: string } | { accountId: string };

export interface SendAsInput {
  from: string;
  to: Destination;
  dataComponent: unknown;
}

/** A stored message as the control API shows it: the documented fields plus chat, replies and edit history. */
export interface MessageRecord {
  messageId: string;
  featureType: ChatRef['featureType'];
  chat: ChatRef;
  publisherId: string;
  publisherName: string;
  publishedOn: number;
  updatedOn: number;
  dataComponent: Record<string, unknown>;
  messageReactions: Record<string, string[]>;
  replyTo: string | null;
  silent: boolean;
  edits: Array<{ dataComponent: Record<string, unknown>; updatedOn: number }>;
}

export interface ChatSummary {
  featureType: ChatRef['featureType'];
  title: string;
  chat: ChatFilter;
  /** Whether the account may post into it (channel subscribers may not). */
  canPost: boolean;
}

export type ConnectionSummary = { accountId: string; accountName: string | null; open: number } & AccountCounters;

export class EmulatorControl {
  private readonly phone: PhoneView;

  constructor(private readonly core: Core) {
    this.phone = new PhoneView(core);
  }

  private get store(): Store {
    return this.core.store;
  }

  accounts(): EmulatorAccount[] {
    return [...this.store.accounts.values()].map((a) => ({
      accountId: a.accountId,
      accountName: a.accountName,
      apiKey: this.store.primaryKey(a.accountId),
      role: a.role,
    }));
  }

  createAccount(input: CreateAccountInput): EmulatorAccount {
    if (!input || typeof input.accountName !== 'string' || input.accountName.trim() === '')
      throw badRequest('accountName is required');
    if (input.parentAccountId) this.store.account(input.parentAccountId);
    const contactIds = input.contactIds ?? [];
    for (const id of contactIds) this.store.account(id);
    if (input.apiKey && this.store.keys.some((k) => k.key === input.apiKey)) throw badRequest('apiKey already in use');
    const account = this.store.addAccount(input.accountName, {
      role: input.role,
      parentAccountId: input.parentAccountId,
    });
    if (input.parentAccountId) account.ownerAccountId = input.parentAccountId;
    const key = this.store.issueKey(account.accountId, { key: input.apiKey });
    for (const id of contactIds) this.store.setContact(account.accountId, id, 'CONFIRMED');
    return { accountId: account.accountId, accountName: account.accountName, apiKey: key.key, role: account.role };
  }

  /** Account `from` sends a message, with the same permission rules as the API. */
  sendAs(input: SendAsInput): MessageRecord {
    if (!input || typeof input.from !== 'string') throw badRequest('from (an account id) is required');
    this.store.account(input.from);
    const chat = this.destinationChat(input.from, input.to);
    const dataComponent = validateDataComponent(input.dataComponent);
    return this.record(publish(this.core, input.from, chat, dataComponent));
  }

  private destinationChat(from: string, destination: Destination): ChatRef {
    if (!isObject(destination)) throw badRequest('to must be {recipientId} | {groupChatId} | {channelId}');
    const to: Record<string, unknown> = destination;
    if (typeof to.recipientId === 'string') {
      this.store.account(to.recipientId);
      if (to.recipientId === from) throw badRequest('cannot send a p2p message to oneself');
      return { featureType: 'p2p', accountIds: [from, to.recipientId] };
    }
    if (typeof to.groupChatId === 'string') {
      const chat = this.store.groupChat(to.groupChatId);
      if (!chat.memberIds.includes(from)) throw forbidden(`${from} is not a member of group chat ${to.groupChatId}`);
      return { featureType: 'groupchat', groupChatId: chat.groupChatId };
    }
    if (typeof to.channelId === 'string') {
      const channel = this.store.channel(to.channelId);
      const role = roleOf(channel, from);
      if (role !== 'Owner' && role !== 'Editor') throw forbidden(`${from} cannot publish to channel ${to.channelId}`);
      return { featureType: 'channel', channelId: channel.channelId };
    }
    throw badRequest('to must be {recipientId} | {groupChatId} | {channelId}');
  }

  submitForm(input: SubmitFormInput): MessageRecord {
    if (!input || typeof input.from !== 'string' || typeof input.messageId !== 'string') {
      throw badRequest('from and messageId are required');
    }
    if (input.values !== undefined && !isObject(input.values))
      throw badRequest('values must be an object {refName: value}');
    return this.record(submitForm(this.core, input));
  }

  messages(options: { chat?: ChatFilter } = {}): MessageRecord[] {
    const filter = options.chat;
    let list = [...this.store.messages.values()];
    if (filter) {
      if ('accountId' in filter) {
        list = list.filter((m) => chatMembers(this.store, m.chat).includes(filter.accountId));
      } else {
        const chat = this.filterChat(filter);
        list = list.filter((m) => sameChat(m.chat, chat));
      }
    }
    return list.map((m) => this.record(m));
  }

  private filterChat(filter: ChatFilter): ChatRef {
    if ('between' in filter && Array.isArray(filter.between) && filter.between.length === 2) {
      return { featureType: 'p2p', accountIds: [filter.between[0], filter.between[1]] };
    }
    if ('groupChatId' in filter) return { featureType: 'groupchat', groupChatId: filter.groupChatId };
    if ('channelId' in filter) return { featureType: 'channel', channelId: filter.channelId };
    throw badRequest('chat must be {between:[a,b]} | {groupChatId} | {channelId} | {accountId}');
  }

  /** The chats an account can see, for the web page. */
  chats(options: { accountId: string }): ChatSummary[] {
    const me = this.store.account(options?.accountId).accountId;
    const partners = new Set<string>(this.store.contactsOf(me).keys());
    for (const key of this.store.p2pChats) {
      const ids = key.split('|');
      if (ids.includes(me)) partners.add(ids.find((id) => id !== me) ?? me);
    }
    const result: ChatSummary[] = [...partners].map((id) => ({
      featureType: 'p2p',
      title: this.store.accounts.get(id)?.accountName ?? id,
      chat: { between: [me, id] },
      canPost: true,
    }));
    for (const g of this.store.groupChats.values()) {
      if (g.memberIds.includes(me))
        result.push({ featureType: 'groupchat', title: g.title, chat: { groupChatId: g.groupChatId }, canPost: true });
    }
    for (const c of this.store.channels.values()) {
      const role = roleOf(c, me);
      if (role)
        result.push({
          featureType: 'channel',
          title: c.title,
          chat: { channelId: c.channelId },
          canPost: role !== 'Subscriber',
        });
    }
    return result;
  }

  /** A person's chat list with the last message of each chat (the phone page's first screen). */
  chatList(options: { accountId: string }): ChatPreview[] {
    return this.phone.chatList(options?.accountId);
  }

  /** One chat as a person sees it, with what its messages refer to, form states and who is typing. */
  conversation(options: { accountId: string; chat: ConversationFilter }): Conversation {
    if (!options || !options.chat) throw badRequest('accountId and chat are required');
    return this.phone.conversation(options.accountId, options.chat);
  }

  replyAs(input: ReplyInput): MessageRecord {
    return this.record(replyAs(this.core, input));
  }

  reactAs(input: ReactInput): MessageRecord {
    return this.record(reactAs(this.core, input));
  }

  editAs(input: EditInput): MessageRecord {
    return this.record(editAs(this.core, input));
  }

  typingAs(input: TypingInput): { signalled: true } {
    return typingAs(this.core, input);
  }

  uploadAs(input: UploadInput): { fileId: string; title: string; size: number } {
    return uploadAs(this.core, input);
  }

  subscribeAs(input: SubscribeInput): { channelId: string; subscribed: boolean } {
    return subscribeAs(this.core, input);
  }

  /** A stored file (its bytes, or the path of its content on disk). */
  file(fileId: string): StoredFile {
    const file = this.store.files.get(fileId);
    if (!file) throw notFound(`file ${fileId} not found`);
    return file;
  }

  requests(): LoggedRequest[] {
    return this.core.requests.map((r) => ({ ...r }));
  }

  signals(): TypingSignal[] {
    return this.core.signals.map((s) => ({ ...s }));
  }

  dropSockets(options: { accountId?: string } = {}): { dropped: number } {
    const accountId = options?.accountId;
    return { dropped: this.core.hub.terminate((c) => accountId === undefined || c.accountId === accountId) };
  }

  setPongs(enabled: boolean): { pongs: boolean } {
    if (typeof enabled !== 'boolean') throw badRequest('enabled must be a boolean');
    this.core.faults.pongs = enabled;
    return { pongs: enabled };
  }

  setDelay(ms: number): { delayMs: number } {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw badRequest('ms must be a number >= 0');
    this.core.faults.delayMs = ms;
    return { delayMs: ms };
  }

  failNext(options: FailNextOptions): { pending: PendingFailure[] } {
    if (!options || !Number.isInteger(options.status) || options.status < 400 || options.status > 599) {
      throw badRequest('status must be an HTTP error status (400-599)');
    }
    if (options.count !== undefined && (!Number.isInteger(options.count) || options.count < 1))
      throw badRequest('count must be an integer >= 1');
    if (options.retryAfter !== undefined && (typeof options.retryAfter !== 'number' || options.retryAfter < 0)) {
      throw badRequest('retryAfter must be a number of seconds >= 0');
    }
    if (options.transport !== undefined && !['rest', 'ws', 'any'].includes(options.transport))
      throw badRequest('transport must be rest, ws or any');
    if (options.path !== undefined && (typeof options.path !== 'string' || !options.path.startsWith('/')))
      throw badRequest('path must start with /');
    this.core.faults.failNext(options);
    return { pending: this.core.faults.pending() };
  }

  revokeKey(apiKey: string): { revoked: boolean; closedSockets: number } {
    const record = this.store.keys.find((k) => k.key === apiKey);
    if (!record) throw notFound('unknown API key');
    return { revoked: true, closedSockets: revokeKeyRecord(this.core, record) };
  }

  setOffline(offline: boolean): { offline: boolean; droppedSockets: number } {
    if (typeof offline !== 'boolean') throw badRequest('offline must be a boolean');
    this.core.faults.offline = offline;
    return { offline, droppedSockets: offline ? this.core.hub.terminate() : 0 };
  }

  /** Writes a raw text frame (any string; an object is JSON-encoded) to every open socket of the account. */
  injectFrame(input: { accountId: string; frame: unknown }): { sent: number } {
    if (!input || typeof input.accountId !== 'string') throw badRequest('accountId is required');
    if (input.frame === undefined) throw badRequest('frame is required');
    const text = typeof input.frame === 'string' ? input.frame : JSON.stringify(input.frame);
    return { sent: this.core.hub.sendTo([input.accountId], text) };
  }

  connections(): ConnectionSummary[] {
    return this.core.hub
      .summary()
      .map((s) => ({ ...s, accountName: this.store.accounts.get(s.accountId)?.accountName ?? null }));
  }

  /** Clears faults, the request and signal logs and the counters; chats and messages stay. */
  reset(): { reset: true } {
    this.core.faults.reset();
    this.core.requests.length = 0;
    this.core.signals.length = 0;
    this.core.hub.resetCounters();
    return { reset: true };
  }

  /** A copy, so callers cannot change the stored message by mutating what they got. */
  private record(m: StoredMessage): MessageRecord {
    return structuredClone({
      messageId: m.messageId,
      featureType: m.chat.featureType,
      chat: m.chat,
      publisherId: m.publisherId,
      publisherName: this.store.accounts.get(m.publisherId)?.accountName ?? m.publisherId,
      publishedOn: m.publishedOn,
      updatedOn: m.updatedOn,
      dataComponent: m.dataComponent,
      messageReactions: m.messageReactions,
      replyTo: m.replyTo,
      silent: m.silent,
      edits: m.edits,
    });
  }
}
