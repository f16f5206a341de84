/**
 * Pairs requests written on a socket with their answers, by an id the caller puts in the frame and finds again in
 * the answer.
 *
 * Part of the transport core: it knows nothing of any chat service's frames and nothing of Node-RED. The caller
 * encodes the frame, decodes answers and calls `settle`.
 *
 * At most once: a request is written once, on one connection generation. If that connection ends before the answer
 * comes (`failGeneration`), or no answer comes in time, the request fails as "outcome unknown" and is never written
 * again, because resending could deliver a message to a person twice.
 *
 * In-flight limit: with `maxInFlight`, requests beyond the limit wait in a queue, in the order they were made, and
 * are written as answers free a slot. A queued request has not left this machine: if its timeout passes, or no
 * connection is open when its turn comes, it fails as "not sent", which is always safe to try again.
 */
import { ClientError } from './errors';

/** How the correlator words its failures; a client passes its own error classes (default: plain `ClientError`). */
export interface CorrelatorErrors {
  /** Written, and no answer within the timeout (code `TIMEOUT` by default). */
  timeout(label: string, timeoutMs: number): Error;
  /** Written, then the connection ended or the write failed (code `OUTCOME_UNKNOWN` by default). */
  outcomeUnknown(label: string, why: string): Error;
  /** Never written (code `OFFLINE` by default). */
  notSent(label: string, why: string): Error;
}

export interface CorrelatorOptions {
  /**
   * Writes one frame and returns the generation of the connection it went out on (`ReconnectingSocket.send`).
   * Throws when nothing could be written. `onWriteError` is called if the write fails after it started.
   */
  send(frame: string, onWriteError: (err: Error) => void): number;
  /** Most requests written and waiting for their answer at once; more wait in a queue. Default: no limit. */
  maxInFlight?: number;
  errors?: Partial<CorrelatorErrors>;
  /** Called after each request ended, whatever the outcome (answer, error, timeout, end of its connection). */
  onSettled?(id: string, generation: number | undefined): void;
}

interface Entry {
  id: string;
  frame: string;
  label: string;
  timeoutMs: number;
  /** Set once written: the connection generation the answer must come on. */
  generation: number | undefined;
  timer: NodeJS.Timeout | undefined;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export const DEFAULT_CORRELATOR_ERRORS: CorrelatorErrors = {
  timeout: (label, timeoutMs) =>
    new ClientError(
      'TIMEOUT',
      `${label}: no answer within ${seconds(timeoutMs)}; it may or may not have been carried out, and was not resent`,
    ),
  outcomeUnknown: (label, why) =>
    new ClientError('OUTCOME_UNKNOWN', `${label}: ${why}; it may or may not have been carried out, and was not resent`),
  notSent: (label, why) => new ClientError('OFFLINE', `${label}: ${why}; the request was not sent`),
};

export class Correlator {
  private readonly entries = new Map<string, Entry>();
  /** Made but not written yet, oldest first. */
  private readonly queue: Entry[] = [];
  private written = 0;
  private pumping = false;
  private readonly errors: CorrelatorErrors;
  private readonly maxInFlight: number;

  constructor(private readonly options: CorrelatorOptions) {
    this.errors = { ...DEFAULT_CORRELATOR_ERRORS, ...options.errors };
    this.maxInFlight = options.maxInFlight ?? Infinity;
    if (!(this.maxInFlight >= 1)) throw new RangeError('maxInFlight must be at least 1');
  }

  /**
   * Writes `frame` (now, or when a slot is free) and resolves with what `settle` is given for `id`. `timeoutMs`
   * counts from now, queue time included. `label` names the request in error messages (default: the id).
   */
  request<T = unknown>(id: string, frame: string, timeoutMs: number, label = id): Promise<T> {
    if (this.entries.has(id)) {
      return Promise.reject(new ClientError('INVALID_INPUT', `${label}: request id "${id}" is already in use`));
    }
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {
        id,
        frame,
        label,
        timeoutMs,
        generation: undefined,
        timer: undefined,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      entry.timer = setTimeout(() => this.expire(entry), timeoutMs);
      this.entries.set(id, entry);
      this.queue.push(entry);
      this.pump();
    });
  }

  /** True while `id` waits (queued or written). */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The label of a written request still waiting for its answer; undefined for anything else. */
  labelOf(id: string): string | undefined {
    const entry = this.entries.get(id);
    return entry && entry.generation !== undefined ? entry.label : undefined;
  }

  /**
   * Ends a written request with its answer: rejects with `error` when given, else resolves with `value`. Returns
   * false when nothing written waits for `id` (a late answer after a timeout, or someone else's).
   */
  settle(id: string, error: Error | undefined, value?: unknown): boolean {
    const entry = this.entries.get(id);
    if (!entry || entry.generation === undefined) return false;
    this.finish(entry, error, value);
    return true;
  }

  /** A connection ended: every request written on it fails as outcome unknown. Returns how many. */
  failGeneration(generation: number, why: string): number {
    let failed = 0;
    for (const entry of [...this.entries.values()]) {
      if (entry.generation === generation) {
        failed += 1;
        this.finish(entry, this.errors.outcomeUnknown(entry.label, why));
      }
    }
    return failed;
  }

  /** Everything ends (the client closes): queued requests fail as not sent, written ones as outcome unknown. */
  failAll(why: string): void {
    for (const entry of this.queue.splice(0)) this.finish(entry, this.errors.notSent(entry.label, why));
    for (const entry of [...this.entries.values()]) this.finish(entry, this.errors.outcomeUnknown(entry.label, why));
  }

  /** Requests written and waiting for their answer, on one generation or on all. */
  inFlight(generation?: number): number {
    if (generation === undefined) return this.written;
    let count = 0;
    for (const entry of this.entries.values()) if (entry.generation === generation) count += 1;
    return count;
  }

  /** Requests waiting for a free slot. */
  get queued(): number {
    return this.queue.length;
  }

  private expire(entry: Entry): void {
    entry.timer = undefined;
    const error =
      entry.generation === undefined
        ? this.errors.notSent(entry.label, `no free slot within ${seconds(entry.timeoutMs)}`)
        : this.errors.timeout(entry.label, entry.timeoutMs);
    this.finish(entry, error);
  }

  /** Writes queued requests while slots are free. Re-entrant calls (a write failing at once) are folded in. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && this.written < this.maxInFlight) {
        this.write(this.queue.shift() as Entry);
      }
    } finally {
      this.pumping = false;
    }
  }

  private write(entry: Entry): void {
    try {
      entry.generation = this.options.send(entry.frame, (err) => {
        if (this.entries.get(entry.id) !== entry) return;
        this.finish(entry, this.errors.outcomeUnknown(entry.label, `writing to the socket failed (${err.message})`));
      });
      this.written += 1;
    } catch (err) {
      entry.generation = undefined;
      this.finish(entry, this.errors.notSent(entry.label, (err as Error).message));
    }
  }

  private finish(entry: Entry, error: Error | undefined, value?: unknown): void {
    if (this.entries.get(entry.id) !== entry) return;
    this.entries.delete(entry.id);
    clearTimeout(entry.timer);
    if (entry.generation !== undefined) this.written -= 1;
    else {
      const queuedAt = this.queue.indexOf(entry);
      if (queuedAt >= 0) this.queue.splice(queuedAt, 1);
    }
    if (error) entry.reject(error);
    else entry.resolve(value);
    this.options.onSettled?.(entry.id, entry.generation);
    this.pump();
  }
}
