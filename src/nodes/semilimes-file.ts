import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Download, TransferProgress, UploadedFile, UploadSource } from '../semilimes';
import { statusUser, type AccountNode, type AccountUser } from './lib/account';
import { FileFolder, userDirectory } from './lib/file-folder';
import { destroyStream, isReadable, toUploadSource, type FileSpec } from './lib/file-sources';
import type { DoneFn, FlowMessage, Node, NodeAPI, NodeDef, SendFn } from './lib/node-red';
import { FlowInputError, isNonEmpty } from './lib/outbound';
import { StatusView } from './lib/status';
import { evaluateTypedInput } from './lib/typed-input';

type FileAction = 'upload' | 'download';

interface FileDef extends NodeDef {
  account: string;
  action: FileAction | 'msg';
  filename: string;
  filenameType: string;
  contentType: string;
  contentTypeType: string;
  maxSizeMB: number | string;
  fileId: string;
  fileIdType: string;
  thumbnailSize: string;
  thumbnailSizeType: string;
  output: 'buffer' | 'file';
  path: string;
  pathType: string;
  /** The folder paths must stay inside: absolute, or relative to the user directory; blank (or absent) for anywhere. */
  folder?: string;
}

const MB = 1024 * 1024;
const DEFAULT_MAX_MB = 100;
/** Progress is shown for transfers at least this big, at most this often. */
const PROGRESS_FROM_BYTES = 4 * MB;
const PROGRESS_EVERY_MS = 500;
/** How long the close handler waits for aborted transfers to settle (they do within milliseconds). */
const ABORT_SETTLE_MS = 1000;

export = function register(RED: NodeAPI) {
  function SemilimesFileNode(this: Node, def: FileDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const account = RED.nodes.getNode(def.account) as AccountNode | null;
    const status = new StatusView((s) => node.status(s));
    const t = (key: string, subs?: Record<string, string | number>) => RED._(key, subs);
    const maxMB = Number(def.maxSizeMB);
    const maxBytes = Math.round((Number.isFinite(maxMB) && maxMB > 0 ? maxMB : DEFAULT_MAX_MB) * MB);
    const user: AccountUser = statusUser(node.id, status);
    const folder = new FileFolder(def.folder, userDirectory(RED.settings as unknown as Record<string, unknown>), t);

    if (account) account.register(user);
    else status.configProblem(t('semilimes-file.status.noAccount'));

    /** Transfers under way, each with its own abort: the close handler aborts them all. */
    const transfers = new Map<AbortController, Promise<void>>();
    let closing = false;
    const closedError = () => new FlowInputError('closed', t('semilimes-file.errors.closed'));

    const typed = (value: string | undefined, type: string | undefined, msg: FlowMessage) =>
      evaluateTypedInput(RED, node, value, type, msg);

    function action(msg: FlowMessage): FileAction {
      const chosen = def.action === 'msg' ? msg.action : def.action || 'upload';
      if (chosen !== 'upload' && chosen !== 'download') {
        throw new FlowInputError('badAction', t('semilimes-file.errors.badAction', { action: String(chosen) }));
      }
      return chosen;
    }

    /** Shows "uploading 40 % (400 MB)" while a large transfer runs, without flooding the editor with updates. */
    function progressReporter(verb: 'uploading' | 'downloading') {
      let last = 0;
      return (p: TransferProgress) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS || (p.total !== undefined && p.total < PROGRESS_FROM_BYTES)) return;
        if (p.total === undefined && p.bytes < PROGRESS_FROM_BYTES) return;
        last = now;
        const mb = Math.round(p.bytes / MB);
        const text = p.total
          ? t(`semilimes-file.status.${verb}Percent`, { percent: Math.floor((p.bytes / p.total) * 100), mb })
          : t(`semilimes-file.status.${verb}Bytes`, { mb });
        status.transient({ fill: 'blue', shape: 'dot', text });
      };
    }

    async function fileSpecs(msg: FlowMessage): Promise<FileSpec[]> {
      if (Array.isArray(msg.payload)) {
        if (msg.payload.length === 0) throw new FlowInputError('noContent', t('semilimes-file.errors.noContent'));
        // Several files: each entry is {payload?, filename, contentType?} (no payload: filename is a path).
        return msg.payload.map((entry: unknown) => {
          if (typeof entry === 'object' && entry !== null && !Buffer.isBuffer(entry) && !isReadable(entry)) {
            const e = entry as Record<string, unknown>;
            return { content: e.payload, filename: e.filename, contentType: e.contentType };
          }
          return { content: entry };
        });
      }
      const filename = await typed(def.filename || 'filename', def.filenameType || 'msg', msg);
      const contentType = await typed(def.contentType || 'contentType', def.contentTypeType || 'msg', msg);
      return [{ content: msg.payload, filename, contentType }];
    }

    async function upload(msg: FlowMessage, signal: AbortSignal): Promise<UploadedFile[]> {
      const client = account!.client();
      const specs = await fileSpecs(msg);
      const sources: UploadSource[] = [];
      try {
        for (let i = 0; i < specs.length; i++) sources.push(await toUploadSource(specs[i], i, folder, t));
      } catch (err) {
        // One file is refused: the streams given for the others are never read, so they are released now.
        for (const spec of specs) destroyStream(spec.content);
        throw err;
      }
      return client.uploadFiles(sources, { maxBytes, onProgress: progressReporter('uploading'), signal });
    }

    async function download(msg: FlowMessage, signal: AbortSignal): Promise<void> {
      const client = account!.client();
      const fileId = await typed(def.fileId || 'fileId', def.fileIdType || 'msg', msg);
      if (!isNonEmpty(fileId)) throw new FlowInputError('noFileId', t('semilimes-file.errors.noFileId'));
      let thumbnailSize: number | undefined;
      if (def.thumbnailSize !== undefined && def.thumbnailSize !== '') {
        const value = await typed(def.thumbnailSize, def.thumbnailSizeType || 'num', msg);
        if (value !== undefined && value !== null && value !== '') {
          thumbnailSize = Number(value);
          if (!Number.isInteger(thumbnailSize) || thumbnailSize <= 0) {
            throw new FlowInputError('badThumbnail', t('semilimes-file.errors.badThumbnail'));
          }
        }
      }
      let target: string | undefined;
      if (def.output === 'file') {
        const value = await typed(def.path || 'filename', def.pathType || 'msg', msg);
        if (!isNonEmpty(value)) throw new FlowInputError('noPath', t('semilimes-file.errors.noPath'));
        target = await folder.writing(String(value));
      }

      const answer = await client.downloadFile(String(fileId), { thumbnailSize, signal });
      const info = { fileId: String(fileId), title: answer.filename, contentType: answer.contentType, size: answer.size };
      if (target) {
        const size = await saveTo(answer, target);
        msg.payload = target;
        msg.filename = target;
        msg.file = { ...info, size };
      } else {
        const bytes = await readAll(answer);
        msg.payload = bytes;
        msg.filename = answer.filename;
        msg.file = { ...info, size: bytes.length };
      }
      msg.contentType = answer.contentType;
    }

    /** The content as one Buffer, refused beyond the size limit (use "save to a file" for big files). */
    async function readAll(answer: Download): Promise<Buffer> {
      if (answer.size !== undefined && answer.size > maxBytes) {
        answer.body.destroy();
        throw new FlowInputError('tooBig', t('semilimes-file.errors.downloadTooBig', { size: answer.size, max: maxBytes }));
      }
      const report = progressReporter('downloading');
      const chunks: Buffer[] = [];
      let bytes = 0;
      for await (const chunk of answer.body) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          answer.body.destroy();
          throw new FlowInputError('tooBig', t('semilimes-file.errors.downloadTooBig', { size: bytes, max: maxBytes }));
        }
        chunks.push(chunk);
        report({ bytes, total: answer.size });
      }
      return Buffer.concat(chunks, bytes);
    }

    /** Streams the content into a temporary file beside the target, then renames it: no half-written target. */
    async function saveTo(answer: Download, target: string): Promise<number> {
      const partial = `${target}.${randomBytes(4).toString('hex')}.part`;
      const report = progressReporter('downloading');
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
        throw new FlowInputError('writeFailed', t('semilimes-file.errors.writeFailed', { path: target, reason: (err as Error).message }));
      }
    }

    node.on('input', (msg: FlowMessage, send: SendFn, done: DoneFn) => {
      let act: FileAction;
      try {
        if (!account) throw new FlowInputError('noAccount', t('semilimes-file.errors.noAccount'));
        act = action(msg);
      } catch (err) {
        status.failed(t('semilimes-file.status.failed'), (err as Error).message);
        done(err as Error);
        return;
      }
      const abort = new AbortController();
      const work =
        act === 'upload'
          ? upload(msg, abort.signal).then((files) => {
              msg.payload = files;
              msg.fileIds = files.map((f) => f.fileId);
            })
          : download(msg, abort.signal);
      const finished = work.then(
        () => {
          // Finished while the node was closing: a stopped node sends nothing, the message fails instead.
          if (closing) return done(closedError());
          status.succeeded(t(act === 'upload' ? 'semilimes-file.status.uploaded' : 'semilimes-file.status.downloaded'));
          send(msg);
          done();
        },
        (err: Error) => {
          if (closing) return done(closedError());
          status.failed(t('semilimes-file.status.failed'), err.message);
          done(err);
        },
      );
      transfers.set(abort, finished);
      void finished.finally(() => transfers.delete(abort));
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      // A redeploy does not wait for transfers to end: each is aborted, and its message fails through done(err)
      // before this close completes (the wait for that is bounded), so nothing is sent from a stopped node.
      closing = true;
      const aborted = [...transfers.entries()].map(([abort, finished]) => {
        abort.abort();
        return finished;
      });
      let timer: NodeJS.Timeout | undefined;
      const bounded = new Promise<void>((resolve) => (timer = setTimeout(resolve, ABORT_SETTLE_MS)));
      Promise.race([Promise.all(aborted), bounded])
        .then(() => clearTimeout(timer))
        .then(() => (account ? account.deregister(user) : undefined))
        .then(() => done(), () => done());
    });
  }

  RED.nodes.registerType('semilimes-file', SemilimesFileNode as any);
};
