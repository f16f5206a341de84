/**
 * The one WebSocket to a SimpleX Chat CLI, on the shared transport core.
 *
 * Why it is shaped this way (facts about the CLI, see docs/decisions.md):
 * - The CLI sends each event to exactly one of its connected sockets, so there is one socket per CLI, never two,
 *   not even briefly during a reconnect.
 * - It works through commands one at a time, in the order written, and stops reading the socket (pings included) while
 *   commands queue up behind a slow one. Commands written ahead wait in the socket's buffers, so the CLI goes from one
 *   to the next without a round trip in between (default 16 in flight); the heartbeat is suspended while a command
 *   waits for its reply: the command's own timeout applies instead.
 * - It queues events while nobody is connected and hands the backlog to the next socket: after a reconnect they
 *   simply arrive; there is nothing to catch up.
 * - Every parsed command gets exactly one reply with its corrId. Commands are written once: when the socket ends or
 *   the timeout passes first, the command fails as "outcome unknown" and is never resent.
 * - After every (re)connect the active user is read again (`/user`), since the CLI may have been restarted with
 *   another database.
 *
 * Events: `state` (SessionState), `event` (ChatResponse), `user` (User | undefined), `protocolError` (ChatResponse),
 * `malformed` (reason: string).
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  Correlator,
  ReconnectingSocket,
  SILENT_LOGGER,
  type BackoffOptions,
  type ConnectionState,
  type Logger,
  type StateChange,
} from '../transport';
import { findCommand, normalizeParams, type NetworkUsage } from './commands';
import { chatErrorOf, decodeFrame } from './decode';
import {
  ChatCommandError,
  ClosedError,
  InvalidInputError,
  NotSentError,
  OutcomeUnknownError,
  TimeoutError,
  UnexpectedReplyError,
  chatErrorTag,
} from './errors';
import type { ChatResponse, User } from './types';
import { resolveCliUrl } from './urls';

export interface SessionTimeouts {
  /** Commands that do not use the network. */
  no: number;
  /** Commands answered before their network work. */
  background: number;
  /** Commands answered after (some of) their network work. */
  interactive: number;
}

export interface SimplexSessionOptions {
  /** `ws://127.0.0.1:5225` by default. */
  url?: string;
  /** Plain `ws://` to another host: refused unless true. */
  allowUnencryptedRemote?: boolean;
  /** HTTP basic auth for a proxy in front of the CLI. */
  username?: string;
  password?: string;
  /** PEM text of a private CA that signed the proxy's certificate. Certificates are always verified. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** TLS server name, when it differs from the URL's host. */
  servername?: string;
  heartbeat?: { intervalMs?: number; timeoutMs?: number };
  /** Command timeouts by network usage (ms). */
  timeouts?: Partial<SessionTimeouts>;
  /**
   * Most commands written and waiting for their reply at once (1 to 64; default 16). When the connection drops, every
   * written command fails as "outcome unknown"; commands past the limit wait here and fail as "not sent".
   */
  maxInFlight?: number;
  /** How long a command waits for the connection before failing as "not sent" (ms). */
  offlineWaitMs?: number;
  connectTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** After the proxy refused the credentials, how long before trying once more (ms). */
  unauthorizedRetryMs?: number;
  logger?: Logger;
}

export interface SessionState extends StateChange {
  /** The connection is open but unencrypted over a network (`ws://` to another host). */
  unencrypted?: boolean;
  /** The CLI's active user, once read after the connection opened. */
  user?: User;
}

export interface CommandOptions {
  /** Overrides the timeout chosen by network usage. */
  timeoutMs?: number;
  /** Picks the timeout; default `interactive` for commands not in the table. */
  network?: NetworkUsage;
  /** Reply types that count as success; any other type fails with `UnexpectedReplyError`. */
  expect?: readonly string[];
  /** Overrides the offline wait for this command. */
  offlineWaitMs?: number;
}

export interface SessionStats {
  connects: number;
  drops: number;
  heartbeatTimeouts: number;
  unauthorizedAttempts: number;
  commands: number;
  malformedFrames: number;
  /** Replies with a corrId nothing waits for (late after a timeout, or someone else's). */
  lateReplies: number;
  /** Command errors without a corrId: frames the CLI could not read as a request. */
  protocolErrors: number;
  events: number;
}

/**
 * Commands written ahead of their replies by default. The CLI runs them one by one in order either way; written
 * ahead, it finds the next one already in its buffer, and both sides read and write several frames per wake-up.
 */
export const DEFAULT_MAX_IN_FLIGHT = 16;

export const DEFAULT_TIMEOUTS: SessionTimeouts = { no: 10_000, background: 30_000, interactive: 120_000 };

/** Started sessions of this process by CLI address: the CLI gives each event to one socket only. */
const started = new Map<string, Set<SimplexSession>>();
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.3, stableMs: 30_000 };

export class SimplexSession extends EventEmitter {
  readonly stats: SessionStats;
  /** True when the address is `ws://` to another host (allowed by the user): nothing is encrypted. */
  readonly unencrypted: boolean;
  /** The CLI address without user name or password. */
  readonly url: string;
  private readonly socket: ReconnectingSocket;
  private readonly correlator: Correlator;
  private readonly log: Logger;
  private readonly timeouts: SessionTimeouts;
  private readonly offlineWaitMs: number;
  private readonly corrPrefix = randomBytes(4).toString('hex');
  private counter = 0;
  private currentUser: User | undefined;
  private lastState: SessionState = { state: 'idle' };
  private stopped = false;
  /** Commands waiting for the connection (not yet handed to the correlator). */
  private readonly waitingForConnection = new Set<() => void>();

  constructor(options: SimplexSessionOptions = {}) {
    super();
    const address = resolveCliUrl(options.url, options.allowUnencryptedRemote);
    const username = options.username ?? address.username;
    const password = options.password ?? address.password;
    this.unencrypted = address.unencrypted;
    this.url = address.url;
    this.log = options.logger ?? SILENT_LOGGER;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.offlineWaitMs = options.offlineWaitMs ?? 10_000;
    const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 64) {
      throw new InvalidInputError('maxInFlight must be a whole number from 1 to 64');
    }
    const authorization =
      username || password
        ? `Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64')}`
        : undefined;
    this.socket = new ReconnectingSocket({
      url: address.url,
      headers: (): Record<string, string> => (authorization ? { Authorization: authorization } : {}),
      ws: {
        handshakeTimeout: options.connectTimeoutMs ?? 10_000,
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.servername ? { servername: options.servername } : {}),
        // Replies with long lists (contacts, groups) stay far below this; it only bounds memory against a runaway peer.
        maxPayload: 64 * 1024 * 1024,
      },
      heartbeat: {
        intervalMs: options.heartbeat?.intervalMs ?? 30_000,
        timeoutMs: options.heartbeat?.timeoutMs ?? 20_000,
        // The CLI stops answering pings while it works through queued commands: a pending command is no sign of a
        // dead socket, and its own timeout covers it.
        busy: () => this.correlator.inFlight() > 0,
      },
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      unauthorizedRetryMs: options.unauthorizedRetryMs ?? 10_000,
      logger: this.log,
      name: 'SimpleX',
      refusedReason: (status) => `the proxy refused the user name or password${status ? ` (HTTP ${status})` : ''}`,
    });
    this.stats = Object.assign(this.socket.stats, {
      commands: 0,
      malformedFrames: 0,
      lateReplies: 0,
      protocolErrors: 0,
      events: 0,
    });
    this.correlator = new Correlator({
      send: (frame, onWriteError) => this.socket.send(frame, onWriteError),
      maxInFlight,
      errors: {
        timeout: (command, ms) => new TimeoutError(command, ms),
        outcomeUnknown: (command, why) => new OutcomeUnknownError(command, why),
        notSent: (command, why) => new NotSentError(command, why),
      },
    });
    this.socket.on('frame', (text: string) => this.onFrame(text));
    this.socket.on('binary', () => this.malformed('a binary frame'));
    this.socket.on('generationEnd', (generation: number, why: string) =>
      this.correlator.failGeneration(generation, why),
    );
    this.socket.on('state', (change: StateChange) => this.onSocketState(change));
  }

  get state(): ConnectionState {
    return this.lastState.state;
  }

  /** The CLI's active user as last read; undefined before that, or when the CLI has none. */
  get user(): User | undefined {
    return this.currentUser;
  }

  /** The last state change, with the user and the encryption warning. */
  get status(): SessionState {
    return { ...this.lastState };
  }

  /** Commands written and waiting for their reply. */
  get inFlight(): number {
    return this.correlator.inFlight();
  }

  /**
   * Other started sessions of this process on the same CLI address. The CLI hands each event to one socket only, so
   * two sessions on one CLI each miss part of the events.
   */
  get competing(): number {
    return Math.max(0, (started.get(this.url)?.size ?? 0) - (started.get(this.url)?.has(this) ? 1 : 0));
  }

  start(): void {
    if (this.stopped) return;
    let sessions = started.get(this.url);
    if (!sessions) started.set(this.url, (sessions = new Set()));
    sessions.add(this);
    if (sessions.size > 1) {
      this.log.warn(
        `SimpleX: ${sessions.size} clients in this process connect to ${this.url}; ` +
          'the CLI gives each event to only one of them, so each misses some',
      );
    }
    this.socket.start();
  }

  /** Stops for good: waiting commands fail (never sent, or outcome unknown), the socket closes. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const sessions = started.get(this.url);
    sessions?.delete(this);
    if (sessions?.size === 0) started.delete(this.url);
    for (const wake of [...this.waitingForConnection]) wake();
    this.correlator.failAll('the client was stopped');
    await this.socket.stop();
  }

  /**
   * Sends one command string and resolves with its reply. A `chatCmdError` reply rejects with `ChatCommandError`.
   * When not connected, waits up to the offline wait for the connection, then fails as "not sent".
   */
  async command(cmd: string, options: CommandOptions = {}): Promise<ChatResponse> {
    if (typeof cmd !== 'string' || cmd.trim() === '') throw new InvalidInputError('the command is empty');
    if (this.stopped) throw new ClosedError(cmd);
    const timeoutMs = options.timeoutMs ?? this.timeouts[options.network ?? 'interactive'];
    await this.whenOpen(cmd, options.offlineWaitMs ?? this.offlineWaitMs);
    const corrId = `${this.corrPrefix}-${++this.counter}`;
    this.stats.commands += 1;
    const resp = await this.correlator.request<ChatResponse>(corrId, JSON.stringify({ corrId, cmd }), timeoutMs, cmd);
    return checkReply(cmd, resp, options.expect);
  }

  /**
   * Sends a command of the reference's table by name, with its parameters validated, the timeout of its network
   * usage and its documented reply types.
   */
  call(name: string, params: Record<string, unknown> = {}, options: CommandOptions = {}): Promise<ChatResponse> {
    const def = findCommand(name);
    if (!def) return Promise.reject(new InvalidInputError(`unknown SimpleX command ${JSON.stringify(name)}`));
    let cmd: string;
    try {
      cmd = def.build(normalizeParams(def, params));
    } catch (err) {
      return Promise.reject(err);
    }
    return this.command(cmd, { network: def.network, expect: def.responses, ...options });
  }

  /** Resolves once connected with the active user read; rejects after `timeoutMs`. */
  ready(timeoutMs = this.offlineWaitMs): Promise<User> {
    if (this.lastState.state === 'connected' && this.currentUser) return Promise.resolve(this.currentUser);
    return new Promise((resolve, reject) => {
      const onUser = (user: User | undefined) => {
        if (!user) return;
        cleanup();
        resolve(user);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new NotSentError('/user', `no connection with an active user within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('user', onUser);
      };
      this.on('user', onUser);
    });
  }

  /** Reads the active user again (after changing its profile, for instance) and reports it like a reconnect does. */
  async refreshUser(): Promise<User> {
    const resp = await this.command('/user', { network: 'no', expect: ['activeUser'] });
    const user = resp.user as User;
    this.currentUser = user;
    if (this.lastState.state === 'connected') this.setState({ ...this.lastState, user });
    this.emit('user', user);
    return user;
  }

  /** Waits until the socket is open, or fails as "not sent" after `waitMs`. */
  private whenOpen(cmd: string, waitMs: number): Promise<void> {
    if (this.socket.isOpen) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new NotSentError(cmd, this.notConnectedReason(waitMs))), waitMs);
      const onState = () => {
        if (this.socket.isOpen) finish();
      };
      const wake = () => finish(new ClosedError(cmd));
      const finish = (err?: Error) => {
        clearTimeout(timer);
        this.socket.off('state', onState);
        this.waitingForConnection.delete(wake);
        if (err) reject(err);
        else resolve();
      };
      this.waitingForConnection.add(wake);
      this.socket.on('state', onState);
    });
  }

  private notConnectedReason(waitMs: number): string {
    const why = this.lastState.reason ? ` (${this.lastState.reason})` : '';
    return `not connected to the CLI after waiting ${Math.round(waitMs / 1000)} s${why}`;
  }

  private onSocketState(change: StateChange): void {
    if (change.state !== 'connected') {
      if (change.state !== 'connecting' || this.lastState.state !== 'connecting') this.setState({ ...change });
      return;
    }
    this.setState({ state: 'connected', ...(this.unencrypted ? { unencrypted: true } : {}) });
    this.readUser();
  }

  /** After each (re)connect: who is the CLI's active user now? */
  private readUser(): void {
    this.command('/user', { network: 'no', expect: ['activeUser'] }).then(
      (resp) => {
        const user = resp.user as User;
        this.currentUser = user;
        if (this.lastState.state === 'connected') this.setState({ ...this.lastState, user, reason: undefined });
        this.emit('user', user);
      },
      (err: Error) => {
        this.currentUser = undefined;
        if (err instanceof ChatCommandError && err.tag === 'noActiveUser') {
          this.log.warn('SimpleX: the CLI has no user profile; start it with --create-bot-display-name');
          if (this.lastState.state === 'connected') {
            this.setState({ ...this.lastState, user: undefined, reason: 'no user profile' });
          }
        } else {
          this.log.warn(`SimpleX: could not read the active user: ${err.message}`);
        }
        this.emit('user', undefined);
      },
    );
  }

  private onFrame(text: string): void {
    const decoded = decodeFrame(text);
    switch (decoded.kind) {
      case 'reply':
        if (!this.correlator.settle(decoded.corrId, undefined, decoded.resp)) this.stats.lateReplies += 1;
        return;
      case 'event':
        this.stats.events += 1;
        this.emitSafely('event', decoded.resp);
        return;
      case 'protocolError':
        this.stats.protocolErrors += 1;
        this.log.warn(`SimpleX: the CLI could not read a request: ${chatErrorTag(chatErrorOf(decoded.resp))}`);
        this.emitSafely('protocolError', decoded.resp);
        return;
      case 'malformed':
        this.malformed(decoded.reason);
    }
  }

  /** A listener that throws must not break the socket's frame handling (or crash the process). */
  private emitSafely(event: string, payload: unknown): void {
    try {
      this.emit(event, payload);
    } catch (err) {
      this.log.error(`SimpleX: a ${event} listener failed: ${(err as Error).message}`);
    }
  }

  private malformed(reason: string): void {
    this.stats.malformedFrames += 1;
    this.log.debug(`SimpleX: ignored a frame (${reason})`);
    this.emitSafely('malformed', reason);
  }

  private setState(state: SessionState): void {
    if (state.state !== 'connected') this.currentUser = undefined;
    if (state.user === undefined) delete state.user;
    if (state.reason === undefined) delete state.reason;
    this.lastState = state;
    this.emitSafely('state', { ...state });
  }
}

/** A reply as the command's result: chat errors and undocumented reply types become errors. */
function checkReply(cmd: string, resp: ChatResponse, expect: readonly string[] | undefined): ChatResponse {
  if (resp.type === 'chatCmdError' || resp.type === 'chatError') {
    throw new ChatCommandError(cmd, chatErrorOf(resp) ?? { type: 'unknown' }, resp.type);
  }
  if (expect && !expect.includes(resp.type)) {
    throw new UnexpectedReplyError(
      cmd,
      resp.type,
      expect.filter((t) => t !== 'chatCmdError'),
      resp,
    );
  }
  return resp;
}
