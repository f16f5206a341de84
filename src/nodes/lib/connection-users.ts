import type { ConnectionChange, ConnectionUser } from './connection-user';

/**
 * The nodes registered with a connection config node: every state change is pushed to all of them, and the config
 * node's close can wait (briefly) for them to let go, keeping the connection for their last requests on the way out.
 */
export class ConnectionUsers {
  private readonly users = new Set<ConnectionUser>();
  private readonly emptyWaiters: Array<() => void> = [];

  get size(): number {
    return this.users.size;
  }

  add(user: ConnectionUser): void {
    this.users.add(user);
  }

  /** Removes `user`; true when it was the last one. */
  remove(user: ConnectionUser): boolean {
    this.users.delete(user);
    if (this.users.size > 0) return false;
    for (const resolve of this.emptyWaiters.splice(0)) resolve();
    return true;
  }

  forEach(action: (user: ConnectionUser) => void): void {
    for (const user of this.users) action(user);
  }

  connectionChanged(change: ConnectionChange, text: string): void {
    this.forEach((user) => user.connectionChanged(change, text));
  }

  /**
   * Resolves when the last user has gone, or after `limitMs`. Node-RED stops a config node at the same time as the
   * nodes using it; waiting keeps the connection alive for their last requests (e.g. a tunnel closing on the API).
   */
  whenEmpty(limitMs: number): Promise<void> {
    if (this.users.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, limitMs);
      this.emptyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  clear(): void {
    this.users.clear();
  }
}
