/**
 * Shapes of the SimpleX Chat CLI's JSON records that this client reads or writes, written by hand from the bot API
 * reference (TYPES.md). Only the fields the client uses are typed; every record may carry more, and unions may carry
 * tags not listed here: the reference requires readers to allow both, so nothing here is exhaustive.
 */

/** Any record of the reference: a `type` tag (for unions) and fields the client does not need to know. */
export interface TaggedRecord {
  type: string;
  [field: string]: unknown;
}

export type ChatPeerType = 'human' | 'bot';

export interface ChatBotCommandItem {
  type: 'command';
  keyword: string;
  label: string;
  params?: string;
}

export interface ChatBotMenu {
  type: 'menu';
  label: string;
  commands: ChatBotCommand[];
}

/** An entry of a bot's command menu: a command, or a sub-menu of commands. */
export type ChatBotCommand = ChatBotCommandItem | ChatBotMenu;

export type FeatureAllowed = 'always' | 'yes' | 'no';

export interface SimplePreference {
  allow: FeatureAllowed;
}

export interface Preferences {
  timedMessages?: { allow: FeatureAllowed; ttl?: number };
  fullDelete?: SimplePreference;
  reactions?: SimplePreference;
  voice?: SimplePreference;
  files?: SimplePreference;
  calls?: SimplePreference;
  sessions?: SimplePreference;
  commands?: ChatBotCommand[];
  [feature: string]: unknown;
}

export interface Profile {
  displayName: string;
  fullName: string;
  shortDescr?: string;
  image?: string;
  contactLink?: string;
  preferences?: Preferences;
  peerType?: ChatPeerType;
  [field: string]: unknown;
}

export interface LocalProfile extends Profile {
  profileId: number;
  localAlias: string;
}

export interface User {
  userId: number;
  localDisplayName: string;
  profile: LocalProfile;
  activeUser: boolean;
  [field: string]: unknown;
}

export interface Contact {
  contactId: number;
  localDisplayName: string;
  profile: LocalProfile;
  contactStatus: string;
  activeConn?: { connStatus?: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface GroupProfile {
  displayName: string;
  fullName: string;
  shortDescr?: string;
  description?: string;
  image?: string;
  [field: string]: unknown;
}

export type GroupMemberRole = 'relay' | 'observer' | 'author' | 'member' | 'moderator' | 'admin' | 'owner';

export interface GroupMember {
  groupMemberId: number;
  groupId: number;
  memberId: string;
  memberRole: GroupMemberRole;
  memberStatus: string;
  localDisplayName: string;
  memberProfile: LocalProfile;
  memberContactId?: number;
  [field: string]: unknown;
}

export interface GroupInfo {
  groupId: number;
  localDisplayName: string;
  groupProfile: GroupProfile;
  membership: GroupMember;
  businessChat?: { chatType: string; businessId: string; customerId: string };
  [field: string]: unknown;
}

/** The kind of a chat in a command reference: `@` direct, `#` group, `*` local notes. */
export type ChatType = 'direct' | 'group' | 'local';

/** A chat as commands name it (`ChatRef` in the reference). The support scope applies to groups only. */
export interface ChatRef {
  chatType: ChatType;
  chatId: number;
  /** Group support chat: `(_support)` for the bot's own, `(_support:<groupMemberId>)` for a member's. */
  chatScope?: { type: 'memberSupport'; groupMemberId_?: number };
}

export interface ChatInfo {
  type: string;
  contact?: Contact;
  groupInfo?: GroupInfo;
  groupChatScope?: { type: string; groupMember_?: GroupMember };
  [field: string]: unknown;
}

export interface MsgContent {
  type: string;
  text: string;
  image?: string;
  duration?: number;
  [field: string]: unknown;
}

export interface CryptoFile {
  filePath: string;
  cryptoArgs?: { fileKey: string; fileNonce: string };
}

export interface CIFile {
  fileId: number;
  fileName: string;
  fileSize: number;
  fileSource?: CryptoFile;
  fileStatus: TaggedRecord;
  fileProtocol: string;
}

export interface CIMeta {
  itemId: number;
  itemTs: string;
  itemText: string;
  itemStatus: TaggedRecord;
  itemEdited: boolean;
  itemLive?: boolean;
  itemTimed?: { ttl: number; deleteAt?: string };
  itemForwarded?: TaggedRecord;
  itemDeleted?: TaggedRecord;
  userMention: boolean;
  [field: string]: unknown;
}

export interface CIQuote {
  chatDir?: TaggedRecord;
  itemId?: number;
  sentAt: string;
  content: MsgContent;
  [field: string]: unknown;
}

export interface CIMention {
  memberId: string;
  memberRef?: { groupMemberId: number; displayName: string; localAlias?: string; memberRole: GroupMemberRole };
}

export interface ChatItem {
  chatDir: TaggedRecord & { groupMember?: GroupMember };
  meta: CIMeta;
  content: TaggedRecord & { msgContent?: MsgContent };
  mentions: Record<string, CIMention>;
  quotedItem?: CIQuote;
  reactions: unknown[];
  file?: CIFile;
  [field: string]: unknown;
}

/** A chat item with the chat it belongs to (`AChatItem`). */
export interface AChatItem {
  chatInfo: ChatInfo;
  chatItem: ChatItem;
}

/** One message of a `/_send`: content, optionally a file beside it, a quoted item and group mentions. */
export interface ComposedMessage {
  fileSource?: CryptoFile;
  quotedItemId?: number;
  msgContent: MsgContent;
  mentions?: Record<string, number>;
}

export interface UpdatedMessage {
  msgContent: MsgContent;
  mentions?: Record<string, number>;
}

export interface MsgReaction {
  type: 'emoji';
  emoji: string;
}

export interface AddressSettings {
  businessAddress: boolean;
  autoAccept?: { acceptIncognito: boolean };
  autoReply?: MsgContent;
}

export interface CreatedConnLink {
  connFullLink: string;
  connShortLink?: string;
}

export interface UserContactLink {
  userContactLinkId: number;
  connLinkContact: CreatedConnLink;
  addressSettings: AddressSettings;
  [field: string]: unknown;
}

/**
 * A chat error. The tag says where the detail is: `errorType` (type `error`), `storeError` (`errorStore`) or
 * `agentError` (`errorAgent`).
 */
export interface ChatError {
  type: string;
  errorType?: TaggedRecord;
  storeError?: TaggedRecord;
  agentError?: TaggedRecord;
  [field: string]: unknown;
}

/** A reply or an event as the CLI sends it inside `resp`, after the wire dialect was normalised. */
export interface ChatResponse {
  type: string;
  [field: string]: unknown;
}
