// Small helpers for node:http requests and responses.
import { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './envelope';

const MAX_BODY_BYTES = 25 * 1024 * 1024;

/**
 * The whole request body, refused with `tooLarge()` (and the socket destroyed) once it passes `maxBytes`. Both
 * emulators read their bodies through this; each passes its own limit and error type.
 */
export function readBody(
  req: IncomingMessage,
  maxBytes = MAX_BODY_BYTES,
  tooLarge: () => Error = () => new ApiError(413, `request body larger than ${maxBytes} bytes`),
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(tooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function queryObject(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  return query;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string };

/** An empty body is "no body" (null); anything else must be valid JSON. */
export function parseJson(raw: Buffer): ParsedJson {
  const text = raw.toString('utf8');
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: `malformed JSON body: ${(err as Error).message}` };
  }
}
