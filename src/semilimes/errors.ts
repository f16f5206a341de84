/**
 * Errors the client reports. Each says in plain words what happened and whether the request may have reached
 * semilimes, so a flow (or a person reading a Catch node's output) can decide what to do. None of them ever
 * carries the API key or request headers.
 *
 * They extend the transport core's `ClientError`, and their codes are its shared codes.
 */
import { ClientError, type ClientErrorCode } from '../transport/errors';

export type ErrorCode = ClientErrorCode;

export class SemilimesError extends ClientError<ErrorCode> {
  /** The documented path of the request that failed, when there was one. */
  readonly endpoint?: string;

  constructor(code: ErrorCode, message: string, endpoint?: string) {
    super(code, message);
    this.endpoint = endpoint;
  }
}

/** semilimes answered, and the answer was a failure (`success:false` or a non-2xx HTTP status). */
export class ApiError extends SemilimesError {
  /** HTTP status (REST), or the envelope's statusCode (WebSocket) when it gave one. */
  readonly status?: number;
  /** The server's own error message. */
  readonly serverMessage: string;

  constructor(endpoint: string, status: number | undefined, serverMessage: string, code: ErrorCode = 'API_ERROR') {
    const where = status ? `HTTP ${status}` : 'error';
    super(code, `semilimes ${endpoint} failed (${where}): ${serverMessage}`, endpoint);
    this.status = status;
    this.serverMessage = serverMessage;
  }
}

/** The API key was refused (HTTP 401 or 403). */
export class UnauthorizedError extends ApiError {
  constructor(endpoint: string, status: number, serverMessage: string) {
    super(endpoint, status, serverMessage || 'the API key was refused', 'UNAUTHORIZED');
  }
}

/**
 * The error for a failed answer with this status, the same over REST and the WebSocket: 401/403 refused key,
 * 429 rate limited, anything else (or no status) an API error.
 */
export function errorForStatus(endpoint: string, status: number | undefined, serverMessage: string): ApiError {
  if (status === 401 || status === 403) return new UnauthorizedError(endpoint, status, serverMessage);
  if (status === 429) return new RateLimitError(endpoint, serverMessage);
  return new ApiError(endpoint, status, serverMessage);
}

/** HTTP 429 that outlasted the bounded wait for `Retry-After`. */
export class RateLimitError extends ApiError {
  /** How long the server asked to wait, in milliseconds, when it said. */
  readonly retryAfterMs?: number;

  constructor(endpoint: string, serverMessage: string, retryAfterMs?: number) {
    super(endpoint, 429, serverMessage || 'too many requests', 'RATE_LIMITED');
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The request was written but no answer came back: it may or may not have been carried out. It is never resent
 * automatically, so a person never receives the same message twice.
 */
export class OutcomeUnknownError extends SemilimesError {
  constructor(endpoint: string, why: string, code: ErrorCode = 'OUTCOME_UNKNOWN') {
    super(code, `semilimes ${endpoint}: ${why}; it may or may not have been carried out, and was not resent`, endpoint);
  }
}

/** No answer within the request timeout. The outcome is unknown, as above. */
export class TimeoutError extends OutcomeUnknownError {
  readonly timeoutMs: number;

  constructor(endpoint: string, timeoutMs: number) {
    super(endpoint, `no answer within ${Math.round(timeoutMs / 100) / 10} s`, 'TIMEOUT');
    this.timeoutMs = timeoutMs;
  }
}

/** semilimes could not be reached within the offline wait; the request was never sent. */
export class OfflineError extends SemilimesError {
  constructor(endpoint: string, waitedMs: number, cause?: string) {
    const detail = cause ? ` (${cause})` : '';
    super(
      'OFFLINE',
      `semilimes ${endpoint}: not connected after waiting ${Math.round(waitedMs / 1000)} s${detail}; the request was not sent`,
      endpoint,
    );
  }
}

/**
 * The request could not leave this machine (no connection to semilimes). Nothing was sent, so the client may wait
 * for the connection and try again within its offline wait.
 */
export class NotSentError extends SemilimesError {
  readonly reason: string;

  constructor(endpoint: string, reason: string) {
    super('OFFLINE', `semilimes ${endpoint}: cannot connect (${reason})`, endpoint);
    this.reason = reason;
  }
}

/** The request was refused before sending because its input is wrong. */
export class InvalidInputError extends SemilimesError {
  constructor(message: string, endpoint?: string) {
    super('INVALID_INPUT', message, endpoint);
  }
}

/** The client was closed (for instance on redeploy) while the request waited. */
export class ClosedError extends SemilimesError {
  constructor(endpoint: string) {
    super('CLOSED', `semilimes ${endpoint}: the connection was closed before the request was sent`, endpoint);
  }
}

/** A file transfer was stopped by its caller's AbortSignal (the node closing on redeploy): nothing more is sent. */
export class TransferAbortedError extends SemilimesError {
  constructor(endpoint: string) {
    super('CLOSED', `semilimes ${endpoint}: the transfer was aborted`, endpoint);
  }
}
