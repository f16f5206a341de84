import { chatItemsOf, type ChatResponse, type SentItems } from '../../simplex';
import type { FlowMessage } from './node-red';

interface Pending {
  msg: Record<string, unknown>;
  items: Set<number>;
  timer: NodeJS.Timeout;
}

/** Item statuses that mean the message will not arrive. */
const FAILED_STATUS = /^sndError/;

/**
 * The delivery output of a send node: one message per sent message once the recipient's client confirmed every item
 * (`sndRcvd`), or a file's upload completed; `delivered: false` when sending failed or nothing came in time.
 */
export class DeliveryWatch {
  private readonly byItem = new Map<number, Pending>();

  constructor(
    private readonly timeoutMs: number,
    private readonly output: (msg: Record<string, unknown>) => void,
  ) {}

  watch(msg: FlowMessage, sent: SentItems): void {
    const ids = sent.items.map((i) => i.chatItemId);
    if (ids.length === 0) return;
    const out: Record<string, unknown> = {
      _msgid: msg._msgid,
      topic: msg.topic,
      chatRef: sent.items[0].chatRef,
      chatItemId: ids[0],
      chatItemIds: ids,
    };
    const pending: Pending = {
      msg: out,
      items: new Set(ids),
      timer: setTimeout(() => this.finish(pending, false, 'timeout'), this.timeoutMs),
    };
    for (const id of ids) this.byItem.set(id, pending);
  }

  onEvent(resp: ChatResponse): void {
    if (this.byItem.size === 0) return;
    const file = resp.type === 'sndFileCompleteXFTP' || resp.type === 'sndFileError';
    if (resp.type !== 'chatItemsStatusesUpdated' && !file) return;
    for (const aci of chatItemsOf(resp)) {
      const id = aci.chatItem?.meta?.itemId;
      const pending = typeof id === 'number' ? this.byItem.get(id) : undefined;
      if (!pending || typeof id !== 'number') continue;
      const status = file ? resp.type : String(aci.chatItem?.meta?.itemStatus?.type ?? '');
      if (resp.type === 'sndFileError' || FAILED_STATUS.test(status)) {
        this.finish(pending, false, status);
        continue;
      }
      if (status !== 'sndRcvd' && resp.type !== 'sndFileCompleteXFTP') continue;
      pending.items.delete(id);
      this.byItem.delete(id);
      if (pending.items.size === 0) this.finish(pending, true, status);
    }
  }

  clear(): void {
    for (const pending of new Set(this.byItem.values())) clearTimeout(pending.timer);
    this.byItem.clear();
  }

  private finish(pending: Pending, delivered: boolean, status: string): void {
    clearTimeout(pending.timer);
    for (const id of pending.items) this.byItem.delete(id);
    pending.items.clear();
    this.output({ ...pending.msg, payload: status, delivered });
  }
}
