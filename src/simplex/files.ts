/**
 * Files between this process and the CLI. The CLI sends and stores files on its own disk, so they meet in folders
 * both can see:
 * - to send a Buffer or stream, it is written into the shared folder (atomically, under a unique 0600 name) and the
 *   CLI is given the absolute path; the copy is removed once the CLI reports the upload finished or failed;
 * - a received file's path is resolved inside the CLI's files folder; a path that leads outside it is refused.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { InvalidInputError, SimplexError } from './errors';

/** The CLI refuses files over 1 GiB. */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** Directories this client creates in the shared folder start with this, so stale ones can be found again. */
export const SHARED_DIR_PREFIX = 'nr-simplex-';

export type FileData = Buffer | Uint8Array | Readable;

export interface WriteOptions {
  /** Refuse data larger than this (bytes). Default and ceiling: 1 GiB. */
  maxBytes?: number;
}

/** Raised when data is larger than allowed; nothing is left on disk. */
export class FileTooLargeError extends SimplexError {
  readonly maxBytes: number;

  constructor(maxBytes: number, what = 'the file') {
    super('INVALID_INPUT', `${what} is larger than ${formatBytes(maxBytes)}`);
    this.maxBytes = maxBytes;
  }
}

/**
 * Writes `data` into a new directory of its own under `folder` as `<folder>/nr-simplex-<random>/<fileName>`, and
 * returns the absolute path. The file is written under a temporary name and renamed when complete, so the CLI never
 * sees half a file; it is readable by this user only (0600). The directory keeps the file's own name, which is the
 * name the recipient sees.
 */
export async function writeSharedFile(
  folder: string,
  fileName: string,
  data: FileData,
  options: WriteOptions = {},
): Promise<string> {
  const maxBytes = Math.min(options.maxBytes ?? MAX_FILE_BYTES, MAX_FILE_BYTES);
  const name = safeFileName(fileName);
  const root = path.resolve(folder);
  const dir = path.join(root, SHARED_DIR_PREFIX + randomBytes(12).toString('hex'));
  await fs.promises.mkdir(dir, { mode: 0o700 });
  const temp = path.join(dir, `.${randomBytes(6).toString('hex')}.part`);
  const target = path.join(dir, name);
  try {
    if (data instanceof Readable) {
      let written = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          written += chunk.length;
          if (written > maxBytes) callback(new FileTooLargeError(maxBytes));
          else callback(null, chunk);
        },
      });
      await pipeline(data, limit, fs.createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
    } else {
      if (data.byteLength > maxBytes) throw new FileTooLargeError(maxBytes);
      await fs.promises.writeFile(temp, data, { flag: 'wx', mode: 0o600 });
    }
    await fs.promises.rename(temp, target);
    return target;
  } catch (err) {
    await fs.promises.rm(dir, { recursive: true, force: true });
    if (data instanceof Readable && !data.destroyed) data.destroy();
    throw err;
  }
}

/**
 * Removes a file written by `writeSharedFile` together with its directory. Paths not made by it are left alone,
 * so a caller's own file given by path is never deleted.
 */
export async function removeSharedFile(filePath: string): Promise<boolean> {
  const dir = path.dirname(filePath);
  if (!path.basename(dir).startsWith(SHARED_DIR_PREFIX)) return false;
  await fs.promises.rm(dir, { recursive: true, force: true });
  return true;
}

/**
 * Removes the directories `writeSharedFile` left in `folder` that are older than `maxAgeMs` (for instance after a
 * restart lost track of an upload). Returns how many were removed.
 */
export async function sweepSharedFolder(folder: string, maxAgeMs: number): Promise<number> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  let removed = 0;
  const cutoff = Date.now() - maxAgeMs;
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(SHARED_DIR_PREFIX)) continue;
    const dir = path.join(folder, entry.name);
    try {
      const stat = await fs.promises.stat(dir);
      if (stat.mtimeMs > cutoff) continue;
      await fs.promises.rm(dir, { recursive: true, force: true });
      removed += 1;
    } catch {
      // Gone meanwhile or not ours to remove: nothing to do.
    }
  }
  return removed;
}

/**
 * The absolute path of a file the CLI received, confined to its files folder. The CLI reports a name relative to
 * its `--files-folder` when it has one, or an absolute path. Either must end up inside `filesFolder` (symbolic links
 * included); anything else is refused.
 */
export async function resolveReceivedPath(filesFolder: string, filePath: string): Promise<string> {
  if (typeof filePath !== 'string' || filePath === '' || filePath.includes('\0')) {
    throw new InvalidInputError('the received file has no usable path');
  }
  const root = await fs.promises.realpath(path.resolve(filesFolder)).catch(() => {
    throw new InvalidInputError(`the CLI files folder ${filesFolder} does not exist`);
  });
  const candidate = path.isAbsolute(filePath) ? filePath : path.join(root, filePath);
  let real: string;
  try {
    real = await fs.promises.realpath(candidate);
  } catch {
    // Not there (yet): check the path as written, without following links.
    real = path.resolve(candidate);
  }
  if (!isInside(root, real)) {
    throw new InvalidInputError(
      `the received file ${JSON.stringify(filePath)} is outside the CLI files folder; it was not read`,
    );
  }
  return real;
}

/** Reads a received file (resolved as above) into memory, refusing files larger than `maxBytes`. */
export async function readReceivedFile(
  filesFolder: string,
  filePath: string,
  options: WriteOptions = {},
): Promise<Buffer> {
  const maxBytes = Math.min(options.maxBytes ?? MAX_FILE_BYTES, MAX_FILE_BYTES);
  const resolved = await resolveReceivedPath(filesFolder, filePath);
  const handle = await fs.promises.open(resolved, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new InvalidInputError(`the received file ${JSON.stringify(filePath)} is not a regular file`);
    if (stat.size > maxBytes) throw new FileTooLargeError(maxBytes, 'the received file');
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** True when `child` is `root` itself or lies below it. */
export function isInside(root: string, child: string): boolean {
  const relative = path.relative(root, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * A file name safe to create: the last path part only, no control characters, not `.`/`..`, at most 200 bytes.
 * The recipient sees this name.
 */
export function safeFileName(fileName: unknown): string {
  // eslint-disable-next-line no-control-regex
  let name = typeof fileName === 'string' ? fileName.replace(/[\u0000-\u001f\u007f]/g, '') : '';
  name = name.split(/[\\/]/).pop() ?? '';
  name = name.trim();
  if (name === '' || name === '.' || name === '..') name = 'file';
  while (Buffer.byteLength(name) > 200) name = name.slice(0, -1);
  if (name.startsWith('.')) name = `_${name.slice(1)}`;
  return name;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} kB`;
  return `${bytes} bytes`;
}
