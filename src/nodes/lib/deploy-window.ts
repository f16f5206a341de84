import type { EventEmitter } from 'node:events';
import { FLOWS_STOPPING } from './deploy-stop';

/** The runtime event emitted once the nodes of a start or deploy have been created. */
const FLOWS_STARTED = 'flows:started';
/** The runtime event that says, once the nodes are stopped, whether a deploy is under way or Node-RED stops. */
const RUNTIME_EVENT = 'runtime-event';
/**
 * Longest time a deploy is waited for: Node-RED's close timeout (15 s) plus time to start the new nodes. A deploy that
 * never starts its flows (a missing node type) must not hold anything for ever.
 */
export const DEPLOY_WAIT_LIMIT_MS = 30_000;

/** How a deploy window ended: the new flows started, Node-RED stopped (no deploy), or it took too long. */
export type WindowEnd = 'started' | 'stopped' | 'timeout';

export interface DeployWindowSubscriber {
  /** Nodes are about to be stopped for a deploy. */
  stopping(): void;
  /** The window closed: every node of the deploy exists now, or none will. */
  ended(how: WindowEnd): void;
}

/** What `flows:started` and `flows:stopping` carry: the runtime's active configuration object. */
interface FlowsEvent {
  config?: unknown;
}

interface RuntimeEvent {
  id?: string;
  payload?: { state?: string; deploy?: boolean };
}

/**
 * The time between the moment Node-RED starts stopping nodes for a deploy and the moment the new nodes exist
 * (`flows:stopping` to `flows:started`). What lives across a deploy (an account's connection, messages that arrived
 * meanwhile) is held during this window and handed over, or let go, when it ends. One per runtime; its three
 * listeners stay on the runtime's emitter for the life of the process, because the window must be known even while
 * no node exists (in the middle of a full deploy).
 */
export class DeployWindow {
  private static readonly windows = new WeakMap<EventEmitter, DeployWindow>();
  private readonly subscribers = new Set<DeployWindowSubscriber>();
  private open = false;
  private timer: NodeJS.Timeout | undefined;
  /** The configuration object the running flows were started with. */
  private startedConfig: unknown;

  static of(events: EventEmitter): DeployWindow {
    let window = DeployWindow.windows.get(events);
    if (!window) {
      window = new DeployWindow(events);
      DeployWindow.windows.set(events, window);
    }
    return window;
  }

  private constructor(events: EventEmitter) {
    events.on(FLOWS_STOPPING, (event: FlowsEvent) => {
      // A deploy installs its new configuration object before it stops anything; a plain stop (Node-RED shutting
      // down, flows stopped by hand) still carries the one the flows started with, and holds nothing back.
      if (this.startedConfig === undefined || event?.config !== this.startedConfig) this.begin();
    });
    events.on(FLOWS_STARTED, (event: FlowsEvent) => {
      this.startedConfig = event?.config;
      this.end('started');
    });
    events.on(RUNTIME_EVENT, (event: RuntimeEvent) => {
      // Sent when the stop is complete: `deploy` says whether new flows will start.
      if (event?.id === 'runtime-state' && event.payload?.state === 'stop' && event.payload.deploy !== true) {
        this.end('stopped');
      }
    });
  }

  /** True between `flows:stopping` and the start of the deploy's new flows. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Returns the function that ends the subscription. */
  subscribe(subscriber: DeployWindowSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  private begin(): void {
    this.open = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.end('timeout'), DEPLOY_WAIT_LIMIT_MS);
    this.timer.unref();
    for (const subscriber of [...this.subscribers]) subscriber.stopping();
  }

  private end(how: WindowEnd): void {
    if (!this.open) return;
    this.open = false;
    clearTimeout(this.timer);
    for (const subscriber of [...this.subscribers]) subscriber.ended(how);
  }
}
