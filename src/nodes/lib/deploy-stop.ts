import type { EventEmitter } from 'node:events';
import type { Node } from './node-red';

/** What Node-RED's runtime tells its `flows:stopping` listeners. */
export interface FlowsStopping {
  type?: string;
  diff?: {
    changed?: string[];
    removed?: string[];
    rewired?: string[];
    linked?: string[];
    flowChanged?: string[];
  };
}

/** The runtime event emitted before any node of a deploy is closed. */
export const FLOWS_STOPPING = 'flows:stopping';

/**
 * Whether the deploy that is about to stop flows will close `node`. Node-RED closes the nodes of a deploy one after
 * the other in the same tick, so by the time a node's own close runs the Catch nodes of its tab may already be gone:
 * answering in-flight messages when the deploy announces itself lets their errors still reach a Catch node.
 * When in doubt the answer is no; the node's close still ends its messages.
 */
export function deployStops(node: Node, event: FlowsStopping | undefined): boolean {
  if (!event) return false;
  if (event.type === 'full') return true;
  const diff = event.diff ?? {};
  const ids = [node.id, (node as Node & { _alias?: string })._alias].filter(Boolean) as string[];
  const listed = (list: string[] | undefined) => (list ?? []).some((id) => ids.includes(id));
  if (listed(diff.changed) || listed(diff.removed)) return true;
  if (event.type !== 'flows') return false;
  return listed(diff.rewired) || listed(diff.linked) || (diff.flowChanged ?? []).includes(node.z as string);
}

interface Watch {
  readonly subscribers: Set<(event: FlowsStopping) => void>;
  readonly dispatch: (event: FlowsStopping) => void;
}

/** One listener per runtime emitter, whatever the number of nodes: more than ten would trip Node's leak warning. */
const watches = new WeakMap<EventEmitter, Watch>();

/**
 * Calls `onStopping` when a deploy begins that will close `node` (before any node of it is closed). Returns the
 * function that ends the watch; the shared listener leaves the runtime's emitter with the last watch.
 */
export function watchDeployStopping(events: EventEmitter, node: Node, onStopping: () => void): () => void {
  let watch = watches.get(events);
  if (!watch) {
    const subscribers = new Set<(event: FlowsStopping) => void>();
    const dispatch = (event: FlowsStopping) => [...subscribers].forEach((subscriber) => subscriber(event));
    watch = { subscribers, dispatch };
    watches.set(events, watch);
    events.on(FLOWS_STOPPING, dispatch);
  }
  const subscriber = (event: FlowsStopping) => {
    if (deployStops(node, event)) onStopping();
  };
  watch.subscribers.add(subscriber);
  const current = watch;
  return () => {
    current.subscribers.delete(subscriber);
    if (current.subscribers.size > 0 || watches.get(events) !== current) return;
    events.off(FLOWS_STOPPING, current.dispatch);
    watches.delete(events);
  };
}
