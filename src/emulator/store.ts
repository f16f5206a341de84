// The emulator's state: accounts, API keys, contacts, chats, messages, buckets, files, tunnels. Plain data plus
// small lookups; the API semantics (permissions, response shapes) live in api/*.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import { DataComponent } from './components';
import { notFound } from './envelope';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export type ContactStatus = 'CONFIRMED' | 'INVITED' | 'WAITING';
export type FeatureType = 'p2p' | 'groupchat' | 'channel';

export interface Account {
  accountId: string;
  accountName: string;
  semilimesId: string;
  ownerAccountId: string;
  /** Set for subaccounts: the account that holds this one. */
  parentAccountId: string | null;
  /** 'bot' for the account a flow runs as, 'user' for the people the emulator lets you act as. */
  role: 'bot' | 'user';
  createdAt: number;
  updatedAt: number;
  lastSeen: number;
}

export interface ApiKeyRecord {
  id: number;
  key: string;
  accountId: string;
  name: string;
  createdAt: number; // epoch seconds
  expireAt: number; // epoch seconds
  revokedAt: number | null;
  /** The key that created this one through POST /apikey (the rotation flow's previous_api_key_id). */
  previousId: number | null;
}

export type ChatRef =
  | { featureType: 'p2p'; accountIds: [string, string] }
  | { featureType: 'groupchat'; groupChatId: string }
  | { featureType: 'channel'; channelId: string };

export interface StoredMessage {
  messageId: string;
  chat: ChatRef;
  publisherId: string;
  publishedOn: number;
  updatedOn: number;
  dataComponent: DataComponent;
  /** reaction code -> accounts that reacted with it (the documented messageReactions shape). */
  messageReactions: Record<string, string[]>;
  /** The message this one replies to, if it is a reply. */
  replyTo: string | null;
  silent: boolean;
  /** Earlier versions, oldest first, kept so tests and the web page can show edits. */
  edits: Array<{ dataComponent: DataComponent; updatedOn: number }>;
}

export interface GroupChat {
  groupChatId: string;
  title: string;
  ownerId: string;
  memberIds: string[];
}

export interface Channel {
  channelId: string;
  title: string;
  avatar: string | null;
  visible: boolean;
  locked: boolean;
  ownerId: string;
  editorIds: string[];
  subscriberIds: string[];
}

export interface Bucket {
  bucketId: string;
  ownerId: string;
  title: string;
  description: string;
  avatar: string | null;
  visible: boolean;
  locked: boolean;
  enableReactions: boolean;
  dataComponents: DataComponent[];
  likes: string[];
  viewCount: number;
}

export interface FeedPost {
  bucketId: string;
  publishedOn: number;
  editedOn: number;
}

export interface Profile {
  profileId: string;
  title: string;
  description: string;
  avatar: string | null;
  visible: boolean;
  locked: boolean;
  enableReactions: boolean;
  pinWall: DataComponent[];
  subBucketIds: string[];
}

export interface StoredFile {
  fileId: string;
  ownerId: string;
  title: string;
  size: number;
  contentType: string;
  /** In memory, or on disk when the emulator has a files directory. */
  bytes?: Buffer;
  path?: string;
}

export interface Tunnel {
  tunnelId: string;
  ownerId: string;
  name: string;
  description: string;
  clientPort: number;
  clientPath: string;
  publicKey: string;
  open: { host: string; username: string; port: number; tunnelUrl: string } | null;
}

export interface TypingSignal {
  featureType: 'p2p' | 'groupchat';
  senderId: string;
  recipientId?: string;
  groupChatId?: string;
  at: number; // epoch milliseconds
}

export interface Llm {
  id: string;
  autoResponse: boolean;
}

const ONE_YEAR_S = 365 * 24 * 3600;

export function newApiKey(): string {
  return randomBytes(24).toString('base64url');
}

/** A 7 character human-readable id like the documented "ND093HW". */
function newSemilimesId(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(7), (b) => alphabet[b % alphabet.length]).join('');
}

export class Store {
  readonly accounts = new Map<string, Account>();
  readonly keys: ApiKeyRecord[] = [];
  /** accountId -> (other accountId -> status as seen by accountId) */
  readonly contacts = new Map<string, Map<string, ContactStatus>>();
  readonly p2pChats = new Set<string>();
  readonly groupChats = new Map<string, GroupChat>();
  readonly channels = new Map<string, Channel>();
  /** All messages of every chat, in publishing order (Map keeps insertion order). */
  readonly messages = new Map<string, StoredMessage>();
  readonly buckets = new Map<string, Bucket>();
  readonly feeds = new Map<string, FeedPost[]>();
  readonly profiles = new Map<string, Profile>();
  readonly files = new Map<string, StoredFile>();
  readonly tunnels = new Map<string, Tunnel>();
  readonly llms = new Map<string, Llm[]>();
  private nextKeyId = 400;

  addAccount(
    accountName: string,
    opts: { accountId?: string; role?: 'bot' | 'user'; parentAccountId?: string } = {},
  ): Account {
    const now = nowSeconds();
    const accountId = opts.accountId ?? randomUUID();
    const account: Account = {
      accountId,
      accountName,
      semilimesId: newSemilimesId(),
      ownerAccountId: accountId,
      parentAccountId: opts.parentAccountId ?? null,
      role: opts.role ?? 'user',
      createdAt: now,
      updatedAt: now,
      lastSeen: now,
    };
    this.accounts.set(accountId, account);
    return account;
  }

  account(accountId: string): Account {
    const account = this.accounts.get(accountId);
    if (!account) throw notFound(`account ${accountId} not found`);
    return account;
  }

  issueKey(
    accountId: string,
    opts: { key?: string; name?: string; expireAt?: number; previousId?: number } = {},
  ): ApiKeyRecord {
    const now = nowSeconds();
    const record: ApiKeyRecord = {
      id: this.nextKeyId++,
      key: opts.key ?? newApiKey(),
      accountId,
      name: opts.name ?? 'Emulator key',
      createdAt: now,
      expireAt: opts.expireAt ?? now + ONE_YEAR_S,
      revokedAt: null,
      previousId: opts.previousId ?? null,
    };
    this.keys.push(record);
    return record;
  }

  /** The key record if the key exists, is not revoked and has not expired. */
  usableKey(key: string): ApiKeyRecord | undefined {
    const record = this.keys.find((k) => k.key === key);
    if (!record || record.revokedAt !== null || record.expireAt <= nowSeconds()) return undefined;
    return record;
  }

  /** The first usable key of an account: the one reported by accounts(). */
  primaryKey(accountId: string): string | null {
    return this.keys.find((k) => k.accountId === accountId && this.usableKey(k.key))?.key ?? null;
  }

  setContact(a: string, b: string, status: ContactStatus): void {
    const mirror: Record<ContactStatus, ContactStatus> = {
      CONFIRMED: 'CONFIRMED',
      INVITED: 'WAITING',
      WAITING: 'INVITED',
    };
    this.contactsOf(a).set(b, status);
    this.contactsOf(b).set(a, mirror[status]);
  }

  contactsOf(accountId: string): Map<string, ContactStatus> {
    let map = this.contacts.get(accountId);
    if (!map) this.contacts.set(accountId, (map = new Map()));
    return map;
  }

  static p2pKey(a: string, b: string): string {
    return [a, b].sort().join('|');
  }

  groupChat(groupChatId: string): GroupChat {
    const chat = this.groupChats.get(groupChatId);
    if (!chat) throw notFound(`group chat ${groupChatId} not found`);
    return chat;
  }

  channel(channelId: string): Channel {
    const channel = this.channels.get(channelId);
    if (!channel) throw notFound(`channel ${channelId} not found`);
    return channel;
  }

  bucket(bucketId: string): Bucket {
    const bucket = this.buckets.get(bucketId);
    if (!bucket) throw notFound(`bucket ${bucketId} not found`);
    return bucket;
  }

  profileOf(accountId: string): Profile {
    let profile = this.profiles.get(accountId);
    if (!profile) {
      const account = this.account(accountId);
      profile = {
        profileId: randomUUID(),
        title: account.accountName,
        description: '',
        avatar: null,
        visible: true,
        locked: false,
        enableReactions: true,
        pinWall: [],
        subBucketIds: [],
      };
      this.profiles.set(accountId, profile);
    }
    return profile;
  }

  feedOf(accountId: string): FeedPost[] {
    let feed = this.feeds.get(accountId);
    if (!feed) this.feeds.set(accountId, (feed = []));
    return feed;
  }

  /** Messages of one chat in publishing order. */
  messagesIn(chat: ChatRef): StoredMessage[] {
    return [...this.messages.values()].filter((m) => sameChat(m.chat, chat));
  }
}

export function sameChat(a: ChatRef, b: ChatRef): boolean {
  if (a.featureType === 'p2p' && b.featureType === 'p2p') {
    return Store.p2pKey(...a.accountIds) === Store.p2pKey(...b.accountIds);
  }
  if (a.featureType === 'groupchat' && b.featureType === 'groupchat') return a.groupChatId === b.groupChatId;
  if (a.featureType === 'channel' && b.featureType === 'channel') return a.channelId === b.channelId;
  return false;
}
