// The control API calls the page makes, typed. Every call acts as the chosen person.
import type { Account, ChatFilter, ChatPreview, Conversation, JsonObject } from './types.js';

const BASE = '/_emulator';

/** A JSON call to a control API of the page's origin; an answer that is not 2xx throws its `error`. */
export async function jsonCall<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) {
    const error =
      typeof json === 'object' && json !== null && 'error' in json ? String(json.error) : `HTTP ${res.status}`;
    throw new Error(error);
  }
  return json as T;
}

function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  return jsonCall<T>(method, BASE + path, body);
}

export function chatQuery(chat: ChatFilter): string {
  if ('between' in chat) return `between=${chat.between.map(encodeURIComponent).join(',')}`;
  if ('groupChatId' in chat) return `groupChatId=${encodeURIComponent(chat.groupChatId)}`;
  if ('channelId' in chat) return `channelId=${encodeURIComponent(chat.channelId)}`;
  throw new Error('not a semilimes chat');
}

/** The documented send destination of a chat, seen from `me`. */
export function destination(chat: ChatFilter, me: string): JsonObject {
  if ('between' in chat) return { recipientId: chat.between.find((id) => id !== me) ?? me };
  if ('groupChatId' in chat) return { groupChatId: chat.groupChatId };
  if ('channelId' in chat) return { channelId: chat.channelId };
  throw new Error('not a semilimes chat');
}

export function fileUrl(fileId: string, download = false): string {
  return `${BASE}/file?fileId=${encodeURIComponent(fileId)}${download ? '&download=1' : ''}`;
}

export const api = {
  accounts: () => call<Account[]>('GET', '/accounts'),
  chatList: (me: string) => call<ChatPreview[]>('GET', `/chat-list?accountId=${encodeURIComponent(me)}`),
  conversation: (me: string, chat: ChatFilter) =>
    call<Conversation>('GET', `/conversation?accountId=${encodeURIComponent(me)}&${chatQuery(chat)}`),
  send: (me: string, chat: ChatFilter, dataComponent: JsonObject) =>
    call<unknown>('POST', '/send', { from: me, to: destination(chat, me), dataComponent }),
  reply: (me: string, messageId: string, text: string) =>
    call<unknown>('POST', '/reply', { from: me, messageId, text }),
  react: (me: string, messageId: string, reaction: string, remove: boolean) =>
    call<unknown>('POST', '/react', { from: me, messageId, reaction, remove }),
  edit: (me: string, messageId: string, dataComponent: JsonObject) =>
    call<unknown>('POST', '/edit', { from: me, messageId, dataComponent }),
  typing: (me: string, chat: ChatFilter) => call<unknown>('POST', '/typing', { from: me, to: destination(chat, me) }),
  submitForm: (me: string, messageId: string, values: JsonObject) =>
    call<unknown>('POST', '/submit-form', { from: me, messageId, values }),
  subscribe: (me: string, channelId: string, subscribed: boolean) =>
    call<unknown>('POST', '/subscribe', { from: me, channelId, subscribed }),
  async upload(me: string, file: File): Promise<{ fileId: string; title: string; size: number }> {
    const res = await fetch(`${BASE}/upload?from=${encodeURIComponent(me)}&name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
    });
    const json = (await res.json()) as { fileId: string; title: string; size: number; error?: string };
    if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
    return json;
  },
};
