/**
 * The one way the client speaks HTTP to semilimes, for API calls and file transfers alike: a keep-alive pool per
 * base URL, the API key on every request, timeouts, and failures of the connection itself turned into errors that say
 * whether the request may have reached semilimes. TLS certificates are always verified (undici's default, never
 * turned off here).
 */
import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import type { HttpMethod } from './endpoints';
import { NotSentError, OutcomeUnknownError, SemilimesError, TimeoutError, TransferAbortedError } from './errors';
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
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(private readonly options: HttpOriginOptions) {
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      keepAliveTimeout: options.keepAliveTimeoutMs,
    });
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
    const signals = [signal, deadline?.signal].filter((s): s is AbortSignal => s !== undefined);
    const started = Date.now();
    try {
      const response = await this.pool.request({
        path: this.basePath + (request.path ?? endpoint),
        method: request.method,
        headers: { ...request.headers, authorization: `Bearer ${this.options.apiKey()}` },
        body: request.body,
        signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
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
      throw connectionError(endpoint, err, idleTimeoutMs);
    } finally {
      clearTimeout(timer);
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
