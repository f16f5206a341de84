// Account endpoints: my accounts, contacts, profile, feed.
import { validateDataComponent } from '../components';
import { badRequest, forbidden, notFound } from '../envelope';
import { Account, Bucket, nowSeconds, Store } from '../store';
import { bodyObject, paramBool, paramInt, paramString, reqString } from '../validate';
import {
  applyBucketFields,
  applyPresentation,
  bucketView,
  createBucket,
  isNewBucket,
  ownedBucket,
  readableBucket,
} from './bucket';
import { ApiContext, Route } from './context';

function accountView(store: Store, account: Account, details: boolean, online: boolean) {
  const view: Record<string, unknown> = {
    accountId: account.accountId,
    semilimesId: account.semilimesId,
    accountName: account.accountName,
    ownerAccountId: account.ownerAccountId,
    lastSeen: account.lastSeen,
    updatedAt: account.updatedAt,
    createdAt: account.createdAt,
  };
  if (account.parentAccountId) {
    view.parentAccountId = account.parentAccountId;
    view.accessRole = 'Owner';
  }
  if (details) {
    // Likes: the likes the account's buckets received; views and comments are not modelled.
    const likeCount = [...store.buckets.values()]
      .filter((b) => b.ownerId === account.accountId)
      .reduce((n, b) => n + b.likes.length, 0);
    Object.assign(view, { viewCount: 0, likeCount, commentCount: 0, onlineStatus: online ? 'Online' : 'Offline' });
  }
  return view;
}

/**
 * main / sub / shared default to included; the emulator has no shared accounts. The main account of a subaccount
 * is its parent.
 */
function my(ctx: ApiContext) {
  const { store, hub } = ctx.core;
  const details = paramBool(ctx.query, 'details') ?? false;
  const view = (a: Account) => accountView(store, a, details, hub.openFor(a.accountId).length > 0);
  const me = ctx.account;
  const main = me.parentAccountId ? store.account(me.parentAccountId) : me;
  const data: Record<string, unknown> = { currentAccount: view(me) };
  if (paramBool(ctx.query, 'main') !== false) data.mainAccount = view(main);
  if (paramBool(ctx.query, 'sub') !== false) {
    data.subAccounts = [...store.accounts.values()].filter((a) => a.parentAccountId === main.accountId).map(view);
  }
  if (paramBool(ctx.query, 'shared') !== false) data.sharedAccounts = [];
  return data;
}

function contacts(ctx: ApiContext) {
  const { store } = ctx.core;
  return [...store.contactsOf(ctx.account.accountId)].map(([accountId, contactStatus]) => ({
    accountId,
    accountName: store.account(accountId).accountName,
    contactStatus,
  }));
}

function profileView(store: Store, accountId: string, viewerId: string) {
  const profile = store.profileOf(accountId);
  return {
    profileId: profile.profileId,
    featureType: 'profile',
    title: profile.title,
    description: profile.description,
    avatar: profile.avatar,
    visible: profile.visible,
    locked: profile.locked,
    enableReactions: profile.enableReactions,
    pinWall: profile.pinWall,
    subBuckets: profile.subBucketIds
      .map((id) => store.buckets.get(id))
      .filter((b): b is Bucket => b !== undefined && (b.visible || b.ownerId === viewerId))
      .map((b) => bucketView(b, viewerId)),
  };
}

function getProfile(ctx: ApiContext) {
  const accountId = paramString(ctx.query, 'accountId') ?? ctx.account.accountId;
  const { store } = ctx.core;
  store.account(accountId);
  if (accountId !== ctx.account.accountId && !store.profileOf(accountId).visible) {
    throw forbidden(`the profile of account ${accountId} is not visible`);
  }
  return profileView(store, accountId, ctx.account.accountId);
}

function updateProfile(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const { store } = ctx.core;
  const me = ctx.account.accountId;
  const profile = store.profileOf(me);
  applyPresentation(profile, body);
  if (body.pinWall !== undefined) {
    if (!Array.isArray(body.pinWall)) throw badRequest('body.pinWall must be an array of data components');
    profile.pinWall = body.pinWall.map((dc, i) => validateDataComponent(dc, `pinWall[${i}]`));
  }
  ctx.account.updatedAt = nowSeconds();
  const { profileId, ...rest } = profileView(store, me, me);
  return { accountId: me, updatedProfile: { refName: profileId, ...rest } };
}

function postView(post: { bucketId: string; publishedOn: number; editedOn: number }) {
  return {
    publishedOn: post.publishedOn,
    editedOn: post.editedOn,
    dataComponent: { bucketId: post.bucketId, dataComponentType: 'bucket' },
  };
}

function feedId(accountId: string): string {
  return `feed-${accountId}`;
}

function getFeed(ctx: ApiContext) {
  const { store } = ctx.core;
  const accountId = paramString(ctx.query, 'accountId') ?? ctx.account.accountId;
  const account = store.account(accountId);
  const before = paramInt(ctx.query, 'before', 0);
  const after = paramInt(ctx.query, 'after', 0);
  const limit = paramInt(ctx.query, 'limit', 1);
  let posts = store
    .feedOf(accountId)
    .filter((p) => (before === undefined || p.publishedOn < before) && (after === undefined || p.publishedOn > after))
    .filter((p) => accountId === ctx.account.accountId || store.bucket(p.bucketId).visible);
  if (limit !== undefined) posts = posts.slice(-limit);
  const profile = store.profileOf(accountId);
  return {
    feedId: feedId(accountId),
    accountId,
    featureType: 'feed',
    title: account.accountName,
    avatar: profile.avatar,
    posts: posts.map(postView),
  };
}

/**
 * The endpoint documents the bucket fields at the top level of the body; the bucket section shows them wrapped in
 * "dataComponent" (new bucket, or a reference to an existing one). Both are accepted.
 */
function addPost(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const { store } = ctx.core;
  const me = ctx.account.accountId;
  let bucketId: string;
  if (body.dataComponent !== undefined) {
    const dc = validateDataComponent(body.dataComponent);
    if (dc.dataComponentType !== 'bucket') throw badRequest('a feed post can only contain a bucket data component');
    bucketId = isNewBucket(dc)
      ? createBucket(store, me, dc).bucketId
      : readableBucket(store, dc.bucketId as string, me).bucketId;
  } else {
    if (body.dataComponents !== undefined && !Array.isArray(body.dataComponents))
      throw badRequest('body.dataComponents must be an array');
    bucketId = createBucket(store, me, body).bucketId;
  }
  const now = nowSeconds();
  const post = { bucketId, publishedOn: now, editedOn: now };
  store.feedOf(me).push(post);
  return { feedId: feedId(me), accountId: me, addedPost: postView(post) };
}

function updatePost(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const { store } = ctx.core;
  const me = ctx.account.accountId;
  const bucketId = reqString(body, 'bucketId');
  const post = store.feedOf(me).find((p) => p.bucketId === bucketId);
  if (!post) throw notFound(`no post with bucket ${bucketId} in the caller's feed`);
  applyBucketFields(ownedBucket(store, bucketId, me), body);
  post.editedOn = nowSeconds();
  return { feedId: feedId(me), accountId: me, updatedPost: postView(post) };
}

export const accountRoutes: Route[] = [
  { method: 'GET', path: '/account/my', ws: false, body: 'none', handler: my },
  { method: 'GET', path: '/account/contacts', ws: false, body: 'none', handler: contacts },
  { method: 'GET', path: '/account/profile', ws: false, body: 'none', handler: getProfile },
  { method: 'POST', path: '/account/profile/update', ws: false, body: 'json', handler: updateProfile },
  { method: 'GET', path: '/account/feed', ws: false, body: 'none', handler: getFeed },
  { method: 'POST', path: '/account/feed/post/add', ws: false, body: 'json', handler: addPost },
  { method: 'POST', path: '/account/feed/post/update', ws: false, body: 'json', handler: updatePost },
];
