/**
 * Turns WebSocket frames from the SimpleX Chat CLI into replies and events, whatever the CLI version:
 * - current: `{"corrId"?, "resp": {"type": ...}}`
 * - 6.4.x: `{"corrId"?, "resp": {"Right": {...}}}` or `{"resp": {"Left": <chatError>}}`
 * - the library API: `{"result": {...}}` / `{"error": <chatError>}`
 * - before 5.x: the event `newChatItem` (one `chatItem`) instead of `newChatItems` (a list)
 * A frame with a `corrId` is a reply; one without is an event. Unknown tags and extra fields are kept, never fatal.
 *
 * It also turns chat items into plain inbound objects (`InboundItem`) that flows can use without knowing the records.
 */
import type { AChatItem, ChatError, ChatResponse, MsgContent, TaggedRecord } from './types';

export type DecodedFrame =
  /** The reply to the command sent with `corrId`. */
  | { kind: 'reply'; corrId: string; resp: ChatResponse }
  /** Something the CLI reports on its own. */
  | { kind: 'event'; resp: ChatResponse }
  /**
   * The CLI could not read a frame as a request: a command error without a `corrId`. It answers no command of ours
   * that it read, so it settles nothing; it is reported so the cause can be found.
   */
  | { kind: 'protocolError'; resp: ChatResponse }
  /** Not JSON, not an object, or no reply or event inside. */
  | { kind: 'malformed'; reason: string };

/** Decodes one text frame. Never throws. */
export function decodeFrame(text: string): DecodedFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (!isObject(frame)) return { kind: 'malformed', reason: 'not a JSON object' };
  const corrId =
    typeof frame.corrId === 'string'
      ? frame.corrId
      : typeof frame.corrId === 'number'
        ? String(frame.corrId)
        : undefined;
  const isReply = corrId !== undefined;
  const resp = normalizeResp(frame, isReply);
  if (!resp) return { kind: 'malformed', reason: 'no "resp" with a type' };
  if (isReply) return { kind: 'reply', corrId, resp };
  if (resp.type === 'chatCmdError') return { kind: 'protocolError', resp };
  return { kind: 'event', resp };
}

/** The `resp` record of a frame in any dialect, with legacy event names brought up to date. */
function normalizeResp(frame: Record<string, unknown>, isReply: boolean): ChatResponse | undefined {
  let resp: unknown = frame.resp;
  if (resp === undefined) {
    // The library API's shape: {result} / {error}.
    if (isObject(frame.result)) resp = frame.result;
    else if (isObject(frame.error)) resp = { Left: frame.error };
  }
  if (!isObject(resp)) return undefined;
  if (typeof resp.type !== 'string') {
    if (isObject(resp.Right)) resp = resp.Right;
    else if (isObject(resp.Left)) resp = { type: isReply ? 'chatCmdError' : 'chatError', chatError: resp.Left };
  }
  if (!isObject(resp) || typeof resp.type !== 'string' || resp.type === '') return undefined;
  return upgradeLegacy(resp as ChatResponse);
}

function upgradeLegacy(resp: ChatResponse): ChatResponse {
  if (resp.type === 'newChatItem' && isObject(resp.chatItem)) {
    const { chatItem, ...rest } = resp;
    return { ...rest, type: 'newChatItems', chatItems: [chatItem] };
  }
  return resp;
}

/** The chat error of a `chatCmdError` / `chatError` record, when it has one. */
export function chatErrorOf(resp: ChatResponse): ChatError | undefined {
  return isObject(resp.chatError) ? (resp.chatError as ChatError) : undefined;
}

export interface InboundSender {
  /** Direct chats: the contact. Group chats: the member's contact, when the bot has one. */
  contactId?: number;
  groupMemberId?: number;
  /** The member's id in the group, the same for every member's view. */
  memberId?: string;
  /** The name the sender gives themselves (self-asserted). */
  displayName: string;
  /** The name this CLI knows the sender by (unique among its contacts). */
  localDisplayName: string;
  memberRole?: string;
}

export interface InboundFile {
  fileId: number;
  fileName: string;
  fileSize: number;
  /** `fileStatus.type`, e.g. `rcvInvitation`, `rcvComplete`, `sndStored`. */
  status: string;
  /** Where the CLI keeps the file, as the CLI reports it (relative to its files folder, or absolute). */
  filePath?: string;
}

export interface InboundQuote {
  itemId?: number;
  text: string;
  content?: MsgContent;
  sentAt?: string;
  /** `rcv`/`snd` tag of the quoted item's direction, when given. */
  direction?: string;
}

export interface InboundCommand {
  /** The word after `/`, e.g. `help` for `/help me`. */
  keyword: string;
  /** The rest of the text, trimmed. */
  params: string;
}

/** A chat item as a plain object: who, where, what. */
export interface InboundItem {
  /** The reference to answer in: `@12`, `#3`, `#3(_support:7)`. */
  chatRef: string;
  chatType: 'direct' | 'group' | 'local';
  contactId?: number;
  groupId?: number;
  groupName?: string;
  chatItemId: number;
  itemTs?: string;
  /** `rcv` for received items, `snd` for the bot's own. */
  direction: 'rcv' | 'snd';
  /** The content record's tag: `rcvMsgContent`, `sndMsgContent`, or a service item such as `rcvGroupEvent`. */
  contentTag: string;
  /** True for messages (text, images, files, ...); false for service items (E2EE notices, group events, ...). */
  isMessage: boolean;
  /** `msgContent.type` for messages (`text`, `image`, `file`, `voice`, ...), else the content tag. */
  contentType: string;
  /** The message text ('' for a file without caption). */
  text: string;
  content?: MsgContent;
  sender?: InboundSender;
  file?: InboundFile;
  quoted?: InboundQuote;
  /** Group mentions by the name used in the text: the member mentioned. */
  mentions: Record<string, { memberId: string; groupMemberId?: number; displayName?: string }>;
  /** The bot itself is mentioned (groups). */
  mentionedMe: boolean;
  /** Set when the text starts with `/`. */
  command?: InboundCommand;
  edited: boolean;
  live: boolean;
  /** Seconds until the item disappears, for disappearing messages. */
  ttl?: number;
  forwarded: boolean;
  /** The record as the CLI sent it. */
  raw: AChatItem;
}

/** Turns a chat item record into an `InboundItem`; undefined when it lacks what every item has (a chat and an id). */
export function toInboundItem(aci: unknown): InboundItem | undefined {
  if (!isObject(aci) || !isObject(aci.chatInfo) || !isObject(aci.chatItem)) return undefined;
  const chatInfo = aci.chatInfo;
  const chatItem = aci.chatItem;
  const meta = isObject(chatItem.meta) ? chatItem.meta : undefined;
  const itemId = meta ? num(meta.itemId) : undefined;
  if (itemId === undefined) return undefined;
  const where = chatOf(chatInfo);
  if (!where) return undefined;
  const chatDir = isObject(chatItem.chatDir) ? chatItem.chatDir : {};
  const dirTag = str(chatDir.type) ?? '';
  const content = isObject(chatItem.content) ? chatItem.content : {};
  const contentTag = str(content.type) ?? 'unknown';
  const msgContent = isObject(content.msgContent) ? (content.msgContent as MsgContent) : undefined;
  const isMessage = (contentTag === 'rcvMsgContent' || contentTag === 'sndMsgContent') && msgContent !== undefined;
  const text = msgContent && typeof msgContent.text === 'string' ? msgContent.text : (str(meta?.itemText) ?? '');
  // The chat's fields first, then the item's, set one by one on the chat's own fresh object: V8 makes an object
  // literal that starts with a spread (`{ ...chat, more }`) slowly, about 0.8 µs per further property, which was as
  // much as parsing the whole frame.
  const item = where.chat as InboundItem;
  item.chatItemId = itemId;
  item.itemTs = str(meta?.itemTs);
  item.direction = dirTag.endsWith('Snd') || contentTag.startsWith('snd') ? 'snd' : 'rcv';
  item.contentTag = contentTag;
  item.isMessage = isMessage;
  item.contentType = isMessage && msgContent ? (str(msgContent.type) ?? 'unknown') : contentTag;
  item.text = isMessage ? text : '';
  item.content = msgContent;
  item.mentions = mentionsOf(chatItem.mentions);
  item.mentionedMe = meta?.userMention === true;
  item.edited = meta?.itemEdited === true;
  item.live = meta?.itemLive === true;
  item.forwarded = meta !== undefined && isObject(meta.itemForwarded);
  item.raw = aci as unknown as AChatItem;
  if (isObject(meta?.itemTimed)) item.ttl = num(meta.itemTimed.ttl);
  const sender = senderOf(chatInfo, chatDir, where.chat.chatType);
  if (sender && item.direction === 'rcv') item.sender = sender;
  const file = fileOf(chatItem.file);
  if (file) item.file = file;
  const quoted = quoteOf(chatItem.quotedItem);
  if (quoted) item.quoted = quoted;
  const command = isMessage ? parseBotCommand(text) : undefined;
  if (command) item.command = command;
  return item;
}

/** `/keyword params` → {keyword, params}; undefined for text that is not a command. */
export function parseBotCommand(text: string): InboundCommand | undefined {
  const match = /^\/([^\s/][^\s]*)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return undefined;
  return { keyword: match[1], params: (match[2] ?? '').trim() };
}

/** The chat items a reply or event carries (`chatItems`, `chatItem`, `chatItem_`), in order. */
export function chatItemsOf(resp: ChatResponse): AChatItem[] {
  if (Array.isArray(resp.chatItems)) return resp.chatItems.filter(isAChatItem);
  for (const field of ['chatItem', 'chatItem_', 'deletedChatItem']) {
    const value = resp[field];
    if (isAChatItem(value)) return [value];
  }
  return [];
}

function isAChatItem(value: unknown): value is AChatItem {
  return isObject(value) && isObject(value.chatInfo) && isObject(value.chatItem);
}

/** Where a chat item belongs, from its `chatInfo`. */
export function chatOf(
  chatInfo: unknown,
): { chat: Pick<InboundItem, 'chatRef' | 'chatType' | 'contactId' | 'groupId' | 'groupName'> } | undefined {
  if (!isObject(chatInfo)) return undefined;
  const type = str(chatInfo.type);
  if (type === 'direct' && isObject(chatInfo.contact)) {
    const contactId = num(chatInfo.contact.contactId);
    if (contactId === undefined) return undefined;
    return { chat: { chatRef: `@${contactId}`, chatType: 'direct', contactId } };
  }
  if (type === 'group' && isObject(chatInfo.groupInfo)) {
    const groupId = num(chatInfo.groupInfo.groupId);
    if (groupId === undefined) return undefined;
    let chatRef = `#${groupId}`;
    const scope = chatInfo.groupChatScope;
    if (isObject(scope) && scope.type === 'memberSupport') {
      const member = isObject(scope.groupMember_) ? num(scope.groupMember_.groupMemberId) : undefined;
      chatRef += member === undefined ? '(_support)' : `(_support:${member})`;
    }
    const profile = isObject(chatInfo.groupInfo.groupProfile) ? chatInfo.groupInfo.groupProfile : {};
    const groupName = str(profile.displayName) ?? str(chatInfo.groupInfo.localDisplayName);
    return { chat: { chatRef, chatType: 'group', groupId, groupName } };
  }
  if (type === 'local' && isObject(chatInfo.noteFolder)) {
    const folderId = num(chatInfo.noteFolder.noteFolderId);
    if (folderId === undefined) return undefined;
    return { chat: { chatRef: `*${folderId}`, chatType: 'local' } };
  }
  return undefined;
}

function senderOf(
  chatInfo: Record<string, unknown>,
  chatDir: Record<string, unknown>,
  chatType: string,
): InboundSender | undefined {
  if (chatType === 'direct' && isObject(chatInfo.contact)) {
    const contact = chatInfo.contact;
    const profile = isObject(contact.profile) ? contact.profile : {};
    const localDisplayName = str(contact.localDisplayName) ?? '';
    return {
      contactId: num(contact.contactId),
      displayName: str(profile.displayName) ?? localDisplayName,
      localDisplayName,
    };
  }
  if (chatType === 'group' && isObject(chatDir.groupMember)) {
    const member = chatDir.groupMember;
    const profile = isObject(member.memberProfile) ? member.memberProfile : {};
    const localDisplayName = str(member.localDisplayName) ?? '';
    const sender: InboundSender = {
      groupMemberId: num(member.groupMemberId),
      memberId: str(member.memberId),
      displayName: str(profile.displayName) ?? localDisplayName,
      localDisplayName,
      memberRole: str(member.memberRole),
    };
    const contactId = num(member.memberContactId);
    if (contactId !== undefined) sender.contactId = contactId;
    return sender;
  }
  return undefined;
}

function fileOf(file: unknown): InboundFile | undefined {
  if (!isObject(file)) return undefined;
  const fileId = num(file.fileId);
  if (fileId === undefined) return undefined;
  const status = isObject(file.fileStatus) ? (str(file.fileStatus.type) ?? 'unknown') : 'unknown';
  const out: InboundFile = {
    fileId,
    fileName: str(file.fileName) ?? '',
    fileSize: num(file.fileSize) ?? 0,
    status,
  };
  // The path as the current reference gives it (fileSource.filePath), or as older CLIs did (filePath).
  const filePath = isObject(file.fileSource) ? str(file.fileSource.filePath) : str(file.filePath);
  if (filePath) out.filePath = filePath;
  return out;
}

function quoteOf(quote: unknown): InboundQuote | undefined {
  if (!isObject(quote)) return undefined;
  const content = isObject(quote.content) ? (quote.content as MsgContent) : undefined;
  const out: InboundQuote = { text: content && typeof content.text === 'string' ? content.text : '' };
  const itemId = num(quote.itemId);
  if (itemId !== undefined) out.itemId = itemId;
  if (content) out.content = content;
  if (str(quote.sentAt)) out.sentAt = str(quote.sentAt);
  if (isObject(quote.chatDir) && str(quote.chatDir.type)) out.direction = str(quote.chatDir.type);
  return out;
}

function mentionsOf(mentions: unknown): InboundItem['mentions'] {
  const out: InboundItem['mentions'] = {};
  if (!isObject(mentions)) return out;
  for (const [name, mention] of Object.entries(mentions)) {
    if (!isObject(mention)) continue;
    const entry: InboundItem['mentions'][string] = { memberId: str(mention.memberId) ?? '' };
    if (isObject(mention.memberRef)) {
      const groupMemberId = num(mention.memberRef.groupMemberId);
      if (groupMemberId !== undefined) entry.groupMemberId = groupMemberId;
      const displayName = str(mention.memberRef.displayName);
      if (displayName !== undefined) entry.displayName = displayName;
    }
    out[name] = entry;
  }
  return out;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The `type` of a tagged record, or undefined. */
export function tagOf(value: unknown): string | undefined {
  return isObject(value) ? str((value as TaggedRecord).type) : undefined;
}
