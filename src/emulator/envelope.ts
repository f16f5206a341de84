// The documented response envelope, and the error type every handler throws to produce a failure.

export interface Envelope {
  success: boolean;
  statusCode: number | null;
  error: string | null;
  data: unknown;
}

/** A failure with the HTTP status the REST transport answers (the WebSocket transport only keeps the message). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const forbidden = (message: string) => new ApiError(403, message);
export const notFound = (message: string) => new ApiError(404, message);

/** Success: statusCode is null when the HTTP status is 200, as the documentation's schema table says. */
export function okEnvelope(data: unknown): Envelope {
  return { success: true, statusCode: null, error: null, data };
}

export function errorEnvelope(status: number, message: string): Envelope {
  return { success: false, statusCode: status, error: message, data: null };
}

/** The eventBody of a WebSocket Response frame: the documentation shows success, error and data only. */
export function wsResponse(requestId: unknown, success: boolean, error: string | null, data: unknown) {
  return { eventType: 'Response', requestId: requestId ?? null, eventBody: { success, error, data } };
}

/** Reason phrases for the statuses the emulator produces, used in error messages and raw upgrade refusals. */
export const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? 'Error';
}
