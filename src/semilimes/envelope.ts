/**
 * The documented answer envelope `{success, statusCode, error, data}`, the same over REST, file transfers and the
 * WebSocket (where it is the `eventBody` of a `Response`), and what its failures mean as errors.
 */
import { ApiError, RateLimitError, errorForStatus } from './errors';

export interface Envelope {
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

/** JSON text to a value; undefined when it is not JSON (an error page, an empty body). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * An HTTP answer to its `data`: a non-2xx status, an answer that is not the envelope, or `success:false` becomes the
 * error for its status. `text` is the raw body, quoted (shortened) when the server gave no message of its own.
 */
export function unwrapHttp(endpoint: string, status: number, json: unknown, text: string): unknown {
  const message = envelopeError(json) ?? (text.slice(0, 200) || `HTTP ${status}`);
  if (status < 200 || status >= 300) throw errorForStatus(endpoint, status, message);
  if (!isEnvelope(json)) throw new ApiError(endpoint, status, 'the answer is not the documented envelope');
  if (json.success !== true) throw errorForStatus(endpoint, json.statusCode ?? status, message);
  return json.data;
}

/** Words by which a server says "too many requests" when its answer carries no status (decision 56). */
const RATE_WORDS = /\b429\b|too many requests|rate[- ]limit/i;
/** "retry after 2", "Retry-After: 1.5 s", "retry after 500 ms" in an error text. */
const RETRY_AFTER_WORDS = /retry[- ]after\W{0,3}(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec|seconds?)?\b/i;

/** The wait an error text asks for, in ms, if it names one. */
export function retryAfterIn(text: string): number | undefined {
  const found = RETRY_AFTER_WORDS.exec(text);
  if (!found) return undefined;
  const value = Number(found[1]);
  return /^m/i.test(found[2] ?? '') ? value : value * 1000;
}

/**
 * A WebSocket answer's `eventBody` to its `data`, or the error for its `statusCode`. The documented socket answer
 * has no `statusCode`; without one, a refusal whose text says "too many requests" or "rate limit" (or 429) is taken
 * for one, and a wait named in the text is kept, since a socket answer has no headers to carry `Retry-After`.
 */
export function unwrapResponse(endpoint: string, eventBody: unknown): { data: unknown } | { error: ApiError } {
  const body = (eventBody ?? {}) as Partial<Envelope>;
  if (body.success === true) return { data: body.data };
  const given = typeof body.statusCode === 'number' ? body.statusCode : undefined;
  const message = typeof body.error === 'string' && body.error ? body.error : 'the request failed';
  const status = given ?? (RATE_WORDS.test(message) ? 429 : undefined);
  if (status === 429) return { error: new RateLimitError(endpoint, message, retryAfterIn(message)) };
  return { error: errorForStatus(endpoint, status, message) };
}
