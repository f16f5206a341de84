import { CHAT_KINDS, CONVERSATION_PATHS, DESTINATION_FIELD, PATHS, type ChatKind } from './endpoints';
import { ClosedError, OfflineError } from './errors';
import type { InboundMessage } from './inbound';
import type { Logger } from './logger';
import { isDataComponent } from './types';

/**
 * semilimes documents no replay of events pushed while a WebSocket was down, so after a reconnect the client reads
 * the recent history of the account's conversations and delivers, as ordinary inbound messages, what others published
 * during the gap. See decisions.md ("Catching up after a reconnect").
 */
export interface CatchUpOptions {
  /** Most conversations read per kind (p2p, group chats, channels); default 50. */
  maxChats?: number;
  /** Most recent messages read per conversation; default 20. */
  maxMessages?: number;
  /** Most requests one catch-up makes (each is billed like any request); default 40. */
  maxRequestsPerRun?: number;
  /** Most catch-up requests in any hour, over all reconnects; default 200. */
  maxRequestsPerHour?: number;
}

export interface CatchUpStats {
  /** Catch-ups run after a reconnect. */
  runs: number;
  /** Messages delivered by catch-ups. */
  replayed: number;
  /** Catch-ups that could not read everything (warned about, retried after the next reconnect). */
  failures: number;
  /** Events not delivered because a message with the same id was delivered shortly before. */
  duplicates: number;
  /** Requests made by catch-ups (each one billed). */
  requests: number;
  /** Catch-ups cut short by the request bounds (warned about; what they read is delivered). */
  cutShort: number;
}

export const DEFAULT_MAX_CHATS = 50;
export const DEFAULT_MAX_MESSAGES = 20;
/** Enough for the account, the three lists and 36 conversations: a bot's active chats after a blip. */
export const DEFAULT_MAX_REQUESTS_PER_RUN = 40;
/** Five full catch-ups an hour: a connection that drops more often than that costs no more. */
export const DEFAULT_MAX_REQUESTS_PER_HOUR = 200;
const HOUR_MS = 60 * 60_000;
/**
 * Messages published this long before the socket was last known alive are read too: the socket may have died a
 * moment before it was last heard from, and the server stamps whole seconds. Ids already delivered are skipped.
 */
const SLACK_MS = 10_000;
/** Ids remembered to tell a replayed or caught-up message from a new one: far more than one gap can bring back. */
const SEEN_LIMIT = 2000;
/** A gap between the server's clock and ours smaller than this is rounding (whole seconds) and latency, not skew. */
const SKEW_NOISE_MS = 2000;
/** Skew estimates beyond this are not believed: such a server time is more likely wrong than the local clock. */
const SKEW_LIMIT_MS = 10 * 60_000;

type Call = (path: string, input?: Record<string, unknown>) => Promise<unknown>;

/** Where the history of each kind of chat is read: its conversation list, its history, the field naming one. */
const SOURCES = CHAT_KINDS.map((kind) => ({ kind, ...CONVERSATION_PATHS[kind], idField: DESTINATION_FIELD[kind] }));

/** Epoch seconds (as documented) or epoch ms (tolerated), to ms. Anything below 1e12 is taken as seconds. */
export function epochMs(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  return value < 1e12 ? value * 1000 : value;
}

/**
 * Remembers what was delivered and, after a reconnect, delivers what was missed. The client feeds it every inbound
 * message (`deliver`), tells it about drops and reconnects, and gives it its `call` and `emit`.
 */
export class CatchUp {
  readonly stats: CatchUpStats = { runs: 0, replayed: 0, failures: 0, duplicates: 0, requests: 0, cutShort: 0 };
  private readonly maxChats: number;
  private readonly maxMessages: number;
  private readonly maxRequestsPerRun: number;
  private readonly maxRequestsPerHour: number;
  /** When each catch-up request of the last hour was made (local ms), oldest first; at most maxRequestsPerHour. */
  private readonly recentRequests: number[] = [];
  /** Requests made by the catch-up that runs now. */
  private runRequests = 0;
  /** Delivered message ids, oldest first (a Set keeps insertion order), bounded by SEEN_LIMIT. */
  private readonly seen = new Set<string>();
  /** When the first connection opened (local ms): nothing older is ever replayed, it was never ours to deliver. */
  private firstConnectedAt: number | undefined;
  /** Server clock minus ours, from the newest live event's receivedOn; 0 while unknown or within the noise. */
  private skewMs = 0;
  /** Earliest local time (ms) from which messages may have been missed; undefined when nothing is owed. */
  private missedSince: number | undefined;
  private ownId: string | undefined;
  private running = false;
  /** A reconnect happened while a catch-up ran: run again when it ends, for the newer gap. */
  private again = false;

  constructor(
    private readonly call: Call,
    private readonly emit: (message: InboundMessage) => void,
    private readonly logger: Logger,
    options: CatchUpOptions = {},
  ) {
    this.maxChats = positiveInt(options.maxChats, DEFAULT_MAX_CHATS);
    this.maxMessages = positiveInt(options.maxMessages, DEFAULT_MAX_MESSAGES);
    this.maxRequestsPerRun = positiveInt(options.maxRequestsPerRun, DEFAULT_MAX_REQUESTS_PER_RUN);
    this.maxRequestsPerHour = positiveInt(options.maxRequestsPerHour, DEFAULT_MAX_REQUESTS_PER_HOUR);
  }

  /** Delivers a live event unless the same message was delivered already (a server replay, or caught up first). */
  deliver(message: InboundMessage): void {
    if (!this.remember(message.messageId)) {
      this.stats.duplicates += 1;
      return;
    }
    // receivedOn of a live event is the server's "now": the difference to ours is the clock skew.
    const serverMs = epochMs(message.receivedOn);
    if (serverMs !== undefined) {
      const skew = serverMs - Date.now();
      this.skewMs = Math.abs(skew) < SKEW_NOISE_MS || Math.abs(skew) > SKEW_LIMIT_MS ? 0 : skew;
    }
    this.emit(message);
  }

  connected(): void {
    if (this.firstConnectedAt === undefined) {
      this.firstConnectedAt = Date.now();
      return;
    }
    if (this.running) this.again = true;
    else void this.run();
  }

  /** The socket dropped; `lastAliveAt` is when it was last heard from (local ms). */
  disconnected(lastAliveAt: number): void {
    if (this.firstConnectedAt === undefined || lastAliveAt <= 0) return;
    const since = lastAliveAt - SLACK_MS;
    this.missedSince = this.missedSince === undefined ? since : Math.min(this.missedSince, since);
  }

  /** The account may have changed with the key: read its id again before the next catch-up. */
  forgetAccount(): void {
    this.ownId = undefined;
  }

  private async run(): Promise<void> {
    try {
      await this.readAndDeliver();
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    }
  }

  private async readAndDeliver(): Promise<void> {
    if (this.running || this.missedSince === undefined) return;
    this.running = true;
    const since = this.missedSince;
    this.missedSince = undefined;
    this.stats.runs += 1;
    this.runRequests = 0;
    let failed = 0;
    let bounded: RequestBoundReached | undefined;
    let firstError: unknown;
    const found: Array<{ at: number; message: InboundMessage }> = [];
    try {
      this.ownId ??= await this.readOwnId();
      // Both bounds on the server's clock: when it runs behind ours, its stamps for the gap are earlier than our times.
      const cutoff = since + this.skewMs;
      const firstConnect = (this.firstConnectedAt ?? 0) + this.skewMs;
      for (const source of SOURCES) {
        let ids: string[];
        try {
          ids = idsOf(await this.billed(source.list), source.idField).slice(0, this.maxChats);
        } catch (err) {
          if (fatal(err)) throw err;
          failed += 1;
          firstError ??= err;
          continue;
        }
        for (const id of ids) {
          try {
            const data = await this.billed(source.history, { [source.idField]: id, limit: this.maxMessages });
            for (const entry of messagesOf(data)) {
              const message = toInbound(source.kind, id, entry);
              const at = epochMs(message?.receivedOn);
              if (!message || at === undefined) continue;
              // Around the drop, a whole-second stamp counts as its last moment: reading a message again is harmless
              // (ids delivered live are skipped), losing one is not. Before the first connect nothing was ever
              // delivered to this client, so there it counts as its first moment: a message stamped in the second of
              // the first connect but sent just before it (perhaps delivered to a previous run) is not delivered again.
              if (latestWithin(message.receivedOn as number, at) < cutoff || at < firstConnect) continue;
              if (message.senderId === this.ownId || this.seen.has(message.messageId)) continue;
              found.push({ at, message });
            }
          } catch (err) {
            if (fatal(err)) throw err;
            failed += 1;
            firstError ??= err;
          }
        }
      }
    } catch (err) {
      if (err instanceof ClosedError) return;
      if (err instanceof RequestBoundReached) {
        // Not owed again: the bounds are there so that a flapping connection costs no more than they allow.
        bounded = err;
      } else {
        this.owe(since);
        this.stats.failures += 1;
        this.logger.warn(
          `semilimes: catching up on missed messages failed (${describe(err)}); retried after the next reconnect`,
        );
        return;
      }
    }
    // Oldest first, as they were published; a live event delivered meanwhile is skipped by deliver().
    found.sort((a, b) => a.at - b.at);
    let replayed = 0;
    for (const { message } of found) {
      if (this.seen.has(message.messageId)) continue;
      this.remember(message.messageId);
      replayed += 1;
      this.stats.replayed += 1;
      try {
        this.emit(message);
      } catch (err) {
        // A listener's error must not stop the others from getting their messages.
        this.logger.warn(`semilimes: a listener failed on a caught-up message (${describe(err)})`);
      }
    }
    if (replayed > 0) this.logger.info(`semilimes: delivered ${replayed} message(s) published while disconnected`);
    if (bounded) {
      this.stats.cutShort += 1;
      this.logger.warn(
        `semilimes: catching up on missed messages stopped at ${bounded.message}; conversations not read by then are not caught up`,
      );
    }
    if (failed > 0) {
      this.owe(since);
      this.stats.failures += 1;
      this.logger.warn(
        `semilimes: catching up on missed messages: ${failed} request(s) failed (${describe(firstError)}); retried after the next reconnect`,
      );
    }
  }

  /** One billed request of a catch-up, within the bounds per run and per hour. */
  private billed(path: string, input?: Record<string, unknown>): Promise<unknown> {
    const now = Date.now();
    while (this.recentRequests.length > 0 && now - this.recentRequests[0] >= HOUR_MS) this.recentRequests.shift();
    if (this.runRequests >= this.maxRequestsPerRun) {
      return Promise.reject(new RequestBoundReached(`the limit of ${this.maxRequestsPerRun} requests per reconnect`));
    }
    if (this.recentRequests.length >= this.maxRequestsPerHour) {
      return Promise.reject(new RequestBoundReached(`the limit of ${this.maxRequestsPerHour} requests per hour`));
    }
    this.runRequests += 1;
    this.recentRequests.push(now);
    this.stats.requests += 1;
    return this.call(path, input);
  }

  /** Keeps a window to read again after the next reconnect (its ids already delivered are skipped then). */
  private owe(since: number): void {
    this.missedSince = this.missedSince === undefined ? since : Math.min(this.missedSince, since);
  }

  private async readOwnId(): Promise<string> {
    const data = (await this.billed(PATHS.myAccounts)) as { currentAccount?: { accountId?: unknown } } | undefined;
    const id = data?.currentAccount?.accountId;
    if (typeof id !== 'string' || id === '') throw new Error('GET /account/my named no current account');
    return id;
  }

  /** Adds an id to the bounded set; false when it was there already. */
  private remember(messageId: string): boolean {
    if (this.seen.has(messageId)) return false;
    this.seen.add(messageId);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}

/** The latest moment a stamp can stand for: a whole-second stamp covers its whole second. */
function latestWithin(stamp: number, ms: number): number {
  return stamp < 1e12 ? ms + 999 : ms;
}

/** A catch-up used all the requests its bounds allow. */
class RequestBoundReached extends Error {}

/**
 * Closed, semilimes unreachable again, or out of requests: reading the other conversations now would only wait and
 * fail too, or cost what the bounds forbid.
 */
function fatal(err: unknown): boolean {
  return err instanceof ClosedError || err instanceof OfflineError || err instanceof RequestBoundReached;
}

function positiveInt(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function idsOf(data: unknown, field: string): string[] {
  if (!Array.isArray(data)) return [];
  const ids: string[] = [];
  for (const item of data) {
    const id = (item ?? {})[field as keyof typeof item] as unknown;
    if (typeof id === 'string' && id !== '') ids.push(id);
  }
  return ids;
}

function messagesOf(data: unknown): unknown[] {
  const messages = (data as { messages?: unknown } | undefined)?.messages;
  return Array.isArray(messages) ? messages : [];
}

/** A history entry as the `MessageReceived` event would have carried it. */
function toInbound(kind: ChatKind, chatId: string, entry: unknown): InboundMessage | undefined {
  const e = (entry ?? {}) as {
    messageId?: unknown;
    publisherId?: unknown;
    publishedOn?: unknown;
    dataComponent?: unknown;
  };
  if (typeof e.messageId !== 'string' || e.messageId === '' || !isDataComponent(e.dataComponent)) return undefined;
  const message: InboundMessage = {
    featureType: kind,
    messageId: e.messageId,
    senderId: typeof e.publisherId === 'string' ? e.publisherId : '',
    receivedOn: typeof e.publishedOn === 'number' ? e.publishedOn : undefined,
    dataComponent: e.dataComponent,
  };
  if (kind === 'groupchat') message.groupChatId = chatId;
  if (kind === 'channel') message.channelId = chatId;
  return message;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
