// What a person does in the semilimes app beyond sending: reply, react, edit, signal typing, upload a file,
// subscribe to a channel. The control API offers these to the phone page and to tests, with the API's rules.
import { randomUUID } from 'node:crypto';
import { roleOf } from './api/channel';
import { requireAuthor } from './api/shared';
import { validateDataComponent, validateReplyComponent } from './components';
import { Core } from './core';
import { ApiError, badRequest, forbidden, notFound } from './envelope';
import { addReaction, editMessage, isInChat, publish, removeReaction } from './messaging';
import { StoredFile, StoredMessage } from './store';

export interface ReplyInput {
  from: string;
  messageId: string;
  text: string;
}

export interface ReactInput {
  from: string;
  messageId: string;
  reaction: string;
  /** Take the reaction back instead of adding it. */
  remove?: boolean;
}

export interface EditInput {
  from: string;
  messageId: string;
  dataComponent: unknown;
}

export interface TypingInput {
  from: string;
  to: { recipientId: string } | { groupChatId: string };
}

export interface UploadInput {
  from: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface SubscribeInput {
  from: string;
  channelId: string;
  subscribed: boolean;
}

/** A message of a chat the person belongs to; other messages do not exist for them. */
function visibleMessage(core: Core, from: string, messageId: string): StoredMessage {
  core.store.account(from);
  const message = core.store.messages.get(messageId);
  if (!message || !isInChat(core.store, message.chat, from)) throw notFound(`message ${messageId} not found`);
  return message;
}

/** Channel subscribers read; only the owner and editors post (replies included). */
function requirePoster(core: Core, from: string, message: StoredMessage): void {
  if (message.chat.featureType !== 'channel') return;
  const role = roleOf(core.store.channel(message.chat.channelId), from);
  if (role !== 'Owner' && role !== 'Editor')
    throw forbidden(`${from} cannot post in channel ${message.chat.channelId}`);
}

export function replyAs(core: Core, input: ReplyInput): StoredMessage {
  if (!input || typeof input.from !== 'string' || typeof input.messageId !== 'string') {
    throw badRequest('from and messageId are required');
  }
  const cited = visibleMessage(core, input.from, input.messageId);
  requirePoster(core, input.from, cited);
  const dataComponent = validateReplyComponent({ dataComponentType: 'text', text: input.text });
  return publish(core, input.from, cited.chat, dataComponent, { replyTo: cited.messageId });
}

export function reactAs(core: Core, input: ReactInput): StoredMessage {
  if (!input || typeof input.from !== 'string' || typeof input.messageId !== 'string') {
    throw badRequest('from and messageId are required');
  }
  if (typeof input.reaction !== 'string' || input.reaction === '')
    throw badRequest('reaction must be a non-empty string');
  const message = visibleMessage(core, input.from, input.messageId);
  if (input.remove === true) removeReaction(message, input.from, input.reaction);
  else addReaction(message, input.from, input.reaction);
  return message;
}

export function editAs(core: Core, input: EditInput): StoredMessage {
  if (!input || typeof input.from !== 'string' || typeof input.messageId !== 'string') {
    throw badRequest('from and messageId are required');
  }
  const message = requireAuthor(visibleMessage(core, input.from, input.messageId), input.from);
  return editMessage(core, message, validateDataComponent(input.dataComponent));
}

/** The documented typing signal exists for p2p and group chats only. */
export function typingAs(core: Core, input: TypingInput): { signalled: true } {
  if (!input || typeof input.from !== 'string' || !input.to || typeof input.to !== 'object') {
    throw badRequest('from and to ({recipientId} | {groupChatId}) are required');
  }
  core.store.account(input.from);
  const at = Date.now();
  if ('recipientId' in input.to && typeof input.to.recipientId === 'string') {
    core.store.account(input.to.recipientId);
    core.signals.push({ featureType: 'p2p', senderId: input.from, recipientId: input.to.recipientId, at });
    return { signalled: true };
  }
  if ('groupChatId' in input.to && typeof input.to.groupChatId === 'string') {
    const chat = core.store.groupChat(input.to.groupChatId);
    if (!chat.memberIds.includes(input.from)) throw forbidden(`${input.from} is not a member of ${chat.groupChatId}`);
    core.signals.push({ featureType: 'groupchat', senderId: input.from, groupChatId: chat.groupChatId, at });
    return { signalled: true };
  }
  throw badRequest('to must be {recipientId} | {groupChatId}');
}

export function uploadAs(core: Core, input: UploadInput): { fileId: string; title: string; size: number } {
  if (!input || typeof input.from !== 'string') throw badRequest('from (an account id) is required');
  core.store.account(input.from);
  const title = typeof input.filename === 'string' ? input.filename.trim() : '';
  if (title === '') throw badRequest('a file name is required');
  if (input.bytes.length > core.files.maxBytes)
    throw new ApiError(413, `file larger than ${core.files.maxBytes} bytes`);
  const fileId = randomUUID();
  const file: StoredFile = {
    fileId,
    ownerId: input.from,
    title,
    size: input.bytes.length,
    contentType: input.contentType || 'application/octet-stream',
    bytes: input.bytes,
  };
  core.store.files.set(fileId, file);
  return { fileId, title, size: file.size };
}

export function subscribeAs(core: Core, input: SubscribeInput): { channelId: string; subscribed: boolean } {
  if (!input || typeof input.from !== 'string' || typeof input.channelId !== 'string') {
    throw badRequest('from and channelId are required');
  }
  if (typeof input.subscribed !== 'boolean') throw badRequest('subscribed must be a boolean');
  core.store.account(input.from);
  const channel = core.store.channel(input.channelId);
  const others = channel.subscriberIds.filter((id) => id !== input.from);
  const role = roleOf(channel, input.from);
  if (input.subscribed && role === null) channel.subscriberIds = [...others, input.from];
  if (!input.subscribed) channel.subscriberIds = others;
  return { channelId: channel.channelId, subscribed: roleOf(channel, input.from) !== null };
}
