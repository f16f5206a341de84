/**
 * Every command of the SimpleX Chat bot API reference (COMMANDS.md), written out by hand: its parameters, the command
 * string it builds, how it uses the network (which sets its default timeout) and the reply types it may answer with.
 *
 * Values are validated before they are put into a command string: ids must be plain integers, chat references must
 * match the reference's syntax exactly, words must be single words, and JSON goes through JSON.stringify. A value can
 * therefore never add arguments to a command or start a second one.
 */
import { InvalidInputError } from './errors';
import type { ChatRef } from './types';

/**
 * - `no`: the CLI answers without using the network
 * - `background`: the CLI answers first, then does the network work
 * - `interactive`: the CLI answers after (some of) the network work, so replies may take long
 */
export type NetworkUsage = 'no' | 'background' | 'interactive';

export type ParamType =
  /** a database id: a non-negative integer */
  | 'id'
  /** a non-empty list of ids, joined with commas */
  | 'ids'
  /** a positive integer (seconds) */
  | 'int'
  | 'bool'
  /** one word: no spaces or control characters (links, names, codes) */
  | 'word'
  /** the rest of the command line: spaces allowed, control characters not */
  | 'text'
  /** a chat reference: `@<contactId>`, `#<groupId>`, `#<groupId>(_support[:<groupMemberId>])`, `*<noteFolderId>` */
  | 'chatRef'
  /** one of `values` */
  | 'enum'
  /** a JSON object */
  | 'object'
  /** a non-empty JSON array of objects */
  | 'array'
  /** a string, written as JSON (quoted) */
  | 'jsonString'
  /** a connection link, optionally followed by its short form (`CreatedConnLink`) */
  | 'connLink'
  /** `full|entity|messages[ notify=off]` (`ChatDeleteMode`) */
  | 'chatDeleteMode'
  /** `count=<n>`, or `before=<time> count=<n>` / `after=<time> count=<n>` (`PaginationByTime`) */
  | 'pagination';

export interface CommandParam {
  name: string;
  type: ParamType;
  /** The type as the reference writes it, for help text. */
  docType: string;
  /** May be left out. Booleans left out are false unless `defaultValue` says otherwise. */
  optional?: boolean;
  /** A boolean the command must state (`on|off`), so it cannot be left out. */
  mustState?: boolean;
  /** Documented as optional, but the syntax has no form without it: it must be given. */
  neededBySyntax?: boolean;
  defaultValue?: boolean;
  values?: readonly string[];
  /** Documented as a parameter, but the command's syntax has no place for it: it is accepted and not sent. */
  notInSyntax?: boolean;
}

export type CommandGroup =
  | 'address'
  | 'message'
  | 'file'
  | 'group'
  | 'groupLink'
  | 'connection'
  | 'chat'
  | 'user'
  | 'service'
  | 'chatManagement'
  | 'remoteControl';

export interface CommandDef {
  /** The reference's name, e.g. `APISendMessages`. */
  name: string;
  group: CommandGroup;
  description: string;
  network: NetworkUsage;
  params: readonly CommandParam[];
  /** The syntax line of the reference, for help text. */
  syntax: string;
  /** Reply types (`resp.type`) the reference lists, `chatCmdError` included where it is listed. */
  responses: readonly string[];
  /** Builds the command from validated values (see `normalizeParams`). */
  build(p: Normalized): string;
}

/** Validated values: ids, refs, links and JSON as the strings that go into the command, booleans as booleans. */
export type Normalized = Record<string, string | boolean | undefined>;

export const GROUP_MEMBER_ROLES = ['relay', 'observer', 'author', 'member', 'moderator', 'admin', 'owner'] as const;
export const DELETE_MODES = ['broadcast', 'internal', 'internalMark', 'history'] as const;

/** The only reactions the CLI accepts (any other emoji is a command error). */
export const REACTION_EMOJIS = ['👍', '👎', '😀', '😂', '😢', '❤', '🚀', '✅'] as const;
export type ReactionEmoji = (typeof REACTION_EMOJIS)[number];

const id = (name: string, docType = 'int64'): CommandParam => ({ name, type: 'id', docType });
const optId = (name: string): CommandParam => ({ name, type: 'id', docType: 'int64?', optional: true });
const ids = (name: string): CommandParam => ({ name, type: 'ids', docType: '[int64]' });
const bool = (name: string, defaultValue?: boolean): CommandParam => ({
  name,
  type: 'bool',
  docType: 'bool',
  defaultValue,
});
const required = (name: string): CommandParam => ({ name, type: 'bool', docType: 'bool', mustState: true });
const optBool = (name: string): CommandParam => ({ name, type: 'bool', docType: 'bool?', optional: true });
const ref = (name: string): CommandParam => ({ name, type: 'chatRef', docType: 'ChatRef' });
const role = (name = 'memberRole'): CommandParam => ({
  name,
  type: 'enum',
  docType: 'GroupMemberRole',
  values: GROUP_MEMBER_ROLES,
});
const object = (name: string, docType: string, optional = false): CommandParam => ({
  name,
  type: 'object',
  docType,
  optional,
});

const onOff = (v: string | boolean | undefined) => (v ? 'on' : 'off');
/** ` name=on|off` when the optional boolean was given, nothing otherwise. */
const optOnOff = (name: string, v: string | boolean | undefined) =>
  typeof v === 'boolean' ? ` ${name}=${onOff(v)}` : '';
const opt = (prefix: string, v: string | boolean | undefined) => (typeof v === 'string' ? prefix + v : '');

const CMD_ERROR = 'chatCmdError';

export const COMMANDS: readonly CommandDef[] = [
  // Address commands
  {
    name: 'APICreateMyAddress',
    group: 'address',
    description: 'Create bot address.',
    network: 'interactive',
    params: [id('userId'), optBool('pqRatchet')],
    syntax: '/_address <userId>[ pq_ratchet=on|off]',
    responses: ['userContactLinkCreated', CMD_ERROR],
    build: (p) => `/_address ${p.userId}${optOnOff('pq_ratchet', p.pqRatchet)}`,
  },
  {
    name: 'APIDeleteMyAddress',
    group: 'address',
    description: 'Delete bot address.',
    network: 'background',
    params: [id('userId')],
    syntax: '/_delete_address <userId>',
    responses: ['userContactLinkDeleted', CMD_ERROR],
    build: (p) => `/_delete_address ${p.userId}`,
  },
  {
    name: 'APIShowMyAddress',
    group: 'address',
    description: 'Get bot address and settings.',
    network: 'no',
    params: [id('userId')],
    syntax: '/_show_address <userId>',
    responses: ['userContactLink', CMD_ERROR],
    build: (p) => `/_show_address ${p.userId}`,
  },
  {
    name: 'APISetProfileAddress',
    group: 'address',
    description: 'Add address to bot profile.',
    network: 'interactive',
    params: [id('userId'), required('enable')],
    syntax: '/_profile_address <userId> on|off',
    responses: ['userProfileUpdated', 'userProfileNoChange', CMD_ERROR],
    build: (p) => `/_profile_address ${p.userId} ${onOff(p.enable)}`,
  },
  {
    name: 'APISetAddressSettings',
    group: 'address',
    description: 'Set bot address settings.',
    network: 'interactive',
    params: [id('userId'), optBool('pqRatchet'), object('settings', 'AddressSettings')],
    syntax: '/_address_settings <userId>[ pq_ratchet=on|off] <json(settings)>',
    responses: ['userContactLinkUpdated', CMD_ERROR],
    build: (p) => `/_address_settings ${p.userId}${optOnOff('pq_ratchet', p.pqRatchet)} ${p.settings}`,
  },
  // Message commands
  {
    name: 'APISendMessages',
    group: 'message',
    description: 'Send messages.',
    network: 'background',
    params: [
      ref('sendRef'),
      bool('liveMessage'),
      { name: 'ttl', type: 'int', docType: 'int?', optional: true },
      bool('signMessages'),
      { name: 'composedMessages', type: 'array', docType: '[ComposedMessage]' },
    ],
    syntax: '/_send <str(sendRef)>[ live=on][ ttl=<ttl>][ sign=on] json <json(composedMessages)>',
    responses: ['newChatItems', CMD_ERROR],
    build: (p) =>
      `/_send ${p.sendRef}${p.liveMessage ? ' live=on' : ''}${opt(' ttl=', p.ttl)}${p.signMessages ? ' sign=on' : ''}` +
      ` json ${p.composedMessages}`,
  },
  {
    name: 'APIUpdateChatItem',
    group: 'message',
    description: 'Update message.',
    network: 'background',
    params: [ref('chatRef'), id('chatItemId'), bool('liveMessage'), object('updatedMessage', 'UpdatedMessage')],
    syntax: '/_update item <str(chatRef)> <chatItemId>[ live=on] json <json(updatedMessage)>',
    responses: ['chatItemUpdated', 'chatItemNotChanged', CMD_ERROR],
    build: (p) =>
      `/_update item ${p.chatRef} ${p.chatItemId}${p.liveMessage ? ' live=on' : ''} json ${p.updatedMessage}`,
  },
  {
    name: 'APIDeleteChatItem',
    group: 'message',
    description: 'Delete message.',
    network: 'background',
    params: [
      ref('chatRef'),
      ids('chatItemIds'),
      { name: 'deleteMode', type: 'enum', docType: 'CIDeleteMode', values: DELETE_MODES },
    ],
    syntax:
      '/_delete item <str(chatRef)> <chatItemIds[0]>[,<chatItemIds[1]>...] broadcast|internal|internalMark|history',
    responses: ['chatItemsDeleted', CMD_ERROR],
    build: (p) => `/_delete item ${p.chatRef} ${p.chatItemIds} ${p.deleteMode}`,
  },
  {
    name: 'APIDeleteMemberChatItem',
    group: 'message',
    description: "Moderate message. Requires Moderator role (and higher than message author's).",
    network: 'background',
    params: [id('groupId'), ids('chatItemIds')],
    syntax: '/_delete member item #<groupId> <chatItemIds[0]>[,<chatItemIds[1]>...]',
    responses: ['chatItemsDeleted', CMD_ERROR],
    build: (p) => `/_delete member item #${p.groupId} ${p.chatItemIds}`,
  },
  {
    name: 'APIChatItemReaction',
    group: 'message',
    description: 'Add/remove message reaction.',
    network: 'background',
    params: [ref('chatRef'), id('chatItemId'), required('add'), object('reaction', 'MsgReaction')],
    syntax: '/_reaction <str(chatRef)> <chatItemId> on|off <json(reaction)>',
    responses: ['chatItemReaction', CMD_ERROR],
    build: (p) => `/_reaction ${p.chatRef} ${p.chatItemId} ${onOff(p.add)} ${p.reaction}`,
  },
  {
    name: 'APIShareMyAddress',
    group: 'message',
    description: 'Share user address card',
    network: 'no',
    params: [ref('toSendRef')],
    syntax: '/_share address <str(toSendRef)>',
    responses: ['chatMsgContent'],
    build: (p) => `/_share address ${p.toSendRef}`,
  },
  {
    name: 'APIShareChatMsgContent',
    group: 'message',
    description: 'Share channel address',
    network: 'no',
    params: [ref('shareChatRef'), ref('toSendRef')],
    syntax: '/_share chat content <str(shareChatRef)> <str(toSendRef)>',
    responses: ['chatMsgContent'],
    build: (p) => `/_share chat content ${p.shareChatRef} ${p.toSendRef}`,
  },
  // File commands
  {
    name: 'ReceiveFile',
    group: 'file',
    description: 'Receive file.',
    network: 'no',
    params: [
      id('fileId'),
      bool('userApprovedRelays'),
      optBool('storeEncrypted'),
      optBool('fileInline'),
      { name: 'filePath', type: 'text', docType: 'string?', optional: true },
    ],
    syntax: '/freceive <fileId>[ approved_relays=on][ encrypt=on|off][ inline=on|off][ <filePath>]',
    responses: ['rcvFileAccepted', 'rcvFileAcceptedSndCancelled', CMD_ERROR],
    build: (p) =>
      `/freceive ${p.fileId}${p.userApprovedRelays ? ' approved_relays=on' : ''}` +
      `${optOnOff('encrypt', p.storeEncrypted)}${optOnOff('inline', p.fileInline)}${opt(' ', p.filePath)}`,
  },
  {
    name: 'CancelFile',
    group: 'file',
    description: 'Cancel file.',
    network: 'background',
    params: [id('fileId')],
    syntax: '/fcancel <fileId>',
    responses: ['sndFileCancelled', 'rcvFileCancelled', CMD_ERROR],
    build: (p) => `/fcancel ${p.fileId}`,
  },
  // Group commands
  {
    name: 'APIAddMember',
    group: 'group',
    description: 'Add contact to group. Requires bot to have Admin role.',
    network: 'interactive',
    params: [id('groupId'), id('contactId'), role()],
    syntax: '/_add #<groupId> <contactId> relay|observer|author|member|moderator|admin|owner',
    responses: ['sentGroupInvitation', CMD_ERROR],
    build: (p) => `/_add #${p.groupId} ${p.contactId} ${p.memberRole}`,
  },
  {
    name: 'APIJoinGroup',
    group: 'group',
    description: 'Join group.',
    network: 'interactive',
    params: [id('groupId')],
    syntax: '/_join #<groupId>',
    responses: ['userAcceptedGroupSent', CMD_ERROR],
    build: (p) => `/_join #${p.groupId}`,
  },
  {
    name: 'APIAcceptMember',
    group: 'group',
    description: 'Accept group member. Requires Admin role.',
    network: 'background',
    params: [id('groupId'), id('groupMemberId'), role()],
    syntax: '/_accept member #<groupId> <groupMemberId> relay|observer|author|member|moderator|admin|owner',
    responses: ['memberAccepted', CMD_ERROR],
    build: (p) => `/_accept member #${p.groupId} ${p.groupMemberId} ${p.memberRole}`,
  },
  {
    name: 'APIMembersRole',
    group: 'group',
    description: 'Set members role. Requires Admin role.',
    network: 'background',
    params: [id('groupId'), ids('groupMemberIds'), role()],
    syntax:
      '/_member role #<groupId> <groupMemberIds[0]>[,<groupMemberIds[1]>...] relay|observer|author|member|moderator|admin|owner',
    responses: ['membersRoleUser', CMD_ERROR],
    build: (p) => `/_member role #${p.groupId} ${p.groupMemberIds} ${p.memberRole}`,
  },
  {
    name: 'APIBlockMembersForAll',
    group: 'group',
    description: 'Block members. Requires Moderator role.',
    network: 'background',
    params: [id('groupId'), ids('groupMemberIds'), required('blocked')],
    syntax: '/_block #<groupId> <groupMemberIds[0]>[,<groupMemberIds[1]>...] blocked=on|off',
    responses: ['membersBlockedForAllUser', CMD_ERROR],
    build: (p) => `/_block #${p.groupId} ${p.groupMemberIds} blocked=${onOff(p.blocked)}`,
  },
  {
    name: 'APIRemoveMembers',
    group: 'group',
    description: 'Remove members. Requires Admin role.',
    network: 'background',
    params: [id('groupId'), ids('groupMemberIds'), bool('withMessages')],
    syntax: '/_remove #<groupId> <groupMemberIds[0]>[,<groupMemberIds[1]>...][ messages=on]',
    responses: ['userDeletedMembers', CMD_ERROR],
    build: (p) => `/_remove #${p.groupId} ${p.groupMemberIds}${p.withMessages ? ' messages=on' : ''}`,
  },
  {
    name: 'APILeaveGroup',
    group: 'group',
    description: 'Leave group.',
    network: 'background',
    params: [id('groupId')],
    syntax: '/_leave #<groupId>',
    responses: ['leftMemberUser', CMD_ERROR],
    build: (p) => `/_leave #${p.groupId}`,
  },
  {
    name: 'APIListMembers',
    group: 'group',
    description: 'Get group members.',
    network: 'no',
    params: [id('groupId')],
    syntax: '/_members #<groupId>',
    responses: ['groupMembers', CMD_ERROR],
    build: (p) => `/_members #${p.groupId}`,
  },
  {
    name: 'APINewGroup',
    group: 'group',
    description: 'Create group.',
    network: 'no',
    params: [id('userId'), bool('incognito'), object('groupProfile', 'GroupProfile')],
    syntax: '/_group <userId>[ incognito=on] <json(groupProfile)>',
    responses: ['groupCreated', CMD_ERROR],
    build: (p) => `/_group ${p.userId}${p.incognito ? ' incognito=on' : ''} ${p.groupProfile}`,
  },
  {
    name: 'APINewPublicGroup',
    group: 'group',
    description: 'Create public group.',
    network: 'interactive',
    params: [id('userId'), bool('incognito'), ids('relayIds'), object('groupProfile', 'GroupProfile')],
    syntax: '/_public group <userId>[ incognito=on] <relayIds[0]>[,<relayIds[1]>...] <json(groupProfile)>',
    responses: ['publicGroupCreated', 'publicGroupCreationFailed', CMD_ERROR],
    build: (p) => `/_public group ${p.userId}${p.incognito ? ' incognito=on' : ''} ${p.relayIds} ${p.groupProfile}`,
  },
  {
    name: 'APIGetGroupRelays',
    group: 'group',
    description: 'Get group relays.',
    network: 'no',
    params: [id('groupId')],
    syntax: '/_get relays #<groupId>',
    responses: ['groupRelays', CMD_ERROR],
    build: (p) => `/_get relays #${p.groupId}`,
  },
  {
    name: 'APIAddGroupRelays',
    group: 'group',
    description: 'Add relays to group.',
    network: 'interactive',
    params: [id('groupId'), ids('relayIds')],
    syntax: '/_add relays #<groupId> <relayIds[0]>[,<relayIds[1]>...]',
    responses: ['groupRelaysAdded', 'groupRelaysAddFailed', CMD_ERROR],
    build: (p) => `/_add relays #${p.groupId} ${p.relayIds}`,
  },
  {
    name: 'APIAllowRelayGroup',
    group: 'group',
    description: 'Clear relay rejection for a channel (relay operator).',
    network: 'background',
    params: [id('groupId')],
    syntax: '/_relay allow #<groupId>',
    responses: ['relayGroupAllowed', CMD_ERROR],
    build: (p) => `/_relay allow #${p.groupId}`,
  },
  {
    name: 'APIUpdateGroupProfile',
    group: 'group',
    description: 'Update group profile.',
    network: 'background',
    params: [id('groupId'), object('groupProfile', 'GroupProfile')],
    syntax: '/_group_profile #<groupId> <json(groupProfile)>',
    responses: ['groupUpdated', CMD_ERROR],
    build: (p) => `/_group_profile #${p.groupId} ${p.groupProfile}`,
  },
  {
    name: 'APIVerifyGroupDomain',
    group: 'group',
    description: 'Verify group domain',
    network: 'interactive',
    params: [id('groupId')],
    syntax: '/_verify domain #<groupId>',
    responses: ['groupDomainVerified'],
    build: (p) => `/_verify domain #${p.groupId}`,
  },
  // Group link commands
  {
    name: 'APICreateGroupLink',
    group: 'groupLink',
    description: 'Create group link.',
    network: 'interactive',
    params: [id('groupId'), role()],
    syntax: '/_create link #<groupId> relay|observer|author|member|moderator|admin|owner',
    responses: ['groupLinkCreated', CMD_ERROR],
    build: (p) => `/_create link #${p.groupId} ${p.memberRole}`,
  },
  {
    name: 'APIGroupLinkMemberRole',
    group: 'groupLink',
    description: 'Set member role for group link.',
    network: 'no',
    params: [id('groupId'), role()],
    syntax: '/_set link role #<groupId> relay|observer|author|member|moderator|admin|owner',
    responses: ['groupLink', CMD_ERROR],
    build: (p) => `/_set link role #${p.groupId} ${p.memberRole}`,
  },
  {
    name: 'APIDeleteGroupLink',
    group: 'groupLink',
    description: 'Delete group link.',
    network: 'background',
    params: [id('groupId')],
    syntax: '/_delete link #<groupId>',
    responses: ['groupLinkDeleted', CMD_ERROR],
    build: (p) => `/_delete link #${p.groupId}`,
  },
  {
    name: 'APIGetGroupLink',
    group: 'groupLink',
    description: 'Get group link.',
    network: 'no',
    params: [id('groupId')],
    syntax: '/_get link #<groupId>',
    responses: ['groupLink', CMD_ERROR],
    build: (p) => `/_get link #${p.groupId}`,
  },
  // Connection commands
  {
    name: 'APIAddContact',
    group: 'connection',
    description: 'Create 1-time invitation link.',
    network: 'interactive',
    params: [id('userId'), bool('incognito')],
    syntax: '/_connect <userId>[ incognito=on]',
    responses: ['invitation', CMD_ERROR],
    build: (p) => `/_connect ${p.userId}${p.incognito ? ' incognito=on' : ''}`,
  },
  {
    name: 'APIConnectPlan',
    group: 'connection',
    description: 'Determine SimpleX link type and if the bot is already connected via this link or name.',
    network: 'interactive',
    params: [
      id('userId'),
      { name: 'connectTarget', type: 'word', docType: 'string?', optional: true, neededBySyntax: true },
      { name: 'resolveMode', type: 'object', docType: 'PlanResolveMode', notInSyntax: true },
      { name: 'linkOwnerSig', type: 'object', docType: 'LinkOwnerSig?', optional: true, notInSyntax: true },
    ],
    syntax: '/_connect plan <userId> <connectTarget>',
    responses: ['connectionPlan', CMD_ERROR],
    build: (p) => `/_connect plan ${p.userId} ${p.connectTarget}`,
  },
  {
    name: 'APIConnect',
    group: 'connection',
    description:
      'Connect via prepared SimpleX link. The link can be 1-time invitation link, contact address or group link.',
    network: 'interactive',
    params: [
      id('userId'),
      { ...bool('incognito'), notInSyntax: true },
      { name: 'preparedLink_', type: 'connLink', docType: 'CreatedConnLink?', optional: true },
    ],
    syntax: '/_connect <userId>[ <str(preparedLink_)>]',
    responses: ['sentConfirmation', 'contactAlreadyExists', 'sentInvitation', CMD_ERROR],
    build: (p) => `/_connect ${p.userId}${opt(' ', p.preparedLink_)}`,
  },
  {
    name: 'Connect',
    group: 'connection',
    description: 'Connect via SimpleX link or name as string in the active user profile.',
    network: 'interactive',
    params: [
      { ...bool('incognito'), notInSyntax: true },
      { name: 'connTarget_', type: 'word', docType: 'string?', optional: true },
    ],
    syntax: '/connect[ <connTarget_>]',
    responses: [
      'sentConfirmation',
      'contactAlreadyExists',
      'sentInvitation',
      'connectionPlan',
      'sentInvitationToContact',
      'startedConnectionToContact',
      'startedConnectionToGroup',
      CMD_ERROR,
    ],
    build: (p) => `/connect${opt(' ', p.connTarget_)}`,
  },
  {
    name: 'APIAcceptContact',
    group: 'connection',
    description: 'Accept contact request.',
    network: 'interactive',
    params: [id('contactReqId')],
    syntax: '/_accept <contactReqId>',
    responses: ['acceptingContactRequest', CMD_ERROR],
    build: (p) => `/_accept ${p.contactReqId}`,
  },
  {
    name: 'APIRejectContact',
    group: 'connection',
    description: 'Reject contact request. The user who sent the request is not notified.',
    network: 'no',
    params: [id('contactReqId'), { ...bool('notify'), notInSyntax: true }],
    syntax: '/_reject <contactReqId>',
    responses: ['contactRequestRejected', CMD_ERROR],
    build: (p) => `/_reject ${p.contactReqId}`,
  },
  // Chat commands
  {
    name: 'APIListContacts',
    group: 'chat',
    description: 'Get contacts.',
    network: 'no',
    params: [id('userId')],
    syntax: '/_contacts <userId>',
    responses: ['contactsList', CMD_ERROR],
    build: (p) => `/_contacts ${p.userId}`,
  },
  {
    name: 'APIListGroups',
    group: 'chat',
    description: 'Get groups.',
    network: 'no',
    params: [id('userId'), optId('contactId_'), { name: 'search', type: 'text', docType: 'string?', optional: true }],
    syntax: '/_groups <userId>[ @<contactId_>][ <search>]',
    responses: ['groupsList', CMD_ERROR],
    build: (p) => `/_groups ${p.userId}${opt(' @', p.contactId_)}${opt(' ', p.search)}`,
  },
  {
    name: 'APIGetChats',
    group: 'chat',
    description: 'Get chat previews, paginated by time.',
    network: 'no',
    params: [
      id('userId'),
      bool('pendingConnections'),
      { name: 'pagination', type: 'pagination', docType: 'PaginationByTime' },
      object('query', 'ChatListQuery'),
    ],
    syntax: '/_get chats <userId>[ pcc=on] <str(pagination)> <json(query)>',
    responses: ['apiChats', CMD_ERROR],
    build: (p) => `/_get chats ${p.userId}${p.pendingConnections ? ' pcc=on' : ''} ${p.pagination} ${p.query}`,
  },
  {
    name: 'APIDeleteChat',
    group: 'chat',
    description: 'Delete chat.',
    network: 'background',
    params: [ref('chatRef'), { name: 'chatDeleteMode', type: 'chatDeleteMode', docType: 'ChatDeleteMode' }],
    syntax: '/_delete <str(chatRef)> <str(chatDeleteMode)>',
    responses: ['contactDeleted', 'contactConnectionDeleted', 'groupDeletedUser', CMD_ERROR],
    build: (p) => `/_delete ${p.chatRef} ${p.chatDeleteMode}`,
  },
  {
    name: 'APISetGroupCustomData',
    group: 'chat',
    description: 'Set group custom data.',
    network: 'no',
    params: [id('groupId'), object('customData', 'JSONObject?', true)],
    syntax: '/_set custom #<groupId>[ <json(customData)>]',
    responses: ['cmdOk', CMD_ERROR],
    build: (p) => `/_set custom #${p.groupId}${opt(' ', p.customData)}`,
  },
  {
    name: 'APISetContactCustomData',
    group: 'chat',
    description: 'Set contact custom data.',
    network: 'no',
    params: [id('contactId'), object('customData', 'JSONObject?', true)],
    syntax: '/_set custom @<contactId>[ <json(customData)>]',
    responses: ['cmdOk', CMD_ERROR],
    build: (p) => `/_set custom @${p.contactId}${opt(' ', p.customData)}`,
  },
  {
    name: 'APISetUserAutoAcceptMemberContacts',
    group: 'chat',
    description: 'Set auto-accept member contacts.',
    network: 'no',
    params: [id('userId'), required('onOff')],
    syntax: '/_set accept member contacts <userId> on|off',
    responses: ['cmdOk', CMD_ERROR],
    build: (p) => `/_set accept member contacts ${p.userId} ${onOff(p.onOff)}`,
  },
  {
    name: 'APISetUserAutoAcceptGroupInvitations',
    group: 'chat',
    description: 'Set auto-accept group invitations.',
    network: 'no',
    params: [id('userId'), required('onOff')],
    syntax: '/_set accept group invitations <userId> on|off',
    responses: ['cmdOk', CMD_ERROR],
    build: (p) => `/_set accept group invitations ${p.userId} ${onOff(p.onOff)}`,
  },
  // User profile commands
  {
    name: 'ShowActiveUser',
    group: 'user',
    description: 'Get active user profile.',
    network: 'no',
    params: [],
    syntax: '/user',
    responses: ['activeUser', CMD_ERROR],
    build: () => '/user',
  },
  {
    name: 'CreateActiveUser',
    group: 'user',
    description: 'Create new user profile.',
    network: 'no',
    params: [object('newUser', 'NewUser')],
    syntax: '/_create user <json(newUser)>',
    responses: ['activeUser', CMD_ERROR],
    build: (p) => `/_create user ${p.newUser}`,
  },
  {
    name: 'ListUsers',
    group: 'user',
    description: 'Get all user profiles.',
    network: 'no',
    params: [],
    syntax: '/users',
    responses: ['usersList', CMD_ERROR],
    build: () => '/users',
  },
  {
    name: 'APISetActiveUser',
    group: 'user',
    description: 'Set active user profile.',
    network: 'no',
    params: [id('userId'), { name: 'viewPwd', type: 'jsonString', docType: 'string?', optional: true }],
    syntax: '/_user <userId>[ <json(viewPwd)>]',
    responses: ['activeUser', CMD_ERROR],
    build: (p) => `/_user ${p.userId}${opt(' ', p.viewPwd)}`,
  },
  {
    name: 'APIDeleteUser',
    group: 'user',
    description: 'Delete user profile.',
    network: 'background',
    params: [
      id('userId'),
      required('delSMPQueues'),
      { name: 'viewPwd', type: 'jsonString', docType: 'string?', optional: true },
    ],
    syntax: '/_delete user <userId> del_smp=on|off[ <json(viewPwd)>]',
    responses: ['cmdOk', CMD_ERROR],
    build: (p) => `/_delete user ${p.userId} del_smp=${onOff(p.delSMPQueues)}${opt(' ', p.viewPwd)}`,
  },
  {
    name: 'APIUpdateProfile',
    group: 'user',
    description: 'Update user profile.',
    network: 'background',
    params: [id('userId'), object('profile', 'Profile')],
    syntax: '/_profile <userId> <json(profile)>',
    responses: ['userProfileUpdated', 'userProfileNoChange', CMD_ERROR],
    build: (p) => `/_profile ${p.userId} ${p.profile}`,
  },
  {
    name: 'APISetContactPrefs',
    group: 'user',
    description: 'Configure chat preference overrides for the contact.',
    network: 'background',
    params: [id('contactId'), object('preferences', 'Preferences')],
    syntax: '/_set prefs @<contactId> <json(preferences)>',
    responses: ['contactPrefsUpdated', CMD_ERROR],
    build: (p) => `/_set prefs @${p.contactId} ${p.preferences}`,
  },
  // Service commands
  {
    name: 'APISendServiceResponse',
    group: 'service',
    description: 'Send a reply to a received service request.',
    network: 'background',
    params: [
      id('userId'),
      { name: 'requestId', type: 'word', docType: 'string' },
      object('responseData', 'JSONObject'),
    ],
    syntax: '/_service_response <userId> <requestId> <json(responseData)>',
    responses: ['serviceReplyAccepted', CMD_ERROR],
    build: (p) => `/_service_response ${p.userId} ${p.requestId} ${p.responseData}`,
  },
  // Chat management
  {
    name: 'StartChat',
    group: 'chatManagement',
    description: 'Start chat controller. Not for CLI-based bots.',
    network: 'no',
    params: [required('mainApp'), bool('enableSndFiles', true), bool('serviceRequests')],
    syntax: '/_start main=on|off[ snd_files=off][ service_requests=on]',
    responses: ['chatStarted', 'chatRunning'],
    build: (p) =>
      `/_start main=${onOff(p.mainApp)}${p.enableSndFiles ? '' : ' snd_files=off'}` +
      `${p.serviceRequests ? ' service_requests=on' : ''}`,
  },
  {
    name: 'APIStopChat',
    group: 'chatManagement',
    description: 'Stop chat controller. Not for CLI-based bots.',
    network: 'no',
    params: [],
    syntax: '/_stop',
    responses: ['chatStopped'],
    build: () => '/_stop',
  },
  // Remote control commands
  {
    name: 'ConnectRemoteCtrl',
    group: 'remoteControl',
    description: 'Connect to a remote controller using an OOB invitation link.',
    network: 'interactive',
    params: [{ name: 'remoteInvitation', type: 'word', docType: 'string' }],
    syntax: '/crc <remoteInvitation>',
    responses: ['remoteCtrlConnecting', CMD_ERROR],
    build: (p) => `/crc ${p.remoteInvitation}`,
  },
  {
    name: 'VerifyRemoteCtrlSession',
    group: 'remoteControl',
    description: 'Verify the remote controller session code to complete the connection.',
    network: 'no',
    params: [{ name: 'sessionCode', type: 'word', docType: 'string' }],
    syntax: '/verify remote ctrl <sessionCode>',
    responses: ['remoteCtrlConnected', CMD_ERROR],
    build: (p) => `/verify remote ctrl ${p.sessionCode}`,
  },
];

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

export function findCommand(name: string): CommandDef | undefined {
  return BY_NAME.get(name);
}

/** Validates `params` against the command's definition and builds the command string. */
export function buildCommand(name: string, params: Record<string, unknown> = {}): string {
  const def = findCommand(name);
  if (!def) throw new InvalidInputError(`unknown SimpleX command ${JSON.stringify(name)}`);
  return def.build(normalizeParams(def, params));
}

/** Checks every value and turns it into the text it becomes in the command. Throws `InvalidInputError`. */
export function normalizeParams(def: CommandDef, params: Record<string, unknown>): Normalized {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new InvalidInputError(`${def.name}: parameters must be an object`);
  }
  const out: Normalized = {};
  for (const param of def.params) {
    const value = params[param.name];
    if (value === undefined || value === null) {
      if (param.type === 'bool' && !param.optional && !param.mustState) {
        out[param.name] = param.defaultValue ?? false;
        continue;
      }
      if ((param.optional && !param.neededBySyntax) || param.notInSyntax) continue;
      throw new InvalidInputError(`${def.name}: ${param.name} is required`);
    }
    if (param.notInSyntax) continue;
    out[param.name] = normalizeValue(def.name, param, value);
  }
  return out;
}

function normalizeValue(command: string, param: CommandParam, value: unknown): string | boolean {
  const where = `${command}: ${param.name}`;
  switch (param.type) {
    case 'id':
      return idString(value, where);
    case 'ids': {
      const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
      if (list.length === 0) throw new InvalidInputError(`${where} needs at least one id`);
      return list.map((v) => idString(typeof v === 'string' ? v.trim() : v, where)).join(',');
    }
    case 'int': {
      const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0 || n > 2_147_483_647) {
        throw new InvalidInputError(`${where} must be a positive whole number`);
      }
      return String(n);
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'on' || value === 'true') return true;
      if (value === 'off' || value === 'false') return false;
      throw new InvalidInputError(`${where} must be true or false`);
    case 'word':
      return word(value, where);
    case 'text':
      return restOfLine(value, where);
    case 'chatRef':
      return chatRefString(value as ChatRef | string, where);
    case 'enum':
      if (typeof value === 'string' && (param.values ?? []).includes(value)) return value;
      throw new InvalidInputError(`${where} must be one of ${(param.values ?? []).join(', ')}`);
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value))
        throw new InvalidInputError(`${where} must be a JSON object`);
      return json(value, where);
    case 'array':
      // The CLI refuses a bare object where a list is expected ("Failed reading: empty"): say so before sending.
      if (!Array.isArray(value) || value.length === 0) throw new InvalidInputError(`${where} must be a non-empty list`);
      for (const item of value) {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          throw new InvalidInputError(`${where} must be a list of objects`);
        }
      }
      return json(value, where);
    case 'jsonString':
      if (typeof value !== 'string') throw new InvalidInputError(`${where} must be a string`);
      return JSON.stringify(value);
    case 'connLink':
      return connLinkString(value, where);
    case 'chatDeleteMode':
      return chatDeleteModeString(value, where);
    case 'pagination':
      return paginationString(value, where);
  }
}

/** A non-negative integer id, as the digits that go into a command. */
export function idString(value: unknown, where = 'id'): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'bigint' && value >= 0n && value < 2n ** 63n) return value.toString();
  if (typeof value === 'string' && /^\d{1,18}$/.test(value)) return String(BigInt(value));
  throw new InvalidInputError(`${where} must be a whole number id, got ${describe(value)}`);
}

const CHAT_REF = /^([@#*])(\d{1,18})(\(_support(?::(\d{1,18}))?\))?$/;

/**
 * The command text of a chat reference, from a `ChatRef` object or a string such as `@12` or `#3(_support:7)`.
 * Anything else is refused, so a reference can never carry further arguments or a second command.
 */
export function chatRefString(ref: ChatRef | string, where = 'chat reference'): string {
  if (typeof ref === 'string') {
    const match = CHAT_REF.exec(ref);
    if (!match) throw new InvalidInputError(`${where} must look like @<contactId> or #<groupId>, got ${describe(ref)}`);
    if (match[3] && match[1] !== '#') throw new InvalidInputError(`${where}: a support scope is only for groups`);
    return ref.replace(/\d+/g, (digits) => String(BigInt(digits)));
  }
  if (typeof ref !== 'object' || ref === null) throw new InvalidInputError(`${where} is missing`);
  const prefix = ref.chatType === 'direct' ? '@' : ref.chatType === 'group' ? '#' : ref.chatType === 'local' ? '*' : '';
  if (!prefix) throw new InvalidInputError(`${where}: chatType must be direct, group or local`);
  let text = prefix + idString(ref.chatId, `${where} chatId`);
  if (ref.chatScope !== undefined && ref.chatScope !== null) {
    if (prefix !== '#') throw new InvalidInputError(`${where}: a support scope is only for groups`);
    if (ref.chatScope.type !== 'memberSupport') throw new InvalidInputError(`${where}: unknown chat scope`);
    const member = ref.chatScope.groupMemberId_;
    text +=
      member === undefined || member === null ? '(_support)' : `(_support:${idString(member, `${where} member`)})`;
  }
  return text;
}

/** Parses a chat reference string into its parts; undefined when it is not one. */
export function parseChatRef(text: unknown): ChatRef | undefined {
  if (typeof text !== 'string') return undefined;
  const match = CHAT_REF.exec(text);
  if (!match || (match[3] && match[1] !== '#')) return undefined;
  const chatType = match[1] === '@' ? 'direct' : match[1] === '#' ? 'group' : 'local';
  const ref: ChatRef = { chatType, chatId: Number(match[2]) };
  if (match[3])
    ref.chatScope = match[4] ? { type: 'memberSupport', groupMemberId_: Number(match[4]) } : { type: 'memberSupport' };
  return ref;
}

export function isChatRef(text: unknown): boolean {
  return parseChatRef(text) !== undefined;
}

function connLinkString(value: unknown, where: string): string {
  if (typeof value === 'string') return word(value, where);
  if (typeof value === 'object' && value !== null) {
    const link = value as { connFullLink?: unknown; connShortLink?: unknown };
    const full = word(link.connFullLink, `${where} connFullLink`);
    return link.connShortLink ? `${full} ${word(link.connShortLink, `${where} connShortLink`)}` : full;
  }
  throw new InvalidInputError(`${where} must be a link`);
}

function chatDeleteModeString(value: unknown, where: string): string {
  if (typeof value === 'string') {
    if (/^(full|entity)( notify=off)?$|^messages$/.test(value)) return value;
    throw new InvalidInputError(`${where} must be full, entity or messages (optionally with " notify=off")`);
  }
  if (typeof value === 'object' && value !== null) {
    const mode = value as { type?: unknown; notify?: unknown };
    if (mode.type === 'messages') return 'messages';
    if (mode.type === 'full' || mode.type === 'entity')
      return mode.notify === false ? `${mode.type} notify=off` : mode.type;
  }
  throw new InvalidInputError(`${where} must be full, entity or messages`);
}

const TIME = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z';
const PAGINATION = new RegExp(`^(count=\\d{1,6}|(before|after)=${TIME} count=\\d{1,6})$`);

function paginationString(value: unknown, where: string): string {
  if (typeof value === 'string' && PAGINATION.test(value)) return value;
  if (typeof value === 'object' && value !== null) {
    const page = value as { count?: unknown; before?: unknown; after?: unknown };
    const count = page.count === undefined ? 20 : page.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count <= 0 || count > 999_999) {
      throw new InvalidInputError(`${where}: count must be a positive whole number`);
    }
    const text =
      page.before !== undefined
        ? `before=${String(page.before)} count=${count}`
        : page.after !== undefined
          ? `after=${String(page.after)} count=${count}`
          : `count=${count}`;
    if (PAGINATION.test(text)) return text;
  }
  throw new InvalidInputError(`${where} must be count=<n>, or before=<UTC time> / after=<UTC time> with count=<n>`);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** One word: no whitespace, no control characters, not empty. */
function word(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '' || /\s/.test(value) || CONTROL.test(value)) {
    throw new InvalidInputError(`${where} must be a single word without spaces, got ${describe(value)}`);
  }
  return value;
}

/** The last argument of a command: spaces inside allowed, no control characters, no leading or trailing space. */
function restOfLine(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value !== value.trim() || CONTROL.test(value)) {
    throw new InvalidInputError(`${where} must be one line of text without leading or trailing spaces`);
  }
  return value;
}

function json(value: unknown, where: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new InvalidInputError(`${where} cannot be written as JSON (${(err as Error).message})`);
  }
  if (text === undefined) throw new InvalidInputError(`${where} cannot be written as JSON`);
  return text;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? (Array.isArray(value) ? 'a list' : 'an object') : String(value);
}

/** The reaction as the CLI accepts it; `❤️` (with the emoji variation selector) is the same heart. */
export function normalizeReaction(emoji: unknown): ReactionEmoji {
  const text = typeof emoji === 'string' ? emoji.replace(/\uFE0F/g, '').trim() : '';
  if ((REACTION_EMOJIS as readonly string[]).includes(text)) return text as ReactionEmoji;
  throw new InvalidInputError(`the reaction must be one of ${REACTION_EMOJIS.join(' ')}, got ${describe(emoji)}`);
}
