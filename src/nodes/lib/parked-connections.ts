import type { EventEmitter } from 'node:events';
import type { InboundMessage, SemilimesClient } from '../../semilimes';
import { DeployWindow } from './deploy-window';
import { HeldMessages } from './held-messages';

/** A client parked during a deploy, with the messages it received meanwhile. */
export interface ParkedConnection {
  client: SemilimesClient;
  held: HeldMessages;
}

interface Entry extends ParkedConnection {
  /** Hash of the settings the client was made with; only a node with the same settings may adopt it. */
  settings: string;
  onMessage: (message: InboundMessage) => void;
}

/**
 * Connections kept open across a deploy, by config node id. The account node that closes during a deploy parks its
 * client here instead of closing it; the account node of the new flows with the same id and the same settings adopts
 * it, so the WebSocket never closes and no event pushed during the deploy is lost (the messages it received meanwhile
 * come with it). A connection nobody adopted is closed when the deploy window ends, and at once when a node with the
 * same id but other settings (another key or URL) asks for one: that node gets a fresh connection. One per runtime.
 */
export class ParkedConnections {
  private static readonly registries = new WeakMap<EventEmitter, ParkedConnections>();
  private readonly entries = new Map<string, Entry>();

  static of(events: EventEmitter): ParkedConnections {
    let registry = ParkedConnections.registries.get(events);
    if (!registry) {
      registry = new ParkedConnections(DeployWindow.of(events));
      ParkedConnections.registries.set(events, registry);
    }
    return registry;
  }

  private constructor(private readonly window: DeployWindow) {
    window.subscribe({ stopping: () => {}, ended: () => this.closeAll() });
  }

  /**
   * Parks `client` for the node `id` when a deploy is under way; false (the caller closes the client) otherwise.
   * `held` are the messages the node had held so far; later ones are added to them.
   */
  park(id: string, settings: string, client: SemilimesClient, held: HeldMessages): boolean {
    if (!this.window.isOpen) return false;
    this.discard(id);
    const onMessage = (message: InboundMessage) => held.add(message);
    client.on('message', onMessage);
    this.entries.set(id, { client, held, settings, onMessage });
    return true;
  }

  /** The connection parked for `id` with the same settings, now the caller's; a parked one with others is closed. */
  adopt(id: string, settings: string): ParkedConnection | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.settings !== settings) {
      this.discard(id);
      return undefined;
    }
    this.entries.delete(id);
    entry.client.off('message', entry.onMessage);
    return { client: entry.client, held: entry.held };
  }

  /** How many connections are parked (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  private discard(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    entry.client.off('message', entry.onMessage);
    void entry.client.close();
  }

  private closeAll(): void {
    for (const id of [...this.entries.keys()]) this.discard(id);
  }
}
