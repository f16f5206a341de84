// The command grammar: one parser per `**Syntax**` block of COMMANDS.md (59 commands) plus the two undocumented
// commands of design file F18. A command that matches no parser, or whose JSON argument does not parse, is a
// `commandError` "Failed reading: empty" (F4); `/_send` with a JSON object instead of an array is one too (F8).
import { parseFailure } from './errors';
import { Json } from './json';
import { GROUP_ROLES, GroupRole } from './state';

export interface ChatRef {
  chatType: 'direct' | 'group' | 'local';
  chatId: number;
  /** Group support scope: present for `(_support)`, with the member id for `(_support:<id>)`. */
  scope?: { groupMemberId?: number };
}

export interface ParsedCommand {
  name: string;
  args: Json;
}

const REF = String.raw`([@#*])(\d{1,18})(\(_support(?::(\d{1,18}))?\))?`;
const ID = String.raw`(\d{1,18})`;
const IDS = String.raw`(\d{1,18}(?:,\d{1,18})*)`;
const ROLE = `(${GROUP_ROLES.join('|')})`;
const ONOFF = '(on|off)';

function ref(m: RegExpExecArray, at: number): ChatRef {
  const chatType = m[at] === '@' ? 'direct' : m[at] === '#' ? 'group' : 'local';
  const r: ChatRef = { chatType, chatId: Number(m[at + 1]) };
  if (m[at + 2] !== undefined) {
    // "Chat scope can only be passed with groups" (TYPES.md, ChatRef).
    if (chatType !== 'group') throw parseFailure();
    r.scope = m[at + 3] !== undefined ? { groupMemberId: Number(m[at + 3]) } : {};
  }
  return r;
}

function ids(text: string): number[] {
  return text.split(',').map(Number);
}

function json(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw parseFailure();
  }
}

function jsonObject(text: string): Json {
  const value = json(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw parseFailure();
  return value as Json;
}

function flag(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'on';
}

type Build = (m: RegExpExecArray) => Json;

interface Rule {
  name: string;
  pattern: RegExp;
  build: Build;
}

function rule(name: string, source: string, build: Build): Rule {
  return { name, pattern: new RegExp(`^${source}$`, 's'), build };
}

const RULES: Rule[] = [
  // Address
  rule('APICreateMyAddress', `/_address ${ID}(?: pq_ratchet=${ONOFF})?`, (m) => ({
    userId: +m[1],
    pqRatchet: flag(m[2]),
  })),
  rule('APIDeleteMyAddress', `/_delete_address ${ID}`, (m) => ({ userId: +m[1] })),
  rule('APIShowMyAddress', `/_show_address ${ID}`, (m) => ({ userId: +m[1] })),
  rule('APISetProfileAddress', `/_profile_address ${ID} ${ONOFF}`, (m) => ({ userId: +m[1], enable: m[2] === 'on' })),
  rule('APISetAddressSettings', `/_address_settings ${ID}(?: pq_ratchet=${ONOFF})? (\\{.*)`, (m) => ({
    userId: +m[1],
    pqRatchet: flag(m[2]),
    settings: jsonObject(m[3]),
  })),
  // Messages
  rule('APISendMessages', `/_send ${REF}( live=on)?(?: ttl=(\\d{1,9}))?( sign=on)? json (.*)`, (m) => {
    const composed = json(m[8]);
    if (!Array.isArray(composed)) throw parseFailure();
    return {
      sendRef: ref(m, 1),
      liveMessage: !!m[5],
      ttl: m[6] ? +m[6] : undefined,
      signMessages: !!m[7],
      composedMessages: composed,
    };
  }),
  rule('APISendText', `/_send ${REF}( live=on)?(?: ttl=(\\d{1,9}))? text (.+)`, (m) => ({
    sendRef: ref(m, 1),
    liveMessage: !!m[5],
    ttl: m[6] ? +m[6] : undefined,
    composedMessages: [{ msgContent: { type: 'text', text: m[7] }, mentions: {} }],
  })),
  rule('APIUpdateChatItem', `/_update item ${REF} ${ID}( live=on)? json (.*)`, (m) => ({
    chatRef: ref(m, 1),
    chatItemId: +m[5],
    liveMessage: !!m[6],
    updatedMessage: jsonObject(m[7]),
  })),
  rule('APIDeleteMemberChatItem', `/_delete member item #${ID} ${IDS}`, (m) => ({
    groupId: +m[1],
    chatItemIds: ids(m[2]),
  })),
  rule('APIDeleteChatItem', `/_delete item ${REF} ${IDS} (broadcast|internal|internalMark|history)`, (m) => ({
    chatRef: ref(m, 1),
    chatItemIds: ids(m[5]),
    deleteMode: m[6],
  })),
  rule('APIChatItemReaction', `/_reaction ${REF} ${ID} ${ONOFF} (\\{.*)`, (m) => ({
    chatRef: ref(m, 1),
    chatItemId: +m[5],
    add: m[6] === 'on',
    reaction: jsonObject(m[7]),
  })),
  rule('APIShareMyAddress', `/_share address ${REF}`, (m) => ({ toSendRef: ref(m, 1) })),
  rule('APIShareChatMsgContent', `/_share chat content ${REF} ${REF}`, (m) => ({
    shareChatRef: ref(m, 1),
    toSendRef: ref(m, 5),
  })),
  // Files
  rule(
    'ReceiveFile',
    `/freceive ${ID}( approved_relays=on)?(?: encrypt=${ONOFF})?(?: inline=${ONOFF})?(?: (.+))?`,
    (m) => ({
      fileId: +m[1],
      userApprovedRelays: !!m[2],
      storeEncrypted: flag(m[3]),
      fileInline: flag(m[4]),
      filePath: m[5],
    }),
  ),
  rule('CancelFile', `/fcancel ${ID}`, (m) => ({ fileId: +m[1] })),
  // Groups
  rule('APIAddMember', `/_add #${ID} ${ID} ${ROLE}`, (m) => ({
    groupId: +m[1],
    contactId: +m[2],
    memberRole: m[3] as GroupRole,
  })),
  rule('APIJoinGroup', `/_join #${ID}`, (m) => ({ groupId: +m[1] })),
  rule('APIAcceptMember', `/_accept member #${ID} ${ID} ${ROLE}`, (m) => ({
    groupId: +m[1],
    groupMemberId: +m[2],
    memberRole: m[3],
  })),
  rule('APIMembersRole', `/_member role #${ID} ${IDS} ${ROLE}`, (m) => ({
    groupId: +m[1],
    groupMemberIds: ids(m[2]),
    memberRole: m[3],
  })),
  rule('APIBlockMembersForAll', `/_block #${ID} ${IDS} blocked=${ONOFF}`, (m) => ({
    groupId: +m[1],
    groupMemberIds: ids(m[2]),
    blocked: m[3] === 'on',
  })),
  rule('APIRemoveMembers', `/_remove #${ID} ${IDS}( messages=on)?`, (m) => ({
    groupId: +m[1],
    groupMemberIds: ids(m[2]),
    withMessages: !!m[3],
  })),
  rule('APILeaveGroup', `/_leave #${ID}`, (m) => ({ groupId: +m[1] })),
  rule('APIListMembers', `/_members #${ID}`, (m) => ({ groupId: +m[1] })),
  rule('APINewGroup', `/_group ${ID}( incognito=on)? (\\{.*)`, (m) => ({
    userId: +m[1],
    incognito: !!m[2],
    groupProfile: jsonObject(m[3]),
  })),
  rule('APINewPublicGroup', `/_public group ${ID}( incognito=on)? ${IDS} (\\{.*)`, (m) => ({
    userId: +m[1],
    incognito: !!m[2],
    relayIds: ids(m[3]),
    groupProfile: jsonObject(m[4]),
  })),
  rule('APIGetGroupRelays', `/_get relays #${ID}`, (m) => ({ groupId: +m[1] })),
  rule('APIAddGroupRelays', `/_add relays #${ID} ${IDS}`, (m) => ({ groupId: +m[1], relayIds: ids(m[2]) })),
  rule('APIAllowRelayGroup', `/_relay allow #${ID}`, (m) => ({ groupId: +m[1] })),
  rule('APIUpdateGroupProfile', `/_group_profile #${ID} (\\{.*)`, (m) => ({
    groupId: +m[1],
    groupProfile: jsonObject(m[2]),
  })),
  rule('APIVerifyGroupDomain', `/_verify domain #${ID}`, (m) => ({ groupId: +m[1] })),
  // Group links
  rule('APICreateGroupLink', `/_create link #${ID} ${ROLE}`, (m) => ({ groupId: +m[1], memberRole: m[2] })),
  rule('APIGroupLinkMemberRole', `/_set link role #${ID} ${ROLE}`, (m) => ({ groupId: +m[1], memberRole: m[2] })),
  rule('APIDeleteGroupLink', `/_delete link #${ID}`, (m) => ({ groupId: +m[1] })),
  rule('APIGetGroupLink', `/_get link #${ID}`, (m) => ({ groupId: +m[1] })),
  // Connections
  rule('APIConnectPlan', `/_connect plan ${ID} (\\S+)`, (m) => ({ userId: +m[1], connectTarget: m[2] })),
  rule('APIAddContact', `/_connect ${ID}( incognito=on)?`, (m) => ({ userId: +m[1], incognito: !!m[2] })),
  rule('APIConnect', `/_connect ${ID}(?: (\\S+)(?: (\\S+))?)?`, (m) => ({
    userId: +m[1],
    preparedLink: m[2] ? { connFullLink: m[2], connShortLink: m[3] } : undefined,
  })),
  rule('Connect', `/connect(?: (\\S+))?`, (m) => ({ connTarget: m[1] })),
  rule('APIAcceptContact', `/_accept ${ID}`, (m) => ({ contactReqId: +m[1] })),
  rule('APIRejectContact', `/_reject ${ID}`, (m) => ({ contactReqId: +m[1] })),
  // Chats
  rule('APIListContacts', `/_contacts ${ID}`, (m) => ({ userId: +m[1] })),
  rule('APIListGroups', `/_groups ${ID}(?: @${ID})?(?: (.+))?`, (m) => ({
    userId: +m[1],
    contactId: m[2] ? +m[2] : undefined,
    search: m[3],
  })),
  rule('APIGetChats', `/_get chats ${ID}( pcc=on)? ((?:(?:before|after)=\\S+ )?count=\\d{1,9}) (\\{.*)`, (m) => ({
    userId: +m[1],
    pendingConnections: !!m[2],
    pagination: m[3],
    query: jsonObject(m[4]),
  })),
  rule('APIGetChat', `/_get chat ${REF} count=(\\d{1,9})`, (m) => ({ chatRef: ref(m, 1), count: +m[5] })),
  rule('APIDeleteUser', `/_delete user ${ID} del_smp=${ONOFF}(?: (".*"))?`, (m) => ({
    userId: +m[1],
    delSMPQueues: m[2] === 'on',
    viewPwd: json(m[3]),
  })),
  rule('APIDeleteChat', `/_delete ${REF} (full|entity|messages)( notify=off)?`, (m) => {
    if (m[5] === 'messages' && m[6]) throw parseFailure();
    return { chatRef: ref(m, 1), chatDeleteMode: { type: m[5], notify: !m[6] } };
  }),
  rule('APISetGroupCustomData', `/_set custom #${ID}(?: (\\{.*))?`, (m) => ({
    groupId: +m[1],
    customData: m[2] ? jsonObject(m[2]) : undefined,
  })),
  rule('APISetContactCustomData', `/_set custom @${ID}(?: (\\{.*))?`, (m) => ({
    contactId: +m[1],
    customData: m[2] ? jsonObject(m[2]) : undefined,
  })),
  rule('APISetUserAutoAcceptMemberContacts', `/_set accept member contacts ${ID} ${ONOFF}`, (m) => ({
    userId: +m[1],
    onOff: m[2] === 'on',
  })),
  rule('APISetUserAutoAcceptGroupInvitations', `/_set accept group invitations ${ID} ${ONOFF}`, (m) => ({
    userId: +m[1],
    onOff: m[2] === 'on',
  })),
  // Users
  rule('ShowActiveUser', '/user', () => ({})),
  rule('CreateActiveUser', '/_create user (\\{.*)', (m) => ({ newUser: jsonObject(m[1]) })),
  rule('ListUsers', '/users', () => ({})),
  rule('APISetActiveUser', `/_user ${ID}(?: (".*"))?`, (m) => ({ userId: +m[1], viewPwd: json(m[2]) })),
  rule('APIUpdateProfile', `/_profile ${ID} (\\{.*)`, (m) => ({ userId: +m[1], profile: jsonObject(m[2]) })),
  rule('APISetContactPrefs', `/_set prefs @${ID} (\\{.*)`, (m) => ({
    contactId: +m[1],
    preferences: jsonObject(m[2]),
  })),
  // Service, chat management, remote control
  rule('APISendServiceResponse', `/_service_response ${ID} (\\S+) (\\{.*)`, (m) => ({
    userId: +m[1],
    requestId: m[2],
    responseData: jsonObject(m[3]),
  })),
  rule('StartChat', `/_start main=${ONOFF}( snd_files=off)?( service_requests=on)?`, (m) => ({
    mainApp: m[1] === 'on',
    enableSndFiles: !m[2],
    serviceRequests: !!m[3],
  })),
  rule('APIStopChat', '/_stop', () => ({})),
  rule('ConnectRemoteCtrl', '/crc (\\S+)', (m) => ({ remoteInvitation: m[1] })),
  rule('VerifyRemoteCtrlSession', '/verify remote ctrl (\\S+)', (m) => ({ sessionCode: m[1] })),
];

/** The names of every command the grammar knows, documented or not. */
export const COMMAND_NAMES: readonly string[] = RULES.map((r) => r.name);

/** Parses one command string; throws the CLI's commandError when nothing matches. */
export function parseCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  for (const r of RULES) {
    const m = r.pattern.exec(trimmed);
    if (m) return { name: r.name, args: r.build(m) };
  }
  throw parseFailure();
}
