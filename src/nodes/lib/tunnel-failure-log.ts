import type { TunnelStatus } from '../../semilimes';

/**
 * Which background failures of a running tunnel go to the log: each cause once, when it starts, not once per retry
 * (a tunnel retrying every 30 s through a night would otherwise write a thousand identical lines). Coming up or
 * being stopped ends the episode: the next failure is logged again, even with the same cause. A final failure (not
 * retried: a changed host key, an unusable key) is always logged; it ends the episode too.
 */
export class TunnelFailureLog {
  private lastCause: string | undefined;

  /** The cause to log for this status, or undefined when there is nothing new to say. */
  toLog(status: TunnelStatus): string | undefined {
    if (status.state === 'up' || status.state === 'stopped' || status.state === 'idle') {
      this.lastCause = undefined;
      return undefined;
    }
    const cause = status.error?.message ?? '';
    if (status.state === 'failed') {
      this.lastCause = undefined;
      return cause;
    }
    if (status.state !== 'down') return undefined;
    if (cause === this.lastCause) return undefined;
    this.lastCause = cause;
    return cause;
  }
}
