/**
 * Reconnect delays: exponential growth with jitter, capped, and reset once a connection has stayed up for a
 * stable period. Jitter spreads the reconnects of many Node-RED instances after a server restart so they do not
 * all arrive at once.
 *
 * Part of the transport core: no knowledge of any chat service.
 */

export interface BackoffOptions {
  /** First delay, in ms. */
  initialMs: number;
  /** Largest delay, in ms. */
  maxMs: number;
  /** Growth per attempt. */
  factor: number;
  /** Fraction of each delay that is random (0 = none, 1 = anywhere between 0 and the delay). */
  jitter: number;
  /** A connection that stays up this long resets the delays to `initialMs`. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 1000,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.5,
  stableMs: 30_000,
};

export class Backoff {
  private attempt = 0;
  private connectedAt: number | undefined;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many delays have been handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt. */
  next(): number {
    const { initialMs, maxMs, factor, jitter } = this.options;
    const base = Math.min(maxMs, initialMs * Math.pow(factor, this.attempt));
    this.attempt += 1;
    return Math.round(base * (1 - jitter) + base * jitter * this.random());
  }

  /** Call when a connection opens. */
  connected(): void {
    this.connectedAt = this.now();
  }

  /** Call when a connection ends: resets the delays if it had been stable. */
  disconnected(): void {
    if (this.connectedAt !== undefined && this.now() - this.connectedAt >= this.options.stableMs) {
      this.attempt = 0;
    }
    this.connectedAt = undefined;
  }

  reset(): void {
    this.attempt = 0;
    this.connectedAt = undefined;
  }
}
