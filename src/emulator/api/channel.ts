// Channel endpoints.
import { randomUUID } from 'node:crypto';
import { validateDataComponent } from '../components';
import { badRequest, forbidden, notFound } from '../envelope';
import { editMessage, findMessage, listMessages, publish, sentView } from '../messaging';
import { Channel, ChatRef } from '../store';
import {
  bodyObject,
  optBool,
  optString,
  optStringArray,
  paramBool,
  paramString,
  readSilent,
  reqString,
} from '../validate';
import { ApiContext, Route } from './context';
import { requireAuthor } from './shared';

export type ChannelRole = 'Owner' | 'Editor' | 'Subscriber';

export function roleOf(channel: Channel, accountId: string): ChannelRole | null {
  if (channel.ownerId === accountId) return 'Owner';
  if (channel.editorIds.includes(accountId)) return 'Editor';
  if (channel.subscriberIds.includes(accountId)) return 'Subscriber';
  return null;
}

/** The documented channel list element; role is null for a channel the caller has no role on (search results). */
export function channelView(channel: Channel, accountId: string) {
  return {
    channelId: channel.channelId,
    title: channel.title,
    avatar: channel.avatar,
    visible: channel.visible,
    locked: channel.locked,
    role: roleOf(channel, accountId),
    ownerId: channel.ownerId,
    editorIds: [...channel.editorIds],
  };
}

/** An invisible channel only exists for its owner and editors. */
function canSee(channel: Channel, accountId: string): boolean {
  return channel.visible || channel.ownerId === accountId || channel.editorIds.includes(accountId);
}

function visibleChannel(ctx: ApiContext, channelId: string): Channel {
  const channel = ctx.core.store.channel(channelId);
  if (!canSee(channel, ctx.account.accountId)) throw notFound(`channel ${channelId} not found`);
  return channel;
}

function publisherChannel(ctx: ApiContext, channelId: string): Channel {
  const channel = visibleChannel(ctx, channelId);
  const role = roleOf(channel, ctx.account.accountId);
  if (role !== 'Owner' && role !== 'Editor')
    throw forbidden(`only the owner and editors can publish to channel ${channelId}`);
  return channel;
}

function chatRef(channel: Channel): ChatRef {
  return { featureType: 'channel', channelId: channel.channelId };
}

/**
 * owner / editor / subscriber select roles: when any is "true" only those roles are listed; otherwise every role
 * is listed except the ones set to "false".
 */
function my(ctx: ApiContext) {
  const flags: Record<ChannelRole, boolean | undefined> = {
    Owner: paramBool(ctx.query, 'owner'),
    Editor: paramBool(ctx.query, 'editor'),
    Subscriber: paramBool(ctx.query, 'subscriber'),
  };
  const anyTrue = Object.values(flags).some((v) => v === true);
  const wanted = (role: ChannelRole) => (anyTrue ? flags[role] === true : flags[role] !== false);
  const me = ctx.account.accountId;
  return [...ctx.core.store.channels.values()]
    .filter((channel) => {
      const role = roleOf(channel, me);
      return role !== null && wanted(role);
    })
    .map((channel) => channelView(channel, me));
}

function search(ctx: ApiContext) {
  const ownerId = paramString(ctx.query, 'ownerId');
  const editorId = paramString(ctx.query, 'editorId');
  const channelId = paramString(ctx.query, 'channelId');
  const title = paramString(ctx.query, 'title');
  if ([ownerId, editorId, channelId, title].every((v) => v === undefined)) {
    throw badRequest('at least one of the parameters ownerId, editorId, channelId, title must be set');
  }
  const me = ctx.account.accountId;
  return [...ctx.core.store.channels.values()]
    .filter((c) => canSee(c, me))
    .filter((c) => ownerId === undefined || c.ownerId === ownerId)
    .filter((c) => editorId === undefined || c.editorIds.includes(editorId))
    .filter((c) => channelId === undefined || c.channelId === channelId)
    .filter((c) => title === undefined || c.title === title)
    .map((c) => channelView(c, me));
}

function create(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const me = ctx.account.accountId;
  const editorIds = (optStringArray(body, 'editorIds') ?? []).filter((id) => id !== me);
  for (const id of editorIds) ctx.core.store.account(id);
  const channel: Channel = {
    channelId: randomUUID(),
    title: reqString(body, 'title'),
    avatar: optString(body, 'avatar') ?? null,
    visible: optBool(body, 'visible') ?? true,
    locked: optBool(body, 'locked') ?? false,
    ownerId: me,
    editorIds,
    subscriberIds: [],
  };
  ctx.core.store.channels.set(channel.channelId, channel);
  return {
    createdChannel: {
      channelId: channel.channelId,
      title: channel.title,
      avatar: channel.avatar,
      role: 'Owner',
      ownerId: me,
      editors: [...editorIds],
    },
  };
}

/** Members read a channel; anyone may read a visible one (like browsing it before subscribing). */
function messages(ctx: ApiContext) {
  const channel = visibleChannel(ctx, paramString(ctx.query, 'channelId', true));
  return { channelId: channel.channelId, messages: listMessages(ctx.core.store, chatRef(channel), ctx.query) };
}

function send(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const channel = publisherChannel(ctx, reqString(body, 'channelId'));
  const silent = readSilent(body);
  const message = publish(
    ctx.core,
    ctx.account.accountId,
    chatRef(channel),
    validateDataComponent(body.dataComponent),
    { silent },
  );
  return { channelId: channel.channelId, sentMessage: sentView(message) };
}

function update(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const message = findMessage(ctx.core.store, reqString(body, 'messageId'), 'channel');
  if (message.chat.featureType === 'channel') visibleChannel(ctx, message.chat.channelId);
  requireAuthor(message, ctx.account.accountId);
  readSilent(body);
  editMessage(ctx.core, message, validateDataComponent(body.dataComponent));
  return { updatedMessage: sentView(message) };
}

function subscription(subscribe: boolean) {
  return (ctx: ApiContext) => {
    const body = bodyObject(ctx.body);
    const channel = visibleChannel(ctx, reqString(body, 'channelId'));
    const me = ctx.account.accountId;
    channel.subscriberIds = channel.subscriberIds.filter((id) => id !== me);
    if (subscribe) channel.subscriberIds.push(me);
    return { channelId: channel.channelId, subscribed: subscribe };
  };
}

export const channelRoutes: Route[] = [
  { method: 'GET', path: '/communication/channel/my', ws: true, body: 'none', handler: my },
  { method: 'GET', path: '/communication/channel', ws: true, body: 'none', handler: search },
  { method: 'POST', path: '/communication/channel/create', ws: true, body: 'json', handler: create },
  { method: 'GET', path: '/communication/channel/message', ws: true, body: 'none', handler: messages },
  { method: 'POST', path: '/communication/channel/message/send', ws: true, body: 'json', handler: send },
  { method: 'POST', path: '/communication/channel/message/update', ws: true, body: 'json', handler: update },
  { method: 'POST', path: '/communication/channel/subscribe', ws: true, body: 'json', handler: subscription(true) },
  { method: 'POST', path: '/communication/channel/unsubscribe', ws: true, body: 'json', handler: subscription(false) },
];
