import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Download, TransferProgress } from '../../semilimes';
import { FlowInputError } from './flow-input';
import type { Translate } from './translate';

// Where a download goes: into memory or into a file. Keys are relative to the file node's catalogue.

/** The content as one Buffer, refused beyond the size limit (use "save to a file" for big files). */
export async function readAll(
  answer: Download,
  maxBytes: number,
  report: (p: TransferProgress) => void,
  t: Translate,
): Promise<Buffer> {
  const tooBig = (size: number) => {
    answer.body.destroy();
    return new FlowInputError('tooBig', t('errors.downloadTooBig', { size, max: maxBytes }));
  };
  if (answer.size !== undefined && answer.size > maxBytes) throw tooBig(answer.size);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of answer.body) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw tooBig(bytes);
    chunks.push(chunk);
    report({ bytes, total: answer.size });
  }
  return Buffer.concat(chunks, bytes);
}

/** Streams the content into a temporary file beside the target, then renames it: no half-written target. */
export async function saveTo(
  answer: Download,
  target: string,
  report: (p: TransferProgress) => void,
  t: Translate,
): Promise<number> {
  const partial = `${target}.${randomBytes(4).toString('hex')}.part`;
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      report({ bytes, total: answer.size });
      callback(null, chunk);
    },
  });
  try {
    await pipeline(answer.body, count, createWriteStream(partial, { flags: 'wx' }));
    await rename(partial, target);
    return bytes;
  } catch (err) {
    await unlink(partial).catch(() => undefined);
    throw new FlowInputError('writeFailed', t('errors.writeFailed', { path: target, reason: (err as Error).message }));
  }
}
