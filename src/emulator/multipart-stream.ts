// Streaming multipart/form-data reader for the upload endpoint: file parts go to memory or to files in a directory
// as they arrive, so a large upload never has to fit in one Buffer (the benchmark uploads a gigabyte).
import { randomUUID } from 'node:crypto';
import { createWriteStream, WriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { once } from 'node:events';
import { ApiError, badRequest } from './envelope';
import { UploadedFile } from './api/context';

export interface ReceiveOptions {
  /** Directory for file parts; memory when absent. */
  filesDir?: string;
  /** Most bytes of file content accepted in one request. */
  maxBytes: number;
}

const MAX_HEADER_BYTES = 16 * 1024;

export function boundaryOf(contentType: string): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

/** Where one part's content goes. */
interface Sink {
  write(chunk: Buffer): Promise<void>;
  finish(): Promise<{ bytes?: Buffer; path?: string }>;
  discard(): Promise<void>;
}

function memorySink(): Sink {
  const chunks: Buffer[] = [];
  return {
    async write(chunk) {
      chunks.push(Buffer.from(chunk)); // copy: the chunk may be a view into a reused buffer
    },
    async finish() {
      return { bytes: Buffer.concat(chunks) };
    },
    async discard() {
      chunks.length = 0;
    },
  };
}

function fileSink(dir: string): Sink {
  const path = join(dir, `upload-${randomUUID()}`);
  const out: WriteStream = createWriteStream(path);
  let failure: Error | null = null;
  out.on('error', (err) => (failure = err));
  return {
    async write(chunk) {
      if (failure) throw failure;
      if (!out.write(chunk)) await once(out, 'drain');
    },
    async finish() {
      out.end();
      await once(out, 'finish');
      return { path };
    },
    async discard() {
      out.destroy();
      await unlink(path).catch(() => undefined);
    },
  };
}

/**
 * Reads a multipart body part by part. Every delimiter is searched as CRLF "--boundary" (a CRLF is put in front of
 * the stream so the first delimiter looks like the others); content is written out except for a tail that could be
 * the start of a delimiter split across chunks.
 */
export async function receiveMultipart(
  req: IncomingMessage,
  boundary: string,
  options: ReceiveOptions,
): Promise<UploadedFile[]> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const files: UploadedFile[] = [];
  const open: Sink[] = [];
  let state: 'preamble' | 'afterDelimiter' | 'headers' | 'content' | 'done' = 'preamble';
  let pending: Buffer = Buffer.from('\r\n');
  let part: { field: string; filename: string; contentType: string; sink: Sink | null; size: number } | null = null;
  let total = 0;

  const writeContent = async (chunk: Buffer) => {
    if (!part || chunk.length === 0) return;
    part.size += chunk.length;
    if (part.sink) {
      total += chunk.length;
      if (total > options.maxBytes) throw new ApiError(413, `uploaded files larger than ${options.maxBytes} bytes`);
      await part.sink.write(chunk);
    }
  };

  const endPart = async () => {
    if (!part) return;
    if (part.sink) {
      const stored = await part.sink.finish();
      files.push({
        field: part.field,
        filename: part.filename,
        contentType: part.contentType,
        size: part.size,
        ...stored,
      });
    }
    part = null;
  };

  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (state === 'preamble' || state === 'content') {
          const at = pending.indexOf(delimiter);
          if (at < 0) {
            const keep = Math.min(pending.length, delimiter.length - 1);
            if (state === 'content') await writeContent(pending.subarray(0, pending.length - keep));
            pending = pending.subarray(pending.length - keep);
            break;
          }
          if (state === 'content') {
            await writeContent(pending.subarray(0, at));
            await endPart();
          }
          pending = pending.subarray(at + delimiter.length);
          state = 'afterDelimiter';
        } else if (state === 'afterDelimiter') {
          if (pending.length < 2) break;
          const next = pending.subarray(0, 2).toString('latin1');
          if (next === '--') {
            state = 'done';
            break;
          }
          if (next !== '\r\n') throw badRequest('malformed multipart body: bad delimiter line');
          pending = pending.subarray(2);
          state = 'headers';
        } else if (state === 'headers') {
          const end = pending.indexOf('\r\n\r\n');
          if (end < 0) {
            if (pending.length > MAX_HEADER_BYTES) throw badRequest('malformed multipart body: part headers too long');
            break;
          }
          const headers = pending.subarray(0, end).toString('utf8');
          pending = pending.subarray(end + 4);
          const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
          const field = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
          const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
          const contentType = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() || 'application/octet-stream';
          // Plain fields (no filename) are read and dropped, like the buffered parser did.
          const sink = filename === undefined ? null : options.filesDir ? fileSink(options.filesDir) : memorySink();
          if (sink) open.push(sink);
          part = { field, filename: filename ?? '', contentType, sink, size: 0 };
          state = 'content';
        } else {
          break; // done: the epilogue is ignored
        }
      }
    }
    if (state !== 'done') throw badRequest('malformed multipart body: missing closing boundary');
    return files;
  } catch (err) {
    for (const sink of open) await sink.discard();
    for (const file of files) if (file.path) await unlink(file.path).catch(() => undefined);
    throw err;
  }
}
