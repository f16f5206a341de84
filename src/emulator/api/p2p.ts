// P2P chat endpoints.
import { validateDataComponent, validateReplyComponent } from '../components';
import { badRequest, notFound } from '../envelope';
import { editMessage, findMessage, isInChat, listMessages, publish, sentView } from '../messaging';
import { ChatRef, StoredMessage } from '../store';
import { bodyObject, paramString, readSilent, reqString } from '../validate';
import { ApiContext, Route } from './context';
import { reactionHandler, requireAuthor } from './shared';

function p2pChat(ctx: ApiContext, recipientId: string): ChatRef {
  if (!ctx.core.store.accounts.has(recipientId)) throw notFound(`recipient account ${recipientId} not found`);
  if (recipientId === ctx.account.accountId) throw badRequest('recipientId must be another account than the caller');
  return { featureType: 'p2p', accountIds: [ctx.account.accountId, recipientId] };
}

/** A p2p message of a chat the caller is part of (someone else's p2p message does not exist for the caller). */
function myP2pMessage(ctx: ApiContext, messageId: string): StoredMessage {
  const message = findMessage(ctx.core.store, messageId, 'p2p');
  if (!isInChat(ctx.core.store, message.chat, ctx.account.accountId))
    throw notFound(`p2p message ${messageId} not found`);
  return message;
}

function otherParty(message: StoredMessage, me: string): string {
  return message.chat.featureType === 'p2p' ? (message.chat.accountIds.find((id) => id !== me) ?? me) : me;
}

function listChats(ctx: ApiContext) {
  const me = ctx.account.accountId;
  return [...ctx.core.store.p2pChats]
    .map((key) => key.split('|'))
    .filter((ids) => ids.includes(me))
    .map((ids) => ({ recipientId: ids.find((id) => id !== me) ?? me }));
}

function messages(ctx: ApiContext) {
  const recipientId = paramString(ctx.query, 'recipientId', true);
  return { recipientId, messages: listMessages(ctx.core.store, p2pChat(ctx, recipientId), ctx.query) };
}

function send(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const recipientId = reqString(body, 'recipientId');
  const chat = p2pChat(ctx, recipientId);
  const silent = readSilent(body);
  const dataComponent = validateDataComponent(body.dataComponent);
  const message = publish(ctx.core, ctx.account.accountId, chat, dataComponent, { silent });
  return { recipientId, sentMessage: sentView(message) };
}

function update(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const message = requireAuthor(myP2pMessage(ctx, reqString(body, 'messageId')), ctx.account.accountId);
  readSilent(body);
  editMessage(ctx.core, message, validateDataComponent(body.dataComponent));
  return { updatedMessage: sentView(message) };
}

function reply(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const cited = myP2pMessage(ctx, reqString(body, 'messageId'));
  const dataComponent = validateReplyComponent(body.dataComponent);
  const chat = p2pChat(ctx, otherParty(cited, ctx.account.accountId));
  const sent = publish(ctx.core, ctx.account.accountId, chat, dataComponent, { replyTo: cited.messageId });
  return { messageId: cited.messageId, sentReply: sentView(sent) };
}

function typing(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const recipientId = reqString(body, 'recipientId');
  p2pChat(ctx, recipientId);
  ctx.core.signals.push({ featureType: 'p2p', senderId: ctx.account.accountId, recipientId, at: Date.now() });
  return {};
}

export const p2pRoutes: Route[] = [
  { method: 'GET', path: '/communication/p2p', ws: true, body: 'none', handler: listChats },
  { method: 'GET', path: '/communication/p2p/message', ws: true, body: 'none', handler: messages },
  { method: 'POST', path: '/communication/p2p/message/send', ws: true, body: 'json', handler: send },
  { method: 'POST', path: '/communication/p2p/message/update', ws: true, body: 'json', handler: update },
  {
    method: 'POST',
    path: '/communication/p2p/message/reaction/send',
    ws: true,
    body: 'json',
    handler: reactionHandler(true, myP2pMessage),
  },
  {
    method: 'POST',
    path: '/communication/p2p/message/reaction/remove',
    ws: true,
    body: 'json',
    handler: reactionHandler(false, myP2pMessage),
  },
  { method: 'POST', path: '/communication/p2p/message/reply', ws: true, body: 'json', handler: reply },
  { method: 'POST', path: '/communication/p2p/signal/typing', ws: true, body: 'json', handler: typing },
];
