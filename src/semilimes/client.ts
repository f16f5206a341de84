import { EventEmitter } from 'node:events';
import type { FrameLimits } from '../transport/frame-guard';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import {
  DESTINATION_FIELD,
  PATHS,
  endpointAt,
  findEndpoint,
  messagingPath,
  type ChatKind,
  type MessageAction,
} from './endpoints';
import { CatchUp, type CatchUpOptions, type CatchUpStats } from './catch-up';
import {
  ApiError,
  ClosedError,
  InvalidInputError,
  NotSentError,
  OfflineError,
  RateLimitError,
  UnauthorizedError,
} from './errors';
import { SendQueue, type PacingOptions } from './send-queue';
import { proxyFor, type ProxySettings, type ResolvedProxy } from '../transport/proxy';
import { tunnelAgent } from '../transport/proxy-agent';
import type { InboundMessage } from './inbound';
import { SILENT_LOGGER, type Logger } from './logger';
import { splitInput } from './request-input';
import { RestClient } from './rest';
import {
  FileTransfer,
  type Download,
  type DownloadOptions,
  type UploadOptions,
  type UploadSource,
  type UploadedFile,
} from './files';
import {
  isDataComponent,
  textComponent,
  type DataComponent,
  type Destination,
  type ReactOptions,
  type SendOptions,
} from './types';
import { resolveUrls } from './urls';
import { WsSession, type ConnectionState, type StateChange, type WsStats } from './ws-session';

export interface ClientOptions {
  apiKey: string;
  /** REST base; default https://api.semilimes.net. Plain http only for a loopback address. */
  baseUrl?: string;
  /** WebSocket address; default derived from baseUrl (`/service/ws`). */
  wsUrl?: string;
  /** Per-request timeout, ms (default 15 s). */
  requestTimeoutMs?: number;
  /** How long a request waits for semilimes to become reachable before failing, ms (default 10 s). */
  offlineWaitMs?: number;
  /** WebSocket ping interval, ms (default 15 s). */
  heartbeatIntervalMs?: number;
  /** How long a ping may go unanswered, ms (default 10 s). */
  heartbeatTimeoutMs?: number;
  /** Opening handshake limit, ms (default 10 s). */
  connectTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** After a refused key, how long before one more attempt, ms (default 10 min). */
  unauthorizedRetryMs?: number;
  /** Longest `Retry-After` honoured before a 429 fails, ms (default 30 s). */
  maxRetryAfterMs?: number;
  /** How many 429 answers are retried (default 3). */
  maxRateLimitRetries?: number;
  /** A file upload or download fails when no byte moves for this long, ms (default 60 s). */
  transferIdleTimeoutMs?: number;
  /**
   * After a reconnect, read the recent history of the account's conversations and deliver, as `message` events, what
   * others published while the socket was down (semilimes does not replay missed events). Default on; `false` turns
   * it off; an object sets the bounds (`maxChats` per kind, default 50; `maxMessages` per conversation, default 20).
   */
  catchUp?: boolean | CatchUpOptions;
  /**
   * Received WebSocket frames larger than `maxBytes` or nested deeper than `maxDepth` are dropped unparsed, counted
   * in `stats` and logged (default 1 MiB and 64 levels; see the README).
   */
  frameLimits?: FrameLimits;
  /**
   * Messages (send, update, reply, react, unreact, typing) go in order per conversation, up to 32 at once on the
   * socket, paced per conversation and per account, and are sent again after a refusal for rate; see `PacingOptions`
   * (default: no pacing, at most 10,000 waiting, refusals waited out for up to 2 minutes).
   */
  pacing?: PacingOptions;
  /**
   * The proxy for every connection (REST, WebSocket, files): a URL with credentials apart. Without a URL, the
   * environment's HTTPS_PROXY / HTTP_PROXY / NO_PROXY decide.
   */
  proxy?: ProxySettings;
  logger?: Logger;
}

export interface CallOptions {
  timeoutMs?: number;
  /** Wait out and retry refusals for rate (429), REST and WebSocket alike; default true. */
  retryRateLimited?: boolean;
  /**
   * Over the WebSocket only, waiting for it while it is down: the request overlaps others written before it, and a
   * REST request beside them could overtake them. Default false.
   */
  socketOnly?: boolean;
}

export interface MessageResult {
  /** The response `data`. */
  data: unknown;
  /** The id of the message sent, edited, replied with or reacted to, when the answer names one. */
  messageId: string | undefined;
}

/**
 * A semilimes client for one API key: REST and the shared WebSocket behind one `call()`, plus messaging helpers.
 * Communication endpoints go over the WebSocket while it is open and over REST otherwise; either way the caller gets
 * the response `data` or a typed error (see errors.ts).
 *
 * Events: `state` (StateChange), `message` (InboundMessage), `malformed`, `unknown`, `rejected` (RejectedFrame),
 * `waiting` (number of messages waiting in the send queue).
 */
export class SemilimesClient extends EventEmitter {
  readonly baseUrl: string;
  readonly wsUrl: string;
  private apiKey: string;
  private readonly rest: RestClient;
  private readonly ws: WsSession;
  private readonly requestTimeoutMs: number;
  private readonly offlineWaitMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxRateLimitRetries: number;
  private readonly queue: SendQueue;
  /** Rate-limit waits in progress, ended at once by close(). */
  private readonly waits = new Set<() => void>();
  private readonly transferIdleTimeoutMs: number;
  private readonly logger: Logger;
  private files: FileTransfer | undefined;
  private readonly catchUp: CatchUp | undefined;
  private closed = false;
  private nextConnection: Promise<void> | undefined;
  private ownId: Promise<string> | undefined;
  /** What `ownId` resolved to, while it is the current key's reading. */
  private ownIdRead: string | undefined;
  private readonly httpProxy: ResolvedProxy | undefined;

  constructor(options: ClientOptions) {
    super();
    if (!options.apiKey) throw new InvalidInputError('an API key is required');
    const urls = resolveUrls(options.baseUrl, options.wsUrl);
    this.baseUrl = urls.baseUrl;
    this.wsUrl = urls.wsUrl;
    this.apiKey = options.apiKey;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.offlineWaitMs = options.offlineWaitMs ?? 10_000;
    const logger = options.logger ?? SILENT_LOGGER;
    this.logger = logger;
    this.transferIdleTimeoutMs = options.transferIdleTimeoutMs ?? 60_000;
    const apiKey = () => this.apiKey;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.maxRateLimitRetries = options.maxRateLimitRetries ?? 3;
    // One proxy decision per client: REST and files go to baseUrl, the socket to wsUrl (their schemes may differ).
    const httpProxy = proxyFor(this.baseUrl, options.proxy);
    const wsProxy = proxyFor(this.wsUrl, options.proxy);
    this.httpProxy = httpProxy;
    if (httpProxy) logger.info(`semilimes: REST and files through the proxy ${httpProxy.label}`);
    if (wsProxy) logger.info(`semilimes: WebSocket through the proxy ${wsProxy.label}`);
    this.rest = new RestClient({
      proxy: httpProxy,
      baseUrl: this.baseUrl,
      apiKey,
      timeoutMs: this.requestTimeoutMs,
      maxRetryAfterMs: this.maxRetryAfterMs,
      maxRateLimitRetries: this.maxRateLimitRetries,
      logger,
    });
    // Messages to one chat overlap only on the socket: one ordered stream. Over REST each waits for the one before.
    this.queue = new SendQueue(options.pacing ?? {}, logger, () => this.ws.state === 'connected');
    this.queue.on('waiting', (count: number) => this.emit('waiting', count));
    this.ws = new WsSession({
      url: this.wsUrl,
      apiKey,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 15_000,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 10_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      unauthorizedRetryMs: options.unauthorizedRetryMs ?? 10 * 60_000,
      logger,
      keyRefused: () => this.isKeyRefused(),
      frameLimits: options.frameLimits,
      agent: wsProxy && tunnelAgent(wsProxy, this.wsUrl.startsWith('wss:'), options.connectTimeoutMs ?? 10_000),
    });
    if (options.catchUp !== false) {
      this.catchUp = new CatchUp(
        (path, input) => this.call(path, input),
        (message) => this.emit('message', message),
        logger,
        typeof options.catchUp === 'object' ? options.catchUp : {},
      );
    }
    let wasConnected = false;
    this.ws.on('state', (change: StateChange) => {
      // Catch-up hears of the drop and the reconnect before anyone else, so that a listener's error cannot skip it.
      if (this.catchUp) {
        if (change.state === 'connected') this.catchUp.connected();
        else if (wasConnected) this.catchUp.disconnected(this.ws.lastAliveAt);
      }
      wasConnected = change.state === 'connected';
      this.emit('state', change);
    });
    this.ws.on('message', (message: InboundMessage) => {
      if (this.catchUp) this.catchUp.deliver(message);
      else this.emit('message', message);
    });
    this.ws.on('malformed', (text: unknown) => this.emit('malformed', text));
    this.ws.on('unknown', (frame: unknown) => this.emit('unknown', frame));
    this.ws.on('rejected', (dropped: unknown) => this.emit('rejected', dropped));
  }

  get state(): ConnectionState {
    return this.ws.state;
  }

  get stats(): Readonly<WsStats> {
    return this.ws.stats;
  }

  /** What catching up after reconnects did; undefined when it is off. */
  get catchUpStats(): Readonly<CatchUpStats> | undefined {
    return this.catchUp?.stats;
  }

  /** Messages waiting in the send queue. */
  get waiting(): number {
    return this.queue.waiting;
  }

  /**
   * The id of the account the key belongs to (`currentAccount` of `GET /account/my`), read once per key. A failed read
   * is not remembered, so the next call asks again.
   */
  ownAccountId(): Promise<string> {
    if (!this.ownId) {
      const reading = this.call(PATHS.myAccounts).then((data) => {
        const id = (data as { currentAccount?: { accountId?: unknown } } | undefined)?.currentAccount?.accountId;
        if (typeof id !== 'string' || id === '') {
          throw new InvalidInputError('GET /account/my named no current account');
        }
        return id;
      });
      reading.then(
        (id) => {
          if (this.ownId === reading) this.ownIdRead = id;
        },
        () => {
          if (this.ownId === reading) this.ownId = undefined;
        },
      );
      this.ownId = reading;
    }
    return this.ownId;
  }

  /**
   * The account's id when `ownAccountId()` has already read it for the current key, else undefined: lets a caller that
   * has the id skip a wait on every message.
   */
  get knownOwnAccountId(): string | undefined {
    return this.ownIdRead;
  }

  /** Opens the WebSocket (needed to receive messages). Requests work without it, over REST. */
  connect(): void {
    if (!this.closed) this.ws.start();
  }

  /**
   * Uses a new API key from now on: REST requests carry it at once; the WebSocket switches make-before-break (a new
   * socket opens with the key, the old one finishes the answers it owes, then closes), so requests in flight are not
   * lost. Resolves when the old socket is gone; rejects, with the previous key back in place, when the new key cannot
   * open a socket.
   */
  async setApiKey(apiKey: string): Promise<void> {
    if (!apiKey) throw new InvalidInputError('an API key is required');
    const previous = this.apiKey;
    this.apiKey = apiKey;
    this.catchUp?.forgetAccount();
    this.ownId = undefined;
    this.ownIdRead = undefined;
    try {
      await this.ws.renew();
    } catch (err) {
      // Only when no newer key was set meanwhile.
      if (this.apiKey === apiKey) this.apiKey = previous;
      throw err;
    }
  }

  /** Closes the WebSocket and the HTTP pool; requests still waiting fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.emit('closing');
    this.queue.close();
    for (const wake of [...this.waits]) wake();
    await this.ws.stop();
    await this.rest.close();
    await this.files?.close();
  }

  /**
   * Uploads files (multipart field `httpFiles`), streaming their content; resolves with the `uploadedFiles` list.
   * Uploads are never retried: a failed upload is reported, and the flow decides.
   */
  async uploadFiles(sources: UploadSource[], options: UploadOptions = {}): Promise<UploadedFile[]> {
    return this.fileTransfer(PATHS.fileUpload).upload(sources, options);
  }

  /** Starts a file download; the content is a stream (see `Download`). */
  async downloadFile(fileId: string, options: DownloadOptions = {}): Promise<Download> {
    return this.fileTransfer(PATHS.fileDownload).download(fileId, options);
  }

  private fileTransfer(path: string): FileTransfer {
    if (this.closed) throw new ClosedError(path);
    this.files ??= new FileTransfer({
      baseUrl: this.baseUrl,
      apiKey: () => this.apiKey,
      logger: this.logger,
      idleTimeoutMs: this.transferIdleTimeoutMs,
      proxy: this.httpProxy,
    });
    return this.files;
  }

  /**
   * Calls a documented endpoint by its path with one flat object of inputs (query, path and body fields are told
   * apart by the endpoint table). Resolves with the response `data`.
   */
  async call(path: string, input: Record<string, unknown> = {}, options: CallOptions = {}): Promise<unknown> {
    const endpoint = findEndpoint(path);
    if (!endpoint) throw new InvalidInputError(`"${path}" is not a documented semilimes endpoint`);
    const parts = splitInput(endpoint, input);
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const rateRetries = options.retryRateLimited === false ? 0 : this.maxRateLimitRetries;
    const started = Date.now();
    let delayMs = 250;
    let refusals = 0;
    for (;;) {
      if (this.closed) throw new ClosedError(path);
      const viaSocket = endpoint.websocket && this.ws.state === 'connected';
      if (!viaSocket && options.socketOnly === true && endpoint.websocket) {
        const waited = Date.now() - started;
        if (waited >= this.offlineWaitMs) throw new OfflineError(path, waited, 'the WebSocket is not connected');
        await this.waitForConnection(Math.min(delayMs, this.offlineWaitMs - waited));
        delayMs = Math.min(delayMs * 2, 2000);
        continue;
      }
      try {
        if (viaSocket) {
          return await this.ws.request(path, parts, timeoutMs);
        }
        return await this.rest.request(endpoint, parts, timeoutMs, rateRetries);
      } catch (err) {
        // REST waits out its own 429s; a refusal on the socket is waited out here, on the same terms.
        if (err instanceof RateLimitError && viaSocket && refusals < rateRetries) {
          const waitMs = err.retryAfterMs ?? 1000 * (refusals + 1);
          if (waitMs > this.maxRetryAfterMs) throw err;
          refusals += 1;
          this.logger.warn(`semilimes ${path}: rate limited, retrying in ${waitMs} ms`);
          await this.waitOrClose(waitMs);
          continue;
        }
        if (!isUnreachable(err)) throw err;
        const waited = Date.now() - started;
        if (waited >= this.offlineWaitMs) {
          throw new OfflineError(path, waited, err instanceof NotSentError ? err.reason : 'service unavailable');
        }
        await this.waitForConnection(Math.min(delayMs, this.offlineWaitMs - waited));
        delayMs = Math.min(delayMs * 2, 2000);
      }
    }
  }

  /** Sends a data component (or a text) as a new message. */
  async send(destination: Destination, component: DataComponent | string, options: SendOptions = {}) {
    const path = pathFor(destination.kind, 'send');
    const id = requireId(destination.id, 'destination');
    const input = {
      [DESTINATION_FIELD[destination.kind]]: id,
      options: { silent: options.silent === true },
      dataComponent: asComponent(component),
    };
    return this.message(path, input, options, conversationKey(destination.kind, id));
  }

  /** Replaces the content of a message sent earlier. */
  async update(kind: ChatKind, messageId: string, component: DataComponent | string, options: SendOptions = {}) {
    const id = requireId(messageId, 'messageId');
    const input = {
      messageId: id,
      options: { silent: options.silent === true },
      dataComponent: asComponent(component),
    };
    return this.message(pathFor(kind, 'update'), input, options, messageKey(kind, id));
  }

  /** Replies to a message with a text (the only kind of reply the API accepts). */
  async reply(kind: ChatKind, messageId: string, component: DataComponent | string, options: SendOptions = {}) {
    const dataComponent = asComponent(component);
    if (dataComponent.dataComponentType !== 'text') {
      throw new InvalidInputError('a reply can only be a text component');
    }
    const id = requireId(messageId, 'messageId');
    return this.message(pathFor(kind, 'reply'), { messageId: id, dataComponent }, options, messageKey(kind, id));
  }

  async react(kind: ChatKind, messageId: string, reaction: string, options: ReactOptions = {}) {
    const id = requireId(messageId, 'messageId');
    const input: Record<string, unknown> = { messageId: id, reaction: requireId(reaction, 'reaction') };
    if (options.messageRefName !== undefined) {
      // Documented for p2p reactions only: elsewhere it would be dropped or refused by semilimes, unseen.
      if (kind !== 'p2p') throw new InvalidInputError('messageRefName is documented for reactions in p2p chats only');
      input.messageRefName = requireId(options.messageRefName, 'messageRefName');
    }
    return this.message(pathFor(kind, 'react'), input, options, messageKey(kind, id));
  }

  async unreact(kind: ChatKind, messageId: string, reaction: string, options: SendOptions = {}) {
    const id = requireId(messageId, 'messageId');
    const input = { messageId: id, reaction: requireId(reaction, 'reaction') };
    return this.message(pathFor(kind, 'unreact'), input, options, messageKey(kind, id));
  }

  /** Lets the other side know a message is being prepared. */
  async typing(destination: Destination, options: SendOptions = {}) {
    const path = pathFor(destination.kind, 'typing');
    const id = requireId(destination.id, 'destination');
    return this.message(
      path,
      { [DESTINATION_FIELD[destination.kind]]: id },
      options,
      conversationKey(destination.kind, id),
    );
  }

  /**
   * A message through the send queue: in order per `conversation` (overlapping others only on the socket), paced,
   * refusals for rate waited out there (so they pause the whole account, not just this request).
   */
  private async message(
    path: string,
    input: Record<string, unknown>,
    options: SendOptions,
    conversation: string,
  ): Promise<MessageResult> {
    const call = (alone: boolean) =>
      this.call(path, input, { timeoutMs: options.timeoutMs, retryRateLimited: false, socketOnly: !alone });
    const data = await this.queue.enqueue(conversation, call, options.signal);
    return { data, messageId: messageIdOf(data) ?? (input.messageId as string | undefined) };
  }

  /** Resolves after `ms`, or at once when the client closes. */
  private waitOrClose(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waits.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waits.add(done);
    });
  }

  /** Resolves when the WebSocket connects, the client closes, or `ms` elapse, whichever comes first. */
  private waitForConnection(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      void this.connectedOrClosing().then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Whether semilimes refuses the current key, asked over REST (`/apikey/~validate`). */
  private async isKeyRefused(): Promise<boolean> {
    try {
      await this.rest.request(endpointAt(PATHS.apiKeyValidate), { parameters: {}, body: {} }, this.requestTimeoutMs);
      return false;
    } catch (err) {
      return err instanceof UnauthorizedError;
    }
  }

  /**
   * One promise shared by every request waiting for the connection, however many: a burst of sends during an
   * outage adds two listeners in all, not two per request.
   */
  private connectedOrClosing(): Promise<void> {
    if (!this.nextConnection) {
      this.nextConnection = new Promise((resolve) => {
        const done = () => {
          this.off('state', onState);
          this.off('closing', done);
          this.nextConnection = undefined;
          resolve();
        };
        const onState = (change: StateChange) => {
          if (change.state === 'connected') done();
        };
        this.on('state', onState);
        this.on('closing', done);
      });
    }
    return this.nextConnection;
  }
}

/** Nothing reached semilimes, or it said it is unavailable before doing anything: worth waiting for. */
function isUnreachable(err: unknown): boolean {
  return err instanceof NotSentError || (err instanceof ApiError && err.status === 503);
}

function pathFor(kind: ChatKind, action: MessageAction): string {
  const path = messagingPath(kind, action);
  if (!path) throw new InvalidInputError(`semilimes has no "${action}" for ${kind === 'channel' ? 'channels' : kind}`);
  return path;
}

/** The send queue's key of a conversation: sends and typing signals to it keep their order. */
function conversationKey(kind: ChatKind, id: string): string {
  return `${kind}:${id}`;
}

/**
 * The key of edits, replies and reactions: they name a message, not its conversation, so they keep their order per
 * message (an edit never overtakes an earlier edit of the same message).
 */
function messageKey(kind: ChatKind, messageId: string): string {
  return `${kind}:message:${messageId}`;
}

function requireId(value: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInputError(`${what} is missing`);
  return value;
}

function asComponent(component: DataComponent | string): DataComponent {
  if (typeof component === 'string') return textComponent(component);
  if (isDataComponent(component)) return component;
  throw new InvalidInputError('expected a text or a data component object with "dataComponentType"');
}

/** The message id that a messaging answer names (sent, edited, reply, or the message reacted to). */
export function messageIdOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, { messageId?: unknown } | unknown>;
  for (const key of ['sentMessage', 'updatedMessage', 'sentReply']) {
    const inner = d[key] as { messageId?: unknown } | undefined;
    if (inner && typeof inner.messageId === 'string') return inner.messageId;
  }
  return typeof d.messageId === 'string' ? d.messageId : undefined;
}
