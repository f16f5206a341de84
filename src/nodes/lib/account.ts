import type { EventEmitter } from 'node:events';
import type { SemilimesClient } from '../../semilimes';
import type { ConnectionConfigNode, ConnectionUser } from './connection-user';
import type { KeyInfo, RotationResult } from './key-lifecycle';
import type { Node } from './node-red';
import type { ReplyWaits } from './reply-waits';

/** A node that uses an account (see ConnectionUser). */
export type AccountUser = ConnectionUser;

/**
 * The account config node as user nodes see it. `events` re-emits the client's `message` and `state` events, so a
 * user node subscribes to one object that lives as long as the account node, whatever client sits behind it.
 */
type AccountCredentials = { apiKey?: string; proxyUsername?: string; proxyPassword?: string };

export interface AccountNode extends Node<AccountCredentials>, ConnectionConfigNode {
  readonly events: EventEmitter;
  /** Conversations waiting for a person's next text (the ask node). */
  readonly replies: ReplyWaits;
  /** The deployed base URL (editor lookups use the stored key only with this address). */
  readonly baseUrl: string;
  /** Why this account cannot work (no key, bad URL), in words; undefined when it can. */
  readonly problem: string | undefined;
  /** The client, created on first use. Throws the problem when there is one. */
  client(): SemilimesClient;
  /** Starts using the account: the first user opens the WebSocket. */
  register(user: AccountUser): void;
  /** Stops using it: the last user closes the WebSocket. */
  deregister(user: AccountUser): Promise<void>;
  /** What the last validation said about the key in use (id, expiry), once known. */
  readonly keyInfo: KeyInfo | undefined;
  /** Rotates the key now: create, store durably, switch, delete the previous one. */
  rotateKey(): Promise<RotationResult>;
}

/** `${NAME}` reads the key from the environment, so it need not be stored in Node-RED at all. */
export function resolveSecret(value: string | undefined): string {
  const text = (value ?? '').trim();
  const env = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(text);
  return env ? (process.env[env[1]] ?? '').trim() : text;
}
