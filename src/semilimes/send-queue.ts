import { EventEmitter } from 'node:events';
import { ClosedError, RateLimitError, SemilimesError } from './errors';
import type { Logger } from './logger';

export interface PacingOptions {
  /** Most messages per second to one conversation; 0 (the default) does not pace. */
  perChatPerSecond?: number;
  /** Most messages per second over all conversations of the account; 0 (the default) does not pace. */
  perAccountPerSecond?: number;
  /**
   * Most messages to one conversation on their way at once (default 32). 1 sends the next only when the previous was
   * answered, which keeps the order even when semilimes refuses one for rate.
   */
  perChatInFlight?: number;
  /** Most messages waiting at once; one more fails at once (default 10,000). */
  maxQueued?: number;
  /** Longest a message waits in all because semilimes refused it for rate, before it fails (default 2 min). */
  maxRateLimitWaitMs?: number;
}

export const DEFAULT_MAX_QUEUED = 10_000;
export const DEFAULT_PER_CHAT_IN_FLIGHT = 32;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 120_000;
/** A refusal without a wait of its own: 1 s, doubling, up to this. */
const BACKOFF_CAP_MS = 30_000;

/** The queue is full: the message was not sent. */
export class QueueFullError extends SemilimesError {
  constructor(limit: number) {
    super('RATE_LIMITED', `${limit} messages are already waiting to be sent; this one was not sent`);
  }
}

/**
 * Sends one message. `alone`: no other message of its conversation is on its way, so it may take any route; when
 * false it overlaps others on the one ordered socket and must not take a route that could overtake them.
 */
export type SendJob<T> = (alone: boolean) => Promise<T>;

interface Job {
  /** Place in the order the messages were given (per queue), so a refused one goes back where it was. */
  seq: number;
  run: SendJob<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  /** Time spent waiting because of refusals, ms. */
  rateWaitedMs: number;
  refusals: number;
  /** On its way (or being sent again after a refusal: back to false while it waits). */
  started: boolean;
  /** The chat's `slowdowns` when the job last left: an answer to a job sent before a refusal does not open up. */
  slowdowns: number;
  /** The signal whose abort takes the job out while it waits. */
  signal?: AbortSignal;
}

/** The jobs waiting on one abort signal, and the one listener the queue keeps on it while any do. */
interface Watch {
  jobs: Set<Job>;
  onAbort: () => void;
}

interface Chat {
  /** Messages not yet on their way, in the order given. */
  jobs: Job[];
  /** Messages on their way. */
  sending: number;
  /** How many may be on their way at once now: the setting, or less while recovering from a refusal. */
  window: number;
  /** Refusals for rate so far. */
  slowdowns: number;
  /** Earliest time the next message to this conversation may leave (local ms). */
  nextAt: number;
}

/**
 * Messages on their way to conversations, in the order they were given per conversation: several overlap on the
 * socket (one ordered stream, so they arrive in order), up to `perChatInFlight`; paced per conversation and per
 * account; and sent again after a refusal for rate (semilimes did not carry a refused request out, so sending it
 * again is safe), after the wait the refusal asked for or a capped backoff. A refusal pauses the whole account (the
 * limit is the key's) and drops the conversation to one message at a time, growing back with each accepted one.
 * Messages already on their way behind a refused one may arrive before it; with `perChatInFlight` 1 none can.
 * Overlapping happens only while `canOverlap()` says the route keeps order. Bounded: a full queue fails new messages
 * at once.
 *
 * Events: `waiting` (count): how many messages wait (not yet on their way), after every change.
 */
export class SendQueue extends EventEmitter {
  private readonly chats = new Map<string, Chat>();
  /**
   * One listener per signal, however many of its messages wait: many messages usually share one (a node's), and an
   * `abort` listener added and removed per message cost a burst of 2,000 sends a fifth of its time.
   */
  private readonly watches = new Map<AbortSignal, Watch>();
  private readonly chatGapMs: number;
  private readonly accountGapMs: number;
  private readonly perChatInFlight: number;
  private readonly maxQueued: number;
  private readonly maxRateLimitWaitMs: number;
  private accountNextAt = 0;
  /** No message leaves before this (after a refusal for rate), local ms. */
  private pausedUntil = 0;
  private nextSeq = 0;
  private waitingCount = 0;
  private reported = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private closed = false;

  constructor(
    options: PacingOptions,
    private readonly logger: Logger,
    /** Whether messages may overlap now (the route delivers in the order written). */
    private readonly canOverlap: () => boolean = () => true,
  ) {
    super();
    this.chatGapMs = gapMs(options.perChatPerSecond);
    this.accountGapMs = gapMs(options.perAccountPerSecond);
    this.perChatInFlight = Math.max(1, Math.floor(positive(options.perChatInFlight, DEFAULT_PER_CHAT_IN_FLIGHT)));
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
  enqueue<T>(chat: string, run: SendJob<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new ClosedError('send queue'));
    if (signal?.aborted) return Promise.reject(new ClosedError('send queue'));
    if (this.waitingCount >= this.maxQueued) return Promise.reject(new QueueFullError(this.maxQueued));
    return new Promise<T>((resolve, reject) => {
      let entry = this.chats.get(chat);
      if (!entry) {
        entry = { jobs: [], sending: 0, window: this.perChatInFlight, slowdowns: 0, nextAt: 0 };
        this.chats.set(chat, entry);
      }
      const job: Job = {
        seq: this.nextSeq++,
        run,
        resolve: resolve as (v: unknown) => void,
        reject,
        rateWaitedMs: 0,
        refusals: 0,
        slowdowns: 0,
        started: false,
      };
      entry.jobs.push(job);
      if (signal) this.watch(signal, job);
      this.waitingCount += 1;
      this.pump();
    });
  }

  private watch(signal: AbortSignal, job: Job): void {
    job.signal = signal;
    let watch = this.watches.get(signal);
    if (!watch) {
      const created: Watch = { jobs: new Set(), onAbort: () => this.withdraw(signal, created) };
      signal.addEventListener('abort', created.onAbort, { once: true });
      this.watches.set(signal, created);
      watch = created;
    }
    watch.jobs.add(job);
  }

  /** The job is settled: its signal no longer concerns the queue, and the listener goes with its last job. */
  private unwatch(job: Job): void {
    const { signal } = job;
    if (!signal) return;
    job.signal = undefined;
    const watch = this.watches.get(signal);
    if (!watch || !watch.jobs.delete(job) || watch.jobs.size > 0) return;
    this.watches.delete(signal);
    signal.removeEventListener('abort', watch.onAbort);
  }

  /** Aborted messages that have not left yet: out of the queue, never sent; those on their way go on. */
  private withdraw(signal: AbortSignal, watch: Watch): void {
    this.watches.delete(signal);
    const withdrawn = new Set<Job>();
    for (const job of watch.jobs) if (!job.started) withdrawn.add(job);
    for (const chat of this.chats.values()) {
      if (chat.jobs.some((job) => withdrawn.has(job))) chat.jobs = chat.jobs.filter((job) => !withdrawn.has(job));
    }
    this.waitingCount -= withdrawn.size;
    for (const job of withdrawn) job.reject(new ClosedError('send queue'));
    this.pump();
  }

  /** Fails every waiting message (not sent); messages on their way finish as they will. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const chat of this.chats.values()) {
      for (const job of chat.jobs.splice(0)) {
        this.unwatch(job);
        job.reject(new ClosedError('send queue'));
      }
    }
    this.waitingCount = 0;
    this.notify();
  }

  /** Starts every message whose time has come; wakes up again for the earliest one that must wait. */
  private pump(): void {
    if (this.closed) return;
    const now = Date.now();
    let wakeAt = Infinity;
    let sent: string[] | undefined;
    const overlap = this.canOverlap();
    for (const [key, chat] of this.chats) {
      if (chat.jobs.length === 0) {
        if (chat.sending === 0 && chat.nextAt <= now) this.chats.delete(key);
        continue;
      }
      const limit = overlap ? chat.window : 1;
      const before = chat.sending;
      while (chat.jobs.length > 0 && chat.sending < limit) {
        const at = Math.max(chat.nextAt, this.accountNextAt, this.pausedUntil);
        if (at > now) {
          wakeAt = Math.min(wakeAt, at);
          break;
        }
        this.start(chat, now);
      }
      if (chat.sending > before) (sent ??= []).push(key);
    }
    // Round robin: a conversation that sent goes to the back, so a busy one cannot starve the others.
    if (sent && this.chats.size > 1) {
      for (const key of sent) {
        const chat = this.chats.get(key) as Chat;
        this.chats.delete(key);
        this.chats.set(key, chat);
      }
    }
    if (wakeAt !== Infinity) this.wakeAt(wakeAt);
    this.notify();
  }

  private start(chat: Chat, now: number): void {
    const job = chat.jobs.shift() as Job;
    const alone = chat.sending === 0;
    job.started = true;
    job.slowdowns = chat.slowdowns;
    chat.sending += 1;
    chat.nextAt = now + this.chatGapMs;
    this.accountNextAt = now + this.accountGapMs;
    this.waitingCount -= 1;
    job.run(alone).then(
      (value) => {
        // Accepted: a conversation slowed down by a refusal opens up again, doubling per message sent since then.
        if (job.slowdowns === chat.slowdowns) chat.window = Math.min(this.perChatInFlight, chat.window * 2);
        this.finish(chat, job, () => job.resolve(value));
      },
      (err: unknown) => {
        // A message whose sender has stopped (its signal aborted while it was on its way) is not sent again.
        const waitMs = job.signal?.aborted ? undefined : this.refusalWait(job, err);
        if (waitMs === undefined) {
          this.finish(chat, job, () => job.reject(err));
          return;
        }
        // Refused for rate, so not carried out: back in its place in its conversation, sent again after the wait.
        job.refusals += 1;
        job.rateWaitedMs += waitMs;
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + waitMs);
        chat.window = 1;
        chat.slowdowns += 1;
        this.logger.warn(`semilimes: rate limited; sending again in ${Math.round(waitMs / 100) / 10} s`);
        chat.sending -= 1;
        job.started = false;
        let at = 0;
        while (at < chat.jobs.length && chat.jobs[at].seq < job.seq) at += 1;
        chat.jobs.splice(at, 0, job);
        this.waitingCount += 1;
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

  private finish(chat: Chat, job: Job, settle: () => void): void {
    this.unwatch(job);
    chat.sending -= 1;
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
