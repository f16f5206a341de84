// Buckets: open / update / like / unlike, and creation of buckets described inside data components.
import { randomUUID } from 'node:crypto';
import { DataComponent, validateDataComponent } from '../components';
import { badRequest, forbidden } from '../envelope';
import { Bucket, Store } from '../store';
import { bodyObject, JsonObject, optBool, optString, paramString, reqString } from '../validate';
import { ApiContext, Route } from './context';

/** The documentation's creation example literally sends "<auto_generated>" as the bucketId of a new bucket. */
export function isNewBucket(dc: JsonObject): boolean {
  return dc.bucketId === undefined || dc.bucketId === null || dc.bucketId === '' || dc.bucketId === '<auto_generated>';
}

export function createBucket(store: Store, ownerId: string, fields: JsonObject): Bucket {
  const bucket: Bucket = {
    bucketId: randomUUID(),
    ownerId,
    title: optString(fields, 'title') ?? '',
    description: optString(fields, 'description') ?? '',
    avatar: optString(fields, 'avatar') ?? null,
    visible: optBool(fields, 'visible') ?? true,
    locked: optBool(fields, 'locked') ?? false,
    enableReactions: optBool(fields, 'enableReactions') ?? true,
    dataComponents: readChildren(fields),
    likes: [],
    viewCount: 0,
  };
  store.buckets.set(bucket.bucketId, bucket);
  return bucket;
}

function readChildren(fields: JsonObject): DataComponent[] {
  if (fields.dataComponents === undefined) return [];
  if (!Array.isArray(fields.dataComponents)) throw badRequest('dataComponents must be an array');
  return fields.dataComponents.map((child, i) => validateDataComponent(child, `dataComponents[${i}]`));
}

/**
 * A bucket data component without a bucketId asks for a new bucket: create it and store the component with its
 * new id, so the message (or post) references it from then on. Other components pass through unchanged.
 */
export function materializeBuckets(store: Store, ownerId: string, dc: DataComponent): DataComponent {
  if (dc.dataComponentType !== 'bucket' || !isNewBucket(dc)) return dc;
  const bucket = createBucket(store, ownerId, dc);
  return { ...dc, bucketId: bucket.bucketId };
}

export function roleOn(bucket: Bucket, accountId: string): string {
  return bucket.ownerId === accountId ? 'Owner' : 'Viewer';
}

/** The bucket as a data component, the documented generic bucket shape. */
export function bucketView(bucket: Bucket, accountId: string) {
  return {
    bucketId: bucket.bucketId,
    dataComponentType: 'bucket',
    title: bucket.title,
    description: bucket.description,
    role: roleOn(bucket, accountId),
    ownerId: bucket.ownerId,
    avatar: bucket.avatar,
    visible: bucket.visible,
    locked: bucket.locked,
    enableReactions: bucket.enableReactions,
    dataComponents: bucket.dataComponents,
  };
}

/** A bucket the caller may see: its own, or a visible one. */
export function readableBucket(store: Store, bucketId: string, accountId: string): Bucket {
  const bucket = store.bucket(bucketId);
  if (!bucket.visible && bucket.ownerId !== accountId)
    throw forbidden(`bucket ${bucketId} is not visible to this account`);
  return bucket;
}

/** The presentation fields buckets and profiles share (the documentation gives both the same six). */
type Presentation = Pick<Bucket, 'title' | 'description' | 'avatar' | 'visible' | 'locked' | 'enableReactions'>;

/** Applies the presentation fields present in `fields`, keeping the others as they are. */
export function applyPresentation(target: Presentation, fields: JsonObject): void {
  target.title = optString(fields, 'title') ?? target.title;
  target.description = optString(fields, 'description') ?? target.description;
  target.avatar = optString(fields, 'avatar') ?? target.avatar;
  target.visible = optBool(fields, 'visible') ?? target.visible;
  target.locked = optBool(fields, 'locked') ?? target.locked;
  target.enableReactions = optBool(fields, 'enableReactions') ?? target.enableReactions;
}

/** Applies the editable bucket fields present in `fields` (used by bucket update and feed post update). */
export function applyBucketFields(bucket: Bucket, fields: JsonObject): void {
  applyPresentation(bucket, fields);
  if (fields.dataComponents !== undefined) bucket.dataComponents = readChildren(fields);
}

export function ownedBucket(store: Store, bucketId: string, accountId: string): Bucket {
  const bucket = store.bucket(bucketId);
  if (bucket.ownerId !== accountId) throw forbidden(`only the owner of bucket ${bucketId} can change it`);
  return bucket;
}

function openBucket(ctx: ApiContext) {
  const bucketId = paramString(ctx.query, 'bucketId', true);
  const bucket = readableBucket(ctx.core.store, bucketId, ctx.account.accountId);
  bucket.viewCount++;
  return bucketView(bucket, ctx.account.accountId);
}

function updateBucket(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const bucket = ownedBucket(ctx.core.store, reqString(body, 'bucketId'), ctx.account.accountId);
  applyBucketFields(bucket, body);
  return {
    accountId: ctx.account.accountId,
    updatedBucket: {
      bucketId: bucket.bucketId,
      dataComponentType: 'bucket',
      title: bucket.title,
      description: bucket.description,
      visible: bucket.visible,
      locked: bucket.locked,
      enableReactions: bucket.enableReactions,
      viewCount: bucket.viewCount,
    },
  };
}

function setLike(like: boolean) {
  return (ctx: ApiContext) => {
    const body = bodyObject(ctx.body);
    const bucket = readableBucket(ctx.core.store, reqString(body, 'bucketId'), ctx.account.accountId);
    if (!bucket.enableReactions) throw forbidden(`bucket ${bucket.bucketId} does not allow likes`);
    const me = ctx.account.accountId;
    bucket.likes = bucket.likes.filter((id) => id !== me);
    if (like) bucket.likes.push(me);
    return { bucketId: bucket.bucketId, like };
  };
}

export const bucketRoutes: Route[] = [
  // Documented as POST with a request *parameter* bucketId (not a body field).
  { method: 'POST', path: '/communication/bucket', ws: true, body: 'none', handler: openBucket },
  { method: 'POST', path: '/communication/bucket/update', ws: true, body: 'json', handler: updateBucket },
  { method: 'POST', path: '/communication/bucket/like', ws: true, body: 'json', handler: setLike(true) },
  { method: 'POST', path: '/communication/bucket/unlike', ws: true, body: 'json', handler: setLike(false) },
];
