// The control API over HTTP under /_simplex/ (JSON in, JSON out, no authentication: loopback only).
import { createReadStream } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { readBody } from '../emulator/http-util';
import { ControlError, SimplexControl } from './control';
import { isObject, Json } from './json';

export const CONTROL_PREFIX = '/_simplex';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

type Operation = (control: SimplexControl, body: Json, query: Record<string, string>) => unknown;

const operations: Record<string, Operation> = {
  'GET /devices': (c) => c.devices(),
  'POST /people': (c, b) => c.createPerson(b),
  'GET /address': (c) => c.address(),
  'POST /connect': (c, b) => c.connect(b),
  'POST /send': (c, b) => c.send(b),
  'POST /react': (c, b) => c.react(b),
  'POST /edit': (c, b) => c.edit(b),
  'POST /delete': (c, b) => c.delete(b),
  'POST /groups': (c, b) => c.createGroup(b),
  'POST /join': (c, b) => c.join(b),
  'POST /leave': (c, b) => c.leave(b),
  'POST /accept-file': (c, b) => c.acceptFile(b),
  'GET /messages': (c, _b, q) => c.messages(q),
  'GET /chats': (c, _b, q) => c.chats(q),
  'GET /events': (c, _b, q) => c.events(q),
  'GET /files': (c, _b, q) => c.files(q),
  'POST /command': (c, b) => c.command(b),
  'GET /log': (c, _b, q) => c.log(q),
  'GET /connections': (c, _b, q) => c.connections(q),
  'GET /faults': (c, _b, q) => c.faults(q),
  'POST /faults/drop-sockets': (c, b) => c.dropSockets(b),
  'POST /faults/pongs': (c, b) => c.setPongs(b),
  'POST /faults/stop-reading': (c, b) => c.setStopReading(b),
  'POST /faults/delay': (c, b) => c.delay(b),
  'POST /faults/fail-next': (c, b) => c.failNext(b),
  'POST /faults/restart': (c, b) => c.restart(b),
  'POST /faults/offline': (c, b) => c.setOffline(b),
  'POST /faults/dialect': (c, b) => c.setDialect(b),
  'POST /faults/reorder': (c, b) => c.setReorder(b),
  'POST /faults/fail-uploads': (c, b) => c.failUploads(b),
  'POST /faults/reset': (c, b) => c.resetFaults(b),
  'POST /faults/error-event': (c, b) => c.errorEvent(b),
  'POST /latency': (c, b) => c.setLatency(b),
  'POST /inject': (c, b) => c.inject(b),
};

/** Every route, for the usage text and the documentation test. */
export const CONTROL_ROUTES: readonly string[] = [...Object.keys(operations), 'GET /file'];

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/**
 * GET /file?person=&fileId=[&download=1]: the bytes of a file in a person's chat. Pictures are shown inline (the
 * page's previews); anything else, and any file with download=1, comes as an attachment under its name.
 */
async function sendFile(control: SimplexControl, res: ServerResponse, query: Record<string, string>): Promise<void> {
  const file = await control.file(query);
  const imageType = IMAGE_TYPES[path.extname(file.name).toLowerCase()];
  const inline = imageType !== undefined && query.download !== '1';
  res.writeHead(200, {
    'Content-Type': imageType ?? 'application/octet-stream',
    'Content-Length': file.size,
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`,
    // A received file is shown as itself, never run as a page of this origin.
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
  });
  await pipeline(createReadStream(file.path), res);
}

function readControlBody(req: IncomingMessage): Promise<Buffer> {
  return readBody(req, MAX_BODY_BYTES, () => new ControlError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value ?? null);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function handle(control: SimplexControl, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://control');
  if (!url.pathname.startsWith(CONTROL_PREFIX)) {
    return sendJson(res, 404, { error: `the control API lives under ${CONTROL_PREFIX}/` });
  }
  const route = `${req.method} ${url.pathname.slice(CONTROL_PREFIX.length)}`;
  const operation = operations[route];
  if (!operation && route !== 'GET /file')
    return sendJson(res, 404, { error: `unknown control operation ${req.method} ${url.pathname}` });
  try {
    const raw = (await readControlBody(req)).toString('utf8');
    let body: unknown = {};
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch (err) {
        throw new ControlError(400, `malformed JSON body: ${(err as Error).message}`);
      }
    }
    if (!isObject(body)) throw new ControlError(400, 'the body must be a JSON object');
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    if (!operation) return await sendFile(control, res, query);
    sendJson(res, 200, await operation(control, body, query));
  } catch (err) {
    if (res.headersSent) return void res.destroy();
    const status = err instanceof ControlError ? err.status : 500;
    const reply = (err as { reply?: unknown }).reply;
    sendJson(res, status, reply ? { error: (err as Error).message, reply } : { error: (err as Error).message });
  }
}

export function createControlServer(control: SimplexControl): Server {
  return createServer((req, res) => void handle(control, req, res));
}
