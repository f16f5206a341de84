/**
 * The documented answer envelope `{success, statusCode, error, data}`, the same over REST, file transfers and the
 * WebSocket (where it is the `eventBody` of a `Response`), and what its failures mean as errors.
 */
import { ApiError, errorForStatus } from './errors';

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

/** A WebSocket answer's `eventBody` to its `data`, or the error for its `statusCode` (which it may lack). */
export function unwrapResponse(endpoint: string, eventBody: unknown): { data: unknown } | { error: ApiError } {
  const body = (eventBody ?? {}) as Partial<Envelope>;
  if (body.success === true) return { data: body.data };
  const status = typeof body.statusCode === 'number' ? body.statusCode : undefined;
  const message = typeof body.error === 'string' && body.error ? body.error : 'the request failed';
  return { error: errorForStatus(endpoint, status, message) };
}
