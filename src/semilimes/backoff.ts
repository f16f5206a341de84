/** Reconnect delays live in the transport core; kept here so existing imports keep working. */
export { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from '../transport/backoff';
