// Builders of the records the CLI sends (User, Contact, GroupInfo, GroupMember, AChatItem, CIFile...), each with every
// field TYPES.md marks as required. Optional fields are left out unless the emulator has a value for them.
import { compact, Json } from './json';
import { createdConnLink } from './links';
import {
  AddressState,
  ContactRequestState,
  ContactState,
  FileState,
  GroupState,
  ItemState,
  MemberState,
  PendingConnectionState,
  ProfileState,
} from './state';

/** What the builders need to know about the user whose view they render. */
export interface UserView {
  userId: number;
  agentUserId: number;
  userContactId: number;
  profileId: number;
  localDisplayName: string;
  profile: ProfileState;
  activeOrder: number;
  isActive(): boolean;
  autoAcceptMemberContacts: boolean;
  contactById(contactId: number): ContactState<unknown> | undefined;
  groupById(groupId: number): GroupState | undefined;
}

const CHAT_VERSION = 16;
const VERSION_RANGE = { minVersion: 1, maxVersion: CHAT_VERSION };
const CONTACT_FEATURES = ['timedMessages', 'fullDelete', 'reactions', 'voice', 'files', 'calls', 'sessions'] as const;
const DEFAULT_USER_PREFS: Record<string, Json> = {
  timedMessages: { allow: 'yes' },
  fullDelete: { allow: 'no' },
  reactions: { allow: 'yes' },
  voice: { allow: 'yes' },
  files: { allow: 'always' },
  calls: { allow: 'yes' },
  sessions: { allow: 'no' },
};
const DEFAULT_GROUP_PREFS: Record<string, Json> = {
  timedMessages: { enable: 'off' },
  directMessages: { enable: 'on' },
  fullDelete: { enable: 'off' },
  reactions: { enable: 'on' },
  voice: { enable: 'on' },
  files: { enable: 'on' },
  simplexLinks: { enable: 'on' },
  reports: { enable: 'on' },
  history: { enable: 'on' },
  sessions: { enable: 'off' },
};

export function profile(p: ProfileState): Json {
  return compact({
    displayName: p.displayName,
    fullName: p.fullName,
    shortDescr: p.shortDescr,
    image: p.image,
    contactLink: p.contactLink,
    preferences: p.preferences,
    peerType: p.peerType,
  });
}

export function localProfile(profileId: number, p: ProfileState): Json {
  return { profileId, ...profile(p), localAlias: '' };
}

export function fullPreferences(prefs: Json | undefined): Json {
  const full: Json = {};
  for (const feature of CONTACT_FEATURES)
    full[feature] = (prefs?.[feature] as Json | undefined) ?? DEFAULT_USER_PREFS[feature];
  full.commands = Array.isArray(prefs?.commands) ? prefs.commands : [];
  return full;
}

export function fullGroupPreferences(groupProfile: Json): Json {
  const prefs = (groupProfile.groupPreferences ?? {}) as Json;
  const full: Json = {};
  for (const feature of Object.keys(DEFAULT_GROUP_PREFS))
    full[feature] = prefs[feature] ?? DEFAULT_GROUP_PREFS[feature];
  full.commands = Array.isArray(prefs.commands) ? prefs.commands : [];
  return full;
}

export function user(u: UserView): Json {
  return {
    userId: u.userId,
    agentUserId: u.agentUserId,
    userContactId: u.userContactId,
    localDisplayName: u.localDisplayName,
    profile: localProfile(u.profileId, u.profile),
    fullPreferences: fullPreferences(u.profile.preferences),
    activeUser: u.isActive(),
    activeOrder: u.activeOrder,
    showNtfs: true,
    sendRcptsContacts: true,
    sendRcptsSmallGroups: true,
    autoAcceptMemberContacts: u.autoAcceptMemberContacts,
    clientService: false,
  };
}

export function connection(
  connId: number,
  agentConnId: string,
  connType: 'contact' | 'member' | 'user_contact',
  connStatus: string,
  createdAt: string,
  entityId?: number,
): Json {
  return compact({
    connId,
    agentConnId,
    connChatVersion: CHAT_VERSION,
    peerChatVRange: VERSION_RANGE,
    connLevel: 0,
    viaGroupLink: false,
    connType,
    connStatus,
    contactConnInitiated: false,
    localAlias: '',
    entityId,
    pqSupport: true,
    pqEncryption: connType === 'contact',
    authErrCounter: 0,
    quotaErrCounter: 0,
    createdAt,
  });
}

function allows(pref: Json | undefined): boolean {
  return pref?.allow === 'yes' || pref?.allow === 'always';
}

function mergedPreferences(u: UserView, c: ContactState<unknown>): Json {
  const userFull = fullPreferences(u.profile.preferences);
  const contactFull = fullPreferences(c.profile.preferences);
  const merged: Json = {};
  for (const feature of CONTACT_FEATURES) {
    const own = c.userPreferences[feature] as Json | undefined;
    const userPref = own ?? (userFull[feature] as Json);
    const contactPref = { allow: (contactFull[feature] as Json).allow };
    const enabled = allows(userPref) && allows(contactPref);
    merged[feature] = {
      enabled: { forUser: enabled, forContact: enabled },
      userPreference: own
        ? { type: 'contact', preference: { allow: own.allow } }
        : { type: 'user', preference: { allow: userPref.allow } },
      contactPreference: contactPref,
    };
  }
  merged.commands = contactFull.commands;
  return merged;
}

export function contactAllows(u: UserView, c: ContactState<unknown>, feature: string): boolean {
  const prefs = mergedPreferences(u, c)[feature] as Json;
  return (prefs.enabled as Json).forUser === true;
}

export function contact(u: UserView, c: ContactState<unknown>): Json {
  return compact({
    contactId: c.contactId,
    localDisplayName: c.localDisplayName,
    profile: localProfile(c.profileId, c.profile),
    activeConn:
      c.contactStatus === 'active'
        ? connection(c.connId, c.agentConnId, 'contact', c.connStatus, c.createdAt, c.contactId)
        : undefined,
    contactUsed: c.contactUsed,
    contactStatus: c.contactStatus,
    chatSettings: { enableNtfs: 'all', favorite: false },
    userPreferences: c.userPreferences,
    mergedPreferences: mergedPreferences(u, c),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    chatTs: c.chatTs,
    contactRequestId: c.contactRequestId,
    contactGrpInvSent: false,
    chatTags: [],
    chatDeleted: false,
    customData: c.customData,
  });
}

export function groupMember(g: GroupState, m: MemberState): Json {
  return compact({
    groupMemberId: m.groupMemberId,
    groupId: g.groupId,
    indexInGroup: m.indexInGroup,
    memberId: m.memberId,
    memberRole: m.memberRole,
    memberCategory: m.memberCategory,
    memberStatus: m.memberStatus,
    memberSettings: { showMessages: m.showMessages },
    blockedByAdmin: m.blockedByAdmin,
    invitedBy: m.invitedBy,
    invitedByGroupMemberId: m.invitedByGroupMemberId,
    localDisplayName: m.localDisplayName,
    memberProfile: localProfile(m.profileId, m.profile),
    memberContactId: m.memberContactId,
    memberContactProfileId: m.profileId,
    memberChatVRange: VERSION_RANGE,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  });
}

export function currentMembers(g: GroupState): number {
  const active = g.members.filter((m) =>
    ['connected', 'complete', 'announced', 'creator', 'accepted'].includes(m.memberStatus),
  );
  return active.length + (['left', 'removed', 'deleted'].includes(g.membership.memberStatus) ? 0 : 1);
}

export function groupInfo(g: GroupState): Json {
  return compact({
    groupId: g.groupId,
    useRelays: false,
    localDisplayName: g.localDisplayName,
    groupProfile: g.groupProfile,
    localAlias: '',
    businessChat: g.businessChat,
    fullGroupPreferences: fullGroupPreferences(g.groupProfile),
    membership: groupMember(g, g.membership),
    chatSettings: { enableNtfs: 'all', favorite: false },
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
    chatTs: g.chatTs,
    chatTags: [],
    customData: g.customData,
    groupSummary: { currentMembers: currentMembers(g) },
    membersRequireAttention: 0,
  });
}

export function group(g: GroupState): Json {
  return { groupInfo: groupInfo(g), members: g.members.map((m) => groupMember(g, m)) };
}

export function chatInfo(u: UserView, chatKey: string): Json {
  const id = Number(chatKey.slice(1));
  if (chatKey.startsWith('@')) {
    const c = u.contactById(id);
    if (!c) throw new Error(`no contact ${id}`);
    return { type: 'direct', contact: contact(u, c) };
  }
  const g = u.groupById(id);
  if (!g) throw new Error(`no group ${id}`);
  return { type: 'group', groupInfo: groupInfo(g) };
}

export function ciFile(f: FileState): Json {
  return compact({
    fileId: f.fileId,
    fileName: f.fileName,
    fileSize: f.fileSize,
    fileSource: f.filePath !== undefined ? { filePath: f.filePath } : undefined,
    fileStatus: f.status,
    fileProtocol: 'xftp',
  });
}

export function chatDir(u: UserView, item: ItemState): Json {
  if (item.chatKey.startsWith('@')) return { type: item.dir === 'snd' ? 'directSnd' : 'directRcv' };
  if (item.dir === 'snd') return { type: 'groupSnd' };
  const g = u.groupById(Number(item.chatKey.slice(1)));
  const m = g?.members.find((x) => x.groupMemberId === item.senderMemberId);
  if (!g || !m) throw new Error(`no sender ${String(item.senderMemberId)} in ${item.chatKey}`);
  return { type: 'groupRcv', groupMember: groupMember(g, m) };
}

export function itemText(content: Json): string {
  const mc = content.msgContent as Json | undefined;
  if (mc) return typeof mc.text === 'string' ? mc.text : '';
  if (content.type === 'rcvDeleted' || content.type === 'sndDeleted') return 'deleted';
  if (content.type === 'rcvDirectE2EEInfo' || content.type === 'sndDirectE2EEInfo') return 'end-to-end encrypted';
  if (content.type === 'rcvGroupE2EEInfo' || content.type === 'sndGroupE2EEInfo') return 'end-to-end encrypted';
  if (content.type === 'rcvGroupEvent') return String((content.rcvGroupEvent as Json).type);
  if (content.type === 'sndGroupEvent') return String((content.sndGroupEvent as Json).type);
  if (content.type === 'rcvGroupInvitation' || content.type === 'sndGroupInvitation') return 'group invitation';
  return '';
}

export function chatItem(u: UserView, item: ItemState): Json {
  const isMessage = item.content.type === 'sndMsgContent' || item.content.type === 'rcvMsgContent';
  return compact({
    chatDir: chatDir(u, item),
    meta: compact({
      itemId: item.itemId,
      itemTs: item.itemTs,
      itemText: itemText(item.content),
      itemStatus: item.status,
      itemSharedMsgId: item.sharedMsgId,
      itemDeleted: item.deleted,
      itemEdited: item.edited,
      itemTimed: item.ttl ? { ttl: item.ttl } : undefined,
      itemLive: item.live || undefined,
      userMention: item.userMention,
      deletable: isMessage && !item.deleted,
      editable: item.dir === 'snd' && isMessage && !item.deleted,
      showGroupAsSender: false,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
    }),
    content: item.content,
    mentions: item.mentions,
    quotedItem: item.quote,
    reactions: reactionCounts(item),
    file: item.file ? ciFile(item.file) : undefined,
  });
}

function reactionCounts(item: ItemState): Json[] {
  const counts = new Map<string, { userReacted: boolean; totalReacted: number }>();
  for (const r of item.reactions) {
    const entry = counts.get(r.emoji) ?? { userReacted: false, totalReacted: 0 };
    entry.totalReacted++;
    if (r.by === 'user') entry.userReacted = true;
    counts.set(r.emoji, entry);
  }
  return [...counts].map(([emoji, c]) => ({ reaction: { type: 'emoji', emoji }, ...c }));
}

export function aChatItem(u: UserView, item: ItemState): Json {
  return { chatInfo: chatInfo(u, item.chatKey), chatItem: chatItem(u, item) };
}

export function userContactLink(a: AddressState): Json {
  return {
    userContactLinkId: a.userContactLinkId,
    connLinkContact: createdConnLink('contact', a.linkId),
    shortLinkDataSet: true,
    shortLinkLargeDataSet: false,
    addressSettings: a.addressSettings,
  };
}

export function groupLink(g: GroupState): Json {
  const link = g.link;
  if (!link) throw new Error(`group ${g.groupId} has no link`);
  return {
    userContactLinkId: link.userContactLinkId,
    connLinkContact: createdConnLink('group', link.linkId),
    shortLinkDataSet: true,
    shortLinkLargeDataSet: false,
    groupLinkId: link.groupLinkId,
    acceptMemberRole: link.acceptMemberRole,
  };
}

export function pendingConnection(p: PendingConnectionState): Json {
  return compact({
    pccConnId: p.pccConnId,
    pccAgentConnId: p.pccAgentConnId,
    pccConnStatus: p.pccConnStatus,
    viaContactUri: p.viaContactUri,
    viaUserContactLink: p.viaUserContactLink,
    groupLinkId: p.groupLinkId,
    connLinkInv: p.invitationLinkId ? createdConnLink('invitation', p.invitationLinkId) : undefined,
    localAlias: '',
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  });
}

export function contactRequest(r: ContactRequestState, userContactLinkId?: number): Json {
  return compact({
    contactRequestId: r.contactRequestId,
    agentInvitationId: r.agentInvitationId,
    userContactLinkId_: userContactLinkId,
    cReqChatVRange: VERSION_RANGE,
    localDisplayName: r.localDisplayName,
    profileId: r.profileId,
    profile: profile(r.profile),
    createdAt: r.createdAt,
    updatedAt: r.createdAt,
    pqSupport: true,
  });
}

export function fileTransferMeta(f: FileState): Json {
  return {
    fileId: f.fileId,
    fileName: f.fileName,
    filePath: f.filePath ?? '',
    fileSize: f.fileSize,
    chunkSize: 65536,
    cancelled: f.cancelled,
  };
}

export function rcvFileDescr(f: FileState): Json {
  return { fileDescrId: f.fileId, fileDescrText: `xftp:${f.blobKey}`, fileDescrPartNo: 0, fileDescrComplete: true };
}

export function rcvFileTransfer(f: FileState, senderDisplayName: string, grpMemberId?: number): Json {
  let fileStatus: Json;
  if (f.cancelled) fileStatus = compact({ type: 'cancelled', filePath_: f.filePath });
  else if (f.status.type === 'rcvComplete') fileStatus = { type: 'complete', filePath: f.filePath ?? '' };
  else if (f.status.type === 'rcvTransfer') fileStatus = { type: 'connected', filePath: f.filePath ?? '' };
  else if (f.accepted) fileStatus = { type: 'accepted', filePath: f.filePath ?? '' };
  else fileStatus = { type: 'new' };
  return compact({
    fileId: f.fileId,
    xftpRcvFile: {
      rcvFileDescription: rcvFileDescr(f),
      agentRcvFileDeleted: false,
      userApprovedRelays: true,
    },
    fileInvitation: { fileName: f.fileName, fileSize: f.fileSize },
    fileStatus,
    senderDisplayName,
    chunkSize: 65536,
    cancelled: f.cancelled,
    grpMemberId,
  });
}

export function sndFileTransfer(f: FileState, recipientDisplayName: string, connId: number, agentConnId: string): Json {
  return {
    fileId: f.fileId,
    fileName: f.fileName,
    filePath: f.filePath ?? '',
    fileSize: f.fileSize,
    chunkSize: 65536,
    recipientDisplayName,
    connId,
    agentConnId,
    fileStatus: f.cancelled ? 'cancelled' : f.status.type === 'sndComplete' ? 'complete' : 'new',
  };
}

export function chatStats(): Json {
  return { unreadCount: 0, unreadMentions: 0, reportsCount: 0, minUnreadItemId: 0, unreadChat: false };
}
