import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { Backoff, type BackoffOptions } from './backoff';
import { ApiError, NotSentError, OutcomeUnknownError, RateLimitError, TimeoutError, UnauthorizedError } from './errors';
import { CHAT_KINDS, type ChatKind } from './endpoints';
import { parseInbound, type InboundMessage } from './inbound';
import type { Logger } from './logger';
import type { RequestParts } from './request-input';

/**
 * - `idle`: not started yet
 * - `connecting`: opening the socket (first time or after a drop)
 * - `connected`: open and answering the heartbeat
 * - `disconnected`: dropped or unreachable; a reconnect is scheduled
 * - `unauthorized`: the key was refused; only a slow retry is scheduled
 * - `closed`: stopped for good (redeploy, last user gone)
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'unauthorized' | 'closed';

export interface StateChange {
  state: ConnectionState;
  /** Why the connection is not up, in words, when it is not. */
  reason?: string;
  /** When the next attempt is due, in ms from now. */
  retryInMs?: number;
}

export interface WsSessionOptions {
  url: string;
  apiKey: () => string;
  /** How often to ping. */
  heartbeatIntervalMs: number;
  /** How long to wait for the pong (or any frame) before declaring the socket dead. */
  heartbeatTimeoutMs: number;
  /** How long the opening handshake may take. */
  connectTimeoutMs: number;
  backoff: BackoffOptions;
  /** After a refused key, how long before trying once more. */
  unauthorizedRetryMs: number;
  logger: Logger;
  /**
   * Asks, over another channel, whether the key is refused. Used when the server ends an open socket with a
   * policy close code (1008, 4001, 4003, 4401, 4403): some servers reject a revoked key that way rather than with
   * HTTP 401 on the upgrade. True means refused: no fast reconnects then.
   */
  keyRefused?: () => Promise<boolean>;
}

/** Close codes a server may use to end a session it no longer authorizes. */
const POLICY_CLOSE_CODES = new Set([1008, 4001, 4003, 4401, 4403]);

export interface WsStats {
  connects: number;
  drops: number;
  heartbeatTimeouts: number;
  malformedFrames: number;
  ignoredEvents: number;
  unauthorizedAttempts: number;
}

interface Pending {
  endpoint: string;
  /** The socket the request was written to: only that socket's end fails it. */
  socket: WebSocket;
  resolve(data: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The one WebSocket of an API key: authenticates on the upgrade, keeps itself alive with ping/pong, reconnects with
 * capped backoff, and correlates requests with answers by requestId.
 *
 * At most once: a request is written once. If the socket dies before its answer, the request fails as "outcome
 * unknown" and is never written again, because resending could deliver a message to a person twice.
 *
 * Events: `state` (StateChange), `message` (InboundMessage), `malformed` (raw text), `unknown` (parsed frame).
 */
export class WsSession extends EventEmitter {
  private socket: WebSocket | undefined;
  private currentState: ConnectionState = 'idle';
  private readonly backoff: Backoff;
  private readonly pending = new Map<string, Pending>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Sockets replaced by `renew()`: no new requests; they close once the answers they owe have come. */
  private readonly retiring = new WeakSet<WebSocket>();
  /** Retired sockets not closed yet, so `stop()` can end them too. */
  private readonly draining = new Set<WebSocket>();
  /** Inbound message ids seen while a renewal runs: the same event may arrive on both sockets. */
  private renewalSeen: Set<string> | undefined;
  /** When the current socket last proved alive (opened, any frame, pong or ping), epoch ms; 0 before the first open. */
  lastAliveAt = 0;
  readonly stats: WsStats = {
    connects: 0,
    drops: 0,
    heartbeatTimeouts: 0,
    malformedFrames: 0,
    ignoredEvents: 0,
    unauthorizedAttempts: 0,
  };

  constructor(private readonly options: WsSessionOptions) {
    super();
    this.backoff = new Backoff(options.backoff);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** Starts connecting; later drops reconnect by themselves until `stop()`. */
  start(): void {
    if (this.currentState !== 'idle') return;
    this.connect();
  }

  /** Closes the current socket, if any, and connects again at once (used after the API key changed). */
  reconnectNow(): void {
    if (this.stopped) return;
    this.backoff.reset();
    clearTimeout(this.reconnectTimer);
    if (this.socket) this.socket.close(1000, 'reconnecting');
    else this.connect();
  }

  /**
   * Make-before-break switch to the current API key (after a rotation): a second socket is opened with the key; once it
   * is open it carries every new request, while the old socket only finishes the answers to requests already written on
   * it, then closes. Inbound events from either socket are delivered once. Nothing in flight fails and nothing is resent. Rejects, leaving the old socket in
   * place, when the new one cannot open (e.g. the new key is refused). When not connected, it simply reconnects.
   */
  renew(): Promise<void> {
    const old = this.socket;
    if (this.stopped || this.currentState !== 'connected' || !old || old.readyState !== WebSocket.OPEN) {
      if (!this.stopped && this.currentState !== 'idle') this.reconnectNow();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      let refusedStatus: number | undefined;
      const candidate = new WebSocket(this.options.url, {
        headers: { Authorization: `Bearer ${this.options.apiKey()}` },
        handshakeTimeout: this.options.connectTimeoutMs,
      });
      this.renewalSeen = new Set();
      const failed = () => {
        this.renewalSeen = undefined;
        reject(new Error(refusedStatus ? `the new connection was refused (HTTP ${refusedStatus})` : 'the new connection could not open'));
      };
      candidate.on('unexpected-response', (_req, res: IncomingMessage) => {
        refusedStatus = res.statusCode;
        res.resume();
        candidate.terminate();
      });
      candidate.on('error', (err) => this.options.logger.debug(`semilimes WebSocket error: ${err.message}`));
      candidate.once('close', failed);
      candidate.once('open', () => {
        candidate.off('close', failed);
        if (this.stopped || this.socket !== old) {
          // Stopped or dropped meanwhile: the normal reconnect takes care of the new key.
          candidate.terminate();
          this.renewalSeen = undefined;
          resolve();
          return;
        }
        this.retiring.add(old);
        this.draining.add(old);
        old.once('close', () => {
          // Late duplicates can only come within the old socket's lifetime plus a moment.
          setTimeout(() => (this.renewalSeen = undefined), 1000).unref();
          resolve();
        });
        this.socket = candidate;
        this.wire(candidate);
        candidate.on('close', (code) => this.onClose(candidate, code, undefined));
        this.stats.connects += 1;
        this.startHeartbeat(candidate);
        this.closeIfDrained(old);
      });
    });
  }

  /** Sends a request over the open socket and resolves with the answer's `data`. */
  request(endpoint: string, parts: RequestParts, timeoutMs: number): Promise<unknown> {
    const socket = this.socket;
    if (this.currentState !== 'connected' || !socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new NotSentError(endpoint, 'the WebSocket is not open'));
    }
    const requestId = randomUUID();
    const frame: Record<string, unknown> = { requestId, requestType: endpoint, version: '2', body: parts.body };
    if (Object.keys(parts.parameters).length > 0) frame.parameters = parts.parameters;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.settle(requestId, new TimeoutError(endpoint, timeoutMs)), timeoutMs);
      this.pending.set(requestId, { endpoint, socket, resolve, reject, timer });
      socket.send(JSON.stringify(frame), (err) => {
        if (err) this.settle(requestId, new OutcomeUnknownError(endpoint, `writing to the socket failed (${err.message})`));
      });
    });
  }

  /** Stops for good: no more reconnects; waiting requests fail. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    for (const retired of this.draining) retired.terminate();
    const socket = this.socket;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      // A polite close first; a peer that does not answer the close frame within a second is cut off, and a redeploy
      // never waits longer than that for it.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          socket.terminate();
          resolve();
        }, 1000);
        socket.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
        else socket.close(1000, 'closing');
      });
    }
    this.failPending('the connection was closed before the answer came');
    this.setState({ state: 'closed' });
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState({ state: 'connecting' });
    let refusedStatus: number | undefined;
    const socket = new WebSocket(this.options.url, {
      headers: { Authorization: `Bearer ${this.options.apiKey()}` },
      handshakeTimeout: this.options.connectTimeoutMs,
    });
    this.socket = socket;

    socket.on('unexpected-response', (_req, res: IncomingMessage) => {
      refusedStatus = res.statusCode;
      res.resume();
      socket.terminate();
    });
    socket.on('open', () => {
      this.stats.connects += 1;
      this.lastAliveAt = Date.now();
      this.backoff.connected();
      this.setState({ state: 'connected' });
      this.startHeartbeat(socket);
    });
    this.wire(socket);
    socket.on('close', (code) => this.onClose(socket, code, refusedStatus));
  }

  /** The end of the current socket: fail what waited on it and schedule the next attempt. */
  private onClose(socket: WebSocket, code: number, refusedStatus: number | undefined): void {
    if (this.retiring.has(socket)) return; // replaced by renew(): its end is handled in wire()
    if (this.socket === socket) this.socket = undefined;
    this.stopHeartbeat();
    const wasConnected = this.currentState === 'connected';
    if (wasConnected) this.stats.drops += 1;
    this.failPending('the connection dropped before the answer came', socket);
    this.backoff.disconnected();
    if (this.stopped) return;
    if (refusedStatus === 401 || refusedStatus === 403) {
      this.stats.unauthorizedAttempts += 1;
      this.backoff.reset();
      this.scheduleReconnect(
        this.options.unauthorizedRetryMs,
        'unauthorized',
        `the API key was refused (HTTP ${refusedStatus})`,
      );
      return;
    }
    const reason = refusedStatus
      ? `the server refused the connection (HTTP ${refusedStatus})`
      : wasConnected
        ? `the connection dropped (code ${code})`
        : 'cannot reach the server';
    if (wasConnected && POLICY_CLOSE_CODES.has(code) && this.options.keyRefused) {
      this.checkKeyThenReconnect(reason);
      return;
    }
    this.scheduleReconnect(this.backoff.next(), 'disconnected', reason);
  }

  /** After a policy close: a refused key waits for the slow retry; anything else reconnects as usual. */
  private checkKeyThenReconnect(reason: string): void {
    this.setState({ state: 'disconnected', reason });
    const check = this.options.keyRefused as () => Promise<boolean>;
    check().then(
      (refused) => {
        if (this.stopped || this.socket) return;
        if (refused) {
          this.stats.unauthorizedAttempts += 1;
          this.backoff.reset();
          this.scheduleReconnect(this.options.unauthorizedRetryMs, 'unauthorized', 'the API key was refused');
        } else {
          this.scheduleReconnect(this.backoff.next(), 'disconnected', reason);
        }
      },
      () => {
        if (!this.stopped && !this.socket) this.scheduleReconnect(this.backoff.next(), 'disconnected', reason);
      },
    );
  }

  /** Frame, heartbeat and error handlers every socket needs; a retired socket only settles its own answers. */
  private wire(socket: WebSocket): void {
    socket.on('message', (data, isBinary) => {
      // A replaced socket still delivers answers it owes, and events (a server may push an event to one socket
      // only); events pushed to both are de-duplicated in onFrame while the switch runs. Its liveness no longer
      // matters: the heartbeat watches the new socket.
      if (!this.retiring.has(socket)) this.alive();
      this.onFrame(isBinary ? undefined : data.toString());
    });
    socket.on('pong', () => this.alive());
    socket.on('ping', () => this.alive());
    socket.on('error', (err) => {
      // 'close' always follows; the reason is reported there.
      this.options.logger.debug(`semilimes WebSocket error: ${err.message}`);
    });
    socket.on('close', () => {
      if (!this.retiring.has(socket)) return;
      this.draining.delete(socket);
      this.failPending('the replaced connection closed before the answer came', socket);
    });
  }

  /** Closes a retired socket once nothing waits for an answer on it. */
  private closeIfDrained(socket: WebSocket): void {
    if (!this.retiring.has(socket)) return;
    for (const pending of this.pending.values()) if (pending.socket === socket) return;
    socket.close(1000, 'replaced by a new connection');
  }

  private scheduleReconnect(delayMs: number, state: 'disconnected' | 'unauthorized', reason: string): void {
    this.options.logger.warn(`semilimes: ${reason}; next attempt in ${Math.round(delayMs / 100) / 10} s`);
    this.setState({ state, reason, retryInMs: delayMs });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
  }

  private onFrame(text: string | undefined): void {
    let frame: unknown;
    try {
      frame = text === undefined ? undefined : JSON.parse(text);
    } catch {
      frame = undefined;
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      this.malformed(text);
      return;
    }
    const { eventType } = frame as { eventType?: unknown };
    if (eventType === 'Response') {
      this.onResponse(frame as { requestId?: unknown; eventBody?: unknown });
      return;
    }
    const { featureType } = frame as { featureType?: unknown };
    if (eventType === 'MessageReceived' && CHAT_KINDS.includes(featureType as ChatKind)) {
      const message = parseInbound(frame);
      if (!message) {
        this.malformed(text);
        return;
      }
      if (this.renewalSeen) {
        // During a key switch both sockets may carry the same event: deliver it once.
        const key = `${message.featureType}:${message.messageId}:${message.dataComponent?.dataComponentType ?? ''}`;
        if (this.renewalSeen.has(key)) return;
        this.renewalSeen.add(key);
      }
      this.emit('message', message satisfies InboundMessage);
      return;
    }
    // Event types (and kinds of conversation) this client does not know yet: ignored, never fatal.
    this.stats.ignoredEvents += 1;
    this.emit('unknown', frame);
  }

  private onResponse(frame: { requestId?: unknown; eventBody?: unknown }): void {
    const pending = typeof frame.requestId === 'string' ? this.pending.get(frame.requestId) : undefined;
    if (!pending) {
      // An answer to a request that already timed out, or to someone else's: nothing waits for it.
      this.stats.ignoredEvents += 1;
      return;
    }
    const body = (frame.eventBody ?? {}) as { success?: unknown; error?: unknown; data?: unknown; statusCode?: unknown };
    if (body.success === true) {
      this.settle(frame.requestId as string, undefined, body.data);
      return;
    }
    const status = typeof body.statusCode === 'number' ? body.statusCode : undefined;
    const message = typeof body.error === 'string' && body.error ? body.error : 'the request failed';
    const error =
      status === 401 || status === 403
        ? new UnauthorizedError(pending.endpoint, status, message)
        : status === 429
          ? new RateLimitError(pending.endpoint, message)
          : new ApiError(pending.endpoint, status, message);
    this.settle(frame.requestId as string, error);
  }

  private settle(requestId: string, error: Error | undefined, data?: unknown): void {
    const pending = this.pending.get(requestId);
    if (!pending) return;
    this.pending.delete(requestId);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve(data);
    this.closeIfDrained(pending.socket);
  }

  /** Fails what waits for an answer: on one socket, or on all of them. */
  private failPending(why: string, socket?: WebSocket): void {
    for (const [requestId, pending] of this.pending) {
      if (!socket || pending.socket === socket) this.settle(requestId, new OutcomeUnknownError(pending.endpoint, why));
    }
  }

  private malformed(text: string | undefined): void {
    this.stats.malformedFrames += 1;
    this.emit('malformed', text);
  }

  private startHeartbeat(socket: WebSocket): void {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => {
      if (this.pongTimer) return; // still waiting for the previous answer
      this.pongTimer = setTimeout(() => {
        this.pongTimer = undefined;
        this.stats.heartbeatTimeouts += 1;
        this.options.logger.warn('semilimes: no answer to the heartbeat; the connection is treated as dead');
        socket.terminate();
      }, this.options.heartbeatTimeoutMs);
      try {
        socket.ping();
      } catch {
        // A socket that cannot even be pinged is dead: the pong timer ends it.
      }
    }, this.options.heartbeatIntervalMs);
  }

  /** Any frame or pong proves the socket alive. */
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
