// Files as XFTP moves them: the sender's bytes go to the relay's file store ("upload", with progress and completion
// events), the recipients get the file description, and `/freceive` (or `-a`) writes the same bytes into the
// receiver's files folder (design file F11-F13).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChatUser } from './device';
import { chatErr, storeErr } from './errors';
import { Json } from './json';
import * as records from './records';
import { ItemState } from './state';

const STEP_MS = 5;

export function findFileItem(u: ChatUser, fileId: number): ItemState | undefined {
  for (const list of u.items.values()) for (const item of list) if (item.file?.fileId === fileId) return item;
  return undefined;
}

function senderName(u: ChatUser, item: ItemState): string {
  const id = Number(item.chatKey.slice(1));
  if (item.chatKey.startsWith('@')) return u.contacts.get(id)?.localDisplayName ?? '';
  return u.groups.get(id)?.members.find((m) => m.groupMemberId === item.senderMemberId)?.localDisplayName ?? '';
}

function rcvTransfer(u: ChatUser, item: ItemState): Json {
  if (!item.file) throw new Error(`item ${item.itemId} has no file`);
  return records.rcvFileTransfer(item.file, senderName(u, item), item.senderMemberId);
}

interface Target {
  user: ChatUser;
  chatKey: string;
}

/** Simulates the upload of a sent item's file, then hands the description to each recipient. */
export function startUpload(u: ChatUser, item: ItemState, targets: Target[]): void {
  const file = item.file;
  if (!file) return;
  const relay = u.device.relay;
  const faults = u.device.faults;
  u.device.later(STEP_MS, () => {
    if (file.cancelled) return;
    if (faults.failUploads > 0) {
      faults.failUploads--;
      file.status = {
        type: 'sndError',
        sndFileError: { type: 'other', fileError: 'upload failed (injected by the emulator)' },
      };
      u.emit('sndFileError', {
        chatItem_: u.aChatItem(item),
        fileTransferMeta: records.fileTransferMeta(file),
        errorMessage: 'upload failed (injected by the emulator)',
      });
      return;
    }
    file.status = { type: 'sndTransfer', sndProgress: Math.floor(file.fileSize / 2), sndTotal: file.fileSize };
    u.emit('sndFileProgressXFTP', {
      chatItem: u.aChatItem(item),
      fileTransferMeta: records.fileTransferMeta(file),
      sentSize: Math.floor(file.fileSize / 2),
      totalSize: file.fileSize,
    });
    u.device.later(STEP_MS, () => {
      if (file.cancelled) return;
      file.status = { type: 'sndComplete' };
      u.emit('sndFileCompleteXFTP', { chatItem: u.aChatItem(item), fileTransferMeta: records.fileTransferMeta(file) });
      for (const target of targets) {
        relay.send(target.user.device, () => descriptionReady(target.user, target.chatKey, item.sharedMsgId));
      }
    });
  });
}

function descriptionReady(t: ChatUser, chatKey: string, sharedMsgId: string): void {
  const item = t.findShared(chatKey, sharedMsgId);
  const file = item?.file;
  if (!item || !file || file.cancelled) return;
  file.descrReady = true;
  t.emit('rcvFileDescrReady', {
    chatItem: t.aChatItem(item),
    rcvFileTransfer: rcvTransfer(t, item),
    rcvFileDescr: records.rcvFileDescr(file),
  });
  if (file.accepted) {
    transfer(t, item);
    return;
  }
  const limit = t.device.options.autoAcceptFiles;
  if (limit !== undefined && file.fileSize <= limit) {
    // `-a`: the CLI accepts by itself and says so with an event (F12).
    accept(t, item, undefined);
    t.emit('rcvFileAccepted', { chatItem: t.aChatItem(item) });
    transfer(t, item);
  }
}

function accept(t: ChatUser, item: ItemState, requestedPath: string | undefined): void {
  const file = item.file;
  if (!file) return;
  file.accepted = true;
  file.status = { type: 'rcvAccepted' };
  file.requestedPath = requestedPath;
}

function targetPath(t: ChatUser, fileName: string, requested: string | undefined): string {
  const folder = t.device.options.filesFolder ?? t.device.options.defaultFilesDir;
  if (requested) return path.resolve(folder, requested);
  mkdirSync(folder, { recursive: true });
  const ext = path.extname(fileName);
  const base = path.basename(fileName, ext) || 'file';
  let candidate = path.join(folder, `${base}${ext}`);
  for (let n = 1; existsSync(candidate); n++) candidate = path.join(folder, `${base}_${n}${ext}`);
  return candidate;
}

/** The path as the CLI reports it: relative to `--files-folder` when set (F13), absolute otherwise. */
function reportedPath(t: ChatUser, full: string): string {
  const folder = t.device.options.filesFolder;
  if (!folder) return full;
  const rel = path.relative(folder, full);
  return rel.startsWith('..') || path.isAbsolute(rel) ? full : rel;
}

function transfer(t: ChatUser, item: ItemState): void {
  const file = item.file;
  if (!file) return;
  t.device.later(STEP_MS, () => {
    if (file.cancelled) return;
    file.status = { type: 'rcvTransfer', rcvProgress: 0, rcvTotal: file.fileSize };
    t.emit('rcvFileStart', { chatItem: t.aChatItem(item) });
    const bytes = t.device.relay.blobs.get(file.blobKey);
    t.device.later(STEP_MS, () => {
      if (file.cancelled) return;
      t.emit('rcvFileProgressXFTP', {
        chatItem_: t.aChatItem(item),
        receivedSize: file.fileSize,
        totalSize: file.fileSize,
        rcvFileTransfer: rcvTransfer(t, item),
      });
      try {
        if (!bytes) throw new Error('the file is no longer on the server');
        const full = targetPath(t, file.fileName, file.requestedPath);
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, bytes, { mode: 0o600 });
        file.filePath = reportedPath(t, full);
        file.status = { type: 'rcvComplete' };
        t.emit('rcvFileComplete', { chatItem: t.aChatItem(item) });
      } catch (err) {
        file.status = { type: 'rcvError', rcvFileError: { type: 'other', fileError: (err as Error).message } };
        t.emit('rcvFileError', {
          chatItem_: t.aChatItem(item),
          agentError: { type: 'FILE', fileErr: { type: 'FILE_IO', fileIOError: (err as Error).message } },
          rcvFileTransfer: rcvTransfer(t, item),
        });
      }
    });
  });
}

export function receiveFile(t: ChatUser, fileId: number, filePath: string | undefined): Json {
  const item = findFileItem(t, fileId);
  const file = item?.file;
  if (!item || !file || item.dir !== 'rcv') throw storeErr('fileNotFound', { fileId });
  if (file.cancelled) return { type: 'rcvFileAcceptedSndCancelled', rcvFileTransfer: rcvTransfer(t, item) };
  if (file.accepted) throw chatErr('fileAlreadyReceiving', { message: `file ${fileId} is already being received` });
  accept(t, item, filePath);
  if (file.descrReady) transfer(t, item);
  return { type: 'rcvFileAccepted', chatItem: t.aChatItem(item) };
}

export function cancelFile(u: ChatUser, fileId: number): Json {
  const item = findFileItem(u, fileId);
  const file = item?.file;
  if (!item || !file) throw storeErr('fileNotFound', { fileId });
  if (file.cancelled || file.status.type === 'rcvComplete') {
    throw chatErr('fileCancel', { fileId, message: 'file transfer is complete or cancelled' });
  }
  file.cancelled = true;
  if (item.dir === 'rcv') {
    file.status = { type: 'rcvCancelled' };
    return { type: 'rcvFileCancelled', chatItem_: u.aChatItem(item), rcvFileTransfer: rcvTransfer(u, item) };
  }
  file.status = { type: 'sndCancelled' };
  for (const device of u.device.relay.devices) {
    for (const t of device.users) {
      if (t === u) continue;
      for (const list of t.items.values()) {
        const copy = list.find((i) => i.sharedMsgId === item.sharedMsgId && i.file);
        if (!copy?.file || copy.file.status.type === 'rcvComplete') continue;
        const copyFile = copy.file;
        u.device.relay.send(t.device, () => {
          copyFile.cancelled = true;
          copyFile.status = { type: 'rcvCancelled' };
          t.emit('rcvFileSndCancelled', { chatItem: t.aChatItem(copy), rcvFileTransfer: rcvTransfer(t, copy) });
        });
      }
    }
  }
  return {
    type: 'sndFileCancelled',
    chatItem_: u.aChatItem(item),
    fileTransferMeta: records.fileTransferMeta(file),
    sndFileTransfers: [],
  };
}
