import { createReadStream, ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { contentTypeFor, type UploadSource } from '../../semilimes';
import type { FileFolder } from './file-folder';
import { FlowInputError } from './flow-input';
import type { Translate } from './translate';

/** One file as a flow describes it: content (Buffer, string, stream) or, with no content, a path to read. */
export interface FileSpec {
  content?: unknown;
  filename?: unknown;
  contentType?: unknown;
}

export function isReadable(value: unknown): value is Readable | AsyncIterable<Uint8Array> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { pipe?: unknown; read?: unknown; [Symbol.asyncIterator]?: unknown };
  return (
    (typeof v.pipe === 'function' && typeof v.read === 'function') || typeof v[Symbol.asyncIterator] === 'function'
  );
}

/**
 * Turns one file spec into an upload source. Nothing is read here: a path is only checked (it must be a regular
 * file, and its size is taken for the limit); content is streamed when the request is written.
 */
export async function toUploadSource(
  spec: FileSpec,
  index: number,
  folder: FileFolder,
  t: Translate,
): Promise<UploadSource> {
  const filename = typeof spec.filename === 'string' ? spec.filename.trim() : '';
  const given = typeof spec.contentType === 'string' ? spec.contentType.trim() : '';
  const { content } = spec;
  const typeFor = (name: string) => given || contentTypeFor(name);

  if (content === undefined || content === null || content === '') {
    // No content: the file name is a path, as with Node-RED's own file nodes.
    if (!filename) throw new FlowInputError('noContent', t('errors.noContent'));
    // Checked against the node's folder first; the real path (links followed) is the one read.
    const real = await folder.reading(filename);
    let info;
    try {
      info = await stat(real);
    } catch (err) {
      throw new FlowInputError('badPath', t('errors.badPath', { path: filename, reason: (err as Error).message }));
    }
    if (!info.isFile()) throw new FlowInputError('notAFile', t('errors.notAFile', { path: filename }));
    const name = basename(filename);
    const open = () => createReadStream(real, { highWaterMark: 256 * 1024 });
    return { name, contentType: typeFor(name), size: info.size, open };
  }

  const name = filename ? basename(filename) : `file-${index + 1}`;
  if (Buffer.isBuffer(content) || content instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(content)
      ? content
      : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    return { name, contentType: typeFor(name), size: bytes.length, open: () => Readable.from([bytes]) };
  }
  if (typeof content === 'string') {
    const bytes = Buffer.from(content, 'utf8');
    return {
      name,
      contentType: given || (filename ? contentTypeFor(name) : 'text/plain; charset=utf-8'),
      size: bytes.length,
      open: () => Readable.from([bytes]),
    };
  }
  if (isReadable(content)) {
    // A stream can be read once: one that was already read (e.g. the same message uploaded twice) would send an
    // empty or truncated file, so it is refused.
    const state = content as { readableDidRead?: boolean; readableEnded?: boolean; destroyed?: boolean };
    if (state.readableDidRead || state.readableEnded || state.destroyed) {
      throw new FlowInputError('streamUsed', t('errors.streamUsed'));
    }
    let used = false;
    return {
      name,
      contentType: typeFor(name),
      size: await readStreamSize(content),
      open: () => {
        // A stream can be read once; a second upload of the same message must not send an empty file.
        if (used) throw new FlowInputError('streamUsed', t('errors.streamUsed'));
        used = true;
        return content;
      },
      // Never opened (the upload failed first): the stream, and the file it may hold open, is released.
      discard: () => destroyStream(content),
    };
  }
  throw new FlowInputError('badContent', t('errors.badContent'));
}

/**
 * The size of a file read stream, from its path (and start/end when given), so that the limit is checked before
 * sending and the request has an exact length; undefined for any other stream, which is counted while it is sent.
 */
async function readStreamSize(content: unknown): Promise<number | undefined> {
  if (!(content instanceof ReadStream)) return undefined;
  const file = content.path;
  if (typeof file !== 'string' && !Buffer.isBuffer(file)) return undefined;
  try {
    const info = await stat(file);
    if (!info.isFile()) return undefined;
    const options = content as unknown as { start?: number; end?: number };
    const start = Number.isInteger(options.start) ? (options.start as number) : 0;
    const end =
      Number.isInteger(options.end) && (options.end as number) !== Infinity
        ? Math.min((options.end as number) + 1, info.size)
        : info.size;
    return Math.max(0, end - start);
  } catch {
    // Unreadable metadata is no reason to refuse the upload: the stream's own error says more when it is read.
    return undefined;
  }
}

/** Destroys a caller's stream that will not be read (nothing happens for a non-stream or one already destroyed). */
export function destroyStream(content: unknown): void {
  const stream = content as { destroy?: () => void; destroyed?: boolean } | null;
  if (stream && typeof stream.destroy === 'function' && !stream.destroyed) stream.destroy();
}
