// Groups: creating, inviting, joining (by invitation or group link), roles, removal, leaving and group links.
import {
  groupOf,
  groupPeers,
  isActiveMember,
  joinedGroup,
  memberByMemberId,
  memberOf,
  readyContact,
  requireRole,
  userOfMember,
} from './chats';
import type { ChatUser } from './device';
import { randomText } from './device';
import { chatErr, storeErr } from './errors';
import { Json, nowIso } from './json';
import { createdConnLink, newLinkId } from './links';
import { deliverNew } from './messaging';
import * as records from './records';
import { GroupRole, GroupState, MemberCategory, MemberState, MemberStatus, ProfileState } from './state';

function newMember(
  u: ChatUser,
  profile: ProfileState,
  fields: {
    memberId?: string;
    role: GroupRole;
    category: MemberCategory;
    status: MemberStatus;
    invitedBy?: Json;
    index: number;
  },
): MemberState {
  const ts = nowIso();
  return {
    groupMemberId: u.device.nextId('groupMember'),
    memberId: fields.memberId ?? randomText(12),
    indexInGroup: fields.index,
    memberRole: fields.role,
    memberCategory: fields.category,
    memberStatus: fields.status,
    invitedBy: fields.invitedBy ?? { type: 'unknown' },
    localDisplayName: profile.displayName,
    profileId: u.device.nextId('profile'),
    profile: { ...profile },
    blockedByAdmin: false,
    showMessages: true,
    createdAt: ts,
    updatedAt: ts,
  };
}

function serviceItem(u: ChatUser, g: GroupState, event: Json, sender?: MemberState): void {
  const item = u.addItem(`#${g.groupId}`, {
    dir: sender ? 'rcv' : 'snd',
    senderMemberId: sender?.groupMemberId,
    content: sender ? { type: 'rcvGroupEvent', rcvGroupEvent: event } : { type: 'sndGroupEvent', sndGroupEvent: event },
  });
  u.emit('newChatItems', { chatItems: [u.aChatItem(item)] });
}

export function validProfileName(name: unknown): name is string {
  return typeof name === 'string' && name !== '' && name.trim() === name && !/[\n\r#@,'"]/.test(name);
}

/** The CLI's error for a display name it refuses, with the name it would accept instead. */
export function invalidName(value: unknown): Error {
  const name = String(value ?? '');
  return chatErr('invalidDisplayName', { displayName: name, validName: name.trim().replace(/[\n\r#@,'"]/g, '') });
}

export function createGroup(u: ChatUser, groupProfile: Json): Json {
  if (!validProfileName(groupProfile.displayName)) throw invalidName(groupProfile.displayName);
  const ts = nowIso();
  const groupId = u.device.nextId('group');
  const g: GroupState = {
    groupId,
    groupKey: randomText(16),
    localDisplayName: groupProfile.displayName as string,
    groupProfile: { fullName: '', ...groupProfile },
    membership: newMember(u, u.profile, {
      role: 'owner',
      category: 'user',
      status: 'creator',
      invitedBy: { type: 'user' },
      index: 0,
    }),
    members: [],
    createdAt: ts,
    updatedAt: ts,
  };
  u.groups.set(groupId, g);
  return { type: 'groupCreated', groupInfo: records.groupInfo(g) };
}

export function addMember(u: ChatUser, groupId: number, contactId: number, role: GroupRole): Json {
  const g = joinedGroup(u, groupId);
  requireRole(g, 'admin');
  const c = readyContact(u, contactId);
  const existing = g.members.find(
    (m) => m.memberContactId === contactId && !['left', 'removed', 'deleted'].includes(m.memberStatus),
  );
  if (existing) throw chatErr('groupDuplicateMember', { contactName: c.localDisplayName });
  const m = newMember(u, c.profile, {
    role,
    category: 'invitee',
    status: 'invited',
    invitedBy: { type: 'user' },
    index: g.members.length + 1,
  });
  m.memberContactId = contactId;
  g.members.push(m);
  const peer = c.peer;
  if (peer) {
    const snapshot = {
      groupKey: g.groupKey,
      groupProfile: { ...g.groupProfile },
      host: { ...g.membership, profile: { ...u.profile } },
    };
    u.device.relay.send(peer.user.device, () => onInvitation(peer.user, peer.contactId, snapshot, m.memberId, role));
  }
  return {
    type: 'sentGroupInvitation',
    groupInfo: records.groupInfo(g),
    contact: records.contact(u, c),
    member: records.groupMember(g, m),
  };
}

interface GroupSnapshot {
  groupKey: string;
  groupProfile: Json;
  host: MemberState;
}

function copyGroup(
  t: ChatUser,
  snapshot: GroupSnapshot,
  memberId: string,
  role: GroupRole,
  status: MemberStatus,
  invitedBy: Json,
): GroupState {
  const ts = nowIso();
  const host = newMember(t, snapshot.host.profile, {
    memberId: snapshot.host.memberId,
    role: snapshot.host.memberRole,
    category: 'host',
    status: 'accepted',
    index: 0,
  });
  const g: GroupState = {
    groupId: t.device.nextId('group'),
    groupKey: snapshot.groupKey,
    localDisplayName: snapshot.groupProfile.displayName as string,
    groupProfile: snapshot.groupProfile,
    membership: newMember(t, t.profile, { memberId, role, category: 'invitee', status, invitedBy, index: 1 }),
    members: [host],
    createdAt: ts,
    updatedAt: ts,
  };
  if (invitedBy.type === 'contact') host.memberContactId = invitedBy.byContactId as number;
  t.groups.set(g.groupId, g);
  return g;
}

function onInvitation(
  t: ChatUser,
  contactId: number,
  snapshot: GroupSnapshot,
  memberId: string,
  role: GroupRole,
): void {
  const c = t.contacts.get(contactId);
  if (!c) return;
  const g = copyGroup(t, snapshot, memberId, role, 'invited', { type: 'contact', byContactId: contactId });
  t.emit('receivedGroupInvitation', {
    groupInfo: records.groupInfo(g),
    contact: records.contact(t, c),
    fromMemberRole: snapshot.host.memberRole,
    memberRole: role,
  });
  if (t.acceptGroupInvitations) {
    const reply = joinGroup(t, g.groupId);
    t.emit(reply.type as string, { groupInfo: reply.groupInfo, hostContact: reply.hostContact });
  }
}

export function joinGroup(t: ChatUser, groupId: number): Json {
  const g = groupOf(t, groupId);
  if (g.membership.memberStatus !== 'invited') throw storeErr('groupAlreadyJoined');
  g.membership.memberStatus = 'accepted';
  const host = g.members.find((m) => m.memberCategory === 'host') as MemberState;
  const hostSide = userOfMember(t, g.groupKey, host.memberId);
  if (hostSide) {
    t.device.relay.send(hostSide.user.device, () =>
      onMemberJoined(hostSide.user, hostSide.group, t, g.membership.memberId),
    );
  }
  const hostContact = host.memberContactId !== undefined ? t.contacts.get(host.memberContactId) : undefined;
  return {
    type: 'userAcceptedGroupSent',
    groupInfo: records.groupInfo(g),
    hostContact: hostContact ? records.contact(t, hostContact) : undefined,
  };
}

/** The host connects the joining member, introduces it to the others, and then the joiner is connected (F14). */
function onMemberJoined(host: ChatUser, hg: GroupState, joiner: ChatUser, joinerMemberId: string): void {
  const m = hg.members.find((x) => x.memberId === joinerMemberId);
  if (!m) return;
  m.memberStatus = 'connected';
  m.updatedAt = nowIso();
  host.emit('connectedToGroupMember', { groupInfo: records.groupInfo(hg), member: records.groupMember(hg, m) });
  serviceItem(host, hg, { type: 'memberConnected' }, m);
  const relay = host.device.relay;
  const others = groupPeers(host, hg).filter((p) => p.user !== joiner);
  for (const other of others) {
    relay.send(other.user.device, () => {
      if (memberByMemberId(other.group, joinerMemberId)) return;
      const copy = newMember(other.user, m.profile, {
        memberId: m.memberId,
        role: m.memberRole,
        category: 'post',
        status: 'connected',
        index: other.group.members.length + 1,
      });
      other.group.members.push(copy);
      other.user.emit('joinedGroupMember', {
        groupInfo: records.groupInfo(other.group),
        member: records.groupMember(other.group, copy),
      });
      other.user.emit('connectedToGroupMember', {
        groupInfo: records.groupInfo(other.group),
        member: records.groupMember(other.group, copy),
      });
    });
  }
  const roster = hg.members
    .filter((x) => x.memberId !== joinerMemberId && isActiveMember(x))
    .map((x) => ({ ...x, profile: { ...x.profile } }));
  relay.send(joiner.device, () => {
    const jg = joiner.groupByKey(hg.groupKey);
    if (!jg) return;
    jg.membership.memberStatus = 'connected';
    const hostMember = jg.members.find((x) => x.memberId === hg.membership.memberId) as MemberState;
    hostMember.memberStatus = 'connected';
    hostMember.memberRole = hg.membership.memberRole;
    joiner.emit('userJoinedGroup', {
      groupInfo: records.groupInfo(jg),
      hostMember: records.groupMember(jg, hostMember),
    });
    for (const x of roster) {
      const copy = newMember(joiner, x.profile, {
        memberId: x.memberId,
        role: x.memberRole,
        category: 'pre',
        status: 'connected',
        index: jg.members.length + 1,
      });
      jg.members.push(copy);
      joiner.emit('connectedToGroupMember', {
        groupInfo: records.groupInfo(jg),
        member: records.groupMember(jg, copy),
      });
    }
  });
}

export function joinViaGroupLink(u: ChatUser, owner: ChatUser, og: GroupState): Json {
  const mine = u.groupByKey(og.groupKey);
  if (mine && !['left', 'removed', 'deleted'].includes(mine.membership.memberStatus))
    throw storeErr('groupAlreadyJoined');
  const link = og.link;
  if (!link) throw chatErr('invalidConnReq');
  const ts = nowIso();
  const pending = {
    pccConnId: u.device.nextId('conn'),
    pccAgentConnId: randomText(),
    pccConnStatus: 'joined' as const,
    viaContactUri: true,
    groupLinkId: link.groupLinkId,
    createdAt: ts,
    updatedAt: ts,
  };
  u.pending.set(pending.pccConnId, pending);
  const profile = { ...u.profile };
  const relay = u.device.relay;
  relay.send(owner.device, () => {
    const m = newMember(owner, profile, {
      role: link.acceptMemberRole,
      category: 'invitee',
      status: 'accepted',
      invitedBy: { type: 'user' },
      index: og.members.length + 1,
    });
    og.members.push(m);
    const known = owner.contactWith(u);
    if (known) {
      // A contact joining through the group link: the host reports it as an invitation sent (EVENTS.md).
      m.memberContactId = known.contactId;
      owner.emit('sentGroupInvitation', {
        groupInfo: records.groupInfo(og),
        contact: records.contact(owner, known),
        member: records.groupMember(og, m),
      });
    }
    const snapshot = {
      groupKey: og.groupKey,
      groupProfile: { ...og.groupProfile },
      host: { ...og.membership, profile: { ...owner.profile } },
    };
    relay.send(u.device, () => {
      u.pending.delete(pending.pccConnId);
      const g = copyGroup(u, snapshot, m.memberId, link.acceptMemberRole, 'accepted', { type: 'unknown' });
      u.emit('groupLinkConnecting', {
        groupInfo: records.groupInfo(g),
        hostMember: records.groupMember(g, g.members[0]),
      });
      relay.send(owner.device, () => onMemberJoined(owner, og, u, m.memberId));
    });
  });
  return { type: 'sentInvitation', connection: records.pendingConnection(pending) };
}

/** Runs `apply` on every other member's copy of the group, after the relay's latency. */
function toPeers(
  u: ChatUser,
  g: GroupState,
  apply: (t: ChatUser, tg: GroupState, byMember: MemberState | undefined) => void,
): void {
  for (const peer of groupPeers(u, g)) {
    u.device.relay.send(peer.user.device, () =>
      apply(peer.user, peer.group, memberByMemberId(peer.group, g.membership.memberId)),
    );
  }
}

export function leaveGroup(u: ChatUser, groupId: number): Json {
  const g = joinedGroup(u, groupId);
  toPeers(u, g, (t, tg, by) => {
    if (!by) return;
    by.memberStatus = 'left';
    t.emit('leftMember', { groupInfo: records.groupInfo(tg), member: records.groupMember(tg, by) });
    serviceItem(t, tg, { type: 'memberLeft' }, by);
  });
  g.membership.memberStatus = 'left';
  return { type: 'leftMemberUser', groupInfo: records.groupInfo(g) };
}

export function removeMembers(u: ChatUser, groupId: number, ids: number[], withMessages: boolean): Json {
  const g = joinedGroup(u, groupId);
  requireRole(g, 'admin');
  const members = ids.map((id) => memberOf(g, id));
  const removedIds = members.map((m) => m.memberId);
  toPeers(u, g, (t, tg, by) => {
    if (!by) return;
    for (const memberId of removedIds) {
      const m = memberByMemberId(tg, memberId);
      if (!m) continue;
      m.memberStatus = 'removed';
      if (m === tg.membership) {
        t.emit('deletedMemberUser', {
          groupInfo: records.groupInfo(tg),
          member: records.groupMember(tg, by),
          withMessages,
        });
      } else {
        t.emit('deletedMember', {
          groupInfo: records.groupInfo(tg),
          byMember: records.groupMember(tg, by),
          deletedMember: records.groupMember(tg, m),
          withMessages,
        });
      }
    }
  });
  for (const m of members) m.memberStatus = 'removed';
  return {
    type: 'userDeletedMembers',
    groupInfo: records.groupInfo(g),
    members: members.map((m) => records.groupMember(g, m)),
    withMessages,
    msgSigned: false,
  };
}

export function setMembersRole(u: ChatUser, groupId: number, ids: number[], role: GroupRole): Json {
  const g = joinedGroup(u, groupId);
  requireRole(g, 'admin');
  const members = ids.map((id) => memberOf(g, id));
  for (const m of members) {
    const fromRole = m.memberRole;
    m.memberRole = role;
    toPeers(u, g, (t, tg, by) => {
      const target = memberByMemberId(tg, m.memberId);
      if (!by || !target) return;
      target.memberRole = role;
      t.emit('memberRole', {
        groupInfo: records.groupInfo(tg),
        byMember: records.groupMember(tg, by),
        member: records.groupMember(tg, target),
        fromRole,
        toRole: role,
      });
    });
  }
  return {
    type: 'membersRoleUser',
    groupInfo: records.groupInfo(g),
    members: members.map((m) => records.groupMember(g, m)),
    toRole: role,
    msgSigned: false,
  };
}

export function blockMembers(u: ChatUser, groupId: number, ids: number[], blocked: boolean): Json {
  const g = joinedGroup(u, groupId);
  requireRole(g, 'moderator');
  const members = ids.map((id) => memberOf(g, id));
  for (const m of members) {
    m.blockedByAdmin = blocked;
    toPeers(u, g, (t, tg, by) => {
      const target = memberByMemberId(tg, m.memberId);
      if (!by || !target) return;
      target.blockedByAdmin = blocked;
      t.emit('memberBlockedForAll', {
        groupInfo: records.groupInfo(tg),
        byMember: records.groupMember(tg, by),
        member: records.groupMember(tg, target),
        blocked,
      });
    });
  }
  return {
    type: 'membersBlockedForAllUser',
    groupInfo: records.groupInfo(g),
    members: members.map((m) => records.groupMember(g, m)),
    blocked,
    msgSigned: false,
  };
}

export function acceptMember(u: ChatUser, groupId: number, groupMemberId: number, role: GroupRole): Json {
  const g = joinedGroup(u, groupId);
  requireRole(g, 'admin');
  const m = memberOf(g, groupMemberId);
  if (!isActiveMember(m) && m.memberStatus !== 'accepted') throw chatErr('groupMemberNotActive');
  m.memberRole = role;
  return { type: 'memberAccepted', groupInfo: records.groupInfo(g), member: records.groupMember(g, m) };
}

export function updateGroupProfile(u: ChatUser, groupId: number, groupProfile: Json): Json {
  const g = joinedGroup(u, groupId);
  requireRole(g, 'owner');
  if (!validProfileName(groupProfile.displayName)) throw invalidName(groupProfile.displayName);
  const fromGroup = records.groupInfo(g);
  g.groupProfile = { fullName: '', ...groupProfile };
  g.localDisplayName = groupProfile.displayName as string;
  g.updatedAt = nowIso();
  const next = { ...g.groupProfile };
  toPeers(u, g, (t, tg, by) => {
    const before = records.groupInfo(tg);
    tg.groupProfile = { ...next };
    tg.localDisplayName = next.displayName as string;
    t.emit('groupUpdated', {
      fromGroup: before,
      toGroup: records.groupInfo(tg),
      member_: by ? records.groupMember(tg, by) : undefined,
    });
  });
  return { type: 'groupUpdated', fromGroup, toGroup: records.groupInfo(g), msgSigned: false };
}

export function deleteGroup(u: ChatUser, groupId: number, mode: string, notify: boolean): Json {
  const g = groupOf(u, groupId);
  if (mode === 'messages') {
    u.items.delete(`#${groupId}`);
    return { type: 'groupDeletedUser', groupInfo: records.groupInfo(g), msgSigned: false, localDeletion: true };
  }
  const owner = g.membership.memberRole === 'owner' && isActiveMember(g.membership);
  if (owner && notify) {
    toPeers(u, g, (t, tg, by) => {
      tg.membership.memberStatus = 'deleted';
      t.emit('groupDeleted', {
        groupInfo: records.groupInfo(tg),
        member: records.groupMember(tg, by ?? tg.membership),
      });
    });
  } else if (isActiveMember(g.membership)) {
    leaveGroup(u, groupId);
  }
  if (g.link) u.device.relay.links.delete(g.link.linkId);
  const record = records.groupInfo(g);
  u.groups.delete(groupId);
  u.items.delete(`#${groupId}`);
  return { type: 'groupDeletedUser', groupInfo: record, msgSigned: false, localDeletion: !owner };
}

export function listMembers(u: ChatUser, groupId: number): Json {
  return { type: 'groupMembers', group: records.group(groupOf(u, groupId)) };
}

// ---- group links ----

export function createGroupLink(u: ChatUser, groupId: number, role: GroupRole): Json {
  const g = joinedGroup(u, groupId);
  requireRole(g, 'admin');
  if (g.link) throw storeErr('duplicateGroupLink', { groupInfo: records.groupInfo(g) });
  const linkId = newLinkId();
  g.link = {
    userContactLinkId: u.device.nextId('userContactLink'),
    groupLinkId: randomText(16),
    linkId,
    acceptMemberRole: role,
  };
  u.device.relay.links.set(linkId, { kind: 'group', owner: u, groupId });
  return { type: 'groupLinkCreated', groupInfo: records.groupInfo(g), groupLink: records.groupLink(g) };
}

function linkedGroup(u: ChatUser, groupId: number): GroupState {
  const g = groupOf(u, groupId);
  if (!g.link) throw storeErr('groupLinkNotFound', { groupInfo: records.groupInfo(g) });
  return g;
}

export function getGroupLink(u: ChatUser, groupId: number): Json {
  const g = linkedGroup(u, groupId);
  return { type: 'groupLink', groupInfo: records.groupInfo(g), groupLink: records.groupLink(g) };
}

export function setGroupLinkRole(u: ChatUser, groupId: number, role: GroupRole): Json {
  const g = linkedGroup(u, groupId);
  (g.link as { acceptMemberRole: GroupRole }).acceptMemberRole = role;
  return { type: 'groupLink', groupInfo: records.groupInfo(g), groupLink: records.groupLink(g) };
}

export function deleteGroupLink(u: ChatUser, groupId: number): Json {
  const g = linkedGroup(u, groupId);
  u.device.relay.links.delete((g.link as { linkId: string }).linkId);
  g.link = undefined;
  return { type: 'groupLinkDeleted', groupInfo: records.groupInfo(g) };
}

export function groupLinkText(g: GroupState): string {
  return createdConnLink('group', (g.link as { linkId: string }).linkId).connShortLink;
}

// ---- business chats ----

/**
 * A contact request to a business address with auto-accept: the business gets a group chat with the customer
 * (`businessChat.chatType` "customer" on its side, "business" on the customer's), announced with
 * `acceptingBusinessRequest`; the customer joins it and the welcome, if any, is sent into it. Inferred from the
 * reference's AddressSettings, AcceptingBusinessRequest and BusinessChatInfo.
 */
export function acceptBusinessRequest(
  owner: ChatUser,
  customer: ChatUser,
  pccConnId: number,
  customerProfile: ProfileState,
  welcome: Json | undefined,
): void {
  const ts = nowIso();
  const membership = newMember(owner, owner.profile, {
    role: 'owner',
    category: 'user',
    status: 'creator',
    invitedBy: { type: 'user' },
    index: 0,
  });
  const member = newMember(owner, customerProfile, {
    role: 'member',
    category: 'invitee',
    status: 'accepted',
    invitedBy: { type: 'user' },
    index: 1,
  });
  const business = { businessId: membership.memberId, customerId: member.memberId };
  const g: GroupState = {
    groupId: owner.device.nextId('group'),
    groupKey: randomText(16),
    localDisplayName: customerProfile.displayName,
    groupProfile: { displayName: customerProfile.displayName, fullName: customerProfile.fullName },
    membership,
    members: [member],
    businessChat: { chatType: 'customer', ...business },
    createdAt: ts,
    updatedAt: ts,
  };
  owner.groups.set(g.groupId, g);
  owner.emit('acceptingBusinessRequest', { groupInfo: records.groupInfo(g) });
  const snapshot = {
    groupKey: g.groupKey,
    groupProfile: { displayName: owner.profile.displayName, fullName: owner.profile.fullName },
    host: { ...membership, profile: { ...owner.profile } },
  };
  const relay = owner.device.relay;
  relay.send(customer.device, () => {
    customer.pending.delete(pccConnId);
    const cg = copyGroup(customer, snapshot, member.memberId, 'member', 'accepted', { type: 'unknown' });
    cg.businessChat = { chatType: 'business', ...business };
    relay.send(owner.device, () => {
      onMemberJoined(owner, g, customer, member.memberId);
      if (!welcome) return;
      const item = owner.addItem(`#${g.groupId}`, {
        dir: 'snd',
        content: { type: 'sndMsgContent', msgContent: welcome },
      });
      owner.emit('newChatItems', { chatItems: [owner.aChatItem(item)] });
      deliverNew(owner, `#${g.groupId}`, [item]);
    });
  });
}
