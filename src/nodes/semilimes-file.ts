import type { UploadedFile, UploadSource } from '../semilimes';
import type { AccountNode } from './lib/account';
import { readAll, saveTo } from './lib/download-targets';
import { FileFolder, userDirectory } from './lib/file-folder';
import { destroyStream, isReadable, toUploadSource, type FileSpec } from './lib/file-sources';
import { FlowInputError, isNonEmpty } from './lib/flow-input';
import { NodeHarness, type InputContext } from './lib/harness';
import type { FlowMessage, Node, NodeAPI, NodeDef } from './lib/node-red';
import { progressReporter } from './lib/transfer-progress';
import { evaluateTypedInput } from './lib/typed-input';
import { migrate } from './migrations/migrate';
import { FILE_MIGRATION } from './migrations/semilimes-file';

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
  /** The file a download is saved to, when `output` is 'file': a typed input, msg.filename by default. */
  saveTo: string;
  saveToType: string;
  /** The folder paths must stay inside: absolute, or relative to the user directory; blank (or absent) for anywhere. */
  folder?: string;
}

const MB = 1024 * 1024;
const DEFAULT_MAX_MB = 100;

/** Several files in one message: each entry is {payload?, filename, contentType?} (no payload: filename is a path). */
function specsFromList(list: unknown[]): FileSpec[] {
  return list.map((entry: unknown) => {
    if (typeof entry === 'object' && entry !== null && !Buffer.isBuffer(entry) && !isReadable(entry)) {
      const e = entry as Record<string, unknown>;
      return { content: e.payload, filename: e.filename, contentType: e.contentType };
    }
    return { content: entry };
  });
}

export = function register(RED: NodeAPI) {
  const userDir = userDirectory(RED.settings as unknown as Record<string, unknown>);

  function SemilimesFileNode(this: Node, saved: FileDef) {
    RED.nodes.createNode(this, saved);
    const node = this;
    const def = migrate(FILE_MIGRATION, saved);
    const harness = new NodeHarness<AccountNode>(RED, node, { type: 'semilimes-file', config: def.account });
    const t = harness.t;
    const maxMB = Number(def.maxSizeMB);
    const maxBytes = Math.round((Number.isFinite(maxMB) && maxMB > 0 ? maxMB : DEFAULT_MAX_MB) * MB);
    const folder = new FileFolder(def.folder, userDir, t);
    const typed = (value: string | undefined, type: string | undefined, msg: FlowMessage) =>
      evaluateTypedInput(RED, node, value, type, msg);

    function action(msg: FlowMessage): FileAction {
      const chosen = def.action === 'msg' ? msg.action : def.action || 'upload';
      if (chosen !== 'upload' && chosen !== 'download') {
        throw new FlowInputError('badAction', t('errors.badAction', { action: String(chosen) }), 'action');
      }
      return chosen;
    }

    async function fileSpecs(msg: FlowMessage): Promise<FileSpec[]> {
      if (Array.isArray(msg.payload)) {
        if (msg.payload.length === 0) throw new FlowInputError('noContent', t('errors.noContent'), 'payload');
        return specsFromList(msg.payload);
      }
      const filename = await typed(def.filename || 'filename', def.filenameType || 'msg', msg);
      const contentType = await typed(def.contentType || 'contentType', def.contentTypeType || 'msg', msg);
      return [{ content: msg.payload, filename, contentType }];
    }

    async function upload(msg: FlowMessage, { signal, status }: InputContext): Promise<UploadedFile[]> {
      const client = harness.connection().client();
      const specs = await fileSpecs(msg);
      const sources: UploadSource[] = [];
      try {
        for (let i = 0; i < specs.length; i++) sources.push(await toUploadSource(specs[i], i, folder, t));
      } catch (err) {
        // One file is refused: the streams given for the others are never read, so they are released now.
        for (const spec of specs) destroyStream(spec.content);
        throw err;
      }
      return client.uploadFiles(sources, { maxBytes, onProgress: progressReporter(status, t, 'uploading'), signal });
    }

    async function thumbnailSize(msg: FlowMessage): Promise<number | undefined> {
      if (def.thumbnailSize === undefined || def.thumbnailSize === '') return undefined;
      const value = await typed(def.thumbnailSize, def.thumbnailSizeType || 'num', msg);
      if (value === undefined || value === null || value === '') return undefined;
      const width = Number(value);
      if (!Number.isInteger(width) || width <= 0) throw new FlowInputError('badThumbnail', t('errors.badThumbnail'));
      return width;
    }

    /** The file to save to (checked against the node's folder), or undefined for a Buffer. */
    async function saveTarget(msg: FlowMessage): Promise<string | undefined> {
      if (def.output !== 'file') return undefined;
      const value = await typed(def.saveTo || 'filename', def.saveToType || 'msg', msg);
      if (!isNonEmpty(value)) throw new FlowInputError('noPath', t('errors.noPath'));
      return folder.writing(String(value));
    }

    async function download(msg: FlowMessage, { signal, status }: InputContext): Promise<void> {
      const client = harness.connection().client();
      const fileId = await typed(def.fileId || 'fileId', def.fileIdType || 'msg', msg);
      if (!isNonEmpty(fileId)) throw new FlowInputError('noFileId', t('errors.noFileId'));
      const size = await thumbnailSize(msg);
      const target = await saveTarget(msg);
      const answer = await client.downloadFile(String(fileId), { thumbnailSize: size, signal });
      const info = { fileId: String(fileId), title: answer.filename, contentType: answer.contentType };
      const report = progressReporter(status, t, 'downloading');
      if (target) {
        msg.file = { ...info, size: await saveTo(answer, target, report, t) };
        msg.payload = target;
        msg.filename = target;
      } else {
        const bytes = await readAll(answer, maxBytes, report, t);
        msg.file = { ...info, size: bytes.length };
        msg.payload = bytes;
        msg.filename = answer.filename;
      }
      msg.contentType = answer.contentType;
    }

    harness.onInput(async (msg, context) => {
      if (action(msg) === 'download') {
        await download(msg, context);
        return { msg, status: t('status.downloaded') };
      }
      const files = await upload(msg, context);
      msg.payload = files;
      msg.fileIds = files.map((f) => f.fileId);
      return { msg, status: t('status.uploaded') };
    });
  }

  RED.nodes.registerType('semilimes-file', SemilimesFileNode as any);
};
