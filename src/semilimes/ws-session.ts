import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Correlator } from '../transport/correlator';
import type { Logger } from '../transport/logger';
import type { FrameLimits, FrameRejection } from '../transport/frame-guard';
import {
  ReconnectingSocket,
  emptySocketStats,
  type SocketStats,
  type StateChange,
} from '../transport/reconnecting-socket';
import type { Agent } from 'node:http';
import type { BackoffOptions } from './backoff';
import { CHAT_KINDS, type ChatKind } from './endpoints';
import { unwrapResponse } from './envelope';
import { ApiError, NotSentError, OutcomeUnknownError, TimeoutError } from './errors';
import { parseInbound, type InboundMessage } from './inbound';
import type { RequestParts } from './request-input';

export type { ConnectionState, StateChange } from '../transport/reconnecting-socket';

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
  /** Frames over these limits are dropped unparsed (default: the transport core's `DEFAULT_FRAME_LIMITS`). */
  frameLimits?: FrameLimits;
  /** Opens each connection through a proxy (a CONNECT tunnel), if any. */
  agent?: Agent;
}

/** A frame dropped for breaking the limits, with what could be read of who sent it. */
export interface RejectedFrame {
  kind: FrameRejection['kind'];
  /** Bytes for `size`, nesting depth (at least) for `depth`. */
  measured: number;
  limit: number;
  eventType?: string;
  senderId?: string;
  messageId?: string;
  requestId?: string;
}

/** Close codes a server may use to end a session it no longer authorizes. */
const POLICY_CLOSE_CODES = new Set([1008, 4001, 4003, 4401, 4403]);

export interface WsStats extends SocketStats {
  malformedFrames: number;
  ignoredEvents: number;
}

/**
 * The one WebSocket of an API key: the transport core's reconnecting socket and correlator, plus what is semilimes's
 * own: the `Authorization: Bearer` upgrade, the `{requestId, requestType, version}` frame and its `Response` answer,
 * inbound `MessageReceived` events, the key check after a policy close, and the make-before-break key switch.
 *
 * At most once: a request is written once. If the socket dies before its answer, the request fails as "outcome
 * unknown" and is never written again, because resending could deliver a message to a person twice.
 *
 * Events: `state` (StateChange), `message` (InboundMessage), `malformed` (raw text), `unknown` (parsed frame),
 * `rejected` (RejectedFrame: too large or too deeply nested, dropped unparsed).
 */
export class WsSession extends EventEmitter {
  readonly stats: WsStats = { ...emptySocketStats(), malformedFrames: 0, ignoredEvents: 0 };
  /** Kinds of refused frame already warned about: one warning per kind, the rest counted and logged at debug level. */
  private readonly warnedRejections = new Set<FrameRejection['kind']>();
  /** The socket that carries new requests and whose state is the session's. */
  private current: ReconnectingSocket;
  /** Sockets `renew()` is opening, until they take over or fail. */
  private readonly candidates = new Set<ReconnectingSocket>();
  /** Sockets replaced by `renew()`: no new requests; they close once the answers they owe have come. */
  private readonly retiring = new Set<ReconnectingSocket>();
  private readonly correlator: Correlator;
  /** Inbound message ids seen while a renewal runs: the same event may arrive on both sockets. */
  private renewalSeen: Set<string> | undefined;
  private stopped = false;

  constructor(private readonly options: WsSessionOptions) {
    super();
    this.correlator = new Correlator({
      send: (frame, onWriteError) => this.current.send(frame, onWriteError),
      errors: {
        timeout: (endpoint, timeoutMs) => new TimeoutError(endpoint, timeoutMs),
        outcomeUnknown: (endpoint, why) => new OutcomeUnknownError(endpoint, why),
        notSent: (endpoint, why) => new NotSentError(endpoint, why),
      },
      onSettled: () => this.closeDrained(),
    });
    this.current = this.socket();
  }

  get state(): StateChange['state'] {
    return this.current.state;
  }

  /** When the current socket last proved alive (opened, any frame, pong or ping), epoch ms; 0 before the first open. */
  get lastAliveAt(): number {
    return this.current.lastAliveAt;
  }

  /** Starts connecting; later drops reconnect by themselves until `stop()`. */
  start(): void {
    this.current.start();
  }

  /** Closes the current socket, if any, and connects again at once (used after the API key changed). */
  reconnectNow(): void {
    if (!this.stopped) this.current.reconnectNow();
  }

  /**
   * Make-before-break switch to the current API key (after a rotation): a second socket is opened with the key; once it
   * is open it carries every new request, while the old socket only finishes the answers to requests already written on
   * it, then closes. Inbound events from either socket are delivered once. Nothing in flight fails and nothing is
   * resent. Rejects, leaving the old socket in place, when the new one cannot open (e.g. the new key is refused). When
   * not connected, it simply reconnects.
   */
  renew(): Promise<void> {
    const old = this.current;
    if (this.stopped || !old.isOpen) {
      if (!this.stopped && old.state !== 'idle') this.reconnectNow();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const candidate = this.socket({ retryFirstConnect: false });
      this.candidates.add(candidate);
      const seen = new Set<string>();
      this.renewalSeen = seen;
      const onState = (change: StateChange) => {
        if (change.state === 'connected') {
          candidate.off('state', onState);
          this.candidates.delete(candidate);
          if (this.stopped || !old.isOpen || this.current !== old) {
            // Stopped, dropped, or overtaken by a newer renewal meanwhile: the socket in place (or the normal
            // reconnect) already uses the newest key, so this one steps aside.
            void candidate.stop();
            if (this.renewalSeen === seen) this.renewalSeen = undefined;
            resolve();
            return;
          }
          this.current = candidate;
          old.retire();
          this.retiring.add(old);
          old.on('state', (end: StateChange) => {
            if (end.state !== 'closed') return;
            this.retiring.delete(old);
            // Late duplicates can only come within the old socket's lifetime plus a moment.
            setTimeout(() => {
              if (this.renewalSeen === seen) this.renewalSeen = undefined;
            }, 1000).unref();
            resolve();
          });
          this.closeDrained();
        } else if (change.state === 'closed') {
          candidate.off('state', onState);
          this.candidates.delete(candidate);
          if (this.renewalSeen === seen) this.renewalSeen = undefined;
          if (this.stopped) resolve();
          else if (change.status) reject(new Error(`the new connection was refused (HTTP ${change.status})`));
          else reject(new Error('the new connection could not open'));
        }
      };
      candidate.on('state', onState);
      candidate.start();
    });
  }

  /** Sends a request over the open socket and resolves with the answer's `data`. */
  request(endpoint: string, parts: RequestParts, timeoutMs: number): Promise<unknown> {
    const requestId = randomUUID();
    const frame: Record<string, unknown> = { requestId, requestType: endpoint, version: '2', body: parts.body };
    if (Object.keys(parts.parameters).length > 0) frame.parameters = parts.parameters;
    return this.correlator.request(requestId, JSON.stringify(frame), timeoutMs, endpoint);
  }

  /** Stops for good: no more reconnects; waiting requests fail. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const others = [...this.retiring, ...this.candidates];
    await Promise.all([...others.map((socket) => socket.stop()), this.current.stop()]);
    this.correlator.failAll('the connection was closed before the answer came');
  }

  /** A socket to the session's URL with the current key; its state is the session's while it is the current one. */
  private socket(extra: { retryFirstConnect?: boolean } = {}): ReconnectingSocket {
    const { options } = this;
    const keyRefused = options.keyRefused;
    const socket = new ReconnectingSocket({
      url: options.url,
      headers: () => ({ Authorization: `Bearer ${options.apiKey()}` }),
      ws: { handshakeTimeout: options.connectTimeoutMs, ...(options.agent ? { agent: options.agent } : {}) },
      heartbeat: { intervalMs: options.heartbeatIntervalMs, timeoutMs: options.heartbeatTimeoutMs },
      backoff: options.backoff,
      unauthorizedRetryMs: options.unauthorizedRetryMs,
      logger: options.logger,
      name: 'semilimes',
      refusedReason: (status) => (status ? `the API key was refused (HTTP ${status})` : 'the API key was refused'),
      // Some servers end the session of a revoked key with a policy close rather than refusing the upgrade.
      checkRefused: (code) => (keyRefused && POLICY_CLOSE_CODES.has(code) ? keyRefused() : undefined),
      stats: this.stats,
      frameLimits: options.frameLimits,
      ...extra,
    });
    socket.on('state', (change: StateChange) => {
      if (socket === this.current) this.emit('state', change);
    });
    socket.on('frame', (text: string) => this.onFrame(text));
    socket.on('binary', () => this.malformed(undefined));
    socket.on('rejected', (rejection: FrameRejection, sample: string) => this.onRejected(rejection, sample));
    socket.on('generationEnd', (generation: number, why: string) => this.correlator.failGeneration(generation, why));
    return socket;
  }

  /** Closes each replaced socket once nothing waits for an answer on it. */
  private closeDrained(): void {
    for (const socket of this.retiring) {
      if (this.correlator.inFlight(socket.generation) === 0) void socket.stop('replaced by a new connection');
    }
  }

  private onFrame(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
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
    const requestId = typeof frame.requestId === 'string' ? frame.requestId : '';
    const endpoint = this.correlator.labelOf(requestId);
    if (endpoint === undefined) {
      // An answer to a request that already timed out, or to someone else's: nothing waits for it.
      this.stats.ignoredEvents += 1;
      return;
    }
    const answer = unwrapResponse(endpoint, frame.eventBody);
    if ('error' in answer) this.correlator.settle(requestId, answer.error);
    else this.correlator.settle(requestId, undefined, answer.data);
  }

  /**
   * A frame over the limits was dropped unparsed. Its ids are looked for in the raw text, so the log can name the
   * sender and message, and an answer nobody could read fails its request at once instead of by timeout.
   */
  private onRejected(rejection: FrameRejection, sample: string): void {
    const measured = rejection.kind === 'size' ? rejection.bytes : rejection.depth;
    const dropped: RejectedFrame = { kind: rejection.kind, measured, limit: rejection.limit, ...idsIn(sample) };
    const what =
      rejection.kind === 'size'
        ? `larger than ${rejection.limit} bytes (${rejection.bytes})`
        : `nested deeper than ${rejection.limit} levels`;
    const who = [
      dropped.eventType && `event ${dropped.eventType}`,
      dropped.senderId && `sender ${dropped.senderId}`,
      dropped.messageId && `message ${dropped.messageId}`,
    ].filter(Boolean);
    const line = `semilimes: dropped a received frame ${what}${who.length ? ` (${who.join(', ')})` : ''}`;
    if (this.warnedRejections.has(rejection.kind)) {
      this.options.logger.debug(line);
    } else {
      this.warnedRejections.add(rejection.kind);
      this.options.logger.warn(`${line}; further frames like it are counted and logged at debug level`);
    }
    const endpoint = dropped.requestId ? this.correlator.labelOf(dropped.requestId) : undefined;
    if (endpoint !== undefined && dropped.requestId) {
      this.correlator.settle(dropped.requestId, new ApiError(endpoint, undefined, `the answer was ${what}; refused`));
    }
    this.emit('rejected', dropped);
  }

  private malformed(text: string | undefined): void {
    this.stats.malformedFrames += 1;
    this.emit('malformed', text);
  }
}

/** The string value of `"name": "..."` at its first place in a raw JSON text, if any (ids are plain strings). */
function stringField(text: string, name: string): string | undefined {
  const match = new RegExp(`"${name}"\\s*:\\s*"([^"\\\\]{1,200})"`).exec(text);
  return match?.[1];
}

function idsIn(text: string): Pick<RejectedFrame, 'eventType' | 'senderId' | 'messageId' | 'requestId'> {
  const found = {
    eventType: stringField(text, 'eventType'),
    senderId: stringField(text, 'senderId'),
    messageId: stringField(text, 'messageId'),
    requestId: stringField(text, 'requestId'),
  };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined));
}
