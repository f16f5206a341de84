'use strict';
// Drives the bot through every kind of conversation the emulator supports and checks each reply and event it sends
// against the record definitions of COMMANDS.md, EVENTS.md and TYPES.md: every required field present with the
// documented type, no field the reference does not define, and every event of the design file's list emitted.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const reference = require('./reference');
const { CliClient, controlOk, startSimplexEmulator, waitFor } = require('./helpers');

// Sent by the real CLI but not in the reference; each is justified in the design file (section 1).
const UNDOCUMENTED = new Set([
  'sndFileProgressXFTP', // F11
  'rcvFileProgressXFTP', // F17
  'contactSubSummary', // F16: startup burst of older versions, the emulator's unknown tag
  'apiChat', // F18: reply of `/_get chat`
]);

// The events section 4 of the design file asks the emulator to emit.
const REQUIRED_EVENTS = [
  'newChatItems',
  'contactConnected',
  'acceptingContactRequest',
  'receivedContactRequest',
  'contactConnecting',
  'contactSndReady',
  'contactUpdated',
  'contactDeletedByContact',
  'chatItemUpdated',
  'chatItemsDeleted',
  'chatItemReaction',
  'groupChatItemsDeleted',
  'chatItemsStatusesUpdated',
  'receivedGroupInvitation',
  'userJoinedGroup',
  'joinedGroupMember',
  'connectedToGroupMember',
  'memberRole',
  'deletedMember',
  'leftMember',
  'deletedMemberUser',
  'groupDeleted',
  'groupUpdated',
  'sentGroupInvitation',
  'rcvFileDescrReady',
  'rcvFileAccepted',
  'rcvFileStart',
  'rcvFileComplete',
  'rcvFileError',
  'rcvFileSndCancelled',
  'sndFileCompleteXFTP',
  'sndFileError',
  'sndFileProgressXFTP',
  'rcvFileProgressXFTP',
  'hostConnected',
  'subscriptionStatus',
  'messageError',
  'chatError',
];

const definitions = { ...reference.responseRecords };
for (const [tag, defs] of Object.entries(reference.eventRecords))
  definitions[tag] = [...(definitions[tag] ?? []), ...defs];

function problemsOf(records) {
  const problems = [];
  for (const { resp, from } of records) {
    if (UNDOCUMENTED.has(resp.type)) continue;
    for (const p of reference.checkRecord(resp, definitions)) problems.push(`${from}: ${p}`);
  }
  return problems;
}

describe('SimpleX emulator: records against TYPES.md', function () {
  this.timeout(30000);
  let emu;
  let bot;
  let carol;
  const seen = [];
  let tmp;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-records-'));
    emu = await startSimplexEmulator({
      seed: 'demo',
      filesFolder: path.join(tmp, 'bot-files'),
      autoAcceptFiles: 1024,
      peoplePorts: true,
    });
    bot = await CliClient.connect(emu.url);
    const origCmd = bot.cmd.bind(bot);
    bot.cmd = async (text, corrId) => {
      const resp = await origCmd(text, corrId);
      seen.push({ resp, from: text.slice(0, 60) });
      return resp;
    };
  });
  after(async () => {
    bot?.close();
    carol?.close();
    await emu?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('every reply and event of a long conversation matches the reference', async () => {
    const alice = 'Alice';
    // Profile, address and settings.
    await bot.ok('/user');
    await bot.ok('/users');
    const profile = {
      displayName: 'HomeBot',
      fullName: 'Home automation',
      peerType: 'bot',
      preferences: {
        files: { allow: 'yes' },
        commands: [
          { type: 'command', keyword: 'help', label: 'Help' },
          { type: 'menu', label: 'Lights', commands: [{ type: 'command', keyword: 'on', label: 'On' }] },
        ],
      },
    };
    await bot.ok(`/_profile 1 ${JSON.stringify(profile)}`);
    await bot.ok(`/_profile 1 ${JSON.stringify(profile)}`); // userProfileNoChange
    await bot.ok('/_profile_address 1 on');
    await bot.ok('/_show_address 1');
    await bot.ok('/_contacts 1');
    await bot.ok('/_groups 1');
    await bot.ok('/_get chats 1 pcc=on count=10 {"type":"filters","favorite":false,"unread":false}');
    await bot.ok('/_get chat @1 count=5');
    await bot.ok('/_members #1');
    await bot.ok('/_set custom @1 {"tier":"gold"}');
    await bot.ok('/_set custom #1');
    await bot.ok('/_set prefs @1 {"reactions":{"allow":"yes"}}');
    await bot.ok('/_set accept member contacts 1 off');
    await bot.ok('/_share address @1');
    await bot.ok('/_connect 1');
    const address = (await bot.ok('/_show_address 1')).contactLink.connLinkContact.connShortLink;
    await bot.ok(`/_connect plan 1 ${address}`);
    await bot.cmd('/_accept 999');

    // Direct messages both ways, quote, edit, reaction, deletion.
    const mark = bot.events.length;
    await controlOk(emu, 'POST', '/send', { from: alice, to: 'bot', text: 'turn on the lights' });
    const received = await bot.waitEvent(
      (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.content.type === 'rcvMsgContent',
      3000,
      mark,
    );
    const aliceId = received.chatItems[0].chatInfo.contact.contactId;
    const rcvItemId = received.chatItems[0].chatItem.meta.itemId;
    const sent = await bot.ok(
      `/_send @${aliceId} json ${JSON.stringify([{ msgContent: { type: 'text', text: 'done' }, quotedItemId: rcvItemId, mentions: {} }])}`,
    );
    const sentId = sent.chatItems[0].chatItem.meta.itemId;
    await bot.ok(
      `/_update item @${aliceId} ${sentId} json ${JSON.stringify({ msgContent: { type: 'text', text: 'done!' }, mentions: {} })}`,
    );
    await bot.ok(
      `/_update item @${aliceId} ${sentId} json ${JSON.stringify({ msgContent: { type: 'text', text: 'done!' }, mentions: {} })}`,
    );
    await bot.cmd(
      `/_update item @${aliceId} ${rcvItemId} json ${JSON.stringify({ msgContent: { type: 'text', text: 'not mine' }, mentions: {} })}`,
    );
    await bot.ok(`/_reaction @${aliceId} ${rcvItemId} on {"type":"emoji","emoji":"🚀"}`);
    await controlOk(emu, 'POST', '/react', { person: alice, to: 'bot', emoji: '👍' });
    await controlOk(emu, 'POST', '/edit', { person: alice, to: 'bot', text: 'turn on ALL the lights' });
    await controlOk(emu, 'POST', '/delete', { person: alice, to: 'bot' });
    await bot.waitEvent('chatItemsDeleted');
    await bot.ok(`/_delete item @${aliceId} ${sentId} broadcast`);
    await bot.ok(`/_delete item @${aliceId} ${rcvItemId} internal`);

    // Groups: messages with a mention, moderation, roles, blocking, link, a group made by Bob.
    const family = (await bot.ok('/_groups 1')).groups.find((g) => g.groupProfile.displayName === 'Family');
    const members = (await bot.ok(`/_members #${family.groupId}`)).group.members;
    const bobMember = members.find((m) => m.localDisplayName === 'Bob');
    await bot.ok(
      `/_send #${family.groupId} json ${JSON.stringify([{ msgContent: { type: 'text', text: '@Bob hello' }, mentions: { Bob: bobMember.groupMemberId } }])}`,
    );
    const bobMark = bot.events.length;
    await controlOk(emu, 'POST', '/send', { from: 'Bob', group: 'Family', text: 'spam' });
    const bobMsg = await bot.waitEvent(
      (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.chatDir.type === 'groupRcv',
      3000,
      bobMark,
    );
    await bot.ok(`/_delete member item #${family.groupId} ${bobMsg.chatItems[0].chatItem.meta.itemId}`);
    await bot.ok(`/_member role #${family.groupId} ${bobMember.groupMemberId} moderator`);
    await bot.ok(`/_block #${family.groupId} ${bobMember.groupMemberId} blocked=on`);
    await bot.ok(`/_block #${family.groupId} ${bobMember.groupMemberId} blocked=off`);
    await bot.ok(`/_group_profile #${family.groupId} {"displayName":"Family","fullName":"","description":"home"}`);
    await bot.ok(`/_create link #${family.groupId} member`);
    await bot.ok(`/_get link #${family.groupId}`);
    await bot.ok(`/_set link role #${family.groupId} member`);
    const team = (await bot.ok('/_group 1 {"displayName":"Team","fullName":""}')).groupInfo;
    await bot.ok(`/_add #${team.groupId} ${aliceId} member`);
    await controlOk(emu, 'POST', '/join', { person: alice, group: 'Team' });
    await bot.waitEvent((e) => e.type === 'connectedToGroupMember' && e.groupInfo.groupId === team.groupId);
    const teamLink = (await bot.ok(`/_create link #${team.groupId} member`)).groupLink.connLinkContact.connShortLink;
    await controlOk(emu, 'POST', '/join', { person: 'Bob', link: teamLink });
    await bot.waitEvent('sentGroupInvitation').catch(() => undefined);
    await bot.waitEvent((e) => e.type === 'joinedGroupMember' || e.type === 'connectedToGroupMember');
    await bot.ok(`/_delete link #${team.groupId}`);
    const bobRun = (cmd) => controlOk(emu, 'POST', '/command', { device: 'Bob', cmd });
    const bobInvitation = (await bobRun('/_connect 1')).connLinkInvitation.connShortLink;
    await controlOk(emu, 'POST', '/connect', { person: alice, link: bobInvitation });
    await waitFor(async () =>
      (await bobRun('/_contacts 1')).contacts.some(
        (c) => c.localDisplayName === 'Alice' && c.activeConn.connStatus === 'ready',
      ),
    );
    await controlOk(emu, 'POST', '/groups', { owner: 'Bob', name: 'Club', members: ['bot', 'Alice'] });
    const invitation = await bot.waitEvent('receivedGroupInvitation');
    await bot.ok(`/_join #${invitation.groupInfo.groupId}`);
    await bot.waitEvent('userJoinedGroup');
    await controlOk(emu, 'POST', '/join', { person: alice, group: 'Club' });
    await bot.waitEvent('joinedGroupMember');
    const bobClub = (await bobRun('/_groups 1')).groups.find((g) => g.groupProfile.displayName === 'Club');
    const bobClubMembers = (await bobRun(`/_members #${bobClub.groupId}`)).group.members;
    const botInClub = bobClubMembers.find((m) => m.localDisplayName === 'HomeBot');
    const aliceInClub = bobClubMembers.find((m) => m.localDisplayName === 'Alice');
    await bot.ok(
      `/_send #${invitation.groupInfo.groupId} json ${JSON.stringify([{ msgContent: { type: 'text', text: 'buy now' } }])}`,
    );
    const botPost = await waitFor(async () =>
      (await controlOk(emu, 'GET', '/messages?person=Bob&chat=%23Club')).find((m) => m.text === 'buy now'),
    );
    await bobRun(`/_delete member item #${bobClub.groupId} ${botPost.itemId}`);
    await bot.waitEvent('groupChatItemsDeleted');
    await bobRun(`/_member role #${bobClub.groupId} ${botInClub.groupMemberId} admin`);
    await bot.waitEvent('memberRole');
    await bobRun(`/_group_profile #${bobClub.groupId} {"displayName":"Club","fullName":"The club"}`);
    await bot.waitEvent((e) => e.type === 'groupUpdated' && e.toGroup.groupProfile.fullName === 'The club');
    await bobRun(`/_remove #${bobClub.groupId} ${aliceInClub.groupMemberId}`);
    await bot.waitEvent('deletedMember');
    await bobRun(`/_remove #${bobClub.groupId} ${botInClub.groupMemberId} messages=on`);
    await bot.waitEvent('deletedMemberUser');
    await controlOk(emu, 'POST', '/groups', { owner: 'Bob', name: 'Gone', members: ['bot'] });
    const gone = await bot.waitEvent(
      (e) => e.type === 'receivedGroupInvitation' && e.groupInfo.groupProfile.displayName === 'Gone',
    );
    await bot.ok(`/_join #${gone.groupInfo.groupId}`);
    await bot.waitEvent((e) => e.type === 'userJoinedGroup' && e.groupInfo.groupId === gone.groupInfo.groupId);
    const bobGone = (await bobRun('/_groups 1')).groups.find((g) => g.groupProfile.displayName === 'Gone');
    await bobRun(`/_delete #${bobGone.groupId} full`);
    await bot.waitEvent('groupDeleted');
    await controlOk(emu, 'POST', '/leave', { person: 'Bob', group: 'Family' });
    await bot.waitEvent('leftMember');
    await bot.ok(
      `/_remove #${team.groupId} ${(await bot.ok(`/_members #${team.groupId}`)).group.members[0].groupMemberId}`,
    );
    await bot.ok(`/_leave #${team.groupId}`);
    await bot.ok(`/_delete #${team.groupId} full`);

    // Files both ways, a cancelled file, a failed upload, a failed download.
    const mark2 = bot.events.length;
    await controlOk(emu, 'POST', '/send', {
      from: alice,
      to: 'bot',
      file: { name: 'small.txt', base64: Buffer.from('tiny').toString('base64') },
    });
    await bot.waitEvent('rcvFileComplete', 3000, mark2); // auto-accepted (-a 1024)
    const big = Buffer.alloc(4096, 7).toString('base64');
    await controlOk(emu, 'POST', '/send', { from: alice, to: 'bot', file: { name: 'big.bin', base64: big } });
    const offer = await bot.waitEvent(
      (e) => e.type === 'rcvFileDescrReady' && e.rcvFileTransfer.fileInvitation.fileName === 'big.bin',
      3000,
      mark2,
    );
    fs.writeFileSync(path.join(tmp, 'bot-files-blocker'), 'a file, not a folder');
    await bot.ok(
      `/freceive ${offer.rcvFileTransfer.fileId} approved_relays=on ${path.join(tmp, 'bot-files-blocker', 'x.bin')}`,
    );
    await bot.waitEvent('rcvFileError');
    await controlOk(emu, 'POST', '/send', { from: alice, to: 'bot', file: { name: 'again.bin', base64: big } });
    const again = await bot.waitEvent(
      (e) => e.type === 'rcvFileDescrReady' && e.rcvFileTransfer.fileInvitation.fileName === 'again.bin',
      3000,
      mark2,
    );
    await bot.ok(`/freceive ${again.rcvFileTransfer.fileId}`);
    await bot.waitEvent((e) => e.type === 'rcvFileComplete' && e.chatItem.chatItem.file.fileName === 'again.bin');
    await bot.cmd(`/freceive ${again.rcvFileTransfer.fileId}`);
    const toSend = path.join(tmp, 'report.txt');
    fs.writeFileSync(toSend, 'quarterly report');
    await bot.ok(
      `/_send @${aliceId} json ${JSON.stringify([{ fileSource: { filePath: toSend }, msgContent: { type: 'file', text: 'report' } }])}`,
    );
    await bot.waitEvent('sndFileCompleteXFTP');
    await controlOk(emu, 'POST', '/faults/fail-uploads', { count: 1 });
    await bot.ok(
      `/_send @${aliceId} json ${JSON.stringify([{ fileSource: { filePath: toSend }, msgContent: { type: 'file', text: '' } }])}`,
    );
    await bot.waitEvent('sndFileError');
    const cancelled = await bot.ok(
      `/_send @${aliceId} json ${JSON.stringify([{ fileSource: { filePath: toSend }, msgContent: { type: 'file', text: '' } }])}`,
    );
    await bot.ok(`/fcancel ${cancelled.chatItems[0].chatItem.file.fileId}`);
    await controlOk(emu, 'POST', '/send', { from: alice, to: 'bot', file: { name: 'cancel-me.bin', base64: big } });
    const toCancel = await bot.waitEvent(
      (e) => e.type === 'rcvFileDescrReady' && e.rcvFileTransfer.fileInvitation.fileName === 'cancel-me.bin',
      3000,
      mark2,
    );
    await bot.ok(`/fcancel ${toCancel.rcvFileTransfer.fileId}`);
    await controlOk(emu, 'POST', '/send', { from: alice, to: 'bot', file: { name: 'withdrawn.bin', base64: big } });
    const aliceRun = (cmd) => controlOk(emu, 'POST', '/command', { device: alice, cmd });
    const aliceSent = (await controlOk(emu, 'GET', '/messages?person=Alice')).filter(
      (m) => m.file?.fileName === 'withdrawn.bin',
    );
    await bot.waitEvent(
      (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.file?.fileName === 'withdrawn.bin',
      3000,
      mark2,
    );
    await aliceRun(`/fcancel ${aliceSent[0].file.fileId}`);
    await bot.waitEvent('rcvFileSndCancelled');

    // A contact request accepted by the address's auto-accept, then without it: accept Carol (over her own port),
    // reject Dave; Carol leaves.
    await controlOk(emu, 'POST', '/people', { name: 'Erin' });
    await controlOk(emu, 'POST', '/connect', { person: 'Erin' });
    await bot.waitEvent('acceptingContactRequest');
    const business = {
      businessAddress: true,
      autoAccept: { acceptIncognito: false },
      autoReply: { type: 'text', text: 'How can we help?' },
    };
    await bot.ok(`/_address_settings 1 ${JSON.stringify(business)}`);
    await controlOk(emu, 'POST', '/people', { name: 'Customer' });
    await controlOk(emu, 'POST', '/connect', { person: 'Customer' });
    await bot.waitEvent('acceptingBusinessRequest');
    await waitFor(
      async () =>
        (await controlOk(emu, 'GET', '/devices')).find((d) => d.name === 'Customer').groups[0]?.memberStatus ===
        'connected',
    );
    await controlOk(emu, 'POST', '/send', { from: 'Customer', group: 'HomeBot', text: 'my order is late' });
    await bot.waitEvent((e) => e.type === 'newChatItems' && e.chatItems[0].chatInfo.groupInfo?.businessChat);
    await bot.ok('/_address_settings 1 {"businessAddress":false}');
    await controlOk(emu, 'POST', '/people', { name: 'Carol', ws: true });
    carol = await CliClient.connect(emu.people.Carol);
    await carol.ok(`/connect ${address}`);
    const request = await bot.waitEvent('receivedContactRequest');
    await bot.ok(`/_accept ${request.contactRequest.contactRequestId}`);
    const carolContact = await bot.waitEvent(
      (e) => e.type === 'contactConnected' && e.contact.localDisplayName === 'Carol',
    );
    await controlOk(emu, 'POST', '/people', { name: 'Dave' });
    await controlOk(emu, 'POST', '/connect', { person: 'Dave' });
    const daveRequest = await bot.waitEvent(
      (e) => e.type === 'receivedContactRequest' && e.contactRequest.localDisplayName === 'Dave',
    );
    await bot.ok(`/_reject ${daveRequest.contactRequest.contactRequestId}`);
    const invitation1 = (await bot.ok('/_connect 1')).connLinkInvitation.connShortLink;
    await controlOk(emu, 'POST', '/connect', { person: 'Dave', link: invitation1 });
    await bot.waitEvent('contactConnecting');
    await carol.ok(`/_profile 1 {"displayName":"Carol","fullName":"Carol C."}`);
    await bot.waitEvent('contactUpdated');
    await carol.ok('/_delete @1 full');
    await bot.waitEvent('contactDeletedByContact');
    await bot.ok(`/_delete @${carolContact.contact.contactId} full`);
    const daveId = (await bot.ok('/_contacts 1')).contacts.find((c) => c.localDisplayName === 'Dave').contactId;
    await bot.ok(`/_delete @${daveId} full notify=off`);
    await controlOk(emu, 'POST', '/send', { from: 'Dave', to: 'bot', text: 'still there?' });
    await bot.waitEvent('messageError');
    await controlOk(emu, 'POST', '/faults/error-event', { kind: 'chatError' });
    await bot.waitEvent('chatError');

    // Users and chat management.
    await bot.ok(
      '/_create user {"profile":{"displayName":"Second","fullName":""},"pastTimestamp":false,"clientService":false}',
    );
    await bot.ok('/_user 1');
    await bot.ok('/_delete user 2 del_smp=off');
    await bot.ok('/_stop');
    await bot.ok('/_start main=on');
    await bot.ok('/_delete_address 1');
    await bot.cmd('/_show_address 1');

    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const resp of bot.events) seen.push({ resp, from: `event ${resp.type}` });
    const problems = problemsOf(seen);
    assert.deepEqual(problems, []);
    const emitted = new Set(bot.events.map((e) => e.type));
    assert.deepEqual(
      REQUIRED_EVENTS.filter((t) => !emitted.has(t)),
      [],
    );
    const undocumented = [...new Set(seen.map((s) => s.resp.type))].filter((t) => !definitions[t]);
    assert.deepEqual(
      undocumented.filter((t) => !UNDOCUMENTED.has(t)),
      [],
    );
  });

  it('the checker rejects a record with a missing required field, a wrong type or an unknown field', () => {
    const good = seen.find((s) => s.resp.type === 'newChatItems').resp;
    assert.deepEqual(reference.checkRecord(good, definitions), []);
    const missing = structuredClone(good);
    delete missing.chatItems[0].chatItem.meta.itemTs;
    assert.match(reference.checkRecord(missing, definitions).join('\n'), /itemTs: required/);
    const wrong = structuredClone(good);
    wrong.chatItems[0].chatItem.meta.itemId = '12';
    assert.match(reference.checkRecord(wrong, definitions).join('\n'), /itemId: expected int64/);
    const extra = structuredClone(good);
    extra.chatItems[0].chatInfo.chatType = 'direct';
    assert.match(reference.checkRecord(extra, definitions).join('\n'), /chatType: not a field of ChatInfo/);
  });
});
