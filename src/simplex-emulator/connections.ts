// Addresses, one-time invitations, contact requests and connecting two users through the relay.
import { contactOf, groupOf } from './chats';
import type { ChatUser } from './device';
import { randomText } from './device';
import { chatErr, parseFailure, storeErr } from './errors';
import { isObject, Json, nowIso } from './json';
import { deliverNew } from './messaging';
import { acceptBusinessRequest, joinViaGroupLink } from './groups';
import { createdConnLink, linkIdOf, newLinkId } from './links';
import * as records from './records';
import { ContactState, PendingConnectionState, ProfileState } from './state';

// ---- address ----

export function createAddress(u: ChatUser): Json {
  if (u.address) throw storeErr('duplicateContactLink');
  const linkId = newLinkId();
  u.address = {
    userContactLinkId: u.device.nextId('userContactLink'),
    linkId,
    addressSettings: { businessAddress: false },
  };
  u.device.relay.links.set(linkId, { kind: 'contact', owner: u });
  return { type: 'userContactLinkCreated', connLinkContact: createdConnLink('contact', linkId) };
}

function addressOf(u: ChatUser) {
  if (!u.address) throw storeErr('userContactLinkNotFound');
  return u.address;
}

export function showAddress(u: ChatUser): Json {
  return { type: 'userContactLink', contactLink: records.userContactLink(addressOf(u)) };
}

export function deleteAddress(u: ChatUser): Json {
  const address = addressOf(u);
  u.device.relay.links.delete(address.linkId);
  u.address = undefined;
  if (u.profile.contactLink) u.profile = { ...u.profile, contactLink: undefined };
  return { type: 'userContactLinkDeleted' };
}

export function setAddressSettings(u: ChatUser, settings: Json): Json {
  const address = addressOf(u);
  if (typeof settings.businessAddress !== 'boolean') throw parseFailure();
  if (settings.autoAccept !== undefined && !isObject(settings.autoAccept)) throw parseFailure();
  if (
    settings.autoReply !== undefined &&
    (!isObject(settings.autoReply) || typeof settings.autoReply.type !== 'string')
  ) {
    throw parseFailure();
  }
  address.addressSettings = settings;
  return { type: 'userContactLinkUpdated', contactLink: records.userContactLink(address) };
}

// ---- profile ----

export function updateProfile(u: ChatUser, next: ProfileState): Json {
  const from = u.profile;
  if (JSON.stringify(records.profile(from)) === JSON.stringify(records.profile(next)))
    return { type: 'userProfileNoChange' };
  u.profile = next;
  u.localDisplayName = next.displayName;
  const changed: Json[] = [];
  for (const c of u.contacts.values()) {
    if (c.contactStatus !== 'active' || !c.peer) continue;
    const peer = c.peer;
    changed.push(records.contact(u, c));
    u.device.relay.send(peer.user.device, () => {
      const pc = peer.user.contacts.get(peer.contactId);
      if (!pc) return;
      const before = records.contact(peer.user, pc);
      pc.profile = { ...next };
      pc.updatedAt = nowIso();
      peer.user.emit('contactUpdated', { fromContact: before, toContact: records.contact(peer.user, pc) });
    });
  }
  return {
    type: 'userProfileUpdated',
    fromProfile: records.profile(from),
    toProfile: records.profile(next),
    updateSummary: { updateSuccesses: changed.length, updateFailures: 0, changedContacts: changed },
  };
}

export function setProfileAddress(u: ChatUser, enable: boolean): Json {
  const link = enable ? createdConnLink('contact', addressOf(u).linkId).connShortLink : undefined;
  return updateProfile(u, { ...u.profile, contactLink: link });
}

// ---- contacts ----

function newPending(u: ChatUser, fields: Partial<PendingConnectionState>): PendingConnectionState {
  const ts = nowIso();
  const p: PendingConnectionState = {
    pccConnId: u.device.nextId('conn'),
    pccAgentConnId: randomText(),
    pccConnStatus: 'new',
    viaContactUri: false,
    createdAt: ts,
    updatedAt: ts,
    ...fields,
  };
  u.pending.set(p.pccConnId, p);
  return p;
}

function newContact(
  u: ChatUser,
  profile: ProfileState,
  peer: ChatUser | undefined,
  fields: Partial<ContactState<ChatUser>> = {},
): ContactState<ChatUser> {
  const ts = nowIso();
  let name = profile.displayName;
  const taken = (n: string) =>
    [...u.contacts.values()].some((c) => c.localDisplayName === n && c.contactStatus === 'active');
  for (let n = 1; taken(name); n++) name = `${profile.displayName}_${n}`;
  const c: ContactState<ChatUser> = {
    contactId: u.device.nextId('contact'),
    profileId: u.device.nextId('profile'),
    localDisplayName: name,
    profile: { ...profile },
    connId: u.device.nextId('conn'),
    agentConnId: randomText(),
    connStatus: 'joined',
    contactStatus: 'active',
    contactUsed: true,
    userPreferences: {},
    createdAt: ts,
    updatedAt: ts,
    ...fields,
  };
  if (peer) c.peer = { user: peer, contactId: 0 };
  u.contacts.set(c.contactId, c);
  return c;
}

function e2eeItem(u: ChatUser, c: ContactState<ChatUser>): void {
  // A new contact's chat starts with service items, not messages (F17).
  const item = u.addItem(`@${c.contactId}`, {
    dir: 'rcv',
    content: { type: 'rcvDirectE2EEInfo', e2eeInfo: { pqEnabled: true } },
  });
  u.emit('newChatItems', { chatItems: [u.aChatItem(item)] });
}

function becomeReady(u: ChatUser, c: ContactState<ChatUser>): void {
  c.connStatus = 'ready';
  c.updatedAt = nowIso();
  e2eeItem(u, c);
  u.emit('contactConnected', { contact: records.contact(u, c) });
}

/** Links two contacts and completes the connection on both sides; `owner` is the side that accepted. */
function completeConnection(
  owner: ChatUser,
  ownerContact: ContactState<ChatUser>,
  joiner: ChatUser,
  pccConnId: number,
): void {
  const relay = owner.device.relay;
  relay.send(joiner.device, () => {
    joiner.pending.delete(pccConnId);
    const jc = newContact(joiner, owner.profile, owner, { connStatus: 'accepted' });
    (jc.peer as { contactId: number }).contactId = ownerContact.contactId;
    (ownerContact.peer as { contactId: number }).contactId = jc.contactId;
    becomeReady(joiner, jc);
    relay.send(owner.device, () => {
      if (ownerContact.contactStatus !== 'active') return;
      ownerContact.connStatus = 'snd-ready';
      owner.emit('contactSndReady', { contact: records.contact(owner, ownerContact) });
      becomeReady(owner, ownerContact);
      const autoReply =
        ownerContact.viaUserContactLink !== undefined
          ? (owner.address?.addressSettings.autoReply as Json | undefined)
          : undefined;
      if (autoReply) {
        // The welcome message is an ordinary sent item (directSnd), delivered like any message (F17).
        const item = owner.addItem(`@${ownerContact.contactId}`, {
          dir: 'snd',
          content: { type: 'sndMsgContent', msgContent: autoReply },
        });
        owner.emit('newChatItems', { chatItems: [owner.aChatItem(item)] });
        deliverNew(owner, `@${ownerContact.contactId}`, [item]);
      }
    });
  });
}

export function acceptRequest(u: ChatUser, contactReqId: number, fromEvent = false): Json {
  const r = u.requests.get(contactReqId);
  if (!r) throw storeErr('contactRequestNotFound', { contactRequestId: contactReqId });
  if (u.address?.addressSettings.businessAddress === true) {
    throw chatErr('internalError', {
      message: 'accepting business requests by command is not available in this emulator (use auto-accept)',
    });
  }
  u.requests.delete(contactReqId);
  const joiner = r.fromUser as ChatUser;
  const c = newContact(u, r.profile, joiner, {
    connStatus: 'accepted',
    viaUserContactLink: u.address?.userContactLinkId,
    contactRequestId: contactReqId,
  });
  completeConnection(u, c, joiner, r.fromConnId);
  const reply = { type: 'acceptingContactRequest', contact: records.contact(u, c) };
  if (fromEvent) u.emit('acceptingContactRequest', { contact: reply.contact });
  return reply;
}

export function rejectRequest(u: ChatUser, contactReqId: number): Json {
  const r = u.requests.get(contactReqId);
  if (!r) throw storeErr('contactRequestNotFound', { contactRequestId: contactReqId });
  u.requests.delete(contactReqId);
  // The requester is not notified (COMMANDS.md, APIRejectContact): its connection just stays pending.
  return { type: 'contactRequestRejected', contactRequest: records.contactRequest(r, u.address?.userContactLinkId) };
}

function onContactRequest(owner: ChatUser, joiner: ChatUser, fromConnId: number, profile: ProfileState): void {
  const address = owner.address;
  if (!address) return;
  const ts = nowIso();
  const r = {
    contactRequestId: owner.device.nextId('contactRequest'),
    agentInvitationId: randomText(),
    localDisplayName: profile.displayName,
    profileId: owner.device.nextId('profile'),
    profile: { ...profile },
    createdAt: ts,
    fromUser: joiner,
    fromConnId,
  };
  if (address.addressSettings.businessAddress === true && isObject(address.addressSettings.autoAccept)) {
    acceptBusinessRequest(owner, joiner, fromConnId, profile, address.addressSettings.autoReply as Json | undefined);
    return;
  }
  owner.requests.set(r.contactRequestId, r);
  if (isObject(address.addressSettings.autoAccept)) {
    acceptRequest(owner, r.contactRequestId, true);
  } else {
    owner.emit('receivedContactRequest', { contactRequest: records.contactRequest(r, address.userContactLinkId) });
  }
}

export function createInvitation(u: ChatUser): Json {
  const linkId = newLinkId();
  const p = newPending(u, { pccConnStatus: 'new', invitationLinkId: linkId });
  u.device.relay.links.set(linkId, { kind: 'invitation', owner: u, pccConnId: p.pccConnId });
  return {
    type: 'invitation',
    connLinkInvitation: createdConnLink('invitation', linkId),
    connection: records.pendingConnection(p),
  };
}

function resolveLink(u: ChatUser, text: string | undefined) {
  const linkId = text ? linkIdOf(text) : undefined;
  const target = linkId ? u.device.relay.links.get(linkId) : undefined;
  if (!linkId || !target) throw chatErr('invalidConnReq');
  return { linkId, target };
}

export function connect(u: ChatUser, link: string | undefined): Json {
  const { linkId, target } = resolveLink(u, link);
  const owner = target.owner;
  const relay = u.device.relay;
  if (owner === u) throw chatErr('invalidConnReq');
  if (target.kind === 'group') return joinViaGroupLink(u, owner, groupOf(owner, target.groupId as number));
  const existing = u.contactWith(owner);
  if (target.kind === 'contact' && existing)
    return { type: 'contactAlreadyExists', contact: records.contact(u, existing) };
  if (target.kind === 'contact') {
    const p = newPending(u, { pccConnStatus: 'joined', viaContactUri: true });
    const profile = { ...u.profile };
    relay.send(owner.device, () => onContactRequest(owner, u, p.pccConnId, profile));
    return { type: 'sentInvitation', connection: records.pendingConnection(p) };
  }
  // One-time invitation: usable once.
  relay.links.delete(linkId);
  const p = newPending(u, { pccConnStatus: 'joined' });
  const profile = { ...u.profile };
  relay.send(owner.device, () => {
    owner.pending.delete(target.pccConnId as number);
    const c = newContact(owner, profile, u, { connStatus: 'joined' });
    owner.emit('contactConnecting', { contact: records.contact(owner, c) });
    completeConnection(owner, c, u, p.pccConnId);
  });
  return { type: 'sentConfirmation', connection: records.pendingConnection(p) };
}

export function connectPlan(u: ChatUser, link: string): Json {
  const { linkId, target } = resolveLink(u, link);
  const connLink = createdConnLink(target.kind, linkId);
  let connectionPlan: Json;
  if (target.kind === 'group') {
    const linked = groupOf(target.owner, target.groupId as number);
    const mine = u.groupByKey(linked.groupKey);
    connectionPlan = {
      type: 'groupLink',
      groupLinkPlan:
        target.owner === u
          ? { type: 'ownLink', groupInfo: records.groupInfo(linked) }
          : mine
            ? { type: 'known', groupInfo: records.groupInfo(mine) }
            : { type: 'ok' },
    };
  } else if (target.kind === 'contact') {
    const known = u.contactWith(target.owner);
    connectionPlan = {
      type: 'contactAddress',
      contactAddressPlan:
        target.owner === u
          ? { type: 'ownLink' }
          : known
            ? { type: 'known', contact: records.contact(u, known) }
            : { type: 'ok' },
    };
  } else {
    connectionPlan = {
      type: 'invitationLink',
      invitationLinkPlan: target.owner === u ? { type: 'ownLink' } : { type: 'ok' },
    };
  }
  return { type: 'connectionPlan', connLink, connectionPlan };
}

export function deleteContact(u: ChatUser, contactId: number, mode: string, notify: boolean): Json {
  const c = contactOf(u, contactId);
  const chatKey = `@${contactId}`;
  if (mode === 'messages') {
    u.items.delete(chatKey);
    return { type: 'contactDeleted', contact: records.contact(u, c) };
  }
  c.contactStatus = 'deleted';
  c.connStatus = 'deleted';
  const record = records.contact(u, c);
  u.contacts.delete(contactId);
  u.items.delete(chatKey);
  const peer = c.peer;
  if (peer && notify) {
    u.device.relay.send(peer.user.device, () => {
      const pc = peer.user.contacts.get(peer.contactId);
      if (!pc || pc.contactStatus !== 'active') return;
      pc.contactStatus = 'deleted';
      pc.connStatus = 'deleted';
      peer.user.emit('contactDeletedByContact', { contact: records.contact(peer.user, pc) });
    });
  }
  return { type: 'contactDeleted', contact: record };
}
