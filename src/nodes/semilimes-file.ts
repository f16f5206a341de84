import type { UploadedFile, UploadSource } from '../semilimes';
import type { AccountNode } from './lib/account';
import { readAll, saveTo } from './lib/download-targets';
import { FileFolder, userDirectory } from './lib/file-folder';
import { destroyStream, isReadable, toUploadSource, type FileSpec } from './lib/file-sources';
import { FlowInputError, isNonEmpty } from './lib/flow-input';
import { NodeHarness, type InputContext, type InputResult } from './lib/harness';
import type { FlowMessage, Node, NodeAPI, NodeDef, NodeConstructor } from './lib/node-red';
import { progressReporter } from './lib/transfer-progress';
import type { Translate } from './lib/translate';
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

/** What a file node does with one message: read its settings and the message, then call the client. */
class FileTransfers {
  private readonly maxBytes: number;
  private readonly folder: FileFolder;
  private readonly t: Translate;

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly def: FileDef,
    private readonly harness: NodeHarness<AccountNode>,
    userDir: string,
  ) {
    const maxMB = Number(def.maxSizeMB);
    this.maxBytes = Math.round((Number.isFinite(maxMB) && maxMB > 0 ? maxMB : DEFAULT_MAX_MB) * MB);
    this.t = harness.t;
    this.folder = new FileFolder(def.folder, userDir, this.t);
  }

  async handle(msg: FlowMessage, context: InputContext): Promise<InputResult> {
    if (this.action(msg) === 'download') {
      await this.download(msg, context);
      return { msg, status: this.t('status.downloaded') };
    }
    const files = await this.upload(msg, context);
    msg.payload = files;
    msg.fileIds = files.map((f) => f.fileId);
    return { msg, status: this.t('status.uploaded') };
  }

  private typed(value: string | undefined, type: string | undefined, msg: FlowMessage) {
    return evaluateTypedInput(this.RED, this.node, value, type, msg);
  }

  private action(msg: FlowMessage): FileAction {
    const chosen = this.def.action === 'msg' ? msg.action : this.def.action || 'upload';
    if (chosen !== 'upload' && chosen !== 'download') {
      throw new FlowInputError('badAction', this.t('errors.badAction', { action: String(chosen) }), 'action');
    }
    return chosen;
  }

  private async fileSpecs(msg: FlowMessage): Promise<FileSpec[]> {
    if (Array.isArray(msg.payload)) {
      if (msg.payload.length === 0) throw new FlowInputError('noContent', this.t('errors.noContent'), 'payload');
      return specsFromList(msg.payload);
    }
    const filename = await this.typed(this.def.filename || 'filename', this.def.filenameType || 'msg', msg);
    const contentType = await this.typed(this.def.contentType || 'contentType', this.def.contentTypeType || 'msg', msg);
    return [{ content: msg.payload, filename, contentType }];
  }

  private async upload(msg: FlowMessage, { signal, status }: InputContext): Promise<UploadedFile[]> {
    const client = this.harness.connection().client();
    const specs = await this.fileSpecs(msg);
    const sources: UploadSource[] = [];
    try {
      for (let i = 0; i < specs.length; i++) sources.push(await toUploadSource(specs[i], i, this.folder, this.t));
    } catch (err) {
      // One file is refused: the streams given for the others are never read, so they are released now.
      for (const spec of specs) destroyStream(spec.content);
      throw err;
    }
    const onProgress = progressReporter(status, this.t, 'uploading');
    return client.uploadFiles(sources, { maxBytes: this.maxBytes, onProgress, signal });
  }

  private async thumbnailSize(msg: FlowMessage): Promise<number | undefined> {
    if (this.def.thumbnailSize === undefined || this.def.thumbnailSize === '') return undefined;
    const value = await this.typed(this.def.thumbnailSize, this.def.thumbnailSizeType || 'num', msg);
    if (value === undefined || value === null || value === '') return undefined;
    const width = Number(value);
    if (!Number.isInteger(width) || width <= 0) {
      throw new FlowInputError('badThumbnail', this.t('errors.badThumbnail'));
    }
    return width;
  }

  /** The file to save to (checked against the node's folder), or undefined for a Buffer. */
  private async saveTarget(msg: FlowMessage): Promise<string | undefined> {
    if (this.def.output !== 'file') return undefined;
    const value = await this.typed(this.def.saveTo || 'filename', this.def.saveToType || 'msg', msg);
    if (!isNonEmpty(value)) throw new FlowInputError('noPath', this.t('errors.noPath'));
    return this.folder.writing(String(value));
  }

  private async download(msg: FlowMessage, { signal, status }: InputContext): Promise<void> {
    const client = this.harness.connection().client();
    const fileId = await this.typed(this.def.fileId || 'fileId', this.def.fileIdType || 'msg', msg);
    if (!isNonEmpty(fileId)) throw new FlowInputError('noFileId', this.t('errors.noFileId'));
    const thumbnailSize = await this.thumbnailSize(msg);
    const target = await this.saveTarget(msg);
    const answer = await client.downloadFile(String(fileId), { thumbnailSize, signal });
    const info = { fileId: String(fileId), title: answer.filename, contentType: answer.contentType };
    const report = progressReporter(status, this.t, 'downloading');
    if (target) {
      msg.file = { ...info, size: await saveTo(answer, target, report, this.t) };
      msg.payload = target;
      msg.filename = target;
    } else {
      const bytes = await readAll(answer, this.maxBytes, report, this.t);
      msg.file = { ...info, size: bytes.length };
      msg.payload = bytes;
      msg.filename = answer.filename;
    }
    msg.contentType = answer.contentType;
  }
}

export = function register(RED: NodeAPI) {
  const userDir = userDirectory(RED.settings as unknown as Record<string, unknown>);

  function SemilimesFileNode(this: Node, saved: FileDef) {
    RED.nodes.createNode(this, saved);
    const def = migrate(FILE_MIGRATION, saved);
    const harness = new NodeHarness<AccountNode>(RED, this, { type: 'semilimes-file', config: def.account });
    const transfers = new FileTransfers(RED, this, def, harness, userDir);
    harness.onInput((msg, context) => transfers.handle(msg, context));
  }

  RED.nodes.registerType('semilimes-file', SemilimesFileNode as unknown as NodeConstructor);
};
