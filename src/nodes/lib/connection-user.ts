/**
 * The contract between a config node that owns a connection (the semilimes account, later the SimpleX CLI) and the
 * nodes using it, as Node-RED's MQTT broker node does it: users register and deregister, the config node pushes
 * connection changes to every registered user, and the last user leaving lets the connection close.
 */

/** Connection states every connection config node reports, in the socket core's words. */
export type ConnectionStateName = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'unauthorized' | 'closed';

export interface ConnectionChange {
  state: ConnectionStateName;
}

/**
 * A node using a connection. The config node translates the state into words, because each node type's runtime only
 * sees its own message catalogue.
 */
export interface ConnectionUser {
  id: string;
  connectionChanged(change: ConnectionChange, text: string): void;
  /** The config node cannot work at all (no key, bad URL): shown until redeploy. */
  configProblem(text: string): void;
  /** A credential's remaining lifetime in words (API key expiry); `warning` when it is about to run out. */
  keyStatus?(text: string, warning: boolean): void;
  /** How many outgoing messages wait (pacing, a refusal for rate) in words; undefined when none do. */
  queueStatus?(text: string | undefined): void;
}

/** A config node that owns a connection, as the harness attaches to it. */
export interface ConnectionConfigNode {
  /** Why this config node cannot work, in words; undefined when it can. */
  readonly problem: string | undefined;
  /** Starts using the connection: the first user opens it. Pushes the current state to `user` at once. */
  register(user: ConnectionUser): void;
  /** Stops using it: the last user gone closes it. */
  deregister(user: ConnectionUser): Promise<void>;
}
