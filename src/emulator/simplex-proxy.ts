// The phone page can be a SimpleX person too. Its SimpleX calls go to /_emulator/simplex/... on this server and are
// passed on to a SimpleX CLI emulator's control API, so the page keeps one origin and its Content-Security-Policy
// (`connect-src 'self'`). Only the routes the page uses are passed on; the fault API stays on the SimpleX port.
import { IncomingMessage, request, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendJson } from './http-util';

export const SIMPLEX_PREFIX = '/simplex';

const PAGE_ROUTES = new Set([
  'GET /devices',
  'GET /address',
  'GET /chats',
  'GET /messages',
  'GET /file',
  'POST /people',
  'POST /connect',
  'POST /send',
  'POST /react',
  'POST /edit',
  'POST /delete',
  'POST /join',
]);

/** Headers of the SimpleX control API's answer that the page needs (type, size, download name, file policy). */
const PASSED_HEADERS = [
  'content-type',
  'content-length',
  'content-disposition',
  'content-security-policy',
  'x-content-type-options',
];

/**
 * Passes `GET|POST /_emulator/simplex/<route>` to `<controlUrl>/<route>` (controlUrl such as
 * http://127.0.0.1:5226/_simplex). POSTs must be JSON, so another site's plain form cannot act as a person.
 */
export async function proxySimplex(
  controlUrl: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  url: URL,
): Promise<void> {
  if (!controlUrl) return sendJson(res, 404, { error: 'no SimpleX emulator is linked to this emulator' });
  if (!PAGE_ROUTES.has(`${req.method} ${route}`))
    return sendJson(res, 404, { error: `unknown SimpleX operation ${req.method} ${route}` });
  if (req.method === 'POST' && !/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    return sendJson(res, 415, { error: 'SimpleX operations take a JSON body (Content-Type: application/json)' });
  const target = new URL(`${controlUrl}${route}${url.search}`);
  const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
    const forward = request(
      target,
      {
        method: req.method,
        headers: req.method === 'POST' ? { 'Content-Type': 'application/json' } : {},
      },
      resolve,
    );
    forward.on('error', reject);
    if (req.method === 'POST') req.pipe(forward);
    else forward.end();
  }).catch((err: Error) => err);
  if (upstream instanceof Error)
    return sendJson(res, 502, { error: `the SimpleX emulator does not answer: ${upstream.message}` });
  const headers: Record<string, string> = {};
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  res.writeHead(upstream.statusCode ?? 502, headers);
  await pipeline(upstream, res);
}
