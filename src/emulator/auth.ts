// API key authentication shared by REST requests and WebSocket upgrades.
import { IncomingMessage } from 'node:http';
import { Core } from './core';
import { Account, ApiKeyRecord, nowSeconds } from './store';

export type AuthResult = { ok: true; account: Account; apiKey: ApiKeyRecord } | { ok: false; reason: string };

export function authenticate(core: Core, req: IncomingMessage): AuthResult {
  const header = req.headers.authorization;
  if (!header) return { ok: false, reason: 'missing Authorization header (expected "Bearer <API_KEY>")' };
  const match = /^Bearer\s+(\S+)\s*$/.exec(header);
  if (!match) return { ok: false, reason: 'malformed Authorization header (expected "Bearer <API_KEY>")' };
  const record = core.store.usableKey(match[1]);
  if (!record) return { ok: false, reason: 'invalid, expired or revoked API key' };
  const account = core.store.accounts.get(record.accountId);
  if (!account) return { ok: false, reason: 'the API key belongs to no account' };
  account.lastSeen = nowSeconds();
  return { ok: true, account, apiKey: record };
}
