// The control API over HTTP under /_emulator/ (JSON in, JSON out, no API key: loopback only).
import { IncomingMessage, ServerResponse } from 'node:http';
import { ChatFilter, EmulatorControl } from './control';
import { ApiError } from './envelope';
import { parseJson, queryObject, readBody, sendJson } from './http-util';
import { isObject, JsonObject } from './validate';
import { WEB_PAGE_HTML } from './webpage';

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
  'GET /requests': (c) => c.requests(),
  'GET /signals': (c) => c.signals(),
  'POST /faults/drop-sockets': (c, b) => c.dropSockets({ accountId: typeof b.accountId === 'string' ? b.accountId : undefined }),
  'POST /faults/pongs': (c, b) => c.setPongs(flag(b, 'enabled', 'pongs')),
  'POST /faults/delay': (c, b) => c.setDelay(b.ms as number),
  'POST /faults/fail-next': (c, b) => c.failNext(b as never),
  'POST /faults/revoke-key': (c, b) => c.revokeKey(b.apiKey as string),
  'POST /faults/offline': (c, b) => c.setOffline(flag(b, 'offline', 'enabled')),
  'POST /inject': (c, b) => c.injectFrame(b as never),
  'GET /connections': (c) => c.connections(),
  'POST /reset': (c) => c.reset(),
};

export async function handleControl(control: EmulatorControl, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const sub = url.pathname.slice(CONTROL_PREFIX.length) || '/';
  if (req.method === 'GET' && sub === '/') {
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
    });
    res.end(WEB_PAGE_HTML);
    return;
  }
  const operation = operations[`${req.method} ${sub}`];
  if (!operation) return sendJson(res, 404, { error: `unknown control operation ${req.method} ${url.pathname}` });
  try {
    const parsed = parseJson(await readBody(req));
    if (!parsed.ok) throw new ApiError(400, parsed.error);
    const body = parsed.value ?? {};
    if (!isObject(body)) throw new ApiError(400, 'the body must be a JSON object');
    sendJson(res, 200, operation(control, body, queryObject(url)));
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 500;
    sendJson(res, status, { error: (err as Error).message });
  }
}
