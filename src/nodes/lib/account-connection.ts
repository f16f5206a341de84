import { EventEmitter } from 'node:events';
import { InvalidInputError, type InboundMessage, type SemilimesClient, type StateChange } from '../../semilimes';
import type { AccountUser } from './account';
import { createAccountClient } from './account-client';
import type { AccountKeyWatch } from './account-key-watch';
import { ConnectionUsers } from './connection-users';
import type { KeyInfo, RotationResult } from './key-lifecycle';
import type { NodeAPI } from './node-red';
import type { Translate } from './translate';

/** Longest wait, on close, for the nodes using the account to finish (below Node-RED's 15 s close timeout). */
const USERS_GONE_LIMIT_MS = 5000;
/** Longest wait, on close, for a key check or rotation still running (also below the close timeout). */
const KEY_WORK_LIMIT_MS = 5000;

export interface AccountConnectionSettings {
  baseUrl: string;
  catchUp: boolean;
  /** Prefix of the account's log lines. */
  label: string;
  /** Why the account cannot work at all, in words; undefined when it can. */
  problem: string | undefined;
}

/**
 * An account's one connection, shared by the nodes that use it (Node-RED's MQTT broker node does the same for a
 * broker): the first registration creates the client and opens the WebSocket, every state change and key expiry is
 * pushed to all users, the last deregistration closes it. `events` re-emits the client's `message` and `state` (and
 * the key's `key`) and lives as long as the account node, whatever client sits behind it.
 */
export class AccountConnection {
  // One listener per user node; a big flow may have many.
  readonly events = new EventEmitter().setMaxListeners(0);
  private readonly users = new ConnectionUsers();
  private current: SemilimesClient | undefined;
  private lastState: StateChange = { state: 'idle' };
  /** When an open connection was lost (cleared when it is back): a person reading the log sees one line for it. */
  private lostAt: number | undefined;
  private readonly onState = (change: StateChange) => {
    this.noteRecovery(change);
    this.lastState = change;
    this.users.connectionChanged(change, this.describe(change));
    this.events.emit('state', change);
  };
  private readonly onMessage = (message: InboundMessage) => this.events.emit('message', message);

  constructor(
    private readonly RED: NodeAPI,
    private readonly settings: AccountConnectionSettings,
    private readonly t: Translate,
    private readonly keys: AccountKeyWatch,
  ) {}

  /** The key's expiry changed: every user's status shows it. */
  keyInfoChanged(info: KeyInfo): void {
    this.users.forEach((user) => this.pushKeyStatus(user));
    this.events.emit('key', info);
  }

  /** The client, created on first use. Throws the account's problem when there is one. */
  client(): SemilimesClient {
    if (this.settings.problem) throw new InvalidInputError(this.settings.problem);
    if (!this.current) this.current = this.createClient();
    return this.current;
  }

  register(user: AccountUser): void {
    this.users.add(user);
    if (this.settings.problem) return user.configProblem(this.settings.problem);
    const active = this.client();
    user.connectionChanged(this.lastState, this.describe(this.lastState));
    this.pushKeyStatus(user);
    active.connect();
    this.keys.start();
  }

  async deregister(user: AccountUser): Promise<void> {
    // The last user gone: the WebSocket closes; the next registration opens a fresh one.
    if (this.users.remove(user)) await this.closeClient();
  }

  /** Rotates the key now, whatever its expiry (the api node's "rotate" operation). */
  rotateKey(): Promise<RotationResult> {
    if (this.settings.problem) return Promise.reject(new InvalidInputError(this.settings.problem));
    return this.keys.rotate();
  }

  /**
   * The account node closes: Node-RED stops it at the same time as the nodes using it, so it waits (briefly) for them
   * to let go, keeping the client for their last requests on the way out (e.g. a tunnel closing on the API).
   */
  async close(): Promise<void> {
    await this.users.whenEmpty(USERS_GONE_LIMIT_MS);
    this.users.clear();
    this.events.removeAllListeners();
    await this.closeClient();
  }

  /**
   * The client logs every failed attempt while it is down; the line that says it is over comes from here, once per
   * outage, with how long it lasted.
   */
  private noteRecovery(change: StateChange): void {
    if (this.lastState.state === 'connected' && change.state !== 'connected') this.lostAt ??= Date.now();
    if (change.state === 'connected' && this.lostAt !== undefined) {
      const seconds = Math.max(1, Math.round((Date.now() - this.lostAt) / 1000));
      this.lostAt = undefined;
      this.RED.log.info(`${this.settings.label} ${this.t('log.reconnected', { seconds })}`);
    }
  }

  /** The state in words, from the account's catalogue. */
  private describe(change: StateChange): string {
    return this.t(`status.${change.state === 'idle' ? 'connecting' : change.state}`);
  }

  private pushKeyStatus(user: AccountUser): void {
    const key = this.keys.status();
    if (key && user.keyStatus) user.keyStatus(key.text, key.warning);
  }

  private createClient(): SemilimesClient {
    const { baseUrl, catchUp, label } = this.settings;
    const created = createAccountClient(this.RED, { apiKey: this.keys.current().key, baseUrl, catchUp, label });
    created.on('state', this.onState);
    created.on('message', this.onMessage);
    return created;
  }

  private async closeClient(): Promise<void> {
    this.keys.stop();
    // A rotation still running needs the client to finish; the next instance must find its key file complete.
    await this.keys.settled(KEY_WORK_LIMIT_MS);
    const closing = this.current;
    this.current = undefined;
    if (!closing) return;
    await closing.close();
    closing.off('state', this.onState);
    closing.off('message', this.onMessage);
    this.lastState = { state: 'idle' };
    this.lostAt = undefined;
  }
}
