import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { PATHS } from './endpoints';
import { parseJson, unwrapHttp } from './envelope';
import { ApiError, InvalidInputError } from './errors';
import { HttpOrigin, type HttpResponse } from './http';
import type { ResolvedProxy } from '../transport/proxy';
import type { Logger } from './logger';

export const UPLOAD_PATH = PATHS.fileUpload;
export const DOWNLOAD_PATH = PATHS.fileDownload;
/** The multipart field the documentation names for uploaded files. */
export const UPLOAD_FIELD = 'httpFiles';

/** One file to upload. The content is opened only when the request is being written, and read chunk by chunk. */
export interface UploadSource {
  /** The file name semilimes shows (its title). */
  name: string;
  contentType: string;
  /** The size in bytes when known beforehand (Buffer, file on disk); unknown for a stream. */
  size?: number;
  open(): Readable | AsyncIterable<Uint8Array>;
  /**
   * Called instead of `open` when the upload ends without having opened this source (refused before sending, the
   * connection failed, another file failed first): a source holding a caller's stream destroys it here.
   */
  discard?(): void;
}

export interface UploadedFile {
  fileId: string;
  title: string;
  size: number;
}

export interface TransferProgress {
  /** Bytes of file content sent or received so far. */
  bytes: number;
  /** Total bytes when known. */
  total?: number;
}

export interface UploadOptions {
  /** Refuse uploads larger than this many bytes of file content (checked before sending when sizes are known). */
  maxBytes?: number;
  /** Called as content is sent, at most every `progressEveryBytes`. */
  onProgress?: (progress: TransferProgress) => void;
  progressEveryBytes?: number;
  /** No progress (no byte sent or received) for this long fails the transfer, ms. */
  idleTimeoutMs?: number;
  /** Aborts the transfer (e.g. the node closing): it fails with TransferAbortedError. */
  signal?: AbortSignal;
}

export interface DownloadOptions {
  /** Width in pixels of an image thumbnail instead of the original. */
  thumbnailSize?: number;
  idleTimeoutMs?: number;
  /** Aborts the transfer, including the reading of the returned body. */
  signal?: AbortSignal;
}

export interface Download {
  contentType: string;
  /** From Content-Disposition, when the server names the file. */
  filename?: string;
  /** From Content-Length, when given. */
  size?: number;
  /** The content; read it (or destroy it) promptly, the connection stays busy until then. */
  body: Readable;
}

export interface FileTransferOptions {
  baseUrl: string;
  apiKey: () => string;
  logger: Logger;
  idleTimeoutMs: number;
  /** The proxy to go through, if any. */
  proxy?: ResolvedProxy;
}

/** How long close lets transfers still running finish before the pool is destroyed under them. */
const CLOSE_GRACE_MS = 1000;

/**
 * File upload and download, streamed both ways: a file of any size passes through a few chunks of memory. It has its
 * own small connection pool so that a long transfer never occupies a connection the API calls need.
 */
export class FileTransfer {
  private readonly http: HttpOrigin;

  constructor(private readonly options: FileTransferOptions) {
    this.http = new HttpOrigin({ ...options, connections: 4, keepAliveTimeoutMs: 10_000 });
  }

  /** Closes the pool; a long upload does not hold a redeploy: after a short grace what still runs is destroyed. */
  async close(): Promise<void> {
    await this.http.close(CLOSE_GRACE_MS);
  }

  /** Uploads one or more files in one multipart request (field `httpFiles`); resolves with `uploadedFiles`. */
  async upload(sources: UploadSource[], options: UploadOptions = {}): Promise<UploadedFile[]> {
    const opened = new Map<number, Readable | AsyncIterable<Uint8Array>>();
    try {
      return await this.uploadOnce(sources, options, opened);
    } catch (err) {
      // A failed or aborted upload stops reading now: the request body's generator may be waiting on a chunk, and
      // would go on pulling from the caller's stream until that chunk came.
      for (const content of opened.values()) (content as { destroy?: () => void }).destroy?.();
      throw err;
    } finally {
      // A source never opened would otherwise keep its caller's stream (and file descriptor) open for good.
      sources.forEach((s, i) => {
        if (!opened.has(i)) s.discard?.();
      });
    }
  }

  private async uploadOnce(
    sources: UploadSource[],
    options: UploadOptions,
    opened: Map<number, Readable | AsyncIterable<Uint8Array>>,
  ): Promise<UploadedFile[]> {
    if (sources.length === 0) throw new InvalidInputError('nothing to upload', UPLOAD_PATH);
    const maxBytes = options.maxBytes ?? Infinity;
    const knownTotal = sources.every((s) => s.size !== undefined)
      ? sources.reduce((sum, s) => sum + (s.size as number), 0)
      : undefined;
    for (const source of sources) {
      if (source.size !== undefined && source.size > maxBytes) {
        throw new InvalidInputError(
          `"${source.name}" is ${source.size} bytes, more than the limit of ${maxBytes} bytes`,
          UPLOAD_PATH,
        );
      }
    }
    if (knownTotal !== undefined && knownTotal > maxBytes) {
      throw new InvalidInputError(
        `the files add up to ${knownTotal} bytes, more than the limit of ${maxBytes} bytes`,
        UPLOAD_PATH,
      );
    }

    const boundary = `----semilimes-${randomBytes(16).toString('hex')}`;
    const heads = sources.map((s) => Buffer.from(partHead(boundary, s)));
    const tail = Buffer.from(`--${boundary}--\r\n`);
    // With every size known the length is exact (no chunked encoding, and servers that insist on a length work).
    const contentLength =
      knownTotal === undefined ? undefined : heads.reduce((sum, h) => sum + h.length + 2, 0) + knownTotal + tail.length;

    let sent = 0;
    let lastReported = 0;
    const every = options.progressEveryBytes ?? 1024 * 1024;
    const report = () => {
      if (options.onProgress && sent - lastReported >= every) {
        lastReported = sent;
        options.onProgress({ bytes: sent, total: knownTotal });
      }
    };
    let overLimit: InvalidInputError | undefined;

    async function* body(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < sources.length; i++) {
        yield heads[i];
        let ownBytes = 0;
        const content = sources[i].open();
        opened.set(i, content);
        for await (const chunk of content) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          ownBytes += bytes.length;
          sent += bytes.length;
          if (sent > maxBytes) {
            overLimit = new InvalidInputError(
              `the upload grew past the limit of ${maxBytes} bytes and was stopped`,
              UPLOAD_PATH,
            );
            throw overLimit;
          }
          const expected = sources[i].size;
          if (expected !== undefined && ownBytes > expected) {
            throw new InvalidInputError(`"${sources[i].name}" changed while it was being uploaded`, UPLOAD_PATH);
          }
          yield bytes;
          report();
        }
        const expected = sources[i].size;
        if (expected !== undefined && ownBytes !== expected) {
          throw new InvalidInputError(`"${sources[i].name}" changed while it was being uploaded`, UPLOAD_PATH);
        }
        yield CRLF;
      }
      yield tail;
    }

    const headers: Record<string, string> = {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      accept: 'application/json',
    };
    if (contentLength !== undefined) headers['content-length'] = String(contentLength);
    const source = Readable.from(body(), { objectMode: false, highWaterMark: 64 * 1024 });
    const { status, json, text } = await this.exchange(UPLOAD_PATH, headers, source, options, async (r) => {
      const answer = await r.body.text();
      return { status: r.statusCode, json: parseJson(answer), text: answer };
    }).catch((err: unknown) => {
      // A failure while reading our own content is the real reason, not the broken request it caused.
      if (overLimit) throw overLimit;
      if (err instanceof InvalidInputError) throw err;
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof InvalidInputError) throw cause;
      throw err;
    });
    if (options.onProgress && sent !== lastReported) options.onProgress({ bytes: sent, total: knownTotal });
    const data = unwrapHttp(UPLOAD_PATH, status, json, text);
    const files = (data as { uploadedFiles?: unknown } | null)?.uploadedFiles;
    if (!Array.isArray(files)) throw new ApiError(UPLOAD_PATH, status, 'the answer has no uploadedFiles list');
    return files as UploadedFile[];
  }

  /** Starts a download; the content comes as a stream, with the content type and file name the server gave. */
  async download(fileId: string, options: DownloadOptions = {}): Promise<Download> {
    if (typeof fileId !== 'string' || fileId.trim() === '')
      throw new InvalidInputError('fileId is missing', DOWNLOAD_PATH);
    const request: Record<string, unknown> = { fileId };
    if (options.thumbnailSize !== undefined) {
      if (!Number.isInteger(options.thumbnailSize) || options.thumbnailSize <= 0) {
        throw new InvalidInputError('thumbnailSize must be a positive whole number of pixels', DOWNLOAD_PATH);
      }
      request.thumbnailSize = options.thumbnailSize;
    }
    const headers = { 'content-type': 'application/json', accept: '*/*' };
    return this.exchange(DOWNLOAD_PATH, headers, JSON.stringify(request), options, async (r) => {
      const contentType = String(r.headers['content-type'] ?? 'application/octet-stream');
      // A JSON answer to a download is the envelope: an error (or an unexpected success without content).
      if (r.statusCode < 200 || r.statusCode >= 300 || /^application\/json/i.test(contentType)) {
        const answer = await r.body.text();
        unwrapHttp(DOWNLOAD_PATH, r.statusCode, parseJson(answer), answer);
        throw new ApiError(DOWNLOAD_PATH, r.statusCode, 'the answer carried no file content');
      }
      const length = Number(r.headers['content-length']);
      return {
        contentType,
        filename: filenameOf(r.headers['content-disposition']),
        size: Number.isFinite(length) ? length : undefined,
        body: r.body as unknown as Readable,
      };
    });
  }

  /**
   * One request with an idle timeout: the transfer fails only when nothing moves for `idleTimeoutMs`, so a large file
   * on a slow line is fine while a stalled one is not.
   */
  private exchange<T>(
    path: string,
    headers: Record<string, string>,
    body: Readable | string,
    options: { idleTimeoutMs?: number; signal?: AbortSignal },
    read: (response: HttpResponse) => Promise<T>,
  ): Promise<T> {
    const idleTimeoutMs = options.idleTimeoutMs ?? this.options.idleTimeoutMs;
    return this.http.exchange(
      { endpoint: path, method: 'POST', headers, body, idleTimeoutMs, signal: options.signal },
      read,
    );
  }
}

const CRLF = Buffer.from('\r\n');

/** Header block of one file part. Quotes and line breaks in the name are replaced: they would end the header. */
function partHead(boundary: string, source: UploadSource): string {
  const name = source.name.replace(/["\r\n\\]/g, '_');
  const type = source.contentType.replace(/[\r\n]/g, '');
  return (
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${UPLOAD_FIELD}"; filename="${name}"\r\n` +
    `Content-Type: ${type}\r\n\r\n`
  );
}

/** The file name from a Content-Disposition header (`filename*=UTF-8''...` preferred over `filename="..."`). */
export function filenameOf(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(text);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/.exec(text);
  const name = (plain?.[1] ?? plain?.[2])?.trim();
  return name || undefined;
}
