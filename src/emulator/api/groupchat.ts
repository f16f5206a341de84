// Group chat endpoints.
import { randomUUID } from 'node:crypto';
import { validateDataComponent, validateReplyComponent } from '../components';
import { badRequest, forbidden } from '../envelope';
import { editMessage, findMessage, listMessages, publish, sentView } from '../messaging';
import { ChatRef, GroupChat, Store, StoredMessage } from '../store';
import { bodyObject, optStringArray, paramList, paramString, readSilent, reqString } from '../validate';
import { ApiContext, Route } from './context';
import { reactionHandler, requireAuthor } from './shared';

/** recipientIds lists every member, the creator included, in the list and create answers alike. */
export function groupChatView(chat: GroupChat) {
  return { groupChatId: chat.groupChatId, title: chat.title, recipientIds: [...chat.memberIds], ownerId: chat.ownerId };
}

function memberChat(ctx: ApiContext, groupChatId: string): GroupChat {
  const chat = ctx.core.store.groupChat(groupChatId);
  if (!chat.memberIds.includes(ctx.account.accountId))
    throw forbidden(`the caller is not a member of group chat ${groupChatId}`);
  return chat;
}

function chatRef(chat: GroupChat): ChatRef {
  return { featureType: 'groupchat', groupChatId: chat.groupChatId };
}

function memberMessage(ctx: ApiContext, messageId: string): StoredMessage {
  const message = findMessage(ctx.core.store, messageId, 'groupchat');
  if (message.chat.featureType === 'groupchat') memberChat(ctx, message.chat.groupChatId);
  return message;
}

function requireAccounts(store: Store, ids: string[]): void {
  for (const id of ids) store.account(id);
}

function list(ctx: ApiContext) {
  const wanted = paramList(ctx.query, 'recipientIds') ?? [];
  const me = ctx.account.accountId;
  return [...ctx.core.store.groupChats.values()]
    .filter((chat) => chat.memberIds.includes(me) && wanted.every((id) => chat.memberIds.includes(id)))
    .map(groupChatView);
}

function create(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const title = reqString(body, 'title');
  const recipientIds = optStringArray(body, 'recipientIds') ?? [];
  requireAccounts(ctx.core.store, recipientIds);
  const me = ctx.account.accountId;
  const chat: GroupChat = {
    groupChatId: randomUUID(),
    title,
    ownerId: me,
    memberIds: [me, ...recipientIds.filter((id) => id !== me)],
  };
  ctx.core.store.groupChats.set(chat.groupChatId, chat);
  const { groupChatId, recipientIds: members } = groupChatView(chat);
  return { createdGroupChat: { groupChatId, title, recipientIds: members } };
}

function messages(ctx: ApiContext) {
  const chat = memberChat(ctx, paramString(ctx.query, 'groupChatId', true));
  return { groupChatId: chat.groupChatId, messages: listMessages(ctx.core.store, chatRef(chat), ctx.query) };
}

function invite(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const chat = memberChat(ctx, reqString(body, 'groupChatId'));
  const recipientIds = optStringArray(body, 'recipientIds');
  if (!recipientIds || recipientIds.length === 0)
    throw badRequest('body.recipientIds must list at least one account id');
  requireAccounts(ctx.core.store, recipientIds);
  for (const id of recipientIds) if (!chat.memberIds.includes(id)) chat.memberIds.push(id);
  return { groupChatId: chat.groupChatId, invitedRecipientsIds: recipientIds };
}

function send(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const chat = memberChat(ctx, reqString(body, 'groupChatId'));
  const silent = readSilent(body);
  const message = publish(ctx.core, ctx.account.accountId, chatRef(chat), validateDataComponent(body.dataComponent), {
    silent,
  });
  return { groupChatId: chat.groupChatId, sentMessage: sentView(message) };
}

function update(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const message = requireAuthor(memberMessage(ctx, reqString(body, 'messageId')), ctx.account.accountId);
  readSilent(body);
  editMessage(ctx.core, message, validateDataComponent(body.dataComponent));
  return { updatedMessage: sentView(message) };
}

function reply(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const cited = memberMessage(ctx, reqString(body, 'messageId'));
  const dataComponent = validateReplyComponent(body.dataComponent);
  const sent = publish(ctx.core, ctx.account.accountId, cited.chat, dataComponent, { replyTo: cited.messageId });
  return { messageId: cited.messageId, sentReply: sentView(sent) };
}

function typing(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const chat = memberChat(ctx, reqString(body, 'groupChatId'));
  ctx.core.signals.push({
    featureType: 'groupchat',
    senderId: ctx.account.accountId,
    groupChatId: chat.groupChatId,
    at: Date.now(),
  });
  return {};
}

export const groupChatRoutes: Route[] = [
  { method: 'GET', path: '/communication/groupchat', ws: true, body: 'none', handler: list },
  { method: 'POST', path: '/communication/groupchat/create', ws: true, body: 'json', handler: create },
  { method: 'GET', path: '/communication/groupchat/message', ws: true, body: 'none', handler: messages },
  { method: 'POST', path: '/communication/groupchat/invite', ws: true, body: 'json', handler: invite },
  { method: 'POST', path: '/communication/groupchat/message/send', ws: true, body: 'json', handler: send },
  { method: 'POST', path: '/communication/groupchat/message/update', ws: true, body: 'json', handler: update },
  {
    method: 'POST',
    path: '/communication/groupchat/message/reaction/send',
    ws: true,
    body: 'json',
    handler: reactionHandler(true, memberMessage),
  },
  {
    method: 'POST',
    path: '/communication/groupchat/message/reaction/remove',
    ws: true,
    body: 'json',
    handler: reactionHandler(false, memberMessage),
  },
  { method: 'POST', path: '/communication/groupchat/message/reply', ws: true, body: 'json', handler: reply },
  { method: 'POST', path: '/communication/groupchat/signal/typing', ws: true, body: 'json', handler: typing },
];
