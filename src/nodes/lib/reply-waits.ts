import type { InboundMessage } from '../../semilimes';
import { chatIdOf, senderOf } from './inbound-message';

/** One conversation waiting for a person's next text. */
export interface ReplyWait {
  /** The person whose answer is awaited. */
  senderId: string;
  /** The conversation: `p2p` with that person, or a group chat. */
  kind: 'p2p' | 'groupchat';
  chatId: string;
  /** Receives the answer; called at most once, after the wait was removed. */
  answered(message: InboundMessage): void;
  /** A newer wait for the same person and conversation took this one's place: no answer will come. */
  replaced(): void;
}

const keyOf = (senderId: string, kind: string, chatId: string) => `${kind}\u0000${chatId}\u0000${senderId}`;

/**
 * The conversations of an account that wait for a person's next text ("what time?" -> "7:30"). The account's
 * connection offers each inbound message here first: the awaited answer goes to the waiting node only, so the same
 * text does not also reach receive nodes as if it were a new request. One wait per person and conversation.
 */
export class ReplyWaits {
  private readonly waits = new Map<string, ReplyWait>();

  /** Starts waiting; an earlier wait for the same person in the same conversation is told it was replaced. */
  add(wait: ReplyWait): void {
    const key = keyOf(wait.senderId, wait.kind, wait.chatId);
    const previous = this.waits.get(key);
    this.waits.set(key, wait);
    previous?.replaced();
  }

  /** Stops waiting (timeout, close); a wait already answered or replaced is left alone. */
  remove(wait: ReplyWait): void {
    const key = keyOf(wait.senderId, wait.kind, wait.chatId);
    if (this.waits.get(key) === wait) this.waits.delete(key);
  }

  /** Hands a text to the wait for it; true when one took it (the message then goes nowhere else). */
  take(message: InboundMessage): boolean {
    if (this.waits.size === 0) return false;
    if (message.featureType === 'channel' || message.dataComponent.dataComponentType !== 'text') return false;
    const key = keyOf(senderOf(message), message.featureType, chatIdOf(message));
    const wait = this.waits.get(key);
    if (!wait) return false;
    this.waits.delete(key);
    wait.answered(message);
    return true;
  }
}
