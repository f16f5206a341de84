import type { InboundMessage } from '../../semilimes';

/** Messages held across one deploy: far more than arrive in the second or two a deploy takes. */
export const HELD_MESSAGES_LIMIT = 1000;

/**
 * Inbound messages that arrived while no receive node could take them (during a deploy), in arrival order, to be
 * delivered once to the receive nodes of the new flows. Bounded: past the limit the oldest are let go and counted.
 */
export class HeldMessages {
  private readonly messages: InboundMessage[] = [];
  /** Messages let go because the limit was reached. */
  dropped = 0;

  constructor(private readonly limit = HELD_MESSAGES_LIMIT) {}

  get size(): number {
    return this.messages.length;
  }

  add(message: InboundMessage): void {
    this.messages.push(message);
    if (this.messages.length > this.limit) {
      this.messages.shift();
      this.dropped += 1;
    }
  }

  /** Every held message, oldest first; the holder is empty afterwards. */
  drain(): InboundMessage[] {
    return this.messages.splice(0);
  }
}
