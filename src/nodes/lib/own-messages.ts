import type { InboundMessage, SemilimesClient } from '../../semilimes';
import { senderOf } from './inbound-message';

/** After a failed read of the account's id, messages pass unchecked for this long before it is asked again. */
export const OWN_ID_RETRY_MS = 60_000;
/** Longest a message waits for the account's id; a read still running then counts as failed for the message. */
export const OWN_ID_WAIT_MS = 2000;

/**
 * The loop guard of a receive node: tells the account's own messages apart (a second session of the account, or a
 * server that echoes what the account sent, would otherwise feed a bot its own answers, forever). The account's id is
 * read once per key from `/account/my`, as soon as the node starts, so the first messages need not wait for it.
 */
export class OwnMessages {
  /** Until then a failed read stands: messages are let through at once instead of each asking semilimes again. */
  private failedUntil = 0;

  constructor(
    private readonly client: () => SemilimesClient,
    /** Called for a failed read; the message is then let through (losing it would be worse than one echo). */
    private readonly readFailed: (err: Error) => void,
  ) {}

  /** Starts reading the account's id now; a failure is reported with the first message that needs it. */
  prepare(): void {
    try {
      this.client()
        .ownAccountId()
        .catch(() => undefined);
    } catch {
      // No client (the account's settings are unusable): the account node already says why.
    }
  }

  /** Whether the account sent the message itself, when that is known without a wait; undefined when it needs one. */
  isOwnNow(message: InboundMessage): boolean | undefined {
    const id = this.client().knownOwnAccountId;
    if (id !== undefined) return senderOf(message) === id;
    return Date.now() < this.failedUntil ? false : undefined;
  }

  /** Whether the account sent the message itself. */
  async isOwn(message: InboundMessage): Promise<boolean> {
    const now = this.isOwnNow(message);
    if (now !== undefined) return now;
    let timer: NodeJS.Timeout | undefined;
    try {
      // The client remembers the id per key, so this asks semilimes once, and again after a key change. A read that
      // hangs (a server that waits, an outage) must not hold every message behind it.
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${OWN_ID_WAIT_MS / 1000} s`)), OWN_ID_WAIT_MS);
      });
      return senderOf(message) === (await Promise.race([this.client().ownAccountId(), late]));
    } catch (err) {
      if (Date.now() >= this.failedUntil) {
        this.failedUntil = Date.now() + OWN_ID_RETRY_MS;
        this.readFailed(err as Error);
      }
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
