import type { EventEmitter } from 'node:events';
import type { TunnelStatus } from '../../semilimes';

/** What a running tunnel tells: its current status, and `status` events when it changes (a TunnelKeeper). */
export interface TunnelStatusSource extends Pick<EventEmitter, 'on' | 'off'> {
  readonly status: TunnelStatus;
}

/** The states that answer a "start": the tunnel is up, or this attempt failed (and a retry is scheduled or not). */
const OUTCOMES: ReadonlySet<TunnelStatus['state']> = new Set(['up', 'down', 'failed']);

/**
 * The wait of "start" messages for the tunnel's next outcome, or for a time limit. However many starts wait at once
 * they share one wait, with one status listener and one timer: a flow that fires 50 starts adds no more listeners to
 * the tunnel than one start does.
 */
export class TunnelOutcomeWait {
  private current: { promise: Promise<void>; finish: () => void } | undefined;

  constructor(
    private readonly tunnel: TunnelStatusSource,
    private readonly limitMs: number,
  ) {}

  /** Resolves at the tunnel's next outcome (at once when it is up), or after the time limit. */
  next(): Promise<void> {
    if (this.tunnel.status.state === 'up') return Promise.resolve();
    this.current ??= this.begin();
    return this.current.promise;
  }

  /** Ends the wait now, for every start waiting (the node is closing). */
  release(): void {
    this.current?.finish();
  }

  private begin(): { promise: Promise<void>; finish: () => void } {
    let finish = () => {};
    const promise = new Promise<void>((resolve) => {
      const onStatus = (status: TunnelStatus) => {
        if (OUTCOMES.has(status.state)) finish();
      };
      const timer = setTimeout(() => finish(), this.limitMs);
      finish = () => {
        clearTimeout(timer);
        this.tunnel.off('status', onStatus);
        if (this.current?.promise === promise) this.current = undefined;
        resolve();
      };
      this.tunnel.on('status', onStatus);
    });
    return { promise, finish };
  }
}
