// The REST transport: authentication, faults, request log, routing, the envelope.
import { IncomingMessage, ServerResponse } from 'node:http';
import { ApiContext, RawReply, UploadedFile } from './api/context';
import { findRoutes } from './api/routes';
import { authenticate } from './auth';
import { Core, logRequest } from './core';
import { ApiError, errorEnvelope, okEnvelope } from './envelope';
import { failureMessage } from './faults';
import { parseJson, queryObject, readBody, sendJson } from './http-util';
import { boundaryOf, receiveMultipart } from './multipart-stream';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

type Reply = { status: number; headers: Record<string, string>; json: unknown } | RawReply;

function errorReply(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return { status, headers, json: errorEnvelope(status, message) };
}

/**
 * The request is processed first and the answer delayed afterwards (setDelay), so a client that times out
 * cannot know whether its request took effect: the "outcome unknown" case.
 */
export async function handleRest(core: Core, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const reply = await processRest(core, req, url);
  await core.faults.delay();
  if (res.destroyed) return;
  if (reply instanceof RawReply) {
    const { content } = reply;
    res.writeHead(200, {
      'Content-Type': reply.contentType,
      'Content-Length': Buffer.isBuffer(content) ? content.length : content.size,
      'Content-Disposition': `attachment; filename="${reply.filename.replace(/["\\\r\n]/g, '_')}"`,
    });
    if (Buffer.isBuffer(content)) res.end(content);
    else await pipeline(createReadStream(content.path), res).catch(() => res.destroy());
    return;
  }
  sendJson(res, reply.status, reply.json, reply.headers);
}

async function processRest(core: Core, req: IncomingMessage, url: URL): Promise<Reply> {
  if (core.faults.offline) return errorReply(503, 'service unavailable (the emulator is offline)');

  const auth = authenticate(core, req);
  if (!auth.ok) return errorReply(401, `Unauthorized: ${auth.reason}`);

  const method = req.method ?? 'GET';
  const path = url.pathname;
  const query = queryObject(url);
  const matches = findRoutes(path);
  const match = matches.find((m) => m.route.method === method);

  // Parse the body the way the route expects, but answer parse errors only after the request is logged.
  // Uploads are streamed part by part (to memory or the files directory); everything else is read whole.
  let body: unknown = null;
  let files: UploadedFile[] = [];
  let bodyError: ApiError | null = null;
  const contentType = req.headers['content-type'] ?? '';
  if (match?.route.body === 'multipart') {
    const boundary = boundaryOf(contentType);
    if (!/^multipart\/form-data/i.test(contentType) || !boundary) {
      bodyError = new ApiError(415, 'expected a multipart/form-data body with the file(s) in the field "httpFiles"');
      req.resume();
    } else {
      try {
        files = await receiveMultipart(req, boundary, core.files);
        body = {
          files: files.map((f) => ({ field: f.field, filename: f.filename, contentType: f.contentType, size: f.size })),
        };
      } catch (err) {
        bodyError = err instanceof ApiError ? err : new ApiError(400, String(err));
        req.resume();
      }
    }
  } else {
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 400;
      return errorReply(status, (err as Error).message);
    }
    const parsed = parseJson(raw);
    if (parsed.ok) body = parsed.value;
    else {
      body = raw.toString('utf8');
      bodyError = new ApiError(400, parsed.error);
    }
  }

  logRequest(core, { transport: 'rest', method, path, query, body, accountId: auth.account.accountId, at: Date.now() });

  const failure = core.faults.takeFailure('rest', path);
  if (failure) {
    const headers: Record<string, string> =
      failure.retryAfter !== undefined ? { 'Retry-After': String(failure.retryAfter) } : {};
    return errorReply(failure.status, failureMessage(failure.status, failure.retryAfter), headers);
  }
  if (matches.length === 0) return errorReply(404, `unknown endpoint ${method} ${path}`);
  if (!match) {
    const allowed = [...new Set(matches.map((m) => m.route.method))].join(', ');
    return errorReply(405, `method ${method} not allowed for ${path} (use ${allowed})`, { Allow: allowed });
  }
  if (bodyError) return errorReply(bodyError.status, bodyError.message);

  const ctx: ApiContext = {
    core,
    account: auth.account,
    apiKey: auth.apiKey,
    query,
    body,
    files,
    pathParams: match.pathParams,
    transport: 'rest',
  };
  try {
    const data = await match.route.handler(ctx);
    if (data instanceof RawReply) return data;
    return { status: 200, headers: {}, json: okEnvelope(data) };
  } catch (err) {
    if (err instanceof ApiError) return errorReply(err.status, err.message);
    console.error('[semilimes-emulator] handler failure', err);
    return errorReply(500, `internal emulator error: ${(err as Error).message}`);
  }
}
