// Registry of open WebSocket connections per account, with the counters tests use to observe clients
// (pings received, frames that were not JSON).
import { WebSocket } from 'ws';

export interface Connection {
  socket: WebSocket;
  accountId: string;
  apiKey: string;
  openedAt: number;
}

export interface AccountCounters {
  pingsReceived: number;
  nonJsonFrames: number;
  connectionsOpened: number;
}

export class SocketHub {
  private readonly connections = new Set<Connection>();
  private readonly counters = new Map<string, AccountCounters>();

  add(connection: Connection): void {
    this.connections.add(connection);
    this.countersOf(connection.accountId).connectionsOpened++;
    connection.socket.once('close', () => this.connections.delete(connection));
  }

  countersOf(accountId: string): AccountCounters {
    let counters = this.counters.get(accountId);
    if (!counters)
      this.counters.set(accountId, (counters = { pingsReceived: 0, nonJsonFrames: 0, connectionsOpened: 0 }));
    return counters;
  }

  openFor(accountId: string): Connection[] {
    return [...this.connections].filter((c) => c.accountId === accountId && c.socket.readyState === WebSocket.OPEN);
  }

  /** Writes one text frame to every open socket of each account; returns how many sockets got it. */
  sendTo(accountIds: Iterable<string>, frame: string): number {
    let sent = 0;
    for (const accountId of new Set(accountIds)) {
      for (const connection of this.openFor(accountId)) {
        connection.socket.send(frame);
        sent++;
      }
    }
    return sent;
  }

  /** Abrupt loss: terminate() destroys the TCP socket without a close frame. */
  terminate(filter: (c: Connection) => boolean = () => true): number {
    let count = 0;
    for (const connection of [...this.connections]) {
      if (!filter(connection)) continue;
      connection.socket.terminate();
      this.connections.delete(connection);
      count++;
    }
    return count;
  }

  /** Orderly close with a close frame (used when a key is revoked). */
  close(filter: (c: Connection) => boolean, code: number, reason: string): number {
    let count = 0;
    for (const connection of [...this.connections]) {
      if (!filter(connection)) continue;
      connection.socket.close(code, reason);
      count++;
    }
    return count;
  }

  /** Per account: open sockets and counters, for every account that ever connected. */
  summary(): Array<{ accountId: string; open: number } & AccountCounters> {
    const ids = new Set([...this.counters.keys(), ...[...this.connections].map((c) => c.accountId)]);
    return [...ids].map((accountId) => ({
      accountId,
      open: this.openFor(accountId).length,
      ...this.countersOf(accountId),
    }));
  }

  resetCounters(): void {
    this.counters.clear();
    for (const c of this.connections) this.countersOf(c.accountId).connectionsOpened++;
  }
}
