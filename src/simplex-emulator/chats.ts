// Resolving the users and chats a command names, with the errors the CLI gives for missing ones.
import type { ChatUser, Device } from './device';
import { chatErr, storeErr } from './errors';
import { ChatRef } from './grammar';
import * as records from './records';
import { ContactState, GroupState, MemberState } from './state';

export function activeUser(device: Device): ChatUser {
  const u = device.activeUser();
  if (!u) throw chatErr('noActiveUser');
  return u;
}

export function userById(device: Device, userId: number): ChatUser {
  activeUser(device);
  const u = device.userById(userId);
  if (!u) throw storeErr('userNotFound', { userId });
  return u;
}

/** A contact the user has not deleted (one deleted by the other side stays, with contactStatus "deleted"). */
export function contactOf(u: ChatUser, contactId: number): ContactState<ChatUser> {
  const c = u.contacts.get(contactId);
  if (!c) throw storeErr('contactNotFound', { contactId });
  return c;
}

export function readyContact(u: ChatUser, contactId: number): ContactState<ChatUser> {
  const c = contactOf(u, contactId);
  if (c.contactStatus !== 'active') throw chatErr('contactNotActive', { contact: records.contact(u, c) });
  if (c.connStatus !== 'ready' && c.connStatus !== 'snd-ready')
    throw chatErr('contactNotReady', { contact: records.contact(u, c) });
  return c;
}

export function groupOf(u: ChatUser, groupId: number): GroupState {
  const g = u.groups.get(groupId);
  if (!g) throw storeErr('groupNotFound', { groupId });
  return g;
}

export function isActiveMember(m: MemberState): boolean {
  return m.memberStatus === 'connected' || m.memberStatus === 'complete' || m.memberStatus === 'creator';
}

export function joinedGroup(u: ChatUser, groupId: number): GroupState {
  const g = groupOf(u, groupId);
  if (!isActiveMember(g.membership)) throw chatErr('groupNotJoined', { groupInfo: records.groupInfo(g) });
  return g;
}

export function memberOf(g: GroupState, groupMemberId: number): MemberState {
  const m = g.members.find((x) => x.groupMemberId === groupMemberId);
  if (!m) throw storeErr('groupMemberNotFound', { groupMemberId });
  return m;
}

const ROLE_ORDER = ['relay', 'observer', 'author', 'member', 'moderator', 'admin', 'owner'];

export function requireRole(g: GroupState, requiredRole: string): void {
  if (ROLE_ORDER.indexOf(g.membership.memberRole) < ROLE_ORDER.indexOf(requiredRole)) {
    throw chatErr('groupUserRole', { groupInfo: records.groupInfo(g), requiredRole });
  }
}

/** The chat key ('@3', '#5') of a reference, checking that the chat exists. */
export function chatKeyOf(u: ChatUser, ref: ChatRef): string {
  if (ref.chatType === 'direct') return `@${contactOf(u, ref.chatId).contactId}`;
  if (ref.chatType === 'group') {
    const g = groupOf(u, ref.chatId);
    if (ref.scope)
      throw chatErr('internalError', { message: 'member support chats (_support) are not available in this emulator' });
    return `#${g.groupId}`;
  }
  throw storeErr('noteFolderNotFound', { noteFolderId: ref.chatId });
}

/** The user holding the membership `memberId` of the group, anywhere on the relay, with its copy of the group. */
export function userOfMember(
  from: ChatUser,
  groupKey: string,
  memberId: string,
): { user: ChatUser; group: GroupState } | undefined {
  for (const device of from.device.relay.devices) {
    for (const user of device.users) {
      const g = user.groupByKey(groupKey);
      if (g && g.membership.memberId === memberId) return { user, group: g };
    }
  }
  return undefined;
}

/**
 * The other users this user is connected with in the group: its active members, as it sees them. Messages go only
 * there, so a member that has not been introduced yet gets nothing, as in a real group.
 */
export function groupPeers(from: ChatUser, g: GroupState): Array<{ user: ChatUser; group: GroupState }> {
  const peers: Array<{ user: ChatUser; group: GroupState }> = [];
  for (const m of g.members) {
    if (!isActiveMember(m)) continue;
    const peer = userOfMember(from, g.groupKey, m.memberId);
    if (peer && !['left', 'removed', 'deleted'].includes(peer.group.membership.memberStatus)) peers.push(peer);
  }
  return peers;
}

/** The member record that `viewer` keeps for `memberId` (its own membership included). */
export function memberByMemberId(g: GroupState, memberId: string): MemberState | undefined {
  if (g.membership.memberId === memberId) return g.membership;
  return g.members.find((m) => m.memberId === memberId);
}
