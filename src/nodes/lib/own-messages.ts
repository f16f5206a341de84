import type { InboundMessage, SemilimesClient } from '../../semilimes';
import { senderOf } from './inbound-message';

/**
 * The loop guard of a receive node: tells the account's own messages apart (a second session of the account, or a
 * server that echoes what the account sent, would otherwise feed a bot its own answers, forever). The account's id is
 * read once per key from `/account/my`; messages wait for it in order, so none overtakes another.
 */
export class OwnMessages {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: () => SemilimesClient,
    /** Called once per failed read; the message is then let through (losing it would be worse than one echo). */
    private readonly readFailed: (err: Error) => void,
  ) {}

  /** Runs `deliver` for the message unless the account sent it itself; in the order messages arrive. */
  pass(message: InboundMessage, deliver: () => void): void {
    this.chain = this.chain.then(async () => {
      if (!(await this.isOwn(message))) deliver();
    });
  }

  private async isOwn(message: InboundMessage): Promise<boolean> {
    try {
      // The client remembers the id per key, so this asks semilimes once, and again after a key change.
      return senderOf(message) === (await this.client().ownAccountId());
    } catch (err) {
      this.readFailed(err as Error);
      return false;
    }
  }
}
