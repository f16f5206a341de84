// The control API over HTTP under /_emulator/ (JSON in, JSON out, no API key: loopback only).
import { createReadStream } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ChatFilter, EmulatorControl } from './control';
import { ConversationFilter } from './control-view';
import { ApiError } from './envelope';
import { parseJson, queryObject, readBody, sendJson } from './http-util';
import { isObject, JsonObject } from './validate';
import { proxySimplex, SIMPLEX_PREFIX } from './simplex-proxy';
import { servePhonePage } from './webpage';

export const CONTROL_PREFIX = '/_emulator';

type Operation = (control: EmulatorControl, body: JsonObject, query: Record<string, string>) => unknown;

function chatFilterFromQuery(query: Record<string, string>): ChatFilter | undefined {
  if (query.between) {
    const ids = query.between.split(',');
    if (ids.length !== 2) throw new ApiError(400, 'between must be two comma separated account ids');
    return { between: [ids[0], ids[1]] };
  }
  if (query.groupChatId) return { groupChatId: query.groupChatId };
  if (query.channelId) return { channelId: query.channelId };
  if (query.accountId) return { accountId: query.accountId };
  return undefined;
}

function conversationFilter(query: Record<string, string>): ConversationFilter {
  const filter = chatFilterFromQuery(query);
  if (!filter || 'accountId' in filter) throw new ApiError(400, 'name the chat: between=a,b | groupChatId | channelId');
  return filter;
}

/** The boolean of pongs / offline: {enabled} for both, {offline} accepted for setOffline. */
function flag(body: JsonObject, ...names: string[]): boolean {
  for (const name of names) if (typeof body[name] === 'boolean') return body[name] as boolean;
  throw new ApiError(400, `body must contain a boolean ${names.join(' or ')}`);
}

const operations: Record<string, Operation> = {
  'GET /accounts': (c) => c.accounts(),
  'POST /accounts': (c, b) => c.createAccount(b as never),
  'POST /send': (c, b) => c.sendAs(b as never),
  'POST /submit-form': (c, b) => c.submitForm(b as never),
  'GET /messages': (c, _b, q) => c.messages({ chat: chatFilterFromQuery(q) }),
  'GET /chats': (c, _b, q) => c.chats({ accountId: q.accountId }),
  'GET /chat-list': (c, _b, q) => c.chatList({ accountId: q.accountId }),
  'GET /conversation': (c, _b, q) => c.conversation({ accountId: q.accountId, chat: conversationFilter(q) }),
  'POST /reply': (c, b) => c.replyAs(b as never),
  'POST /react': (c, b) => c.reactAs(b as never),
  'POST /edit': (c, b) => c.editAs(b as never),
  'POST /typing': (c, b) => c.typingAs(b as never),
  'POST /subscribe': (c, b) => c.subscribeAs(b as never),
  'GET /requests': (c) => c.requests(),
  'GET /signals': (c) => c.signals(),
  'POST /faults/drop-sockets': (c, b) =>
    c.dropSockets({ accountId: typeof b.accountId === 'string' ? b.accountId : undefined }),
  'POST /faults/pongs': (c, b) => c.setPongs(flag(b, 'enabled', 'pongs')),
  'POST /faults/delay': (c, b) => c.setDelay(b.ms as number),
  'POST /faults/fail-next': (c, b) => c.failNext(b as never),
  'POST /faults/revoke-key': (c, b) => c.revokeKey(b.apiKey as string),
  'POST /faults/offline': (c, b) => c.setOffline(flag(b, 'offline', 'enabled')),
  'POST /inject': (c, b) => c.injectFrame(b as never),
  'GET /connections': (c) => c.connections(),
  'POST /reset': (c) => c.reset(),
};

/** POST /upload?from=<accountId>&name=<file name>: the raw file as the body, its type as Content-Type. */
async function upload(control: EmulatorControl, req: IncomingMessage, url: URL): Promise<unknown> {
  const query = queryObject(url);
  const bytes = await readBody(req);
  const contentType = (req.headers['content-type'] ?? 'application/octet-stream').split(';')[0].trim();
  return control.uploadAs({ from: query.from, filename: query.name ?? '', contentType, bytes });
}

/** GET /file?fileId=...: the content to show inline (image previews); &download=1 to save it under its name. */
async function sendFile(control: EmulatorControl, res: ServerResponse, url: URL): Promise<void> {
  const query = queryObject(url);
  const file = control.file(query.fileId ?? '');
  const disposition = query.download === '1' ? 'attachment' : 'inline';
  res.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': file.size,
    'Content-Disposition': `${disposition}; filename="${file.title.replace(/["\\\r\n]/g, '_')}"`,
    // Uploaded content is shown as itself, never run as a page of the emulator's origin.
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    'X-Content-Type-Options': 'nosniff',
  });
  if (file.path) await pipeline(createReadStream(file.path), res);
  else res.end(file.bytes ?? Buffer.alloc(0));
}

export async function handleControl(
  control: EmulatorControl,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  simplexControlUrl?: string,
): Promise<void> {
  const sub = url.pathname.slice(CONTROL_PREFIX.length) || '/';
  if (req.method === 'GET' && servePhonePage(res, sub)) return;
  // Which services the phone page can act in (a 404 would show as an error in the browser's console).
  if (req.method === 'GET' && sub === '/services')
    return sendJson(res, 200, { semilimes: true, simplex: simplexControlUrl !== undefined });
  if (sub.startsWith(`${SIMPLEX_PREFIX}/`))
    return proxySimplex(simplexControlUrl, req, res, sub.slice(SIMPLEX_PREFIX.length), url);
  try {
    if (req.method === 'GET' && sub === '/file') return await sendFile(control, res, url);
    if (req.method === 'POST' && sub === '/upload') return sendJson(res, 200, await upload(control, req, url));
    const operation = operations[`${req.method} ${sub}`];
    if (!operation) return sendJson(res, 404, { error: `unknown control operation ${req.method} ${url.pathname}` });
    const parsed = parseJson(await readBody(req));
    if (!parsed.ok) throw new ApiError(400, parsed.error);
    const body = parsed.value ?? {};
    if (!isObject(body)) throw new ApiError(400, 'the body must be a JSON object');
    sendJson(res, 200, operation(control, body, queryObject(url)));
  } catch (err) {
    if (res.headersSent) return void res.destroy();
    const status = err instanceof ApiError ? err.status : 500;
    sendJson(res, status, { error: (err as Error).message });
  }
}
