/**
 * The one way the client speaks HTTP to semilimes, for API calls and file transfers alike: a keep-alive pool per
 * base URL, the API key on every request, timeouts, and failures of the connection itself turned into errors that say
 * whether the request may have reached semilimes. TLS certificates are always verified (undici's default, never
 * turned off here).
 */
import type { Readable } from 'node:stream';
import { Pool, ProxyAgent, type Dispatcher } from 'undici';
import type { ResolvedProxy } from '../transport/proxy';
import type { HttpMethod } from './endpoints';
import {
  NotSentError,
  OutcomeUnknownError,
  ProxyError,
  SemilimesError,
  TimeoutError,
  TransferAbortedError,
} from './errors';
import type { Logger } from './logger';

/** System error codes that mean the request never left this machine: safe to try again later. */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** undici's codes for "no byte moved for too long", on the answer's headers or its body. */
const IDLE_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export interface HttpOriginOptions {
  /** REST base, e.g. https://api.semilimes.net (a path after the host is kept as a prefix). */
  baseUrl: string;
  apiKey: () => string;
  logger: Logger;
  /** Most connections open at once. */
  connections: number;
  /** How long an idle connection is kept for the next request, ms. */
  keepAliveTimeoutMs: number;
  /** The proxy to go through (a CONNECT tunnel per connection), if any. */
  proxy?: ResolvedProxy;
}

export interface HttpExchange {
  /** The documented path: names the request in errors and log lines. */
  endpoint: string;
  method: HttpMethod;
  /** Path and query after the base URL; the endpoint by default. */
  path?: string;
  headers: Record<string, string>;
  body?: string | Readable;
  /** The whole exchange, reading the answer included, must end within this many ms (fails with TimeoutError). */
  timeoutMs?: number;
  /** Fails with TimeoutError when no byte moves for this many ms (long transfers on slow lines are fine). */
  idleTimeoutMs?: number;
  /** The caller's abort (a node closing): fails with TransferAbortedError. */
  signal?: AbortSignal;
}

export type HttpResponse = Dispatcher.ResponseData;

export class HttpOrigin {
  private readonly pool: Dispatcher;
  private readonly basePath: string;
  private readonly origin: string;

  constructor(private readonly options: HttpOriginOptions) {
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.origin = url.origin;
    const { proxy } = options;
    const pool = { connections: options.connections, keepAliveTimeout: options.keepAliveTimeoutMs };
    // Through a proxy: the same pool per origin, behind a tunnel; the credentials only in the proxy's header.
    this.pool = proxy
      ? new ProxyAgent({ uri: proxy.url.href, token: proxy.authorization, ...pool })
      : new Pool(url.origin, pool);
  }

  /**
   * Sends one request and hands the answer to `read` (which must consume or hand on its body). Errors `read` throws
   * as SemilimesError pass unchanged; anything else that goes wrong becomes a SemilimesError saying whether the
   * request may have reached semilimes.
   */
  async exchange<T>(request: HttpExchange, read: (response: HttpResponse) => Promise<T>): Promise<T> {
    const { endpoint, timeoutMs, idleTimeoutMs, signal } = request;
    if (signal?.aborted) throw new TransferAbortedError(endpoint);
    const deadline = timeoutMs === undefined ? undefined : new AbortController();
    const timer = deadline && setTimeout(() => deadline.abort(), timeoutMs);
    // With both, the caller's signal aborts the deadline's: one signal for the request, and the link is undone after
    // it (a long-lived caller's signal, such as a node's, must not keep every request's signal).
    const onAbort = signal && deadline ? () => deadline.abort() : undefined;
    if (signal && onAbort) signal.addEventListener('abort', onAbort, { once: true });
    const started = Date.now();
    try {
      const response = await this.pool.request({
        origin: this.origin,
        path: this.basePath + (request.path ?? endpoint),
        method: request.method,
        headers: { ...request.headers, authorization: `Bearer ${this.options.apiKey()}` },
        body: request.body,
        signal: deadline?.signal ?? signal,
        ...(idleTimeoutMs === undefined ? {} : { headersTimeout: idleTimeoutMs, bodyTimeout: idleTimeoutMs }),
      });
      this.options.logger.debug(
        `semilimes REST ${request.method} ${endpoint} -> ${response.statusCode} in ${Date.now() - started} ms`,
      );
      return await read(response);
    } catch (err) {
      if (signal?.aborted) throw new TransferAbortedError(endpoint);
      if (deadline?.signal.aborted) throw new TimeoutError(endpoint, timeoutMs as number);
      if (err instanceof SemilimesError) throw err;
      const refusal = this.options.proxy && proxyRefusal(err);
      if (refusal) throw new ProxyError(endpoint, this.options.proxy!.label, refusal);
      throw connectionError(endpoint, err, idleTimeoutMs);
    } finally {
      clearTimeout(timer);
      if (signal && onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Closes the pool. Without `graceMs` it waits for every request to end; with it, what still runs after the grace
   * is destroyed (a long upload must not hold a redeploy).
   */
  async close(graceMs?: number): Promise<void> {
    if (graceMs === undefined) {
      await this.pool.close().catch(() => this.pool.destroy());
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const outcome = await Promise.race([
      this.pool.close().then(
        () => 'closed' as const,
        () => 'late' as const,
      ),
      grace,
    ]);
    clearTimeout(timer);
    if (outcome === 'late') await this.pool.destroy().catch(() => undefined);
  }
}

/** The status a proxy refused a tunnel with, from undici's error; undefined for any other failure. */
function proxyRefusal(err: unknown): number | undefined {
  const found = /Proxy response \((\d{3})\)/.exec(String((err as Error)?.message ?? ''));
  return found ? Number(found[1]) : undefined;
}

/** A failure of the connection itself: never sent, idle too long, or sent with its outcome unknown. */
export function connectionError(endpoint: string, err: unknown, idleTimeoutMs?: number): SemilimesError {
  const code = (err as { code?: unknown }).code;
  const name = typeof code === 'string' ? code : '';
  if (idleTimeoutMs !== undefined && IDLE_CODES.has(name)) return new TimeoutError(endpoint, idleTimeoutMs);
  if (NOT_SENT_CODES.has(name)) return new NotSentError(endpoint, name);
  const wrapped = new OutcomeUnknownError(endpoint, `the connection failed (${name || (err as Error).message})`);
  (wrapped as { cause?: unknown }).cause = err;
  return wrapped;
}
