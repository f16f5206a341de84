import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  InvalidInputError,
  type ProxySettings,
  type InboundMessage,
  type PacingOptions,
  type SemilimesClient,
  type StateChange,
} from '../../semilimes';
import type { AccountUser } from './account';
import { createAccountClient } from './account-client';
import type { AccountKeyWatch } from './account-key-watch';
import { ConnectionUsers } from './connection-users';
import { DeployWindow, type WindowEnd } from './deploy-window';
import { HeldMessages } from './held-messages';
import { ReplyWaits } from './reply-waits';
import type { KeyInfo, RotationResult } from './key-lifecycle';
import type { NodeAPI } from './node-red';
import { ParkedConnections } from './parked-connections';
import type { Translate } from './translate';

/** Longest wait, on close, for the nodes using the account to finish (below Node-RED's 15 s close timeout). */
const USERS_GONE_LIMIT_MS = 5000;
/**
 * The waiting count on the nodes' status changes at most this often: it changes with every message of a burst, and
 * each status update is a message to every open editor.
 */
const WAITING_STATUS_EVERY_MS = 250;
/** Longest wait, on close, for a key check or rotation still running (also below the close timeout). */
const KEY_WORK_LIMIT_MS = 5000;

export interface AccountConnectionSettings {
  /** The account node's id: a deploy hands its connection over to the next node with this id and these settings. */
  nodeId: string;
  baseUrl: string;
  catchUp: boolean;
  /** Pacing of outgoing messages (per conversation, per account, how many may wait). */
  pacing: PacingOptions;
  /** The account's own proxy; without a URL the environment's HTTPS_PROXY / HTTP_PROXY / NO_PROXY decide. */
  proxy: ProxySettings;
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
 *
 * Across a deploy nothing is lost (decision 55): from the moment Node-RED starts stopping nodes until the new flows
 * have started, inbound messages are held instead of emitted; a client whose last user leaves during a deploy is
 * parked instead of closed, and the account node of the new flows with the same settings adopts it with the messages
 * held meanwhile, then emits them, in order and once, to the new receive nodes.
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
  private waitingText: string | undefined;
  private waitingCount = 0;
  private waitingTimer: NodeJS.Timeout | undefined;
  private readonly onWaiting = (count: number) => {
    this.waitingCount = count;
    this.waitingTimer ??= setTimeout(() => {
      this.waitingTimer = undefined;
      const waiting = this.waitingCount;
      this.waitingText = waiting > 0 ? this.t('status.waiting', { count: waiting }) : undefined;
      this.users.forEach((user) => user.queueStatus?.(this.waitingText));
    }, WAITING_STATUS_EVERY_MS);
  };
  /** Inbound frames of a type the client does not know: passed on raw, for flows that want them. */
  private readonly onUnknown = (frame: unknown) => this.events.emit('unknown', frame);
  /** Conversations waiting for a person's next text: they take it before receive nodes see it. */
  readonly replies = new ReplyWaits();
  private readonly onMessage = (message: InboundMessage) => {
    if (this.replies.take(message)) return;
    if (this.held) this.held.add(message);
    else this.events.emit('message', message);
  };
  /** Messages held while a deploy is under way; undefined outside a deploy. */
  private held: HeldMessages | undefined;
  private readonly window: DeployWindow;
  private readonly parked: ParkedConnections;
  private readonly endWindowWatch: () => void;

  constructor(
    private readonly RED: NodeAPI,
    private readonly settings: AccountConnectionSettings,
    private readonly t: Translate,
    private readonly keys: AccountKeyWatch,
  ) {
    this.window = DeployWindow.of(RED.events);
    this.parked = ParkedConnections.of(RED.events);
    if (this.window.isOpen) this.held = new HeldMessages();
    this.endWindowWatch = this.window.subscribe({
      stopping: () => (this.held ??= new HeldMessages()),
      ended: (how) => this.release(how),
    });
  }

  /** The key's expiry changed: every user's status shows it. */
  keyInfoChanged(info: KeyInfo): void {
    this.users.forEach((user) => this.pushKeyStatus(user));
    // With whether it is within the account's warning days, for nodes that pass expiry on to flows.
    this.events.emit('key', info, this.keys.status()?.warning === true);
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
    if (this.waitingText) user.queueStatus?.(this.waitingText);
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
    this.endWindowWatch();
  }

  /** The deploy window ended: what was held goes to the receive nodes that exist now, oldest first, once each. */
  private release(how: WindowEnd): void {
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    if (held.dropped > 0) {
      this.RED.log.warn(`${this.settings.label} ${this.t('log.heldDropped', { count: held.dropped })}`);
    }
    const messages = held.drain();
    if (how === 'stopped') return; // Node-RED is stopping: nobody will take them
    for (const message of messages) {
      try {
        this.events.emit('message', message);
      } catch (err) {
        // A listener's failure must not cost the other messages or the runtime's own event.
        this.RED.log.error(`${this.settings.label} ${(err as Error)?.message ?? err}`);
      }
    }
  }

  /** What must be equal for a new account node to take over a parked connection: address, key, catch-up. */
  private settingsHash(): string {
    const { baseUrl, catchUp } = this.settings;
    // Pacing is the client's too: other settings need another client.
    const { pacing, proxy } = this.settings;
    const material = JSON.stringify([baseUrl, this.keys.current().key, catchUp, pacing, proxy]);
    return createHash('sha256').update(material).digest('hex');
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
    const adopted = this.parked.adopt(this.settings.nodeId, this.settingsHash());
    if (adopted) {
      const client = adopted.client;
      client.on('state', this.onState);
      client.on('message', this.onMessage);
      client.on('waiting', this.onWaiting);
      client.on('unknown', this.onUnknown);
      this.lastState = { state: client.state };
      // The messages it received while parked come first, before anything it receives from now on.
      const held = (this.held ??= new HeldMessages());
      const later = held.drain();
      for (const message of [...adopted.held.drain(), ...later]) held.add(message);
      held.dropped += adopted.held.dropped;
      // Adopted outside a deploy (a user registered after the window): deliver once the node has its listener.
      if (!this.window.isOpen) setImmediate(() => this.release('started'));
      return client;
    }
    const { baseUrl, catchUp, label, pacing, proxy } = this.settings;
    const apiKey = this.keys.current().key;
    const created = createAccountClient(this.RED, { apiKey, baseUrl, catchUp, label, pacing, proxy });
    created.on('state', this.onState);
    created.on('waiting', this.onWaiting);
    created.on('message', this.onMessage);
    created.on('unknown', this.onUnknown);
    return created;
  }

  private async closeClient(): Promise<void> {
    this.keys.stop();
    // A rotation still running needs the client to finish; the next instance must find its key file complete.
    await this.keys.settled(KEY_WORK_LIMIT_MS);
    const closing = this.current;
    this.current = undefined;
    if (!closing) return;
    closing.off('state', this.onState);
    closing.off('message', this.onMessage);
    closing.off('waiting', this.onWaiting);
    closing.off('unknown', this.onUnknown);
    clearTimeout(this.waitingTimer);
    this.waitingTimer = undefined;
    this.waitingText = undefined;
    this.lastState = { state: 'idle' };
    // During a deploy the next account node may take it over, with the messages held so far.
    const held = this.held ?? new HeldMessages();
    if (this.parked.park(this.settings.nodeId, this.settingsHash(), closing, held)) {
      this.held = this.window.isOpen ? new HeldMessages() : undefined;
      return;
    }
    await closing.close();
    this.lostAt = undefined;
  }
}
