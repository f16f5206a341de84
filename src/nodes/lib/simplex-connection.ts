import { EventEmitter } from 'node:events';
import {
  InvalidInputError,
  SimplexClient,
  type ChatResponse,
  type InboundItem,
  type SessionState,
  type SimplexClientOptions,
  type User,
} from '../../simplex';
import { ConnectionUsers } from './connection-users';
import type { ConnectionUser } from './connection-user';
import type { NodeAPI } from './node-red';
import type { StartupReport } from './simplex-cli-node';
import { runStartup, type StartupSettings } from './simplex-startup';
import type { Translate } from './translate';

/** Test and benchmark hooks: shorter timers than a person would want in production. */
const TUNING_SETTING = 'simplexClientOptions';
/** Longest wait, on close, for the nodes using the CLI to finish (below Node-RED's 15 s close timeout). */
const USERS_GONE_LIMIT_MS = 5000;
/**
 * How long the socket stays open after the last node let go. A deploy of modified nodes only stops and restarts those
 * nodes: keeping the socket meanwhile avoids a reconnect, during which the CLI may lose up to two events.
 */
const LINGER_MS = 2000;

export interface SimplexConnectionSettings {
  client: SimplexClientOptions;
  startup: StartupSettings;
  /** Prefix of the node's log lines. */
  label: string;
  /** Why the node cannot work at all, in words; undefined when it can. */
  problem: string | undefined;
}

/**
 * A CLI's one connection, shared by the nodes using it as Node-RED's MQTT broker node shares a broker: the first
 * registration starts the client, every state change goes to all users, the last deregistration stops it (after a
 * short linger). The CLI gives each event to one socket only, so there is never more than one socket per node.
 * After every (re)connect with an active user, the start-up actions run again; they only write what differs.
 */
export class SimplexConnection {
  readonly events = new EventEmitter().setMaxListeners(0);
  readonly startup: StartupReport = {};
  private readonly users = new ConnectionUsers();
  private current: SimplexClient | undefined;
  private state: SessionState = { state: 'idle' };
  private lingerTimer: NodeJS.Timeout | undefined;
  private startupRunning: Promise<void> | undefined;
  private startupAgain = false;
  /** The start-up actions are owed: set by every connection that ends, so they run once per (re)connect. */
  private startupOwed = true;
  private readonly onState = (state: SessionState) => {
    if (state.state !== 'connected') this.startupOwed = true;
    this.state = state;
    this.pushAll();
  };
  private readonly onUser = (user: User | undefined) => {
    if (user) {
      this.startup.displayName = user.profile?.displayName ?? user.localDisplayName;
      // The user is read again during the actions (after a profile change): that is no new connection.
      if (this.startupOwed) {
        this.startupOwed = false;
        this.runStartup();
      }
    }
    this.pushAll();
  };
  private readonly onEvent = (resp: ChatResponse) => this.events.emit('event', resp);
  private readonly onItem = (item: InboundItem, resp: ChatResponse) => this.events.emit('item', item, resp);

  constructor(
    private readonly RED: NodeAPI,
    private readonly settings: SimplexConnectionSettings,
    private readonly t: Translate,
    private readonly warn: (text: string) => void,
  ) {}

  /** The client, created on first use. Throws the node's problem when there is one. */
  client(): SimplexClient {
    if (this.settings.problem) throw new InvalidInputError(this.settings.problem);
    if (!this.current) this.current = this.createClient();
    return this.current;
  }

  register(user: ConnectionUser): void {
    this.users.add(user);
    if (this.settings.problem) return user.configProblem(this.settings.problem);
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const started = this.current !== undefined;
    const client = this.client();
    this.push(user);
    if (started) return;
    client.start();
    if (client.session.competing > 0) this.warn(this.t('warnings.sharedCli', { url: client.session.url }));
  }

  async deregister(user: ConnectionUser): Promise<void> {
    if (!this.users.remove(user) || !this.current) return;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      if (this.users.size === 0) void this.closeClient();
    }, LINGER_MS);
    this.lingerTimer.unref();
  }

  /** The config node closes: waits (briefly) for its users to let go, then stops the client at once. */
  async close(): Promise<void> {
    await this.users.whenEmpty(USERS_GONE_LIMIT_MS);
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.users.clear();
    this.events.removeAllListeners();
    await this.closeClient();
  }

  private runStartup(): void {
    if (this.startupRunning) {
      this.startupAgain = true;
      return;
    }
    const client = this.current;
    if (!client) return;
    this.startupRunning = runStartup(client, this.settings.startup)
      .then(
        (address) => {
          if (address) this.startup.address = address;
          this.startup.failed = undefined;
          this.startup.at = new Date().toISOString();
        },
        (err: Error) => {
          // A drop during the actions is retried at the next connect; anything else is worth a log line.
          this.startup.failed = err.message;
          if (client.state === 'connected') this.warn(this.t('warnings.startupFailed', { cause: err.message }));
        },
      )
      .finally(() => {
        this.startupRunning = undefined;
        this.pushAll();
        if (this.startupAgain && this.current === client && client.user && client.state === 'connected') {
          this.startupAgain = false;
          this.runStartup();
        }
      });
  }

  private pushAll(): void {
    this.users.forEach((user) => this.push(user));
  }

  /** The state in words (with the bot's name when connected), and the one note that matters most. */
  private push(user: ConnectionUser): void {
    const name = this.state.state === 'connected' ? this.startup.displayName : undefined;
    const word = this.t(`status.${this.state.state === 'idle' ? 'connecting' : this.state.state}`);
    user.connectionChanged({ state: this.state.state }, name ? `${word} · ${name}` : word);
    const note = this.note();
    if (user.keyStatus) user.keyStatus(note ?? '', note !== undefined);
  }

  private note(): string | undefined {
    if (this.state.state !== 'connected') return undefined;
    if (this.state.reason === 'no user profile') return this.t('status.noUser');
    if (this.startup.failed) return this.t('status.startupFailed');
    if (this.current?.session.unencrypted) return this.t('status.unencrypted');
    return undefined;
  }

  private createClient(): SimplexClient {
    const settings = this.RED.settings as unknown as Record<string, unknown>;
    const tuning = (settings[TUNING_SETTING] ?? {}) as Partial<SimplexClientOptions>;
    const { label } = this.settings;
    const client = new SimplexClient({
      ...tuning,
      ...this.settings.client,
      logger: {
        debug: (m) => this.RED.log.debug(`${label} ${m}`),
        info: (m) => this.RED.log.info(`${label} ${m}`),
        warn: (m) => this.RED.log.warn(`${label} ${m}`),
        error: (m) => this.RED.log.error(`${label} ${m}`),
      },
    });
    client.on('state', this.onState);
    client.on('user', this.onUser);
    client.on('event', this.onEvent);
    client.on('item', this.onItem);
    return client;
  }

  private async closeClient(): Promise<void> {
    const closing = this.current;
    this.current = undefined;
    if (!closing) return;
    await closing.stop();
    closing.off('state', this.onState);
    closing.off('user', this.onUser);
    closing.off('event', this.onEvent);
    closing.off('item', this.onItem);
    this.state = { state: 'idle' };
    this.startupOwed = true;
  }
}
