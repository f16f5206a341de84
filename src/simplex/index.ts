/**
 * The SimpleX Chat client library. Free of Node-RED:
 * `require('@semilimes-flows/node-red-semilimes/dist/simplex')` works in plain Node, like the semilimes client.
 */
export {
  SimplexClient,
  type SimplexClientOptions,
  type SendOptions,
  type SentItems,
  type FileSource,
  type FileSendOptions,
  type ReceivedFile,
  type AddressOptions,
  type AddressInfo,
  type BotProfileOptions,
} from './client';
export {
  SimplexSession,
  DEFAULT_TIMEOUTS,
  DEFAULT_MAX_IN_FLIGHT,
  type SimplexSessionOptions,
  type SessionState,
  type SessionStats,
  type SessionTimeouts,
  type CommandOptions,
} from './session';
export {
  COMMANDS,
  REACTION_EMOJIS,
  GROUP_MEMBER_ROLES,
  DELETE_MODES,
  findCommand,
  buildCommand,
  normalizeParams,
  chatRefString,
  parseChatRef,
  isChatRef,
  idString,
  normalizeReaction,
  type CommandDef,
  type CommandParam,
  type CommandGroup,
  type NetworkUsage,
  type ParamType,
  type ReactionEmoji,
} from './commands';
export {
  decodeFrame,
  toInboundItem,
  chatItemsOf,
  chatErrorOf,
  parseBotCommand,
  type DecodedFrame,
  type InboundItem,
  type InboundSender,
  type InboundFile,
  type InboundQuote,
  type InboundCommand,
} from './decode';
export * from './errors';
export {
  MAX_FILE_BYTES,
  SHARED_DIR_PREFIX,
  FileTooLargeError,
  writeSharedFile,
  removeSharedFile,
  sweepSharedFolder,
  resolveReceivedPath,
  readReceivedFile,
  safeFileName,
  type FileData,
} from './files';
export { MAX_MESSAGE_BYTES, checkMessageSize, splitText } from './limits';
export { DEFAULT_CLI_URL, resolveCliUrl, isLoopbackHost, type CliAddress } from './urls';
export type * from './types';
export { isNotSent, isOutcomeUnknown, type ConnectionState, type Logger } from '../transport';
