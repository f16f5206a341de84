// Injected faults and the request log: the state the control API manipulates to test a client's resilience.

export type Transport = 'rest' | 'ws';

export interface FailNextOptions {
  count?: number;
  status: number;
  /**
   * Seconds: the Retry-After header on REST answers; on the WebSocket, whose documented answer has no headers and no
   * statusCode, the error text says it ("retry after 2 seconds").
   */
  retryAfter?: number;
  transport?: Transport | 'any';
  /** Only requests to this path (e.g. `/account/my`); any path when missing. */
  path?: string;
}

export interface PendingFailure {
  remaining: number;
  status: number;
  retryAfter?: number;
  transport: Transport | 'any';
  path?: string;
}

export interface LoggedRequest {
  transport: Transport;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  accountId: string;
  /** Epoch milliseconds. */
  at: number;
  /** WebSocket requests only: the client's correlation id. */
  requestId?: unknown;
}

export class Faults {
  delayMs = 0;
  offline = false;
  pongs = true;
  private failures: PendingFailure[] = [];

  failNext(options: FailNextOptions): PendingFailure {
    const failure: PendingFailure = {
      remaining: options.count ?? 1,
      status: options.status,
      retryAfter: options.retryAfter,
      transport: options.transport ?? 'any',
      ...(options.path !== undefined ? { path: options.path } : {}),
    };
    this.failures.push(failure);
    return failure;
  }

  /** Consumes one pending failure that applies to this transport and path, if any. */
  takeFailure(transport: Transport, path: string): PendingFailure | undefined {
    const failure = this.failures.find(
      (f) => f.remaining > 0 && (f.transport === 'any' || f.transport === transport) && (f.path ?? path) === path,
    );
    if (!failure) return undefined;
    failure.remaining--;
    this.failures = this.failures.filter((f) => f.remaining > 0);
    return failure;
  }

  pending(): PendingFailure[] {
    return this.failures.map((f) => ({ ...f }));
  }

  reset(): void {
    this.delayMs = 0;
    this.offline = false;
    this.pongs = true;
    this.failures = [];
  }

  /** Waits the configured delay before an answer is written. */
  async delay(): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }
}

/** Messages for injected failures, phrased like a real server's. */
export function failureMessage(status: number, retryAfter?: number): string {
  if (status === 429) {
    const wait = retryAfter !== undefined ? `, retry after ${retryAfter} seconds` : '';
    return `Too many requests: rate limit exceeded${wait} (injected by the emulator)`;
  }
  if (status === 503) return 'Service unavailable (injected by the emulator)';
  return `Injected failure with status ${status}`;
}
