// Runs one parsed command on a device and returns the reply record (without `user`, added by execute()).
import { activeUser, chatKeyOf, contactOf, groupOf, userById } from './chats';
import * as conn from './connections';
import { Device } from './device';
import { chatErr, CommandFailure, storeErr } from './errors';
import { cancelFile, receiveFile } from './files';
import { ChatRef, parseCommand } from './grammar';
import * as groups from './groups';
import { compact, isObject, Json } from './json';
import { createdConnLink } from './links';
import * as msg from './messaging';
import * as records from './records';
import { GroupRole, ProfileState } from './state';

/** Replies that carry no `user` field (COMMANDS.md). */
const WITHOUT_USER = new Set(['usersList', 'chatStarted', 'chatRunning', 'chatStopped', 'chatCmdError', 'cmdOk']);

function profileFrom(value: Json, current?: ProfileState): ProfileState {
  if (!groups.validProfileName(value.displayName)) throw groups.invalidName(value.displayName);
  return compact({
    displayName: value.displayName as string,
    fullName: typeof value.fullName === 'string' ? value.fullName : '',
    shortDescr: typeof value.shortDescr === 'string' ? value.shortDescr : undefined,
    image: typeof value.image === 'string' ? value.image : undefined,
    contactLink: typeof value.contactLink === 'string' ? value.contactLink : current?.contactLink,
    preferences: isObject(value.preferences) ? value.preferences : undefined,
    peerType: value.peerType === 'bot' || value.peerType === 'human' ? value.peerType : undefined,
  } as ProfileState & Json);
}

function notEmulated(what: string): CommandFailure {
  return chatErr('internalError', { message: `${what} is not available in this emulator` });
}

function run(device: Device, name: string, a: Json): Json {
  switch (name) {
    // users
    case 'ShowActiveUser':
      return { type: 'activeUser', user: activeUser(device).userRecord() };
    case 'CreateActiveUser': {
      const newUser = a.newUser as Json;
      const p = isObject(newUser.profile) ? profileFrom(newUser.profile) : undefined;
      if (!p) throw groups.invalidName('');
      if (device.users.some((u) => u.localDisplayName === p.displayName))
        throw chatErr('userExists', { contactName: p.displayName });
      return { type: 'activeUser', user: device.createUser(p).userRecord() };
    }
    case 'ListUsers':
      return { type: 'usersList', users: device.users.map((u) => ({ user: u.userRecord(), unreadCount: 0 })) };
    case 'APISetActiveUser': {
      if (!device.running) throw chatErr('chatNotStarted');
      const u = device.userById(a.userId as number);
      if (!u) throw storeErr('userNotFound', { userId: a.userId });
      device.activeUserId = u.userId;
      return { type: 'activeUser', user: u.userRecord() };
    }
    case 'APIDeleteUser': {
      const u = userById(device, a.userId as number);
      if (device.users.length === 1) throw chatErr('cantDeleteLastUser', { userId: u.userId });
      if (u.isActive()) throw chatErr('cantDeleteActiveUser', { userId: u.userId });
      device.users.splice(device.users.indexOf(u), 1);
      return { type: 'cmdOk' };
    }
    case 'APIUpdateProfile': {
      const u = userById(device, a.userId as number);
      return conn.updateProfile(u, profileFrom(a.profile as Json, u.profile));
    }
    case 'APISetContactPrefs': {
      const u = activeUser(device);
      const c = contactOf(u, a.contactId as number);
      const fromContact = records.contact(u, c);
      c.userPreferences = a.preferences as Json;
      return { type: 'contactPrefsUpdated', fromContact, toContact: records.contact(u, c) };
    }
    // address
    case 'APICreateMyAddress':
      return conn.createAddress(userById(device, a.userId as number));
    case 'APIDeleteMyAddress':
      return conn.deleteAddress(userById(device, a.userId as number));
    case 'APIShowMyAddress':
      return conn.showAddress(userById(device, a.userId as number));
    case 'APISetProfileAddress':
      return conn.setProfileAddress(userById(device, a.userId as number), a.enable as boolean);
    case 'APISetAddressSettings':
      return conn.setAddressSettings(userById(device, a.userId as number), a.settings as Json);
    // messages
    case 'APISendMessages':
    case 'APISendText':
      return msg.sendMessages(
        activeUser(device),
        a.sendRef as ChatRef,
        a.composedMessages as unknown[],
        !!a.liveMessage,
        a.ttl as number | undefined,
      );
    case 'APIUpdateChatItem':
      return msg.updateItem(
        activeUser(device),
        a.chatRef as ChatRef,
        a.chatItemId as number,
        !!a.liveMessage,
        a.updatedMessage as Json,
      );
    case 'APIDeleteChatItem':
      return msg.deleteItems(
        activeUser(device),
        a.chatRef as ChatRef,
        a.chatItemIds as number[],
        a.deleteMode as string,
      );
    case 'APIDeleteMemberChatItem':
      return msg.moderateItems(activeUser(device), a.groupId as number, a.chatItemIds as number[]);
    case 'APIChatItemReaction':
      return msg.react(
        activeUser(device),
        a.chatRef as ChatRef,
        a.chatItemId as number,
        a.add as boolean,
        a.reaction as Json,
      );
    case 'APIShareMyAddress': {
      const u = activeUser(device);
      chatKeyOf(u, a.toSendRef as ChatRef);
      if (!u.address) throw storeErr('userContactLinkNotFound');
      const connLink = createdConnLink('contact', u.address.linkId).connShortLink;
      return {
        type: 'chatMsgContent',
        msgContent: {
          type: 'chat',
          text: connLink,
          chatLink: { type: 'contact', connLink, profile: records.profile(u.profile), business: false },
        },
      };
    }
    case 'APIShareChatMsgContent':
      chatKeyOf(activeUser(device), a.shareChatRef as ChatRef);
      throw notEmulated('sharing channel links');
    // files
    case 'ReceiveFile':
      return receiveFile(activeUser(device), a.fileId as number, a.filePath as string | undefined);
    case 'CancelFile':
      return cancelFile(activeUser(device), a.fileId as number);
    // groups
    case 'APINewGroup':
      return groups.createGroup(userById(device, a.userId as number), a.groupProfile as Json);
    case 'APIAddMember':
      return groups.addMember(
        activeUser(device),
        a.groupId as number,
        a.contactId as number,
        a.memberRole as GroupRole,
      );
    case 'APIJoinGroup':
      return groups.joinGroup(activeUser(device), a.groupId as number);
    case 'APIAcceptMember':
      return groups.acceptMember(
        activeUser(device),
        a.groupId as number,
        a.groupMemberId as number,
        a.memberRole as GroupRole,
      );
    case 'APIMembersRole':
      return groups.setMembersRole(
        activeUser(device),
        a.groupId as number,
        a.groupMemberIds as number[],
        a.memberRole as GroupRole,
      );
    case 'APIBlockMembersForAll':
      return groups.blockMembers(
        activeUser(device),
        a.groupId as number,
        a.groupMemberIds as number[],
        a.blocked as boolean,
      );
    case 'APIRemoveMembers':
      return groups.removeMembers(
        activeUser(device),
        a.groupId as number,
        a.groupMemberIds as number[],
        !!a.withMessages,
      );
    case 'APILeaveGroup':
      return groups.leaveGroup(activeUser(device), a.groupId as number);
    case 'APIListMembers':
      return groups.listMembers(activeUser(device), a.groupId as number);
    case 'APIUpdateGroupProfile':
      return groups.updateGroupProfile(activeUser(device), a.groupId as number, a.groupProfile as Json);
    case 'APINewPublicGroup':
      userById(device, a.userId as number);
      throw notEmulated('public groups (chat relays)');
    case 'APIGetGroupRelays':
    case 'APIAddGroupRelays':
    case 'APIAllowRelayGroup':
      groupOf(activeUser(device), a.groupId as number);
      throw notEmulated('chat relays');
    case 'APIVerifyGroupDomain':
      groupOf(activeUser(device), a.groupId as number);
      throw notEmulated('group domain verification');
    // group links
    case 'APICreateGroupLink':
      return groups.createGroupLink(activeUser(device), a.groupId as number, a.memberRole as GroupRole);
    case 'APIGroupLinkMemberRole':
      return groups.setGroupLinkRole(activeUser(device), a.groupId as number, a.memberRole as GroupRole);
    case 'APIDeleteGroupLink':
      return groups.deleteGroupLink(activeUser(device), a.groupId as number);
    case 'APIGetGroupLink':
      return groups.getGroupLink(activeUser(device), a.groupId as number);
    // connections
    case 'APIAddContact':
      return conn.createInvitation(userById(device, a.userId as number));
    case 'APIConnectPlan':
      return conn.connectPlan(userById(device, a.userId as number), a.connectTarget as string);
    case 'APIConnect': {
      const u = userById(device, a.userId as number);
      const link = a.preparedLink as { connFullLink: string; connShortLink?: string } | undefined;
      if (!link) throw chatErr('invalidConnReq');
      return conn.connect(u, link.connShortLink ?? link.connFullLink);
    }
    case 'Connect':
      return conn.connect(activeUser(device), a.connTarget as string | undefined);
    case 'APIAcceptContact':
      return conn.acceptRequest(activeUser(device), a.contactReqId as number);
    case 'APIRejectContact':
      return conn.rejectRequest(activeUser(device), a.contactReqId as number);
    // chats
    case 'APIListContacts': {
      const u = userById(device, a.userId as number);
      const contacts = [...u.contacts.values()].map((c) => records.contact(u, c));
      return { type: 'contactsList', contacts };
    }
    case 'APIListGroups': {
      const u = userById(device, a.userId as number);
      let list = [...u.groups.values()];
      if (a.contactId !== undefined)
        list = list.filter((g) => g.members.some((m) => m.memberContactId === a.contactId));
      if (typeof a.search === 'string')
        list = list.filter((g) => g.localDisplayName.toLowerCase().includes((a.search as string).toLowerCase()));
      return { type: 'groupsList', groups: list.map((g) => records.groupInfo(g)) };
    }
    case 'APIGetChats': {
      const u = userById(device, a.userId as number);
      const count = Number(/count=(\d+)/.exec(a.pagination as string)?.[1] ?? 20);
      const keys = [...u.contacts.values()].filter((c) => c.contactStatus === 'active').map((c) => `@${c.contactId}`);
      keys.push(...[...u.groups.keys()].map((id) => `#${id}`));
      const chats = keys.slice(0, count).map((key) => {
        const items = u.items.get(key) ?? [];
        return {
          chatInfo: records.chatInfo(u, key),
          chatItems: items.slice(-1).map((i) => records.chatItem(u, i)),
          chatStats: records.chatStats(),
        };
      });
      return { type: 'apiChats', chats };
    }
    case 'APIGetChat': {
      const u = activeUser(device);
      const key = chatKeyOf(u, a.chatRef as ChatRef);
      const items = (u.items.get(key) ?? []).slice(-(a.count as number));
      return {
        type: 'apiChat',
        chat: {
          chatInfo: records.chatInfo(u, key),
          chatItems: items.map((i) => records.chatItem(u, i)),
          chatStats: records.chatStats(),
        },
      };
    }
    case 'APIDeleteChat': {
      const u = activeUser(device);
      const ref = a.chatRef as ChatRef;
      const mode = a.chatDeleteMode as { type: string; notify: boolean };
      if (ref.chatType === 'direct') return conn.deleteContact(u, ref.chatId, mode.type, mode.notify);
      if (ref.chatType === 'group') return groups.deleteGroup(u, ref.chatId, mode.type, mode.notify);
      throw storeErr('noteFolderNotFound', { noteFolderId: ref.chatId });
    }
    case 'APISetGroupCustomData': {
      const g = groupOf(activeUser(device), a.groupId as number);
      g.customData = a.customData as Json | undefined;
      return { type: 'cmdOk', user_: activeUser(device).userRecord() };
    }
    case 'APISetContactCustomData': {
      const c = contactOf(activeUser(device), a.contactId as number);
      c.customData = a.customData as Json | undefined;
      return { type: 'cmdOk', user_: activeUser(device).userRecord() };
    }
    case 'APISetUserAutoAcceptMemberContacts': {
      const u = userById(device, a.userId as number);
      u.autoAcceptMemberContacts = a.onOff as boolean;
      return { type: 'cmdOk', user_: u.userRecord() };
    }
    case 'APISetUserAutoAcceptGroupInvitations': {
      const u = userById(device, a.userId as number);
      u.acceptGroupInvitations = a.onOff as boolean;
      return { type: 'cmdOk', user_: u.userRecord() };
    }
    // service, chat management, remote control
    case 'APISendServiceResponse':
      userById(device, a.userId as number);
      throw notEmulated('service requests');
    case 'StartChat': {
      const wasRunning = device.running;
      device.running = true;
      device.relay.pump(device);
      return { type: wasRunning ? 'chatRunning' : 'chatStarted' };
    }
    case 'APIStopChat':
      device.running = false;
      return { type: 'chatStopped' };
    case 'ConnectRemoteCtrl':
    case 'VerifyRemoteCtrlSession':
      throw notEmulated('remote control');
    default:
      throw notEmulated(name);
  }
}

/** Parses and runs one command string; failures become the `chatCmdError` record. */
export function execute(device: Device, cmd: string): Json {
  try {
    const parsed = parseCommand(cmd);
    const reply = run(device, parsed.name, parsed.args);
    const u = device.activeUser();
    if (!WITHOUT_USER.has(reply.type as string) && reply.user === undefined && u)
      return { type: reply.type, user: u.userRecord(), ...reply };
    return compact(reply);
  } catch (err) {
    if (err instanceof CommandFailure) return { type: 'chatCmdError', chatError: err.chatError };
    device.log(`command failed: ${(err as Error).stack ?? String(err)}`);
    return {
      type: 'chatCmdError',
      chatError: { type: 'error', errorType: { type: 'internalError', message: (err as Error).message } },
    };
  }
}
