import type { Endpoint } from './endpoints';
import { envelopeError, parseJson, unwrapHttp } from './envelope';
import { DEFAULT_FRAME_LIMITS, jsonDepth } from '../transport/frame-guard';
import { ApiError, ClosedError, RateLimitError } from './errors';
import { HttpOrigin } from './http';
import type { Logger } from './logger';
import { buildUrlPath, type RequestParts } from './request-input';

export interface RestOptions {
  /** REST base, e.g. https://api.semilimes.net */
  baseUrl: string;
  apiKey: () => string;
  timeoutMs: number;
  /** Longest single wait a 429 `Retry-After` may impose before the request fails instead. */
  maxRetryAfterMs: number;
  /** How many times a 429 answer is retried. */
  maxRateLimitRetries: number;
  logger: Logger;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * API calls over REST: a timeout on every request, the documented envelope turned into data or a typed error, and a
 * bounded wait on 429 `Retry-After`.
 */
export class RestClient {
  private readonly http: HttpOrigin;
  /** Aborted by close(): ends any Retry-After wait at once. */
  private readonly closing = new AbortController();

  constructor(private readonly options: RestOptions) {
    this.http = new HttpOrigin({ ...options, connections: 16, keepAliveTimeoutMs: 30_000 });
  }

  /** `rateLimitRetries`: how many 429 answers are waited out and retried (default: the client's setting). */
  async request(
    endpoint: Endpoint,
    parts: RequestParts,
    timeoutMs = this.options.timeoutMs,
    rateLimitRetries = this.options.maxRateLimitRetries,
  ): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.once(endpoint, parts, timeoutMs);
      if (answer.tooDeep) {
        // The same limit as on the WebSocket: such an answer would overflow the stack of whoever copies it next.
        const limit = DEFAULT_FRAME_LIMITS.maxDepth;
        throw new ApiError(endpoint.path, answer.status, `the answer is nested deeper than ${limit} levels; refused`);
      }
      if (answer.status !== 429) return unwrapHttp(endpoint.path, answer.status, answer.json, answer.text);
      const waitMs = parseRetryAfter(answer.retryAfter) ?? 1000 * (attempt + 1);
      const message = envelopeError(answer.json) ?? 'too many requests';
      if (attempt >= rateLimitRetries || waitMs > this.options.maxRetryAfterMs) {
        throw new RateLimitError(endpoint.path, message, waitMs);
      }
      this.options.logger.warn(`semilimes ${endpoint.path}: rate limited, retrying in ${waitMs} ms`);
      // A redeploy must not wait out a Retry-After; the request was refused, so "not sent" is the truth.
      if (!(await this.pause(waitMs))) throw new ClosedError(endpoint.path);
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.http.close();
  }

  /** Waits `ms`; resolves false at once if the client closes meanwhile. */
  private pause(ms: number): Promise<boolean> {
    const signal = this.closing.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private once(endpoint: Endpoint, parts: RequestParts, timeoutMs: number) {
    const hasBody = endpoint.method !== 'GET' && endpoint.requestBody !== 'none';
    return this.http.exchange(
      {
        endpoint: endpoint.path,
        method: endpoint.method,
        path: buildUrlPath(endpoint, parts.parameters),
        headers: { accept: 'application/json', ...(hasBody ? { 'content-type': 'application/json' } : {}) },
        body: hasBody ? JSON.stringify(parts.body) : undefined,
        timeoutMs,
      },
      async (response) => {
        const text = await response.body.text();
        const { maxDepth } = DEFAULT_FRAME_LIMITS;
        const tooDeep = jsonDepth(text, maxDepth) > maxDepth;
        return {
          status: response.statusCode,
          tooDeep,
          json: tooDeep ? undefined : parseJson(text),
          text,
          retryAfter: response.headers['retry-after'],
        };
      },
    );
  }
}
