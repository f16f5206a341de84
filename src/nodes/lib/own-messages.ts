import type { InboundMessage, SemilimesClient } from '../../semilimes';
import { senderOf } from './inbound-message';

/**
 * The loop guard of a receive node: tells the account's own messages apart (a second session of the account, or a
 * server that echoes what the account sent, would otherwise feed a bot its own answers, forever). The account's id is
 * read once per key from `/account/my`.
 */
export class OwnMessages {
  constructor(
    private readonly client: () => SemilimesClient,
    /** Called for a failed read; the message is then let through (losing it would be worse than one echo). */
    private readonly readFailed: (err: Error) => void,
  ) {}

  /** Whether the account sent the message itself, when its id is known already; undefined when that needs a wait. */
  isOwnNow(message: InboundMessage): boolean | undefined {
    const id = this.client().knownOwnAccountId;
    return id === undefined ? undefined : senderOf(message) === id;
  }

  /** Whether the account sent the message itself. */
  async isOwn(message: InboundMessage): Promise<boolean> {
    try {
      // The client remembers the id per key, so this asks semilimes once, and again after a key change.
      return senderOf(message) === (await this.client().ownAccountId());
    } catch (err) {
      this.readFailed(err as Error);
      return false;
    }
  }
}
