// The state one emulated CLI keeps: users, contacts, groups, chat items and files. Records sent on the wire are
// built from these by records.ts, so every record carries the fields TYPES.md requires wherever it appears.
import { Json } from './json';

export const GROUP_ROLES = ['relay', 'observer', 'author', 'member', 'moderator', 'admin', 'owner'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

/** The eight reactions the CLI accepts (`mrEmojiChar`, design file F10). */
export const REACTION_EMOJIS = ['👍', '👎', '😀', '😂', '😢', '❤', '🚀', '✅'] as const;

/** Largest encoded message (`maxEncodedMsgLength`, design file F9). */
export const MAX_ENCODED_MSG_BYTES = 15602;
/** Largest file the CLI sends over XFTP (design file F9). */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

export interface ProfileState {
  displayName: string;
  fullName: string;
  shortDescr?: string;
  image?: string;
  contactLink?: string;
  preferences?: Json;
  peerType?: 'human' | 'bot';
}

/** The far end of a contact or group membership: another user on the relay. */
export interface PeerRef<U> {
  user: U;
  contactId: number;
}

export type ConnStatus = 'new' | 'prepared' | 'joined' | 'requested' | 'accepted' | 'snd-ready' | 'ready' | 'deleted';

export interface ContactState<U> {
  contactId: number;
  profileId: number;
  localDisplayName: string;
  profile: ProfileState;
  peer?: PeerRef<U>;
  connId: number;
  agentConnId: string;
  connStatus: ConnStatus;
  contactStatus: 'active' | 'deleted' | 'deletedByUser';
  viaUserContactLink?: number;
  contactUsed: boolean;
  userPreferences: Json;
  customData?: Json;
  contactRequestId?: number;
  createdAt: string;
  updatedAt: string;
  chatTs?: string;
}

export type MemberCategory = 'user' | 'invitee' | 'host' | 'pre' | 'post';
export type MemberStatus =
  | 'rejected'
  | 'removed'
  | 'left'
  | 'deleted'
  | 'invited'
  | 'accepted'
  | 'announced'
  | 'connected'
  | 'complete'
  | 'creator';

export interface MemberState {
  groupMemberId: number;
  /** Shared by every copy of this member on every device (base64 text, as the CLI's member ids). */
  memberId: string;
  indexInGroup: number;
  memberRole: GroupRole;
  memberCategory: MemberCategory;
  memberStatus: MemberStatus;
  invitedBy: Json;
  invitedByGroupMemberId?: number;
  localDisplayName: string;
  profileId: number;
  profile: ProfileState;
  memberContactId?: number;
  blockedByAdmin: boolean;
  showMessages: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface GroupLinkState {
  userContactLinkId: number;
  groupLinkId: string;
  linkId: string;
  acceptMemberRole: GroupRole;
}

export interface GroupState {
  groupId: number;
  /** Shared by every device's copy of the group. */
  groupKey: string;
  localDisplayName: string;
  groupProfile: Json;
  membership: MemberState;
  members: MemberState[];
  link?: GroupLinkState;
  /** Business chats: `{chatType, businessId, customerId}` (BusinessChatInfo). */
  businessChat?: Json;
  customData?: Json;
  createdAt: string;
  updatedAt: string;
  chatTs?: string;
}

export interface ReactionState {
  emoji: string;
  /** 'user' for the device's own user, otherwise the reacting peer's memberId or contact id. */
  by: string;
  sentAt: string;
}

export interface FileState {
  fileId: number;
  fileName: string;
  fileSize: number;
  /** Sender: where the bytes were read. Receiver: where they were written (as reported on the wire). */
  filePath?: string;
  status: Json;
  /** Key of the bytes on the relay's file server. */
  blobKey: string;
  accepted: boolean;
  cancelled: boolean;
  /** Receiver: the file description arrived (the upload completed), so the bytes can be fetched. */
  descrReady: boolean;
  /** Receiver: the path given to `/freceive`, if any. */
  requestedPath?: string;
}

export interface ItemState {
  itemId: number;
  chatKey: string;
  dir: 'snd' | 'rcv';
  /** Group items received: the sender's groupMemberId. */
  senderMemberId?: number;
  content: Json;
  sharedMsgId: string;
  itemTs: string;
  createdAt: string;
  updatedAt: string;
  edited: boolean;
  deleted?: Json;
  status: Json;
  file?: FileState;
  quote?: Json;
  reactions: ReactionState[];
  mentions: Json;
  live: boolean;
  ttl?: number;
  userMention: boolean;
}

export interface AddressState {
  userContactLinkId: number;
  linkId: string;
  addressSettings: Json;
}

export interface ContactRequestState {
  contactRequestId: number;
  agentInvitationId: string;
  localDisplayName: string;
  profileId: number;
  profile: ProfileState;
  createdAt: string;
  /** The requester and its pending connection, completed on accept. */
  fromUser: unknown;
  fromConnId: number;
}

export interface PendingConnectionState {
  pccConnId: number;
  pccAgentConnId: string;
  pccConnStatus: ConnStatus;
  viaContactUri: boolean;
  viaUserContactLink?: number;
  groupLinkId?: string;
  invitationLinkId?: string;
  createdAt: string;
  updatedAt: string;
}
