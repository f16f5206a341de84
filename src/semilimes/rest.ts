import { Pool } from 'undici';
import type { Endpoint } from './endpoints';
import {
  ApiError,
  ClosedError,
  OutcomeUnknownError,
  NotSentError,
  RateLimitError,
  TimeoutError,
  UnauthorizedError,
} from './errors';
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

/** System error codes that mean the request never left this machine: safe to try again later. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);


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
 * REST transport: one keep-alive pool per base URL, a timeout on every request, the documented envelope turned into
 * data or a typed error. TLS certificates are always verified (undici's default, never turned off here).
 */
export class RestClient {
  private readonly pool: Pool;
  private readonly basePath: string;
  /** Aborted by close(): ends any Retry-After wait at once. */
  private readonly closing = new AbortController();

  constructor(private readonly options: RestOptions) {
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, { connections: 16, keepAliveTimeout: 30_000 });
  }

  async request(endpoint: Endpoint, parts: RequestParts, timeoutMs = this.options.timeoutMs): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.once(endpoint, parts, timeoutMs);
      if (answer.status !== 429) return this.unwrap(endpoint, answer);
      const waitMs = parseRetryAfter(answer.retryAfter) ?? 1000 * (attempt + 1);
      const message = envelopeError(answer.json) ?? 'too many requests';
      if (attempt >= this.options.maxRateLimitRetries || waitMs > this.options.maxRetryAfterMs) {
        throw new RateLimitError(endpoint.path, message, waitMs);
      }
      this.options.logger.warn(`semilimes ${endpoint.path}: rate limited, retrying in ${waitMs} ms`);
      // A redeploy must not wait out a Retry-After; the request was refused, so "not sent" is the truth.
      if (!(await this.pause(waitMs))) throw new ClosedError(endpoint.path);
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.pool.close().catch(() => this.pool.destroy());
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

  private async once(endpoint: Endpoint, parts: RequestParts, timeoutMs: number) {
    const path = this.basePath + buildUrlPath(endpoint, parts.parameters);
    const hasBody = endpoint.method !== 'GET' && endpoint.requestBody !== 'none';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const started = Date.now();
    try {
      const response = await this.pool.request({
        path,
        method: endpoint.method,
        headers: {
          authorization: `Bearer ${this.options.apiKey()}`,
          accept: 'application/json',
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
        },
        body: hasBody ? JSON.stringify(parts.body) : undefined,
        signal: controller.signal,
      });
      const text = await response.body.text();
      this.options.logger.debug(
        `semilimes REST ${endpoint.method} ${endpoint.path} -> ${response.statusCode} in ${Date.now() - started} ms`,
      );
      return {
        status: response.statusCode,
        json: parseJson(text),
        text,
        retryAfter: response.headers['retry-after'],
      };
    } catch (err) {
      if (controller.signal.aborted) throw new TimeoutError(endpoint.path, timeoutMs);
      const code = (err as { code?: string }).code ?? '';
      if (NOT_SENT_CODES.has(code)) throw new NotSentError(endpoint.path, code);
      throw new OutcomeUnknownError(endpoint.path, `the connection failed (${code || (err as Error).message})`);
    } finally {
      clearTimeout(timer);
    }
  }

  private unwrap(endpoint: Endpoint, answer: { status: number; json: unknown; text: string }): unknown {
    const { status, json } = answer;
    const message = envelopeError(json) ?? (answer.text.slice(0, 200) || `HTTP ${status}`);
    if (status === 401 || status === 403) throw new UnauthorizedError(endpoint.path, status, message);
    if (status < 200 || status >= 300) throw new ApiError(endpoint.path, status, message);
    if (!isEnvelope(json)) throw new ApiError(endpoint.path, status, 'the answer is not the documented envelope');
    if (json.success !== true) throw new ApiError(endpoint.path, json.statusCode ?? status, message);
    return json.data;
  }
}

interface Envelope {
  success: unknown;
  statusCode?: number | null;
  error?: unknown;
  data?: unknown;
}

export function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && 'success' in value;
}

/** The server's error message from an envelope, if it carries one. */
export function envelopeError(value: unknown): string | undefined {
  if (!isEnvelope(value)) return undefined;
  return typeof value.error === 'string' && value.error ? value.error : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
