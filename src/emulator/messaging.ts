// Publishing messages and delivering them as MessageReceived events, shared by the API handlers and the
// control API (sendAs, submitForm), plus the documented views of a stored message.
import { randomUUID } from 'node:crypto';
import { DataComponent } from './components';
import { Core } from './core';
import { notFound } from './envelope';
import { ChatRef, FeatureType, nowSeconds, Store, StoredMessage } from './store';
import { materializeBuckets } from './api/bucket';
import { Params, paramInt, paramString } from './validate';

/** Everyone who belongs to a chat: both p2p parties, group members, channel owner + editors + subscribers. */
export function chatMembers(store: Store, chat: ChatRef): string[] {
  switch (chat.featureType) {
    case 'p2p':
      return [...chat.accountIds];
    case 'groupchat':
      return [...store.groupChat(chat.groupChatId).memberIds];
    case 'channel': {
      const channel = store.channel(chat.channelId);
      return [...new Set([channel.ownerId, ...channel.editorIds, ...channel.subscriberIds])];
    }
  }
}

/** The documented inbound event; receivedOn is in epoch seconds like every documented timestamp. */
export function inboundEvent(message: StoredMessage): Record<string, unknown> {
  const eventBody: Record<string, unknown> = {
    messageId: message.messageId,
    senderId: message.publisherId,
    receivedOn: nowSeconds(),
  };
  if (message.chat.featureType === 'groupchat') eventBody.groupChatId = message.chat.groupChatId;
  if (message.chat.featureType === 'channel') eventBody.channelId = message.chat.channelId;
  eventBody.dataComponent = message.dataComponent;
  return { eventType: 'MessageReceived', featureType: message.chat.featureType, eventBody };
}

export interface PublishOptions {
  silent?: boolean;
  replyTo?: string | null;
}

/** Stores a new message and delivers it to every member of the chat except the sender. */
export function publish(
  core: Core,
  senderId: string,
  chat: ChatRef,
  dataComponent: DataComponent,
  options: PublishOptions = {},
): StoredMessage {
  const now = nowSeconds();
  if (chat.featureType === 'p2p') core.store.p2pChats.add(Store.p2pKey(...chat.accountIds));
  const message: StoredMessage = {
    messageId: randomUUID(),
    chat,
    publisherId: senderId,
    publishedOn: now,
    updatedOn: now,
    dataComponent: materializeBuckets(core.store, senderId, dataComponent),
    messageReactions: {},
    replyTo: options.replyTo ?? null,
    silent: options.silent ?? false,
    edits: [],
  };
  core.store.messages.set(message.messageId, message);
  const recipients = chatMembers(core.store, chat).filter((id) => id !== senderId);
  core.hub.sendTo(recipients, JSON.stringify(inboundEvent(message)));
  return message;
}

export function editMessage(core: Core, message: StoredMessage, dataComponent: DataComponent): StoredMessage {
  message.edits.push({ dataComponent: message.dataComponent, updatedOn: message.updatedOn });
  message.dataComponent = materializeBuckets(core.store, message.publisherId, dataComponent);
  message.updatedOn = nowSeconds();
  return message;
}

/** A message looked up through an endpoint of one chat kind: a message of another kind does not exist there. */
export function findMessage(store: Store, messageId: string, featureType: FeatureType): StoredMessage {
  const message = store.messages.get(messageId);
  if (!message || message.chat.featureType !== featureType)
    throw notFound(`${featureType} message ${messageId} not found`);
  return message;
}

/** The documented "sentMessage" / "updatedMessage" / "sentReply" object. */
export function sentView(message: StoredMessage) {
  return {
    messageId: message.messageId,
    publisherId: message.publisherId,
    publishedOn: message.publishedOn,
    updatedOn: message.updatedOn,
    dataComponent: message.dataComponent,
  };
}

/** A message as listed by the .../message endpoints, with its reactions. */
export function listedView(message: StoredMessage) {
  return { ...sentView(message), messageReactions: message.messageReactions };
}

/**
 * The messages of a chat honouring the documented messageId and limit parameters. Oldest first; with a limit,
 * the most recent `limit` messages.
 */
export function listMessages(store: Store, chat: ChatRef, params: Params) {
  const messageId = paramString(params, 'messageId');
  const limit = paramInt(params, 'limit', 1);
  let messages = store.messagesIn(chat);
  if (messageId !== undefined) {
    messages = messages.filter((m) => m.messageId === messageId);
    if (messages.length === 0) throw notFound(`message ${messageId} not found in this chat`);
  }
  if (limit !== undefined) messages = messages.slice(-limit);
  return messages.map(listedView);
}

export function addReaction(message: StoredMessage, accountId: string, reaction: string): void {
  const who = (message.messageReactions[reaction] ??= []);
  if (!who.includes(accountId)) who.push(accountId);
}

/** Removing a reaction that is not there is not an error: the end state is what the caller asked for. */
export function removeReaction(message: StoredMessage, accountId: string, reaction: string): void {
  const who = message.messageReactions[reaction];
  if (!who) return;
  const rest = who.filter((id) => id !== accountId);
  if (rest.length > 0) message.messageReactions[reaction] = rest;
  else delete message.messageReactions[reaction];
}

export function isInChat(store: Store, chat: ChatRef, accountId: string): boolean {
  return chatMembers(store, chat).includes(accountId);
}
