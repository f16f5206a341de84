import type { EventEmitter } from 'node:events';
import type { SemilimesClient, StateChange } from '../../semilimes';
import type { Node } from './node-red';
import type { StatusView } from './status';

/**
 * A node that uses an account: it is told about connection changes. The account translates the state into words,
 * because each node type's runtime only sees its own message catalogue.
 */
export interface AccountUser {
  id: string;
  connectionChanged(change: StateChange, text: string): void;
  configProblem(text: string): void;
}

/**
 * The account config node as user nodes see it. `events` re-emits the client's `message` and `state` events, so a
 * user node subscribes to one object that lives as long as the account node, whatever client sits behind it.
 */
export interface AccountNode extends Node<{ apiKey?: string }> {
  readonly events: EventEmitter;
  /** Why this account cannot work (no key, bad URL), in words; undefined when it can. */
  readonly problem: string | undefined;
  /** The client, created on first use. Throws the problem when there is one. */
  client(): SemilimesClient;
  /** Starts using the account: the first user opens the WebSocket. */
  register(user: AccountUser): void;
  /** Stops using it: the last user closes the WebSocket. */
  deregister(user: AccountUser): Promise<void>;
}

/** `${NAME}` reads the key from the environment, so it need not be stored in Node-RED at all. */
export function resolveSecret(value: string | undefined): string {
  const text = (value ?? '').trim();
  const env = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(text);
  return env ? (process.env[env[1]] ?? '').trim() : text;
}

/** The usual user: a node whose status line shows the account's connection. */
export function statusUser(id: string, status: StatusView): AccountUser {
  return {
    id,
    connectionChanged: (change, text) => status.connectionChanged(change, text),
    configProblem: (text) => status.configProblem(text),
  };
}
