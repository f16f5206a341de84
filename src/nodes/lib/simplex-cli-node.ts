import type { EventEmitter } from 'node:events';
import type { SimplexClient } from '../../simplex';
import type { ConnectionConfigNode } from './connection-user';
import type { Node } from './node-red';

/** What the start-up actions last found: the bot's address and whether they all succeeded. */
export interface StartupReport {
  /** The bot's address (short link when the CLI has one), once known. */
  address?: string;
  /** The active user's display name. */
  displayName?: string;
  /** Why the last run of the start-up actions failed, in words. */
  failed?: string;
  /** When they last ran to the end (ISO time). */
  at?: string;
}

/**
 * The `simplex-cli` config node as the nodes using it see it. `events` re-emits the client's `event` (every
 * ChatResponse the CLI sends on its own) and `item` (each chat item), and lives as long as the config node, whatever
 * client sits behind it.
 */
export interface SimplexCliNode extends Node<{ username?: string; password?: string }>, ConnectionConfigNode {
  readonly events: EventEmitter;
  /** The CLI address, without user name or password. */
  readonly url: string;
  /** The client, created on first use. Throws the node's problem when there is one. */
  client(): SimplexClient;
  /** The start-up actions' last findings. */
  readonly startup: StartupReport;
}
