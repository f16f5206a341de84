/**
 * One WebSocket that stays up by itself: it opens with fresh headers on every attempt, proves itself alive with a
 * heartbeat, reconnects after a drop with capped, jittered backoff, and backs off slowly when the server refuses the
 * credentials (HTTP 401/403 on the upgrade) instead of hammering it.
 *
 * Part of the transport core: it knows nothing of any chat service's frames and nothing of Node-RED. It moves text
 * frames; a client adds its codec on top (and usually a `Correlator` for request/answer pairs).
 *
 * Every opened connection gets a generation number, unique in the process and increasing. A request written on one
 * generation can only be answered on it: when that connection ends, `generationEnd` fires so whatever waited on it
 * fails (see `Correlator.failGeneration`).
 *
 * Events:
 * - `state` (StateChange): every change of `state`
 * - `frame` (text: string, generation: number): a text frame within the frame limits
 * - `binary` (data: Buffer, generation: number): a binary frame within the size limit
 * - `rejected` (rejection: FrameRejection, sample: string, generation: number): a frame over the limits, dropped
 *   unparsed; `sample` is a bounded piece of its text for the owner to name what it was
 * - `generationEnd` (generation: number, why: string): an opened connection ended; emitted before the state change
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import WebSocket, { type ClientOptions } from 'ws';
import { Backoff, type BackoffOptions } from './backoff';
import { ClientError } from './errors';
import { DEFAULT_FRAME_LIMITS, checkFrame, frameSample, type FrameLimits, type FrameRejection } from './frame-guard';
import { SILENT_LOGGER, type Logger } from './logger';

/**
 * - `idle`: not started yet
 * - `connecting`: opening the socket (first time or after a drop)
 * - `connected`: open and answering the heartbeat
 * - `disconnected`: dropped or unreachable; a reconnect is scheduled
 * - `unauthorized`: the credentials were refused; only a slow retry is scheduled
 * - `closed`: stopped for good (redeploy, last user gone)
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'unauthorized' | 'closed';

export interface StateChange {
  state: ConnectionState;
  /** Why the connection is not up, in words, when it is not. */
  reason?: string;
  /** When the next attempt is due, in ms from now. */
  retryInMs?: number;
  /** The HTTP status of a refused upgrade, when that is why. */
  status?: number;
}

export interface HeartbeatOptions {
  /** How often to ping. */
  intervalMs: number;
  /** How long to wait for the pong (or any frame) before declaring the socket dead. */
  timeoutMs: number;
  /**
   * True while the peer may legitimately be too busy to answer pings (a peer that stops reading while it works on a
   * request). The heartbeat is suspended meanwhile; the callers' own request timeouts still apply.
   */
  busy?: () => boolean;
}

export interface SocketStats {
  /** Connections opened. */
  connects: number;
  /** Opened connections that ended other than by `stop()`. */
  drops: number;
  /** Connections ended because the heartbeat went unanswered. */
  heartbeatTimeouts: number;
  /** Upgrades refused with 401/403, and refusals confirmed by `checkRefused`. */
  unauthorizedAttempts: number;
  /** Frames dropped for their size (`FrameLimits.maxBytes`). */
  oversizedFrames: number;
  /** Frames dropped for their nesting (`FrameLimits.maxDepth`). */
  tooDeepFrames: number;
  /** Errors thrown by a listener of a frame; caught, logged and counted so they never end the process. */
  listenerErrors: number;
}

/** A fresh set of counters. */
export function emptySocketStats(): SocketStats {
  return {
    connects: 0,
    drops: 0,
    heartbeatTimeouts: 0,
    unauthorizedAttempts: 0,
    oversizedFrames: 0,
    tooDeepFrames: 0,
    listenerErrors: 0,
  };
}

/** Options handed to `ws` as they are: TLS trust (`ca`, `servername`, client certificates) and limits. */
export type SocketWsOptions = Pick<
  ClientOptions,
  'ca' | 'cert' | 'key' | 'handshakeTimeout' | 'maxPayload' | 'perMessageDeflate' | 'agent'
> & {
  /** The TLS server name (SNI and certificate check), when it differs from the URL's host. */
  servername?: string;
};

export interface ReconnectingSocketOptions {
  url: string;
  /** Headers of the upgrade request, asked anew on every attempt (credentials may change). */
  headers?: () => Record<string, string>;
  /** Passed to `ws`. Certificates are always verified: there is no option to turn that off. */
  ws?: SocketWsOptions;
  heartbeat: HeartbeatOptions;
  backoff: BackoffOptions;
  /** After refused credentials, how long before trying once more. */
  unauthorizedRetryMs: number;
  logger?: Logger;
  /** Prefix of log lines, so a person can tell which service they are about. */
  name?: string;
  /** The words for refused credentials, shown as the `unauthorized` reason. */
  refusedReason?: (status?: number) => string;
  /**
   * After an open connection was closed by the server with `code`: return a promise of true when the credentials
   * are now refused (slow retry), false for a normal reconnect, or undefined when the code needs no check.
   */
  checkRefused?: (code: number) => Promise<boolean> | undefined;
  /** Frames over these limits are dropped unparsed (event `rejected`); default `DEFAULT_FRAME_LIMITS`. */
  frameLimits?: FrameLimits;
  /** Counters to add to, so that an owner replacing its socket keeps one set; a fresh set by default. */
  stats?: SocketStats;
  /** False: one connection only; when it ends (or never opens) the state goes to `closed`. Default true. */
  reconnect?: boolean;
  /**
   * False: when the very first attempt fails, the state goes to `closed` (with the reason and status) instead of
   * retrying; once a connection was open, drops reconnect as usual. For an owner that must know at once whether it
   * can connect, such as a make-before-break switch. Default true.
   */
  retryFirstConnect?: boolean;
}

/** The events and their arguments (see the top of this file). */
export interface ReconnectingSocketEvents {
  state: [change: StateChange];
  frame: [text: string, generation: number];
  binary: [data: Buffer, generation: number];
  rejected: [rejection: FrameRejection, sample: string, generation: number];
  generationEnd: [generation: number, why: string];
}

/** How long `stop()` waits for the peer to answer the close frame before cutting the connection. */
export const CLOSE_GRACE_MS = 1000;

/** Generations are unique across every socket of the process, so two sockets of one owner never share one. */
let lastGeneration = 0;

export class ReconnectingSocket extends EventEmitter<ReconnectingSocketEvents> {
  readonly stats: SocketStats;
  /** When the current connection last proved alive (opened, any frame, pong or ping), epoch ms; 0 before the first. */
  lastAliveAt = 0;
  private socket: WebSocket | undefined;
  private currentState: ConnectionState = 'idle';
  private currentGeneration = 0;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private readonly prefix: string;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private retired = false;
  /** The TCP socket is corked until the end of the current turn (see `holdWrites`). */
  private writesHeld = false;
  private everOpened = false;
  private readonly limits: FrameLimits;

  constructor(private readonly options: ReconnectingSocketOptions) {
    super();
    this.backoff = new Backoff(options.backoff);
    this.log = options.logger ?? SILENT_LOGGER;
    this.prefix = options.name ? `${options.name}: ` : '';
    this.stats = options.stats ?? emptySocketStats();
    this.limits = options.frameLimits ?? DEFAULT_FRAME_LIMITS;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The generation of the open connection; 0 before the first one opened. */
  get generation(): number {
    return this.currentGeneration;
  }

  /** True when a frame written now goes out on an open connection. */
  get isOpen(): boolean {
    return this.currentState === 'connected' && this.socket?.readyState === WebSocket.OPEN;
  }

  /** Starts connecting; later drops reconnect by themselves until `stop()`. */
  start(): void {
    if (this.currentState !== 'idle' || this.stopped) return;
    this.connect();
  }

  /** Closes the current connection, if any, and connects again at once (after the credentials changed). */
  reconnectNow(): void {
    if (this.stopped || this.retired) return;
    this.backoff.reset();
    clearTimeout(this.reconnectTimer);
    if (this.socket) this.socket.close(1000, 'reconnecting');
    else this.connect();
  }

  /**
   * Writes one text frame on the open connection and returns its generation. Throws a `ClientError` with code
   * `OFFLINE` when no connection is open: nothing was written. A write that fails later calls `onWriteError`; its
   * outcome is unknown (part of it may have left).
   */
  send(text: string, onWriteError?: (err: Error) => void): number {
    const socket = this.socket;
    if (!this.isOpen || !socket) throw new ClientError('OFFLINE', 'the WebSocket is not open');
    this.holdWrites(socket);
    socket.send(text, (err) => {
      if (err) onWriteError?.(err);
    });
    return this.currentGeneration;
  }

  /**
   * Frames written in the same turn of the event loop leave in one system call: the TCP socket under `ws` is corked
   * at the first frame and uncorked once the current code and its promise callbacks have run. A burst of sends (a
   * queue starting several messages after a batch of answers) then costs one write instead of one per frame, with no
   * added wait. `ws` exposes its TCP socket only as `_socket`; without one, frames are written one by one as before.
   */
  private holdWrites(socket: WebSocket): void {
    if (this.writesHeld) return;
    const tcp = (socket as unknown as { _socket?: { cork?: () => void; uncork?: () => void } })._socket;
    if (typeof tcp?.cork !== 'function' || typeof tcp.uncork !== 'function') return;
    tcp.cork();
    this.writesHeld = true;
    process.nextTick(() => {
      this.writesHeld = false;
      tcp.uncork?.();
    });
  }

  /**
   * For make-before-break: this socket was replaced by another one. From now on it neither pings nor reconnects;
   * the open connection still delivers frames and takes writes until the peer closes it or `stop()` is called.
   */
  retire(): void {
    this.retired = true;
    clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
  }

  /**
   * Stops for good: no more reconnects. A polite close first; a peer that does not answer the close frame within
   * `CLOSE_GRACE_MS` is cut off, so a redeploy never waits longer than that.
   */
  async stop(reason = 'closing'): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    const socket = this.socket;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          socket.terminate();
          resolve();
        }, CLOSE_GRACE_MS);
        socket.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
        else socket.close(1000, reason);
      });
    }
    this.setState({ state: 'closed' });
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState({ state: 'connecting' });
    let refusedStatus: number | undefined;
    let generation: number | undefined;
    // No permessage-deflate unless asked for: chat frames are small, and compressing each one costs far more time on
    // both ends (zlib per frame) than it saves on the wire.
    const socket = new WebSocket(this.options.url, {
      perMessageDeflate: false,
      ...this.options.ws,
      headers: this.options.headers?.(),
    });
    this.socket = socket;

    socket.on('unexpected-response', (_req, res: IncomingMessage) => {
      refusedStatus = res.statusCode;
      res.resume();
      socket.terminate();
    });
    socket.on('open', () => {
      generation = ++lastGeneration;
      this.currentGeneration = generation;
      this.everOpened = true;
      this.stats.connects += 1;
      this.lastAliveAt = Date.now();
      this.backoff.connected();
      this.setState({ state: 'connected' });
      this.startHeartbeat(socket);
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      this.alive();
      if (generation === undefined) return; // frames come only after 'open'; this keeps the types honest
      this.deliver(data, isBinary, generation);
    });
    socket.on('pong', () => this.alive());
    socket.on('ping', () => this.alive());
    socket.on('error', (err) => {
      // 'close' always follows; the reason is reported there.
      this.log.debug(`${this.prefix}WebSocket error: ${err.message}`);
    });
    socket.on('close', (code: number) => this.onClose(socket, generation, code, refusedStatus));
  }

  /**
   * Hands a frame to the listeners, or drops it when it breaks the limits. Whatever a listener throws is caught here:
   * an exception escaping a socket handler would end the whole process, and no frame is worth that.
   */
  private deliver(data: Buffer, isBinary: boolean, generation: number): void {
    try {
      if (isBinary) {
        if (data.length > this.limits.maxBytes) {
          this.reject({ kind: 'size', bytes: data.length, limit: this.limits.maxBytes }, '', generation);
        } else {
          this.emit('binary', data, generation);
        }
        return;
      }
      // Too large: only its ends are decoded, for the owner to name it.
      const text = data.length > this.limits.maxBytes ? sampleOf(data) : data.toString();
      const rejection = checkFrame(text, data.length, this.limits);
      if (rejection) this.reject(rejection, frameSample(text), generation);
      else this.emit('frame', text, generation);
    } catch (err) {
      this.stats.listenerErrors += 1;
      this.log.error(`${this.prefix}a received frame could not be handled: ${(err as Error)?.message ?? err}`);
    }
  }

  private reject(rejection: FrameRejection, sample: string, generation: number): void {
    if (rejection.kind === 'size') this.stats.oversizedFrames += 1;
    else this.stats.tooDeepFrames += 1;
    this.emit('rejected', rejection, sample, generation);
  }

  /** The end of a connection: whatever waited on it fails, then the next attempt is scheduled. */
  private onClose(socket: WebSocket, generation: number | undefined, code: number, refusedStatus?: number): void {
    if (this.socket === socket) this.socket = undefined;
    this.stopHeartbeat();
    const wasConnected = this.currentState === 'connected';
    if (wasConnected && !this.stopped && !this.retired) this.stats.drops += 1;
    if (generation !== undefined) this.emit('generationEnd', generation, this.endReason());
    this.backoff.disconnected();
    if (this.stopped) return;
    const refused = refusedStatus === 401 || refusedStatus === 403;
    const reason = refused
      ? this.refusedReason(refusedStatus)
      : refusedStatus
        ? `the server refused the connection (HTTP ${refusedStatus})`
        : wasConnected
          ? `the connection dropped (code ${code})`
          : 'cannot reach the server';
    const giveUp = !this.everOpened && this.options.retryFirstConnect === false;
    if (this.retired || this.options.reconnect === false || giveUp) {
      this.stopped = true;
      this.setState({ state: 'closed', reason, status: refusedStatus });
      return;
    }
    if (refused) {
      this.stats.unauthorizedAttempts += 1;
      this.backoff.reset();
      this.scheduleReconnect(this.options.unauthorizedRetryMs, 'unauthorized', reason, refusedStatus);
      return;
    }
    const check = wasConnected ? this.options.checkRefused?.(code) : undefined;
    if (check) this.checkThenReconnect(check, reason);
    else this.scheduleReconnect(this.backoff.next(), 'disconnected', reason, refusedStatus);
  }

  private endReason(): string {
    if (this.stopped) return 'the connection was closed before the answer came';
    if (this.retired) return 'the replaced connection closed before the answer came';
    return 'the connection dropped before the answer came';
  }

  private refusedReason(status?: number): string {
    if (this.options.refusedReason) return this.options.refusedReason(status);
    return status ? `the credentials were refused (HTTP ${status})` : 'the credentials were refused';
  }

  /** After a close the owner wants checked: refused credentials wait for the slow retry, anything else reconnects. */
  private checkThenReconnect(check: Promise<boolean>, reason: string): void {
    this.setState({ state: 'disconnected', reason });
    const stillDown = () => !this.stopped && !this.socket;
    check.then(
      (refused) => {
        if (!stillDown()) return;
        if (refused) {
          this.stats.unauthorizedAttempts += 1;
          this.backoff.reset();
          this.scheduleReconnect(this.options.unauthorizedRetryMs, 'unauthorized', this.refusedReason());
        } else {
          this.scheduleReconnect(this.backoff.next(), 'disconnected', reason);
        }
      },
      () => {
        if (stillDown()) this.scheduleReconnect(this.backoff.next(), 'disconnected', reason);
      },
    );
  }

  private scheduleReconnect(
    delayMs: number,
    state: 'disconnected' | 'unauthorized',
    reason: string,
    status?: number,
  ): void {
    this.log.warn(`${this.prefix}${reason}; next attempt in ${Math.round(delayMs / 100) / 10} s`);
    this.setState({ state, reason, retryInMs: delayMs, ...(status ? { status } : {}) });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
  }

  private startHeartbeat(socket: WebSocket): void {
    this.stopHeartbeat();
    const { intervalMs, timeoutMs, busy } = this.options.heartbeat;
    this.pingTimer = setInterval(() => {
      if (this.pongTimer) return; // still waiting for the previous answer
      if (busy?.()) return; // the peer may not read pings now; try again next round
      this.pongTimer = setTimeout(() => {
        this.pongTimer = undefined;
        if (busy?.()) return; // it became busy meanwhile: an unanswered ping proves nothing
        this.stats.heartbeatTimeouts += 1;
        this.log.warn(`${this.prefix}no answer to the heartbeat; the connection is treated as dead`);
        socket.terminate();
      }, timeoutMs);
      try {
        socket.ping();
      } catch {
        // A socket that cannot even be pinged is dead: the pong timer ends it.
      }
    }, intervalMs);
  }

  /** Any frame, pong or ping proves the connection alive. */
  private alive(): void {
    this.lastAliveAt = Date.now();
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  private stopHeartbeat(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = undefined;
    this.pongTimer = undefined;
  }

  private setState(change: StateChange): void {
    this.currentState = change.state;
    this.emit('state', change);
  }
}

/** The head and tail of a large frame as text (a split character at a cut is harmless: it is only searched). */
function sampleOf(data: Buffer, keep = 32 * 1024): string {
  return `${data.subarray(0, keep).toString()}\n${data.subarray(data.length - keep).toString()}`;
}
