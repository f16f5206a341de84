/**
 * The transport core shared by the chat clients: a reconnecting WebSocket with heartbeat and backoff, a correlator
 * for request/answer pairs, the error base and the logger interface. No knowledge of any chat service, no Node-RED.
 */
export { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { SILENT_LOGGER, type Logger } from './logger';
export { ClientError, isNotSent, isOutcomeUnknown, type ClientErrorCode } from './errors';
export {
  ReconnectingSocket,
  CLOSE_GRACE_MS,
  type ConnectionState,
  type StateChange,
  type HeartbeatOptions,
  type SocketStats,
  type SocketWsOptions,
  type ReconnectingSocketOptions,
} from './reconnecting-socket';
export {
  Correlator,
  DEFAULT_CORRELATOR_ERRORS,
  type CorrelatorErrors,
  type CorrelatorOptions,
} from './correlator';
