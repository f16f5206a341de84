// What a person's phone shows: the chat list with the last message of each chat, and one conversation with
// everything its messages refer to (names, files, channels, tunnels, buckets), the state of its forms and who
// is typing. Read-only views over the store, for the phone page.
import { roleOf } from './api/channel';
import { Core } from './core';
import { badRequest } from './envelope';
import { chatMembers } from './messaging';
import { ChatRef, StoredMessage } from './store';
import { isObject, JsonObject } from './validate';

/** How long after a typing signal the phone still shows "typing…". */
export const TYPING_SHOWN_MS = 4000;

export type ConversationFilter = { between: [string, string] } | { groupChatId: string } | { channelId: string };

export interface FileInfo {
  fileId: string;
  title: string;
  size: number;
  contentType: string;
}

export interface ChannelInfo {
  channelId: string;
  title: string;
  avatar: string | null;
  ownerName: string;
  subscriberCount: number;
  /** The viewer's role, null when not subscribed. */
  role: string | null;
}

export interface TunnelInfo {
  tunnelId: string;
  name: string;
  description: string;
  tunnelUrl: string | null;
}

export interface BucketInfo {
  bucketId: string;
  title: string;
  description: string;
  avatar: string | null;
  ownerName: string;
  enableReactions: boolean;
  likeCount: number;
  dataComponents: JsonObject[];
}

/** Everything the messages of a conversation mention, looked up once, so the page renders without more requests. */
export interface References {
  accounts: Record<string, string>;
  files: Record<string, FileInfo>;
  channels: Record<string, ChannelInfo>;
  tunnels: Record<string, TunnelInfo>;
  buckets: Record<string, BucketInfo>;
}

export interface SubmissionInfo {
  submitterId: string;
  submitterName: string;
  publishedOn: number;
  /** refName -> submitted value */
  values: Record<string, unknown>;
}

export interface FormState {
  /** The newest submission by anyone: what a form with retainStatus shows. */
  last: SubmissionInfo | null;
  /** The viewer's own newest submission. */
  mine: SubmissionInfo | null;
}

export interface ConversationMessage {
  messageId: string;
  publisherId: string;
  publisherName: string;
  publishedOn: number;
  updatedOn: number;
  edited: boolean;
  dataComponent: JsonObject;
  messageReactions: Record<string, string[]>;
  replyTo: { messageId: string; publisherId: string; publisherName: string; preview: string } | null;
  /** Present on forms. */
  formState?: FormState;
  /** A submission of a form sent with hideSubmissionMsg: the app does not show it. */
  hidden: boolean;
}

export interface Conversation {
  featureType: ChatRef['featureType'];
  title: string;
  subtitle: string;
  canPost: boolean;
  /** Names of the others typing right now. */
  typing: string[];
  messages: ConversationMessage[];
  references: References;
}

export interface ChatPreview {
  featureType: ChatRef['featureType'];
  title: string;
  chat: ConversationFilter;
  canPost: boolean;
  messageCount: number;
  last: { publisherName: string; preview: string; publishedOn: number } | null;
}

const TYPE_LABELS: Record<string, string> = {
  html: 'Message',
  gauge: 'Gauge',
  file: 'File',
  contact: 'Contact',
  location: 'Location',
  appointment: 'Appointment',
  webview: 'Link',
  channel: 'Channel',
  tunnel: 'Tunnel',
  form: 'Form',
  formsubmission: 'Form answer',
  bucket: 'Bucket',
};

/** One line for a chat list or a quoted reply, as a messenger shows it. */
export function previewOf(dc: JsonObject): string {
  const type = String(dc.dataComponentType);
  if (type === 'text') return String(dc.text ?? '');
  const title = typeof dc.title === 'string' && dc.title !== '' ? `: ${dc.title}` : '';
  if (type === 'html')
    return String(dc.html ?? '')
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  if (type === 'location' && typeof dc.locationName === 'string') return `📍 ${dc.locationName}`;
  if (type === 'file') return '📎 File';
  if (type === 'webview')
    return `🌐 ${typeof dc.linkDisplayName === 'string' && dc.linkDisplayName !== '' ? dc.linkDisplayName : String(dc.url ?? '')}`;
  if (type === 'appointment') return `📅 ${String(dc.title ?? 'Appointment')}`;
  return `${TYPE_LABELS[type] ?? type}${title}`;
}

export class PhoneView {
  constructor(private readonly core: Core) {}

  private name(accountId: string): string {
    return this.core.store.accounts.get(accountId)?.accountName ?? accountId;
  }

  /** The chats of a person: contacts and p2p partners, group chats, channels with a role. */
  chatList(accountId: string): ChatPreview[] {
    const { store } = this.core;
    const me = store.account(accountId).accountId;
    const partners = new Set<string>(store.contactsOf(me).keys());
    for (const key of store.p2pChats) {
      const ids = key.split('|');
      if (ids.includes(me)) partners.add(ids.find((id) => id !== me) ?? me);
    }
    const entries: Array<{ ref: ChatRef; filter: ConversationFilter; title: string; canPost: boolean }> = [];
    for (const id of partners) {
      entries.push({
        ref: { featureType: 'p2p', accountIds: [me, id] },
        filter: { between: [me, id] },
        title: this.name(id),
        canPost: true,
      });
    }
    for (const g of store.groupChats.values()) {
      if (!g.memberIds.includes(me)) continue;
      entries.push({
        ref: { featureType: 'groupchat', groupChatId: g.groupChatId },
        filter: { groupChatId: g.groupChatId },
        title: g.title,
        canPost: true,
      });
    }
    for (const c of store.channels.values()) {
      const role = roleOf(c, me);
      if (!role) continue;
      const ref: ChatRef = { featureType: 'channel', channelId: c.channelId };
      entries.push({ ref, filter: { channelId: c.channelId }, title: c.title, canPost: role !== 'Subscriber' });
    }
    return entries.map((e) => {
      const messages = store.messagesIn(e.ref).filter((m) => !this.isHiddenSubmission(m));
      const last = messages[messages.length - 1];
      return {
        featureType: e.ref.featureType,
        title: e.title,
        chat: e.filter,
        canPost: e.canPost,
        messageCount: messages.length,
        last: last
          ? {
              publisherName: this.name(last.publisherId),
              preview: previewOf(last.dataComponent),
              publishedOn: last.publishedOn,
            }
          : null,
      };
    });
  }

  conversation(accountId: string, filter: ConversationFilter): Conversation {
    const { store } = this.core;
    const me = store.account(accountId).accountId;
    const chat = this.chatOf(me, filter);
    const members = chatMembers(store, chat);
    if (!members.includes(me)) throw badRequest(`${this.name(me)} is not in this chat`);
    const stored = store.messagesIn(chat);
    const refs: References = { accounts: {}, files: {}, channels: {}, tunnels: {}, buckets: {} };
    for (const id of members) refs.accounts[id] = this.name(id);
    const messages = stored.map((m) => this.messageView(m, me, refs));
    for (const m of stored) this.collect(m.dataComponent, me, refs, 0);
    let title: string;
    let subtitle: string;
    let canPost = true;
    if (chat.featureType === 'p2p') {
      const other = chat.accountIds.find((id) => id !== me) ?? me;
      title = this.name(other);
      const status = store.contactsOf(me).get(other);
      if (store.accounts.get(other)?.role === 'bot') subtitle = 'bot';
      else if (status === 'CONFIRMED') subtitle = 'contact';
      else subtitle = status === 'INVITED' ? 'invited to your contacts' : 'not in your contacts';
    } else if (chat.featureType === 'groupchat') {
      const group = store.groupChat(chat.groupChatId);
      title = group.title;
      subtitle = [...group.memberIds.filter((id) => id !== me).map((id) => this.name(id)), 'You'].join(', ');
    } else {
      const channel = store.channel(chat.channelId);
      title = channel.title;
      const count = members.length;
      subtitle = `channel · ${count} ${count === 1 ? 'member' : 'members'}`;
      canPost = roleOf(channel, me) === 'Owner' || roleOf(channel, me) === 'Editor';
    }
    return {
      featureType: chat.featureType,
      title,
      subtitle,
      canPost,
      typing: this.typing(me, chat),
      messages,
      references: refs,
    };
  }

  private chatOf(me: string, filter: ConversationFilter): ChatRef {
    if (!isObject(filter)) throw badRequest('chat must be {between:[a,b]} | {groupChatId} | {channelId}');
    if ('between' in filter && Array.isArray(filter.between) && filter.between.length === 2) {
      const [a, b] = filter.between;
      if (a !== me && b !== me) throw badRequest('between must include the viewer');
      this.core.store.account(a);
      this.core.store.account(b);
      return { featureType: 'p2p', accountIds: [a, b] };
    }
    if ('groupChatId' in filter && typeof filter.groupChatId === 'string') {
      return { featureType: 'groupchat', groupChatId: this.core.store.groupChat(filter.groupChatId).groupChatId };
    }
    if ('channelId' in filter && typeof filter.channelId === 'string') {
      return { featureType: 'channel', channelId: this.core.store.channel(filter.channelId).channelId };
    }
    throw badRequest('chat must be {between:[a,b]} | {groupChatId} | {channelId}');
  }

  private typing(me: string, chat: ChatRef): string[] {
    const since = Date.now() - TYPING_SHOWN_MS;
    const names = new Set<string>();
    for (const s of this.core.signals) {
      if (s.at < since || s.senderId === me) continue;
      const here =
        (chat.featureType === 'p2p' &&
          s.featureType === 'p2p' &&
          s.recipientId === me &&
          chat.accountIds.includes(s.senderId)) ||
        (chat.featureType === 'groupchat' && s.featureType === 'groupchat' && s.groupChatId === chat.groupChatId);
      if (here) names.add(this.name(s.senderId));
    }
    // A message sent after the signal ends the typing, as in a messenger.
    for (const m of this.core.store.messagesIn(chat)) {
      if (m.publishedOn * 1000 >= since) names.delete(this.name(m.publisherId));
    }
    return [...names];
  }

  private messageView(m: StoredMessage, me: string, refs: References): ConversationMessage {
    const cited = m.replyTo ? this.core.store.messages.get(m.replyTo) : undefined;
    refs.accounts[m.publisherId] = this.name(m.publisherId);
    const view: ConversationMessage = {
      messageId: m.messageId,
      publisherId: m.publisherId,
      publisherName: this.name(m.publisherId),
      publishedOn: m.publishedOn,
      updatedOn: m.updatedOn,
      edited: m.edits.length > 0,
      dataComponent: structuredClone(m.dataComponent),
      messageReactions: structuredClone(m.messageReactions),
      replyTo: cited
        ? {
            messageId: cited.messageId,
            publisherId: cited.publisherId,
            publisherName: this.name(cited.publisherId),
            preview: previewOf(cited.dataComponent),
          }
        : null,
      hidden: this.isHiddenSubmission(m),
    };
    if (m.dataComponent.dataComponentType === 'form') view.formState = this.formState(m.messageId, me);
    return view;
  }

  private isHiddenSubmission(m: StoredMessage): boolean {
    const dc = m.dataComponent;
    if (dc.dataComponentType !== 'formsubmission' || !isObject(dc.replyTo)) return false;
    const form = this.core.store.messages.get(String(dc.replyTo.messageId));
    return form?.dataComponent.hideSubmissionMsg === true;
  }

  private formState(formMessageId: string, me: string): FormState {
    let last: SubmissionInfo | null = null;
    let mine: SubmissionInfo | null = null;
    for (const m of this.core.store.messages.values()) {
      const dc = m.dataComponent;
      if (dc.dataComponentType !== 'formsubmission' || !isObject(dc.replyTo) || dc.replyTo.messageId !== formMessageId)
        continue;
      const submitterId = typeof dc.submitterId === 'string' ? dc.submitterId : m.publisherId;
      const values: Record<string, unknown> = {};
      for (const c of Array.isArray(dc.formComponents) ? dc.formComponents : []) {
        if (isObject(c) && typeof c.refName === 'string' && c.value !== undefined) values[c.refName] = c.value;
      }
      const info = { submitterId, submitterName: this.name(submitterId), publishedOn: m.publishedOn, values };
      last = info;
      if (submitterId === me) mine = info;
    }
    return { last, mine };
  }

  /** Looks up what a data component mentions; buckets nest, so the depth is bounded. */
  private collect(dc: unknown, me: string, refs: References, depth: number): void {
    if (!isObject(dc) || depth > 4) return;
    const { store } = this.core;
    const type = dc.dataComponentType;
    const strings = (v: unknown): string[] =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    if (type === 'file') for (const id of strings(dc.fileIds)) this.addFile(id, refs);
    if (type === 'contact') for (const id of strings(dc.contactIds)) refs.accounts[id] = this.name(id);
    if (type === 'channel' && typeof dc.channelId === 'string') {
      const channel = store.channels.get(dc.channelId);
      if (channel) {
        refs.channels[channel.channelId] = {
          channelId: channel.channelId,
          title: channel.title,
          avatar: channel.avatar,
          ownerName: this.name(channel.ownerId),
          subscriberCount: channel.subscriberIds.length,
          role: roleOf(channel, me),
        };
        if (channel.avatar) this.addFile(channel.avatar, refs);
      }
    }
    if (type === 'tunnel' && typeof dc.tunnelId === 'string') {
      const tunnel = store.tunnels.get(dc.tunnelId);
      if (tunnel) {
        refs.tunnels[tunnel.tunnelId] = {
          tunnelId: tunnel.tunnelId,
          name: tunnel.name,
          description: tunnel.description,
          tunnelUrl: tunnel.open?.tunnelUrl ?? null,
        };
      }
    }
    if (type === 'bucket' && typeof dc.bucketId === 'string') {
      const bucket = store.buckets.get(dc.bucketId);
      if (bucket && (bucket.visible || bucket.ownerId === me)) {
        refs.buckets[bucket.bucketId] = {
          bucketId: bucket.bucketId,
          title: bucket.title,
          description: bucket.description,
          avatar: bucket.avatar,
          ownerName: this.name(bucket.ownerId),
          enableReactions: bucket.enableReactions,
          likeCount: bucket.likes.length,
          dataComponents: structuredClone(bucket.dataComponents),
        };
        if (bucket.avatar) this.addFile(bucket.avatar, refs);
        for (const child of bucket.dataComponents) this.collect(child, me, refs, depth + 1);
      }
    }
    if (type === 'formsubmission' || type === 'form') {
      for (const c of Array.isArray(dc.formComponents) ? dc.formComponents : []) {
        if (!isObject(c)) continue;
        // Photo and file pickers answer with [{fileID, fileName, ...}].
        for (const v of Array.isArray(c.value) ? c.value : []) {
          if (isObject(v) && typeof v.fileID === 'string') this.addFile(v.fileID, refs);
        }
        if (c.formComponentType === 'contactpicker')
          for (const id of strings(c.value)) refs.accounts[id] = this.name(id);
      }
    }
  }

  private addFile(fileId: string, refs: References): void {
    const file = this.core.store.files.get(fileId);
    if (file) refs.files[fileId] = { fileId, title: file.title, size: file.size, contentType: file.contentType };
  }
}
