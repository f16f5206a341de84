/**
 * The one table of every endpoint in the semilimes API documentation.
 *
 * It is the single place that knows how an endpoint is called: HTTP method, path, whether the documentation gives it
 * a WebSocket form, and its parameters (query, path or body). The REST client, the WebSocket session, the nodes and
 * the editor all read it; nothing else spells out a path's method.
 *
 * Methods follow the documentation: list/read endpoints are GET with URL-encoded query parameters, writes are POST
 * with a JSON body. "Open bucket" is documented as POST with a query parameter, and API key deletion as DELETE with
 * the key id in the path.
 */

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export type ParamType = 'string' | 'boolean' | 'integer' | 'number' | 'string[]' | 'object' | 'object[]';

/** Where a parameter travels on REST. Over the WebSocket, query and path parameters go in `parameters`. */
export type ParamLocation = 'query' | 'path' | 'body';

export interface EndpointParam {
  readonly name: string;
  readonly type: ParamType;
  readonly in: ParamLocation;
  readonly required?: boolean;
  readonly description: string;
}

export type EndpointGroup =
  | 'Accounts'
  | 'Profile'
  | 'Feed'
  | 'Contacts'
  | 'P2P chats'
  | 'Group chats'
  | 'Channels'
  | 'Buckets'
  | 'Likes'
  | 'Services / LLMs'
  | 'API keys';

export interface Endpoint {
  /** The documented path, also the WebSocket `requestType` and the operation name users pick. */
  readonly path: string;
  readonly method: HttpMethod;
  /** True when the documentation gives the endpoint a WebSocket form. */
  readonly websocket: boolean;
  readonly group: EndpointGroup;
  readonly title: string;
  readonly params: readonly EndpointParam[];
  /** How the request body is sent: JSON (default), multipart upload, or none. */
  readonly requestBody?: 'json' | 'multipart' | 'none';
  /** How the answer comes back: the JSON envelope (default) or raw bytes. */
  readonly responseBody?: 'envelope' | 'binary';
  /** Body fields beyond the listed ones are passed through (bucket updates take a whole bucket component). */
  readonly openBody?: boolean;
}

const q = (name: string, type: ParamType, description: string, required = false): EndpointParam => ({
  name,
  type,
  in: 'query',
  required,
  description,
});
const b = (name: string, type: ParamType, description: string, required = false): EndpointParam => ({
  name,
  type,
  in: 'body',
  required,
  description,
});

const sendOptions = b('options', 'object', 'Send options, e.g. {"silent": true} for no in-app notification');
const dataComponent = b('dataComponent', 'object', 'The data component to send', true);
const messageId = (what: string) => b('messageId', 'string', what, true);
const reaction = (what: string) => b('reaction', 'string', what, true);
const bucketFields: EndpointParam[] = [
  b('title', 'string', 'Title'),
  b('description', 'string', 'Description'),
  b('avatar', 'string', 'File id of the avatar image'),
  b('visible', 'boolean', 'Visible to other users'),
  b('locked', 'boolean', 'Content cannot be interacted with by other users'),
  b('enableReactions', 'boolean', 'Allow likes and reactions'),
];

/**
 * The paths the code calls by name (as opposed to the operation a person picks in the api node). Each is spelled
 * here once, and the table below uses the same constant, so a name cannot point at an undocumented path.
 */
export const PATHS = {
  myAccounts: '/account/my',
  contacts: '/account/contacts',
  p2pChats: '/communication/p2p',
  p2pMessages: '/communication/p2p/message',
  groupChats: '/communication/groupchat',
  groupChatMessages: '/communication/groupchat/message',
  myChannels: '/communication/channel/my',
  channelMessages: '/communication/channel/message',
  tunnels: '/service/tunnel',
  tunnelCreate: '/service/tunnel/create',
  tunnelOpen: '/service/tunnel/open',
  tunnelClose: '/service/tunnel/close',
  tunnelDelete: '/service/tunnel/delete',
  fileDownload: '/service/file/download',
  fileUpload: '/service/file/upload',
  apiKeyValidate: '/apikey/~validate',
  apiKeyCreate: '/apikey',
  apiKeyDelete: '/apikey/{key_id}',
} as const;

export const ENDPOINTS: readonly Endpoint[] = [
  // Accounts
  {
    path: PATHS.myAccounts,
    method: 'GET',
    websocket: false,
    group: 'Accounts',
    title: 'Get my accounts',
    params: [
      q('main', 'boolean', 'Include the main account'),
      q('sub', 'boolean', 'Include owned subaccounts'),
      q('shared', 'boolean', 'Include accounts shared with the user'),
      q('details', 'boolean', 'Include advanced properties'),
    ],
  },
  // Profile
  {
    path: '/account/profile',
    method: 'GET',
    websocket: false,
    group: 'Profile',
    title: 'Get account profile',
    params: [q('accountId', 'string', 'Account whose profile to get; the current account when empty')],
  },
  {
    path: '/account/profile/update',
    method: 'POST',
    websocket: false,
    group: 'Profile',
    title: 'Update account profile',
    params: [...bucketFields, b('pinWall', 'object[]', 'Data components shown on the pin wall')],
  },
  // Feed
  {
    path: '/account/feed',
    method: 'GET',
    websocket: false,
    group: 'Feed',
    title: 'Get account feed',
    params: [
      q('accountId', 'string', 'Account whose feed to get; the current account when empty'),
      q('before', 'integer', 'Posts published before this time (epoch)'),
      q('after', 'integer', 'Posts published after this time (epoch)'),
      q('limit', 'integer', 'Maximum number of posts'),
    ],
  },
  {
    path: '/account/feed/post/add',
    method: 'POST',
    websocket: false,
    group: 'Feed',
    title: 'Add post to feed',
    // The documentation shows two bodies for this: bucket fields at the top level, and (under "Creating buckets")
    // a whole bucket component in `dataComponent`. Both are accepted.
    params: [
      ...bucketFields,
      b('dataComponents', 'object[]', 'Data components of the post'),
      b('dataComponent', 'object', 'The post as one bucket component (new, or a reference by bucketId)'),
    ],
  },
  {
    path: '/account/feed/post/update',
    method: 'POST',
    websocket: false,
    group: 'Feed',
    title: 'Edit feed post',
    params: [
      b('bucketId', 'string', 'Bucket id of the post', true),
      ...bucketFields,
      b('dataComponents', 'object[]', 'Data components of the post'),
    ],
  },
  // Contacts
  {
    path: PATHS.contacts,
    method: 'GET',
    websocket: false,
    group: 'Contacts',
    title: 'Get account contacts',
    params: [],
  },
  // P2P chats
  {
    path: PATHS.p2pChats,
    method: 'GET',
    websocket: true,
    group: 'P2P chats',
    title: 'Get P2P chats',
    params: [],
  },
  {
    path: PATHS.p2pMessages,
    method: 'GET',
    websocket: true,
    group: 'P2P chats',
    title: 'Get P2P chat messages',
    params: [
      q('recipientId', 'string', 'The other person in the chat', true),
      q('messageId', 'string', 'A specific message'),
      q('limit', 'integer', 'Maximum number of messages'),
    ],
  },
  {
    path: '/communication/p2p/message/send',
    method: 'POST',
    websocket: true,
    group: 'P2P chats',
    title: 'Send to P2P chat',
    params: [b('recipientId', 'string', 'Account id of the recipient', true), sendOptions, dataComponent],
  },
  {
    path: '/communication/p2p/message/update',
    method: 'POST',
    websocket: true,
    group: 'P2P chats',
    title: 'Edit P2P message',
    params: [messageId('Message to edit'), sendOptions, dataComponent],
  },
  {
    path: '/communication/p2p/message/reaction/send',
    method: 'POST',
    websocket: true,
    group: 'P2P chats',
    title: 'React to P2P message',
    params: [
      messageId('Message to react to'),
      reaction('Reaction, usually an emoji'),
      b('messageRefName', 'string', 'refName of the data component in the message the reaction is for'),
    ],
  },
  {
    path: '/communication/p2p/message/reaction/remove',
    method: 'POST',
    websocket: true,
    group: 'P2P chats',
    title: 'Remove reaction from P2P message',
    params: [messageId('Message to remove the reaction from'), reaction('Reaction to remove')],
  },
  {
    path: '/communication/p2p/message/reply',
    method: 'POST',
    websocket: true,
    group: 'P2P chats',
    title: 'Reply to P2P message',
    params: [messageId('Message to reply to'), b('dataComponent', 'object', 'A text component', true)],
  },
  {
    path: '/communication/p2p/signal/typing',
    method: 'POST',
    websocket: true,
    group: 'P2P chats',
    title: 'Signal typing in P2P chat',
    params: [b('recipientId', 'string', 'Account id of the recipient', true)],
  },
  // Group chats
  {
    path: PATHS.groupChats,
    method: 'GET',
    websocket: true,
    group: 'Group chats',
    title: 'Get group chats',
    params: [q('recipientIds', 'string', 'Comma separated account ids the group chats must contain')],
  },
  {
    path: '/communication/groupchat/create',
    method: 'POST',
    websocket: true,
    group: 'Group chats',
    title: 'Create group chat',
    params: [b('title', 'string', 'Group chat title', true), b('recipientIds', 'string[]', 'Accounts to invite')],
  },
  {
    path: PATHS.groupChatMessages,
    method: 'GET',
    websocket: true,
    group: 'Group chats',
    title: 'Get group chat messages',
    params: [
      q('groupChatId', 'string', 'The group chat', true),
      q('messageId', 'string', 'A specific message'),
      q('limit', 'integer', 'Maximum number of messages'),
    ],
  },
  {
    path: '/communication/groupchat/invite',
    method: 'POST',
    websocket: true,
    group: 'Group chats',
    title: 'Invite to group chat',
    params: [
      b('groupChatId', 'string', 'The group chat', true),
      b('recipientIds', 'string[]', 'Accounts to invite', true),
    ],
  },
  {
    path: '/communication/groupchat/message/send',
    method: 'POST',
    websocket: true,
    group: 'Group chats',
    title: 'Send to group chat',
    params: [b('groupChatId', 'string', 'The group chat', true), sendOptions, dataComponent],
  },
  {
    path: '/communication/groupchat/message/update',
    method: 'POST',
    websocket: true,
    group: 'Group chats',
    title: 'Edit group chat message',
    params: [messageId('Message to edit'), sendOptions, dataComponent],
  },
  {
    path: '/communication/groupchat/message/reaction/send',
    method: 'POST',
    websocket: true,
    group: 'Group chats',
    title: 'React to group chat message',
    params: [messageId('Message to react to'), reaction('Reaction, usually an emoji')],
  },
  {
    path: '/communication/groupchat/message/reaction/remove',
    method: 'POST',
    websocket: true,
    group: 'Group chats',
    title: 'Remove reaction from group chat message',
    params: [messageId('Message to remove the reaction from'), reaction('Reaction to remove')],
  },
  {
    path: '/communication/groupchat/message/reply',
    method: 'POST',
    websocket: true,
    group: 'Group chats',
    title: 'Reply to group chat message',
    params: [messageId('Message to reply to'), b('dataComponent', 'object', 'A text component', true)],
  },
  {
    path: '/communication/groupchat/signal/typing',
    method: 'POST',
    websocket: true,
    group: 'Group chats',
    title: 'Signal typing in group chat',
    params: [b('groupChatId', 'string', 'The group chat', true)],
  },
  // Channels
  {
    path: PATHS.myChannels,
    method: 'GET',
    websocket: true,
    group: 'Channels',
    title: 'Get my channels',
    params: [
      q('owner', 'boolean', 'Include channels the account owns'),
      q('editor', 'boolean', 'Include channels the account edits'),
      q('subscriber', 'boolean', 'Include channels the account is subscribed to'),
    ],
  },
  {
    path: '/communication/channel',
    method: 'GET',
    websocket: true,
    group: 'Channels',
    title: 'Find channels',
    params: [
      q('ownerId', 'string', 'Channels owned by this account'),
      q('editorId', 'string', 'Channels edited by this account'),
      q('channelId', 'string', 'The channel with this id'),
      q('title', 'string', 'Channels with this title'),
    ],
  },
  {
    path: '/communication/channel/create',
    method: 'POST',
    websocket: true,
    group: 'Channels',
    title: 'Create channel',
    params: [
      b('title', 'string', 'Channel title', true),
      b('avatar', 'string', 'File id of the avatar image'),
      b('visible', 'boolean', 'Visible to other users'),
      b('locked', 'boolean', 'Content cannot be interacted with by other users'),
      b('editorIds', 'string[]', 'Accounts that may publish'),
    ],
  },
  {
    path: PATHS.channelMessages,
    method: 'GET',
    websocket: true,
    group: 'Channels',
    title: 'Get channel messages',
    params: [
      q('channelId', 'string', 'The channel'),
      q('messageId', 'string', 'A specific message'),
      q('limit', 'integer', 'Maximum number of messages'),
    ],
  },
  {
    path: '/communication/channel/message/send',
    method: 'POST',
    websocket: true,
    group: 'Channels',
    title: 'Send to channel',
    params: [b('channelId', 'string', 'The channel', true), sendOptions, dataComponent],
  },
  {
    path: '/communication/channel/message/update',
    method: 'POST',
    websocket: true,
    group: 'Channels',
    title: 'Edit channel message',
    params: [messageId('Message to edit'), sendOptions, dataComponent],
  },
  {
    path: '/communication/channel/subscribe',
    method: 'POST',
    websocket: true,
    group: 'Channels',
    title: 'Subscribe to channel',
    params: [b('channelId', 'string', 'The channel', true)],
  },
  {
    path: '/communication/channel/unsubscribe',
    method: 'POST',
    websocket: true,
    group: 'Channels',
    title: 'Unsubscribe from channel',
    params: [b('channelId', 'string', 'The channel', true)],
  },
  // Buckets
  {
    path: '/communication/bucket',
    method: 'POST',
    websocket: true,
    group: 'Buckets',
    title: 'Open bucket',
    params: [q('bucketId', 'string', 'The bucket to open', true)],
    requestBody: 'none',
  },
  {
    path: '/communication/bucket/update',
    method: 'POST',
    websocket: true,
    group: 'Buckets',
    title: 'Update bucket content',
    params: [
      b('bucketId', 'string', 'The bucket to update', true),
      ...bucketFields,
      b('dataComponents', 'object[]', 'Data components of the bucket'),
    ],
    openBody: true,
  },
  // Likes
  {
    path: '/communication/bucket/like',
    method: 'POST',
    websocket: true,
    group: 'Likes',
    title: 'Like a bucket',
    params: [b('bucketId', 'string', 'The bucket to like', true)],
  },
  {
    path: '/communication/bucket/unlike',
    method: 'POST',
    websocket: true,
    group: 'Likes',
    title: 'Remove a like from a bucket',
    params: [b('bucketId', 'string', 'The bucket', true)],
  },
  // Services
  {
    path: PATHS.tunnels,
    method: 'GET',
    websocket: false,
    group: 'Services / LLMs',
    title: 'Get tunnels',
    params: [],
  },
  {
    path: PATHS.tunnelCreate,
    method: 'POST',
    websocket: false,
    group: 'Services / LLMs',
    title: 'Create tunnel',
    params: [
      b('name', 'string', 'Tunnel name', true),
      b('description', 'string', 'Description'),
      b('clientPort', 'integer', 'Local port to expose', true),
      b('clientPath', 'string', 'Sub path after the public address'),
      b('publicKey', 'string', 'SSH public key of this client', true),
    ],
  },
  {
    path: PATHS.tunnelOpen,
    method: 'POST',
    websocket: false,
    group: 'Services / LLMs',
    title: 'Open tunnel',
    params: [b('tunnelId', 'string', 'The tunnel', true)],
  },
  {
    path: PATHS.tunnelClose,
    method: 'POST',
    websocket: false,
    group: 'Services / LLMs',
    title: 'Close tunnel',
    params: [b('tunnelId', 'string', 'The tunnel', true)],
  },
  {
    path: PATHS.tunnelDelete,
    method: 'POST',
    websocket: false,
    group: 'Services / LLMs',
    title: 'Delete tunnel',
    params: [b('tunnelId', 'string', 'The tunnel', true)],
  },
  {
    path: PATHS.fileDownload,
    method: 'POST',
    websocket: false,
    group: 'Services / LLMs',
    title: 'Download file',
    params: [b('fileId', 'string', 'The file', true), b('thumbnailSize', 'integer', 'Width of an image thumbnail')],
    responseBody: 'binary',
  },
  {
    path: PATHS.fileUpload,
    method: 'POST',
    websocket: false,
    group: 'Services / LLMs',
    title: 'Upload files',
    params: [],
    requestBody: 'multipart',
  },
  {
    path: '/service/llms',
    method: 'GET',
    websocket: false,
    group: 'Services / LLMs',
    title: 'List LLMs',
    params: [],
  },
  // API keys
  {
    path: PATHS.apiKeyValidate,
    method: 'GET',
    websocket: false,
    group: 'API keys',
    title: 'Validate API key',
    params: [],
  },
  {
    path: PATHS.apiKeyCreate,
    method: 'POST',
    websocket: false,
    group: 'API keys',
    title: 'Create API key',
    params: [
      b('name', 'string', 'Name shown in the user portal', true),
      b('expire_at', 'string', 'Expiry time, RFC 3339 (e.g. 2027-01-02T15:04:05Z)', true),
    ],
  },
  {
    path: PATHS.apiKeyDelete,
    method: 'DELETE',
    websocket: false,
    group: 'API keys',
    title: 'Delete API key',
    params: [{ name: 'key_id', type: 'integer', in: 'path', required: true, description: 'Id of the key to delete' }],
    requestBody: 'none',
  },
];

const byPath = new Map(ENDPOINTS.map((e) => [e.path, e]));

/** The endpoint documented at `path`, or undefined. */
export function findEndpoint(path: string): Endpoint | undefined {
  return byPath.get(path);
}

/** The endpoint at one of the `PATHS`: always documented (the table is built from them). */
export function endpointAt(path: (typeof PATHS)[keyof typeof PATHS]): Endpoint {
  return byPath.get(path) as Endpoint;
}

/** Kinds of conversation, named as the API's `featureType` and path segment. */
export type ChatKind = 'p2p' | 'groupchat' | 'channel';
export const CHAT_KINDS: readonly ChatKind[] = ['p2p', 'groupchat', 'channel'];

/**
 * The field that names a conversation of each kind: in the bodies of sends and typing signals, in history requests,
 * and in the entries of the conversation lists (`CONVERSATION_PATHS`).
 */
export const DESTINATION_FIELD: Readonly<Record<ChatKind, 'recipientId' | 'groupChatId' | 'channelId'>> = {
  p2p: 'recipientId',
  groupchat: 'groupChatId',
  channel: 'channelId',
};

/** Per kind of chat: the path listing the account's conversations of that kind, and the one reading a history. */
export const CONVERSATION_PATHS: Readonly<Record<ChatKind, { readonly list: string; readonly history: string }>> = {
  p2p: { list: PATHS.p2pChats, history: PATHS.p2pMessages },
  groupchat: { list: PATHS.groupChats, history: PATHS.groupChatMessages },
  channel: { list: PATHS.myChannels, history: PATHS.channelMessages },
};

export type MessageAction = 'send' | 'update' | 'reply' | 'react' | 'unreact' | 'typing';

/**
 * The path of a messaging action in a kind of chat, or undefined where the API has none (channels have no replies,
 * reactions or typing signals).
 */
export function messagingPath(kind: ChatKind, action: MessageAction): string | undefined {
  const suffix: Record<MessageAction, string> = {
    send: 'message/send',
    update: 'message/update',
    reply: 'message/reply',
    react: 'message/reaction/send',
    unreact: 'message/reaction/remove',
    typing: 'signal/typing',
  };
  const path = `/communication/${kind}/${suffix[action]}`;
  return byPath.has(path) ? path : undefined;
}
