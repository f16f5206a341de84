// Sending, editing, deleting and reacting to messages, and what the other side of a chat receives.
import { existsSync, statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chatKeyOf, groupPeers, joinedGroup, memberByMemberId, readyContact, requireRole } from './chats';
import type { ChatUser } from './device';
import { randomText } from './device';
import { chatErr, parseFailure, storeErr } from './errors';
import { startUpload } from './files';
import { ChatRef } from './grammar';
import { isObject, Json, nowIso } from './json';
import * as records from './records';
import { FileState, GroupState, ItemState, MAX_ENCODED_MSG_BYTES, MAX_FILE_BYTES, REACTION_EMOJIS } from './state';

/** Where the sent items go: a contact's peer, or every active member of a group. */
interface Recipient {
  user: ChatUser;
  chatKey: string;
  group?: GroupState;
}

function recipients(u: ChatUser, chatKey: string): Recipient[] {
  const id = Number(chatKey.slice(1));
  if (chatKey.startsWith('@')) {
    const peer = u.contacts.get(id)?.peer;
    return peer ? [{ user: peer.user, chatKey: `@${peer.contactId}` }] : [];
  }
  const g = u.groups.get(id) as GroupState;
  return groupPeers(u, g).map((p) => ({ user: p.user, chatKey: `#${p.group.groupId}`, group: p.group }));
}

/** Size of the chat-protocol message carrying this content, as the CLI would encode it (F9). */
function encodedSize(msgContent: Json, extra: Json): number {
  const envelope = {
    v: '1-16',
    msgId: 'AAAAAAAAAAAAAAAA',
    event: 'x.msg.new',
    params: { content: msgContent, ...extra },
  };
  return Buffer.byteLength(JSON.stringify(envelope), 'utf8');
}

function readMsgContent(value: unknown): Json {
  if (!isObject(value) || typeof value.type !== 'string') throw parseFailure();
  if (value.type !== 'unknown' && typeof value.text !== 'string') throw parseFailure();
  return value;
}

interface Outgoing {
  msgContent: Json;
  quote?: ItemState;
  mentions: Json;
  file?: { fileName: string; filePath: string; bytes: Buffer };
}

function resolveSendPath(u: ChatUser, filePath: string): string {
  if (path.isAbsolute(filePath)) return filePath;
  return path.resolve(u.device.options.filesFolder ?? process.cwd(), filePath);
}

function readOutgoing(u: ChatUser, chatKey: string, composed: unknown): Outgoing {
  if (!isObject(composed)) throw parseFailure();
  const msgContent = readMsgContent(composed.msgContent);
  const out: Outgoing = { msgContent, mentions: {} };
  if (composed.quotedItemId !== undefined) {
    if (typeof composed.quotedItemId !== 'number') throw parseFailure();
    const quoted = u.findItem(chatKey, composed.quotedItemId);
    if (!quoted || quoted.deleted || !(quoted.content.msgContent as Json | undefined)) throw storeErr('invalidQuote');
    out.quote = quoted;
  }
  if (composed.mentions !== undefined) {
    if (!isObject(composed.mentions)) throw parseFailure();
    out.mentions = composed.mentions;
  }
  // `fileSource: {filePath}` is current; a top-level `filePath` is the older form, still accepted (F8).
  const source = isObject(composed.fileSource) ? composed.fileSource.filePath : composed.filePath;
  if (source !== undefined) {
    if (typeof source !== 'string' || source === '') throw parseFailure();
    const full = resolveSendPath(u, source);
    if (!existsSync(full) || !statSync(full).isFile())
      throw chatErr('fileNotFound', { message: `file not found: ${source}` });
    if (statSync(full).size > MAX_FILE_BYTES) throw chatErr('fileSize', { filePath: source });
    out.file = { fileName: path.basename(full), filePath: source, bytes: readFileSync(full) };
  }
  return out;
}

function quoteOf(u: ChatUser, item: ItemState): Json {
  return {
    chatDir: records.chatDir(u, item),
    itemId: item.itemId,
    sharedMsgId: item.sharedMsgId,
    sentAt: item.itemTs,
    content: item.content.msgContent as Json,
  };
}

function mentionsOf(g: GroupState | undefined, requested: Json): Json {
  const mentions: Json = {};
  if (!g) return mentions;
  for (const [name, id] of Object.entries(requested)) {
    const m = id === g.membership.groupMemberId ? g.membership : g.members.find((x) => x.groupMemberId === id);
    if (!m) throw storeErr('invalidMention');
    mentions[name] = {
      memberId: m.memberId,
      memberRef: { groupMemberId: m.groupMemberId, displayName: m.profile.displayName, memberRole: m.memberRole },
    };
  }
  return mentions;
}

export function sendMessages(
  u: ChatUser,
  ref: ChatRef,
  composedMessages: unknown[],
  live: boolean,
  ttl?: number,
): Json {
  if (composedMessages.length === 0) throw parseFailure();
  const chatKey = chatKeyOf(u, ref);
  const group = ref.chatType === 'group' ? joinedGroup(u, ref.chatId) : undefined;
  if (ref.chatType === 'direct') readyContact(u, ref.chatId);
  const outgoing = composedMessages.map((c) => readOutgoing(u, chatKey, c));
  for (const out of outgoing) {
    const extra: Json = {};
    if (out.quote)
      extra.quote = {
        msgRef: { msgId: out.quote.sharedMsgId, sentAt: out.quote.itemTs, sent: true },
        content: out.quote.content.msgContent,
      };
    if (out.file)
      extra.file = { fileName: out.file.fileName, fileSize: out.file.bytes.length, fileDigest: 'A'.repeat(44) };
    if (Object.keys(out.mentions).length > 0) extra.mentions = out.mentions;
    if (encodedSize(out.msgContent, extra) > MAX_ENCODED_MSG_BYTES) throw storeErr('largeMsg');
  }
  const items = outgoing.map((out) => {
    let file: FileState | undefined;
    if (out.file) {
      const blobKey = randomText(16);
      u.device.relay.blobs.set(blobKey, out.file.bytes);
      file = {
        fileId: u.device.nextId('file'),
        fileName: out.file.fileName,
        fileSize: out.file.bytes.length,
        filePath: out.file.filePath,
        status: { type: 'sndStored' },
        blobKey,
        accepted: true,
        cancelled: false,
        descrReady: true,
      };
    }
    return u.addItem(chatKey, {
      dir: 'snd',
      content: { type: 'sndMsgContent', msgContent: out.msgContent },
      quote: out.quote ? quoteOf(u, out.quote) : undefined,
      mentions: mentionsOf(group, out.mentions),
      file,
      live,
      ttl,
    });
  });
  deliverNew(u, chatKey, items);
  return { type: 'newChatItems', chatItems: items.map((i) => u.aChatItem(i)) };
}

/** Sends items created on `u` (a command, an auto-reply) to the other side of the chat, with status updates. */
export function deliverNew(u: ChatUser, chatKey: string, items: ItemState[]): void {
  const relay = u.device.relay;
  const targets = recipients(u, chatKey);
  u.device.later(0, () => {
    for (const item of items) item.status = { type: 'sndSent', sndProgress: 'complete' };
    if (chatExists(u, chatKey)) u.emit('chatItemsStatusesUpdated', { chatItems: items.map((i) => u.aChatItem(i)) });
    for (const item of items)
      if (item.file)
        startUpload(
          u,
          item,
          targets.map((t) => ({ user: t.user, chatKey: t.chatKey })),
        );
  });
  for (const target of targets) {
    relay.send(target.user.device, () => {
      if (!receiveNew(u, chatKey, target, items)) return;
      relay.send(u.device, () => {
        if (!chatExists(u, chatKey)) return;
        for (const item of items) item.status = { type: 'sndRcvd', msgRcptStatus: 'ok', sndProgress: 'complete' };
        u.emit('chatItemsStatusesUpdated', { chatItems: items.map((i) => u.aChatItem(i)) });
      });
    });
  }
}

function chatExists(u: ChatUser, chatKey: string): boolean {
  const id = Number(chatKey.slice(1));
  return chatKey.startsWith('@') ? u.contacts.has(id) : u.groups.has(id);
}

/** Creates the received copies of `items` on the target; false when the target's chat is gone. */
function receiveNew(from: ChatUser, fromChatKey: string, target: Recipient, items: ItemState[]): boolean {
  const t = target.user;
  if (!chatExists(t, target.chatKey)) {
    // A message reaching a connection deleted meanwhile is dropped with an error event (EVENTS.md, error events).
    t.emit('messageError', {
      severity: 'warning',
      errorMessage: `message received for a deleted chat (${target.chatKey})`,
    });
    return false;
  }
  const group = target.group ? t.groupByKey(target.group.groupKey) : undefined;
  let senderMemberId: number | undefined;
  if (group) {
    const fromGroup = from.groups.get(Number(fromChatKey.slice(1))) as GroupState;
    const sender = memberByMemberId(group, fromGroup.membership.memberId);
    if (!sender || sender === group.membership) return false;
    senderMemberId = sender.groupMemberId;
  }
  const received = items.map((item) => {
    let quote: Json | undefined;
    if (item.quote) {
      const local = t.findShared(target.chatKey, item.quote.sharedMsgId as string);
      quote = { sentAt: item.quote.sentAt, content: item.quote.content, sharedMsgId: item.quote.sharedMsgId };
      if (local) Object.assign(quote, { chatDir: records.chatDir(t, local), itemId: local.itemId });
    }
    const mentions: Json = {};
    let userMention = false;
    for (const [name, mention] of Object.entries(item.mentions)) {
      const memberId = (mention as Json).memberId as string;
      const m = group ? memberByMemberId(group, memberId) : undefined;
      if (group && m === group.membership) userMention = true;
      mentions[name] = m
        ? {
            memberId,
            memberRef: { groupMemberId: m.groupMemberId, displayName: m.profile.displayName, memberRole: m.memberRole },
          }
        : { memberId };
    }
    const file: FileState | undefined = item.file
      ? {
          fileId: t.device.nextId('file'),
          fileName: item.file.fileName,
          fileSize: item.file.fileSize,
          status: { type: 'rcvInvitation' },
          blobKey: item.file.blobKey,
          accepted: false,
          cancelled: false,
          descrReady: false,
        }
      : undefined;
    return t.addItem(target.chatKey, {
      dir: 'rcv',
      senderMemberId,
      content: { type: 'rcvMsgContent', msgContent: item.content.msgContent },
      sharedMsgId: item.sharedMsgId,
      quote,
      mentions,
      userMention,
      file,
      live: item.live,
      ttl: item.ttl,
    });
  });
  t.emit('newChatItems', { chatItems: received.map((i) => t.aChatItem(i)) });
  return true;
}

// ---- edit ----

export function updateItem(u: ChatUser, ref: ChatRef, itemId: number, live: boolean, updated: Json): Json {
  const chatKey = chatKeyOf(u, ref);
  const item = u.findItem(chatKey, itemId);
  if (!item) throw storeErr('chatItemNotFound', { itemId });
  const msgContent = readMsgContent(updated.msgContent);
  if (item.dir !== 'snd' || item.deleted || !item.content.msgContent) throw chatErr('invalidChatItemUpdate');
  if (JSON.stringify(item.content.msgContent) === JSON.stringify(msgContent) && item.live === live) {
    return { type: 'chatItemNotChanged', chatItem: u.aChatItem(item) };
  }
  if (encodedSize(msgContent, {}) > MAX_ENCODED_MSG_BYTES) throw storeErr('largeMsg');
  item.content = { type: 'sndMsgContent', msgContent };
  item.edited = !live;
  item.live = live;
  item.updatedAt = nowIso();
  forEachCopy(u, chatKey, item, (t, copy) => {
    copy.content = { type: 'rcvMsgContent', msgContent };
    copy.edited = !live;
    copy.live = live;
    copy.updatedAt = nowIso();
    t.emit('chatItemUpdated', { chatItem: t.aChatItem(copy) });
  });
  return { type: 'chatItemUpdated', chatItem: u.aChatItem(item) };
}

/** Runs `apply` on each peer's copy of `item` (found by its shared message id) after the relay's latency. */
function forEachCopy(
  u: ChatUser,
  chatKey: string,
  item: ItemState,
  apply: (t: ChatUser, copy: ItemState, chatKey: string) => void,
): void {
  for (const target of recipients(u, chatKey)) {
    u.device.relay.send(target.user.device, () => {
      const copy = target.user.findShared(target.chatKey, item.sharedMsgId);
      if (copy) apply(target.user, copy, target.chatKey);
    });
  }
}

// ---- delete ----

function markDeleted(item: ItemState, chatType: string): void {
  item.deleted = { type: 'deleted', deletedTs: nowIso(), chatType };
  item.updatedAt = nowIso();
}

export function deleteItems(u: ChatUser, ref: ChatRef, itemIds: number[], mode: string): Json {
  const chatKey = chatKeyOf(u, ref);
  const items = itemIds.map((itemId) => {
    const item = u.findItem(chatKey, itemId);
    if (!item) throw storeErr('chatItemNotFound', { itemId });
    return item;
  });
  if (mode === 'broadcast' && items.some((i) => i.dir !== 'snd' || !i.content.msgContent))
    throw chatErr('invalidChatItemDelete');
  const deletions = items.map((item) => {
    const before = u.aChatItem(item);
    if (mode === 'internal' || mode === 'history') {
      const list = u.chatItems(chatKey);
      list.splice(list.indexOf(item), 1);
      return { deletedChatItem: before };
    }
    markDeleted(item, ref.chatType);
    if (mode === 'broadcast') {
      forEachCopy(u, chatKey, item, (t, copy) => {
        const was = t.aChatItem(copy);
        markDeleted(copy, ref.chatType);
        t.emit('chatItemsDeleted', {
          chatItemDeletions: [{ deletedChatItem: was, toChatItem: t.aChatItem(copy) }],
          byUser: false,
          timed: false,
        });
      });
    }
    return { deletedChatItem: before, toChatItem: u.aChatItem(item) };
  });
  return { type: 'chatItemsDeleted', chatItemDeletions: deletions, byUser: true, timed: false };
}

export function moderateItems(u: ChatUser, groupId: number, itemIds: number[]): Json {
  const g = joinedGroup(u, groupId);
  requireRole(g, 'moderator');
  const chatKey = `#${g.groupId}`;
  const items = itemIds.map((itemId) => {
    const item = u.findItem(chatKey, itemId);
    if (!item) throw storeErr('chatItemNotFound', { itemId });
    return item;
  });
  const deletions = items.map((item) => {
    const before = u.aChatItem(item);
    item.deleted = { type: 'moderated', deletedTs: nowIso(), byGroupMember: records.groupMember(g, g.membership) };
    for (const peer of groupPeers(u, g)) {
      u.device.relay.send(peer.user.device, () => {
        const copyKey = `#${peer.group.groupId}`;
        const copy = peer.user.findShared(copyKey, item.sharedMsgId);
        if (!copy) return;
        const moderator = memberByMemberId(peer.group, g.membership.memberId);
        copy.deleted = {
          type: 'moderated',
          deletedTs: nowIso(),
          byGroupMember: records.groupMember(peer.group, moderator ?? peer.group.membership),
        };
        peer.user.emit('groupChatItemsDeleted', {
          groupInfo: records.groupInfo(peer.group),
          chatItemIDs: [copy.itemId],
          byUser: false,
          member_: moderator ? records.groupMember(peer.group, moderator) : undefined,
        });
      });
    }
    return { deletedChatItem: before, toChatItem: u.aChatItem(item) };
  });
  return { type: 'chatItemsDeleted', chatItemDeletions: deletions, byUser: true, timed: false };
}

// ---- reactions ----

export function readReaction(value: Json): string {
  // Only the eight emojis of `mrEmojiChar` decode (F10); anything else fails like unparsable JSON.
  if (value.type !== 'emoji' || typeof value.emoji !== 'string') throw parseFailure();
  if (!(REACTION_EMOJIS as readonly string[]).includes(value.emoji)) throw parseFailure();
  return value.emoji;
}

function reactionsAllowed(u: ChatUser, chatKey: string): boolean {
  const id = Number(chatKey.slice(1));
  const contact = chatKey.startsWith('@') ? u.contacts.get(id) : undefined;
  if (contact) return records.contactAllows(u, contact, 'reactions');
  const group = u.groups.get(id);
  return group !== undefined && (records.fullGroupPreferences(group.groupProfile).reactions as Json).enable === 'on';
}

export function react(u: ChatUser, ref: ChatRef, itemId: number, add: boolean, reaction: Json): Json {
  const emoji = readReaction(reaction);
  const chatKey = chatKeyOf(u, ref);
  const item = u.findItem(chatKey, itemId);
  if (!item || item.deleted || !item.content.msgContent) throw storeErr('chatItemNotFound', { itemId });
  if (!reactionsAllowed(u, chatKey))
    throw chatErr('commandError', { message: 'reactions are not allowed in this chat' });
  const sentAt = nowIso();
  item.reactions = item.reactions.filter((r) => !(r.by === 'user' && r.emoji === emoji));
  if (add) item.reactions.push({ emoji, by: 'user', sentAt });
  const own = { type: ref.chatType === 'group' ? 'groupSnd' : 'directSnd' };
  const myMemberId =
    ref.chatType === 'group' ? (u.groups.get(ref.chatId) as GroupState).membership.memberId : undefined;
  forEachCopy(u, chatKey, item, (t, copy, copyKey) => {
    const by = myMemberId ?? `contact:${u.userId}@${u.device.name}`;
    copy.reactions = copy.reactions.filter((r) => !(r.by === by && r.emoji === emoji));
    if (add) copy.reactions.push({ emoji, by, sentAt });
    let chatDir: Json = { type: 'directRcv' };
    if (myMemberId) {
      const g = t.groups.get(Number(copyKey.slice(1))) as GroupState;
      const m = memberByMemberId(g, myMemberId);
      if (!m) return;
      chatDir = { type: 'groupRcv', groupMember: records.groupMember(g, m) };
    }
    t.emit('chatItemReaction', {
      added: add,
      reaction: {
        chatInfo: records.chatInfo(t, copyKey),
        chatReaction: { chatDir, chatItem: records.chatItem(t, copy), sentAt, reaction: { type: 'emoji', emoji } },
      },
    });
  });
  return {
    type: 'chatItemReaction',
    added: add,
    reaction: {
      chatInfo: records.chatInfo(u, chatKey),
      chatReaction: { chatDir: own, chatItem: records.chatItem(u, item), sentAt, reaction: { type: 'emoji', emoji } },
    },
  };
}
