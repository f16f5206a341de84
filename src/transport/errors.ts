/**
 * The base of every error a client built on the transport core reports, and the codes they share.
 *
 * Part of the transport core: no knowledge of any chat service. Each client extends `ClientError` with its own
 * classes (the semilimes client's `SemilimesError`, for instance) and may add codes of its own; the shared codes keep
 * one meaning everywhere, so a flow can tell "never sent" from "may have been carried out" whatever the service.
 */

/**
 * - `API_ERROR`: the server answered, and the answer was a failure
 * - `UNAUTHORIZED`: the credentials were refused
 * - `RATE_LIMITED`: the server asked to slow down for longer than the client waits
 * - `TIMEOUT`: written, no answer in time: the outcome is unknown
 * - `OUTCOME_UNKNOWN`: written, then the connection ended before the answer: it may or may not have been carried out
 * - `OFFLINE`: never left this machine (no connection): safe to try again
 * - `INVALID_INPUT`: refused before sending because the input is wrong
 * - `CLOSED`: the client was closed (redeploy) before the request was sent
 */
export type ClientErrorCode =
  | 'API_ERROR'
  | 'UNAUTHORIZED'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'OUTCOME_UNKNOWN'
  | 'OFFLINE'
  | 'INVALID_INPUT'
  | 'CLOSED';

export class ClientError<Code extends string = ClientErrorCode> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** True for an error after which nobody knows whether the request was carried out: it must not be resent blindly. */
export function isOutcomeUnknown(err: unknown): boolean {
  return err instanceof ClientError && (err.code === 'OUTCOME_UNKNOWN' || err.code === 'TIMEOUT');
}

/** True for an error that guarantees the request never left this machine. */
export function isNotSent(err: unknown): boolean {
  return err instanceof ClientError && err.code === 'OFFLINE';
}
