import type { TransferProgress } from '../../semilimes';
import type { StatusView } from './status';
import type { Translate } from './translate';

const MB = 1024 * 1024;
/** Progress is shown for transfers at least this big, at most this often. */
const PROGRESS_FROM_BYTES = 4 * MB;
const PROGRESS_EVERY_MS = 500;

/**
 * Shows "uploading 40 % (400 MB)" while a large transfer runs, without flooding the editor with updates. Keys are
 * relative to the file node's catalogue: `status.<verb>Percent` and `status.<verb>Bytes`.
 */
export function progressReporter(status: StatusView, t: Translate, verb: 'uploading' | 'downloading') {
  let last = 0;
  return (p: TransferProgress): void => {
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS || (p.total !== undefined && p.total < PROGRESS_FROM_BYTES)) return;
    if (p.total === undefined && p.bytes < PROGRESS_FROM_BYTES) return;
    last = now;
    const mb = Math.round(p.bytes / MB);
    const text = p.total
      ? t(`status.${verb}Percent`, { percent: Math.floor((p.bytes / p.total) * 100), mb })
      : t(`status.${verb}Bytes`, { mb });
    status.transient({ fill: 'blue', shape: 'dot', text });
  };
}
