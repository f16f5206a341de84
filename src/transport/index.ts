/**
 * The transport core shared by the chat clients: a reconnecting WebSocket with heartbeat and backoff, a correlator
 * for request/answer pairs, the error base and the logger interface. No knowledge of any chat service, no Node-RED.
 *
 * A client wires them like this (its codec decides what an answer is and which id it carries):
 *
 *   const socket = new ReconnectingSocket({
 *     url,
 *     heartbeat: { intervalMs, timeoutMs, busy: () => correlator.inFlight() > 0 },
 *     backoff: DEFAULT_BACKOFF,
 *     unauthorizedRetryMs,
 *   });
 *   const correlator = new Correlator({ send: (frame, onError) => socket.send(frame, onError), maxInFlight: 2 });
 *   socket.on('frame', (text) => {
 *     const answer = decode(text);
 *     if (answer.id) correlator.settle(answer.id, undefined, answer);
 *   });
 *   socket.on('generationEnd', (generation, why) => correlator.failGeneration(generation, why));
 *   socket.start();
 *   const reply = await correlator.request(id, encode(id, command), timeoutMs, command);
 */
export { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { SILENT_LOGGER, type Logger } from './logger';
export { ClientError, isNotSent, isOutcomeUnknown, type ClientErrorCode } from './errors';
export {
  ReconnectingSocket,
  CLOSE_GRACE_MS,
  emptySocketStats,
  type ConnectionState,
  type StateChange,
  type HeartbeatOptions,
  type SocketStats,
  type SocketWsOptions,
  type ReconnectingSocketOptions,
  type ReconnectingSocketEvents,
} from './reconnecting-socket';
export { Correlator, DEFAULT_CORRELATOR_ERRORS, type CorrelatorErrors, type CorrelatorOptions } from './correlator';
export {
  DEFAULT_FRAME_LIMITS,
  checkFrame,
  jsonDepth,
  frameSample,
  type FrameLimits,
  type FrameRejection,
} from './frame-guard';
