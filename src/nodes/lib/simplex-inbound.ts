import { toInboundItem, type ChatResponse, type InboundItem } from '../../simplex';

/** The kinds of what a `simplex-receive` node passes on, each a checkbox of its dialog. */
export type InboundKind = 'message' | 'contact' | 'reaction' | 'edit' | 'deletion';

/** Contact events passed on as the kind `contact`. */
const CONTACT_EVENTS = new Set([
  'contactConnected',
  'acceptingContactRequest',
  'receivedContactRequest',
  'contactDeletedByContact',
]);

/** One thing that happened, as a flow will see it, before the filters: kind, where, who, and the message. */
export interface Inbound {
  kind: InboundKind;
  chatType?: 'direct' | 'group' | 'local';
  contactId?: number;
  groupId?: number;
  /** The contact behind the sender (direct chats, or a group member the bot knows). */
  senderContactId?: number;
  senderName?: string;
  item?: InboundItem;
  msg: Record<string, unknown>;
}

export interface InboundFilter {
  kinds: Record<InboundKind, boolean>;
  direct: boolean;
  group: boolean;
  /** Content types of messages (`text`, `image`, `file`, ...); empty: any. */
  contentTypes: string[];
  onlyMentioned: boolean;
  commandsOnly: boolean;
  /** Command keywords without the slash; empty: any command. */
  keywords: string[];
}

/**
 * The allow-lists, evaluated for each event (they may come from context or the environment). Undefined: anyone. A
 * list, even an empty one, lets only its entries through: an allow-list read from an unset variable keeps everyone
 * out rather than letting everyone in.
 */
export interface AllowLists {
  contacts: string[] | undefined;
  groups: string[] | undefined;
}

/** A comma-separated list, trimmed, without empty entries. */
export function splitList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
  if (typeof value === 'number') return [String(value)];
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The message of a chat item, with the route back (`msg.chatRef`) and everything a flow needs. */
function itemMessage(item: InboundItem, event: string, kind: InboundKind): Record<string, unknown> {
  const msg: Record<string, unknown> = {
    payload: item.text,
    topic: item.chatRef,
    chatRef: item.chatRef,
    chatItemId: item.chatItemId,
    mentionedMe: item.mentionedMe,
  };
  if (item.contactId !== undefined) msg.contactId = item.contactId;
  if (item.groupId !== undefined) msg.groupId = item.groupId;
  if (item.sender) msg.sender = { ...item.sender };
  if (item.content) msg.content = item.content;
  if (item.file) msg.file = { ...item.file };
  if (item.command) msg.command = { ...item.command };
  if (item.quoted?.itemId !== undefined) msg.quotedItemId = item.quoted.itemId;
  msg.simplex = {
    event,
    kind,
    chatType: item.chatType,
    contentType: item.contentType,
    itemTs: item.itemTs,
    groupName: item.groupName,
    edited: item.edited,
    live: item.live,
    forwarded: item.forwarded,
    chatItem: item.raw,
  };
  return msg;
}

function inboundOfItem(item: InboundItem, event: string, kind: InboundKind): Inbound | undefined {
  // The bot's own items (its welcome, its answers) and service items never come out: an echo bot would answer them.
  if (item.direction !== 'rcv' || !item.isMessage) return undefined;
  return {
    kind,
    chatType: item.chatType,
    contactId: item.contactId,
    groupId: item.groupId,
    senderContactId: item.sender?.contactId,
    senderName: item.sender?.localDisplayName,
    item,
    msg: itemMessage(item, event, kind),
  };
}

/** A received chat item of `newChatItems`. */
export function inboundOfNewItem(item: InboundItem): Inbound | undefined {
  return inboundOfItem(item, 'newChatItems', 'message');
}

const obj = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The events other than new chat items, as zero or more inbound things. */
export function inboundOfEvent(resp: ChatResponse): Inbound[] {
  const type = resp.type;
  if (CONTACT_EVENTS.has(type)) {
    const contact = obj(resp.contact) ?? obj(resp.toContact);
    const request = obj(resp.contactRequest);
    const contactId = typeof contact?.contactId === 'number' ? contact.contactId : undefined;
    const msg: Record<string, unknown> = { payload: contact ?? request ?? {}, topic: type };
    if (contactId !== undefined) msg.contactId = contactId;
    // A contact that deleted the bot cannot be answered: no route back.
    if (contactId !== undefined && type !== 'contactDeletedByContact') msg.chatRef = `@${contactId}`;
    if (request && typeof request.contactRequestId === 'number') msg.contactRequestId = request.contactRequestId;
    const profile = obj(contact?.profile) ?? obj(request?.profile);
    msg.simplex = { event: type, kind: 'contact', displayName: profile?.displayName };
    return [{ kind: 'contact', chatType: 'direct', contactId, senderContactId: contactId, msg }];
  }
  if (type === 'chatItemUpdated') {
    const item = toInboundItem(resp.chatItem);
    const inbound = item && inboundOfItem(item, type, 'edit');
    return inbound ? [inbound] : [];
  }
  if (type === 'chatItemsDeleted' && resp.byUser !== true && Array.isArray(resp.chatItemDeletions)) {
    return resp.chatItemDeletions.flatMap((deletion) => {
      const item = toInboundItem(obj(deletion)?.deletedChatItem);
      const inbound = item && inboundOfItem(item, type, 'deletion');
      return inbound ? [inbound] : [];
    });
  }
  if (type === 'chatItemReaction') return reactionOf(resp);
  return [];
}

function reactionOf(resp: ChatResponse): Inbound[] {
  const reaction = obj(resp.reaction);
  const chatReaction = obj(reaction?.chatReaction);
  const dirTag = String(obj(chatReaction?.chatDir)?.type ?? '');
  // The bot's own reactions come back as replies, but a reaction made on another device of the bot is an event.
  if (!chatReaction || !dirTag.endsWith('Rcv')) return [];
  // The reacted item is often the bot's own message: who reacted is read from the reaction's direction, as if they
  // had sent an item in that chat.
  const reacted = obj(chatReaction.chatItem) ?? {};
  const item = toInboundItem({
    chatInfo: reaction?.chatInfo,
    chatItem: { meta: reacted.meta, chatDir: chatReaction.chatDir, content: { type: 'rcvMsgContent', msgContent: {} } },
  });
  if (!item) return [];
  const emoji = obj(chatReaction.reaction)?.emoji;
  const msg: Record<string, unknown> = {
    payload: typeof emoji === 'string' ? emoji : '',
    topic: item.chatRef,
    chatRef: item.chatRef,
    chatItemId: item.chatItemId,
    added: resp.added === true,
  };
  if (item.contactId !== undefined) msg.contactId = item.contactId;
  if (item.groupId !== undefined) msg.groupId = item.groupId;
  const sender = item.sender;
  if (sender) msg.sender = { ...sender };
  msg.simplex = { event: 'chatItemReaction', kind: 'reaction', chatType: item.chatType, reactedItem: reacted };
  return [
    {
      kind: 'reaction',
      chatType: item.chatType,
      contactId: item.contactId,
      groupId: item.groupId,
      senderContactId: sender?.contactId,
      senderName: sender?.localDisplayName,
      msg,
    },
  ];
}

/** Whether one id or name of a list matches: `12`, `@12` / `#3`, or the local display name. */
function listed(list: string[], prefix: '@' | '#', id: number | undefined, name: string | undefined): boolean {
  return list.some((entry) => {
    const bare = entry.startsWith(prefix) ? entry.slice(1) : entry;
    if (id !== undefined && /^\d+$/.test(bare) && Number(bare) === id) return true;
    return name !== undefined && entry === name;
  });
}

/** Whether the filters let an inbound thing through. */
export function passes(inbound: Inbound, filter: InboundFilter, allow: AllowLists): boolean {
  if (!filter.kinds[inbound.kind]) return false;
  if (inbound.chatType === 'direct' && !filter.direct) return false;
  if (inbound.chatType === 'group' && !filter.group) return false;
  if (inbound.chatType === 'local') return false;
  if (allow.contacts) {
    if (!listed(allow.contacts, '@', inbound.senderContactId, inbound.senderName)) return false;
  }
  if (inbound.chatType === 'group' && allow.groups) {
    const groupName = inbound.item?.groupName;
    if (!listed(allow.groups, '#', inbound.groupId, groupName)) return false;
  }
  const item = inbound.item;
  if (inbound.kind === 'message' && item) {
    if (filter.contentTypes.length > 0 && !filter.contentTypes.includes(item.contentType)) return false;
    if (filter.onlyMentioned && item.chatType === 'group' && !item.mentionedMe) return false;
    if (filter.commandsOnly) {
      if (!item.command) return false;
      const keywords = filter.keywords.map((k) => k.replace(/^\//, ''));
      if (keywords.length > 0 && !keywords.includes(item.command.keyword)) return false;
    }
  }
  return true;
}
