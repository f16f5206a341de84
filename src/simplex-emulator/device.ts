// One emulated CLI: its users with their contacts, groups and chat items, its id counters, its files folder and its
// one output queue. Commands run through commands.ts; peers reach it through the relay.
import { randomBytes } from 'node:crypto';
import { Faults } from './faults';
import { Json, nowIso } from './json';
import { OutputQueue } from './output-queue';
import * as records from './records';
import { Relay } from './relay';
import {
  AddressState,
  ContactRequestState,
  ContactState,
  GroupState,
  ItemState,
  PendingConnectionState,
  ProfileState,
} from './state';

export interface DeviceOptions {
  name: string;
  /** `--files-folder`: received files go here and are reported by file name only (design file F13). */
  filesFolder?: string;
  /** Where received files go without `filesFolder`, reported as absolute paths. */
  defaultFilesDir: string;
  /** `-a` / `--auto-accept-files`: accept received files up to this many bytes by itself. */
  autoAcceptFiles?: number;
  queueSize: number;
  /** A device acted through the control API only: its events are recorded but not queued. */
  headless: boolean;
}

const HISTORY_LIMIT = 5000;

export function randomText(bytes = 12): string {
  return randomBytes(bytes).toString('base64');
}

export class ChatUser implements records.UserView {
  readonly contacts = new Map<number, ContactState<ChatUser>>();
  readonly groups = new Map<number, GroupState>();
  readonly items = new Map<string, ItemState[]>();
  readonly requests = new Map<number, ContactRequestState>();
  readonly pending = new Map<number, PendingConnectionState>();
  address?: AddressState;
  autoAcceptMemberContacts = false;
  acceptGroupInvitations = false;
  readonly agentUserId: number;
  readonly userContactId: number;
  readonly createdAt = nowIso();

  constructor(
    readonly device: Device,
    readonly userId: number,
    readonly profileId: number,
    public localDisplayName: string,
    public profile: ProfileState,
    public activeOrder: number,
  ) {
    this.agentUserId = userId;
    this.userContactId = userId;
  }

  isActive(): boolean {
    return this.device.activeUserId === this.userId;
  }

  contactById(contactId: number): ContactState<ChatUser> | undefined {
    return this.contacts.get(contactId);
  }

  groupById(groupId: number): GroupState | undefined {
    return this.groups.get(groupId);
  }

  /** This user's contact with `other`, if they are connected. */
  contactWith(other: ChatUser): ContactState<ChatUser> | undefined {
    for (const c of this.contacts.values()) if (c.peer?.user === other && c.contactStatus === 'active') return c;
    return undefined;
  }

  groupByKey(groupKey: string): GroupState | undefined {
    for (const g of this.groups.values()) if (g.groupKey === groupKey) return g;
    return undefined;
  }

  chatItems(chatKey: string): ItemState[] {
    let list = this.items.get(chatKey);
    if (!list) {
      list = [];
      this.items.set(chatKey, list);
    }
    return list;
  }

  findItem(chatKey: string, itemId: number): ItemState | undefined {
    return this.items.get(chatKey)?.find((i) => i.itemId === itemId);
  }

  findShared(chatKey: string, sharedMsgId: string): ItemState | undefined {
    return this.items.get(chatKey)?.find((i) => i.sharedMsgId === sharedMsgId);
  }

  /** Adds an item to a chat and returns it; the caller emits it. */
  addItem(chatKey: string, fields: Partial<ItemState> & Pick<ItemState, 'dir' | 'content'>): ItemState {
    const ts = nowIso();
    const item: ItemState = {
      itemId: this.device.nextId('item'),
      chatKey,
      sharedMsgId: randomText(),
      itemTs: ts,
      createdAt: ts,
      updatedAt: ts,
      edited: false,
      status: fields.dir === 'snd' ? { type: 'sndNew' } : { type: 'rcvNew' },
      reactions: [],
      mentions: {},
      live: false,
      userMention: false,
      ...fields,
    };
    this.chatItems(chatKey).push(item);
    const id = Number(chatKey.slice(1));
    if (chatKey.startsWith('@')) {
      const c = this.contacts.get(id);
      if (c) c.chatTs = ts;
    } else {
      const g = this.groups.get(id);
      if (g) g.chatTs = ts;
    }
    return item;
  }

  aChatItem(item: ItemState): Json {
    return records.aChatItem(this, item);
  }

  /** Emits an event of this user (the `user` field is added here). */
  emit(type: string, fields: Json = {}): void {
    this.device.emit({ type, user: records.user(this), ...fields });
  }

  userRecord(): Json {
    return records.user(this);
  }
}

export class Device {
  readonly users: ChatUser[] = [];
  activeUserId?: number;
  running = true;
  readonly output: OutputQueue;
  readonly faults = new Faults();
  readonly history: Json[] = [];
  readonly notes: string[] = [];
  private readonly counters = new Map<string, number>();

  constructor(
    readonly relay: Relay,
    readonly options: DeviceOptions,
  ) {
    this.output = new OutputQueue(options.queueSize, options.headless);
    relay.addDevice(this);
  }

  get name(): string {
    return this.options.name;
  }

  nextId(kind: string): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return n;
  }

  activeUser(): ChatUser | undefined {
    return this.users.find((u) => u.userId === this.activeUserId);
  }

  userById(userId: number): ChatUser | undefined {
    return this.users.find((u) => u.userId === userId);
  }

  createUser(profile: ProfileState): ChatUser {
    const userId = this.nextId('user');
    const u = new ChatUser(this, userId, this.nextId('profile'), profile.displayName, profile, this.users.length + 1);
    this.users.push(u);
    this.activeUserId = userId;
    return u;
  }

  emit(event: Json): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    this.output.push(event);
  }

  accepting(): boolean {
    return this.running && !this.output.full();
  }

  /**
   * Runs `fn` after `ms` on a timer; a failure (a chat deleted meanwhile) is logged, never thrown out of the timer
   * where it would end the process hosting the emulator.
   */
  later(ms: number, fn: () => void): void {
    setTimeout(() => {
      try {
        fn();
      } catch (err) {
        this.log(`background step failed: ${(err as Error).message}`);
      }
    }, ms);
  }

  log(note: string): void {
    this.notes.push(`${nowIso()} ${note}`);
    if (this.notes.length > 200) this.notes.shift();
  }
}
