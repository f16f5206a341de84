import { EventEmitter } from 'node:events';
import { ClosedError, RateLimitError, SemilimesError } from './errors';
import type { Logger } from './logger';

export interface PacingOptions {
  /** Most messages per second to one conversation; 0 (the default) does not pace. */
  perChatPerSecond?: number;
  /** Most messages per second over all conversations of the account; 0 (the default) does not pace. */
  perAccountPerSecond?: number;
  /** Most messages waiting at once; one more fails at once (default 1000). */
  maxQueued?: number;
  /** Longest a message waits in all because semilimes refused it for rate, before it fails (default 2 min). */
  maxRateLimitWaitMs?: number;
}

export const DEFAULT_MAX_QUEUED = 1000;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 120_000;
/** A refusal without a wait of its own: 1 s, doubling, up to this. */
const BACKOFF_CAP_MS = 30_000;

/** The queue is full: the message was not sent. */
export class QueueFullError extends SemilimesError {
  constructor(limit: number) {
    super('RATE_LIMITED', `${limit} messages are already waiting to be sent; this one was not sent`);
  }
}

interface Job {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  /** Time spent waiting because of refusals, ms. */
  rateWaitedMs: number;
  refusals: number;
  /** Removes the abort listener once the job is settled. */
  detach?: () => void;
}

interface Chat {
  jobs: Job[];
  busy: boolean;
  /** Earliest time the next message to this conversation may leave (local ms). */
  nextAt: number;
}

/**
 * Messages on their way to conversations: one at a time per conversation, so they arrive in the order they were
 * given; paced per conversation and per account; and sent again after a refusal for rate (semilimes did not carry a
 * refused request out, so sending it again is safe), after the wait the refusal asked for or a capped backoff. A
 * refusal pauses the whole account: the limit is the key's. Bounded: a full queue fails new messages at once.
 *
 * Events: `waiting` (count): how many messages wait (not yet on their way), after every change.
 */
export class SendQueue extends EventEmitter {
  private readonly chats = new Map<string, Chat>();
  private readonly chatGapMs: number;
  private readonly accountGapMs: number;
  private readonly maxQueued: number;
  private readonly maxRateLimitWaitMs: number;
  private accountNextAt = 0;
  /** No message leaves before this (after a refusal for rate), local ms. */
  private pausedUntil = 0;
  private waitingCount = 0;
  private reported = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private closed = false;

  constructor(
    options: PacingOptions,
    private readonly logger: Logger,
  ) {
    super();
    this.chatGapMs = gapMs(options.perChatPerSecond);
    this.accountGapMs = gapMs(options.perAccountPerSecond);
    this.maxQueued = positive(options.maxQueued, DEFAULT_MAX_QUEUED);
    this.maxRateLimitWaitMs = positive(options.maxRateLimitWaitMs, DEFAULT_MAX_RATE_LIMIT_WAIT_MS);
  }

  /** Messages waiting (not yet on their way). */
  get waiting(): number {
    return this.waitingCount;
  }

  /**
   * Runs `run` when the conversation `chat` and the account allow; resolves or rejects with its outcome. Aborting
   * `signal` while the message still waits takes it out of the queue, never sent.
   */
  enqueue<T>(chat: string, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new ClosedError('send queue'));
    if (signal?.aborted) return Promise.reject(new ClosedError('send queue'));
    if (this.waitingCount >= this.maxQueued) return Promise.reject(new QueueFullError(this.maxQueued));
    return new Promise<T>((resolve, reject) => {
      let entry = this.chats.get(chat);
      if (!entry) {
        entry = { jobs: [], busy: false, nextAt: 0 };
        this.chats.set(chat, entry);
      }
      const job: Job = { run, resolve: resolve as (v: unknown) => void, reject, rateWaitedMs: 0, refusals: 0 };
      entry.jobs.push(job);
      const queued = entry;
      if (signal) {
        const onAbort = () => this.withdraw(queued, job);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.setWaiting(this.waitingCount + 1);
      this.pump();
    });
  }

  /** An aborted message that has not left yet: out of the queue, never sent. */
  private withdraw(chat: Chat, job: Job): void {
    const index = chat.jobs.indexOf(job);
    if (index < 0 || (index === 0 && chat.busy)) return;
    chat.jobs.splice(index, 1);
    this.setWaiting(this.waitingCount - 1);
    job.reject(new ClosedError('send queue'));
    this.pump();
  }

  /** Fails every waiting message (not sent); messages on their way finish as they will. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const chat of this.chats.values()) {
      const waiting = chat.busy ? chat.jobs.splice(1) : chat.jobs.splice(0);
      for (const job of waiting) {
        job.detach?.();
        job.reject(new ClosedError('send queue'));
      }
    }
    this.setWaiting(0);
    this.notify();
  }

  /** Starts every message whose time has come; wakes up again for the earliest one that must wait. */
  private pump(): void {
    if (this.closed) return;
    const now = Date.now();
    let wakeAt = Infinity;
    for (const [key, chat] of [...this.chats]) {
      if (chat.busy) continue;
      if (chat.jobs.length === 0) {
        if (chat.nextAt <= now) this.chats.delete(key);
        continue;
      }
      const at = Math.max(chat.nextAt, this.accountNextAt, this.pausedUntil);
      if (at > now) {
        wakeAt = Math.min(wakeAt, at);
        continue;
      }
      this.start(key, chat, now);
    }
    if (wakeAt !== Infinity) this.wakeAt(wakeAt);
    this.notify();
  }

  private start(key: string, chat: Chat, now: number): void {
    const job = chat.jobs[0];
    chat.busy = true;
    chat.nextAt = now + this.chatGapMs;
    this.accountNextAt = now + this.accountGapMs;
    this.setWaiting(this.waitingCount - 1);
    // Round robin: the conversation goes to the back, so a busy one cannot starve the others.
    this.chats.delete(key);
    this.chats.set(key, chat);
    job.run().then(
      (value) => this.finish(chat, () => job.resolve(value)),
      (err: unknown) => {
        const waitMs = this.refusalWait(job, err);
        if (waitMs === undefined) {
          this.finish(chat, () => job.reject(err));
          return;
        }
        // Refused for rate, so not carried out: it stays first in its conversation and goes again after the wait.
        job.refusals += 1;
        job.rateWaitedMs += waitMs;
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + waitMs);
        this.logger.warn(`semilimes: rate limited; sending again in ${Math.round(waitMs / 100) / 10} s`);
        chat.busy = false;
        this.setWaiting(this.waitingCount + 1);
        this.pump();
      },
    );
  }

  /** How long to wait before sending a refused message again, or undefined when it fails now. */
  private refusalWait(job: Job, err: unknown): number | undefined {
    if (this.closed || !(err instanceof RateLimitError)) return undefined;
    const backoff = Math.min(1000 * 2 ** job.refusals, BACKOFF_CAP_MS);
    const waitMs = Math.min(err.retryAfterMs ?? backoff, BACKOFF_CAP_MS);
    return job.rateWaitedMs + waitMs > this.maxRateLimitWaitMs ? undefined : waitMs;
  }

  private finish(chat: Chat, settle: () => void): void {
    chat.jobs.shift()?.detach?.();
    chat.busy = false;
    settle();
    this.pump();
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, at - Date.now()),
    );
  }

  private setWaiting(count: number): void {
    this.waitingCount = count;
  }

  /**
   * Tells listeners how many wait, when that changed since they last heard. Called once the queue has settled (after
   * each pump), so a message that leaves at once is never reported as waiting: a busy flow sends no status per message.
   */
  private notify(): void {
    if (this.waitingCount === this.reported) return;
    this.reported = this.waitingCount;
    this.emit('waiting', this.waitingCount);
  }
}

function positive(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Milliseconds between two messages at `perSecond`; 0 when not paced. */
function gapMs(perSecond: unknown): number {
  const n = Number(perSecond);
  return Number.isFinite(n) && n > 0 ? 1000 / n : 0;
}
