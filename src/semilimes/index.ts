/**
 * The semilimes client library. Free of Node-RED: `require('<package>/dist/semilimes')` works in plain Node.
 */
export { SemilimesClient, messageIdOf, type ClientOptions, type CallOptions, type MessageResult } from './client';
export {
  ENDPOINTS,
  PATHS,
  CHAT_KINDS,
  DESTINATION_FIELD,
  CONVERSATION_PATHS,
  endpointAt,
  findEndpoint,
  messagingPath,
  type Endpoint,
  type EndpointParam,
  type EndpointGroup,
  type ChatKind,
  type MessageAction,
  type HttpMethod,
} from './endpoints';
export * from './errors';
export { ClientError, isNotSent, isOutcomeUnknown, type ClientErrorCode } from '../transport/errors';
export { epochMs, type CatchUpOptions, type CatchUpStats } from './catch-up';
export { parseInbound, readFormSubmission, type InboundMessage, type FormSubmission } from './inbound';
export { isDataComponent, textComponent, type DataComponent, type Destination, type SendOptions } from './types';
export { resolveUrls, isLoopbackHost, DEFAULT_BASE_URL } from './urls';
export { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export type { ConnectionState, StateChange, WsStats, RejectedFrame } from './ws-session';
export type { Logger } from './logger';
export {
  FileTransfer,
  filenameOf,
  UPLOAD_FIELD,
  type UploadSource,
  type UploadedFile,
  type UploadOptions,
  type DownloadOptions,
  type Download,
  type TransferProgress,
} from './files';
export { contentTypeFor } from './content-types';
export {
  generateTunnelKeyPair,
  generateTunnelKeyPairAsync,
  TUNNEL_KEY_TYPES,
  type TunnelKeyType,
  publicKeyOf,
  publicKeyIdentity,
  fingerprint,
  type SshKeyPair,
} from './ssh-keys';
export {
  TunnelKeeper,
  HostKeyChangedError,
  type TunnelKeeperOptions,
  type TunnelStatus,
  type TunnelState,
  type TunnelInfo,
  type OpenedTunnel,
  type TunnelApi,
} from './tunnel';
export * from './components';
export { SendQueue, QueueFullError, type PacingOptions } from './send-queue';
