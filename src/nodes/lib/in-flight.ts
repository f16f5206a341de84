import { setMaxListeners } from 'node:events';
import type { DoneFn } from './node-red';

/** What a node learnt about a message while working on it, named when a close cuts the work short. */
export interface WorkFacts {
  messageId?: string;
}

interface Entry {
  readonly facts: WorkFacts;
  /** Ends the message with this error unless it has already ended. */
  readonly cutShort: (err: Error) => void;
  /** Settles when the work itself has finished (whatever the message's outcome). */
  finished: Promise<void>;
}

/**
 * The messages a node is working on. Each ends exactly once: by its work's outcome or, first, by a close cutting it
 * short. After `closeAll()` nothing more is sent: a late outcome is dropped, the message already failed.
 */
export class InFlight {
  private readonly entries = new Set<Entry>();
  private closed = false;
  /**
   * One controller for all the node's messages: a message's work is aborted only when the node closes, and then all
   * are. One per message cost each message a signal and its listeners (a send waiting in the queue listens on its
   * signal): about a quarter of a message's CPU time in a burst of 2,000.
   */
  private readonly controller = new AbortController();

  constructor() {
    // Many messages listen at once (each waiting send, each transfer): no warning past ten listeners.
    setMaxListeners(0, this.controller.signal);
  }

  get size(): number {
    return this.entries.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Runs `work` for one message. `onSuccess`/`onFailure` run at most once, and never after the message was cut
   * short; `done` is called exactly once in every case. The work gets the node's signal, aborted when it closes.
   */
  run<T>(
    work: (signal: AbortSignal, facts: WorkFacts) => Promise<T>,
    done: DoneFn,
    onSuccess: (value: T) => void,
    onFailure: (err: Error) => void,
  ): void {
    let ended = false;
    const end = (outcome: () => void) => {
      if (ended) return;
      ended = true;
      try {
        outcome();
      } catch (err) {
        // A failing success or failure handler must not leave the message without its one done.
        done(err as Error);
      }
    };
    const entry: Entry = {
      facts: {},
      cutShort: (err) => end(() => done(err)),
      finished: Promise.resolve(),
    };
    this.entries.add(entry);
    entry.finished = this.settle(entry, work, end, done, onSuccess, onFailure);
  }

  /** Runs one message's work and hands its outcome on; one async function rather than a chain of five promises. */
  private async settle<T>(
    entry: Entry,
    work: (signal: AbortSignal, facts: WorkFacts) => Promise<T>,
    end: (outcome: () => void) => void,
    done: DoneFn,
    onSuccess: (value: T) => void,
    onFailure: (err: Error) => void,
  ): Promise<void> {
    try {
      // The work starts after the input event has returned, in a microtask of its own.
      await undefined;
      let value: T;
      try {
        value = await work(this.controller.signal, entry.facts);
      } catch (err) {
        end(() => onFailure(err instanceof Error ? err : new Error(String(err))));
        return;
      }
      end(() => onSuccess(value));
    } catch (err) {
      end(() => done(err as Error));
    } finally {
      this.entries.delete(entry);
    }
  }

  /** Ends every running message with the error `errorFor` makes from what the node knew about it. */
  cutShortAll(errorFor: (facts: WorkFacts) => Error): void {
    for (const entry of this.entries) entry.cutShort(errorFor(entry.facts));
  }

  /**
   * The node is closing: every running message is cut short, its work aborted; resolves when the aborted work has
   * settled or after `limitMs`, so resources it holds (streams, temporary files, the connection) are released first.
   */
  async closeAll(errorFor: (facts: WorkFacts) => Error, limitMs: number): Promise<void> {
    this.closed = true;
    this.cutShortAll(errorFor);
    this.controller.abort();
    const running = [...this.entries].map((entry) => entry.finished);
    if (running.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
    await Promise.race([Promise.all(running), limit]);
    clearTimeout(timer);
  }
}
