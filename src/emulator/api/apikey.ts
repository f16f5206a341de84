// API key endpoints: validate, create (rotation), delete. Keys created here work immediately; deleted ones stop.
import { Core } from '../core';
import { badRequest, notFound } from '../envelope';
import { ApiKeyRecord, nowSeconds } from '../store';
import { bodyObject, reqString } from '../validate';
import { ApiContext, Route } from './context';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function validate(ctx: ApiContext) {
  const key = ctx.apiKey;
  return {
    id: key.id,
    name: key.name,
    expire_at: iso(key.expireAt),
    is_active: true,
    previous_api_key_id: key.previousId,
  };
}

/** expire_at in the documented RFC 3339 form '2006-01-02T15:04:05Z07:00', in the future. */
function parseExpiry(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw badRequest("body.expire_at must be an RFC 3339 date like '2006-01-02T15:04:05Z07:00'");
  }
  const seconds = Math.floor(Date.parse(value) / 1000);
  if (!Number.isFinite(seconds)) throw badRequest('body.expire_at is not a valid date');
  if (seconds <= nowSeconds()) throw badRequest('body.expire_at must be in the future');
  return seconds;
}

function create(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const name = reqString(body, 'name');
  const expireAt = parseExpiry(reqString(body, 'expire_at'));
  const record = ctx.core.store.issueKey(ctx.account.accountId, { name, expireAt, previousId: ctx.apiKey.id });
  return {
    id: record.id,
    key: record.key,
    name: record.name,
    created_at: iso(record.createdAt),
    expire_at: iso(record.expireAt),
    is_active: true,
    revoked_at: null,
  };
}

/** Revokes one of the caller's keys (the last step of the documented rotation flow). */
function remove(ctx: ApiContext) {
  const raw = ctx.pathParams.key_id;
  if (!/^\d+$/.test(raw)) throw badRequest('key_id must be a numeric API key id');
  const id = Number(raw);
  const record = ctx.core.store.keys.find((k: ApiKeyRecord) => k.id === id && k.accountId === ctx.account.accountId);
  if (!record || record.revokedAt !== null) throw notFound(`API key ${id} not found`);
  revokeKeyRecord(ctx.core, record);
  return { id };
}

/** The key stops working at once: new requests get 401 and its open sockets are closed (policy violation). */
export function revokeKeyRecord(core: Core, record: ApiKeyRecord): number {
  record.revokedAt = nowSeconds();
  return core.hub.close((c) => c.apiKey === record.key, 1008, 'API key revoked');
}

export const apiKeyRoutes: Route[] = [
  { method: 'GET', path: '/apikey/~validate', ws: false, body: 'none', handler: validate },
  { method: 'POST', path: '/apikey', ws: false, body: 'json', handler: create },
  { method: 'DELETE', path: '/apikey/{key_id}', ws: false, body: 'none', handler: remove },
];
