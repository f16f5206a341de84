'use strict';
// The control routes a chat app needs to show a person's side (the phone page uses them): the chat list, chats named
// by their CLI reference, detailed items (quote, reactions, sender, service events) and the files of a chat.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { CliClient, control, controlOk, startSimplexEmulator, waitFor } = require('./helpers');

describe('SimpleX emulator: a person’s chats, items and files', function () {
  this.timeout(20000);
  let emu;
  let bot;
  let tmp;

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-chats-'));
    emu = await startSimplexEmulator({ seed: 'demo', filesFolder: path.join(tmp, 'bot') });
    bot = await CliClient.connect(emu.url);
  });
  afterEach(async () => {
    bot.close();
    await emu.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const aliceChats = () => controlOk(emu, 'GET', '/chats?person=Alice');
  const botContact = async () => (await aliceChats()).find((c) => c.bot);

  it('lists contacts and groups with their state and last item, newest first', async () => {
    await controlOk(emu, 'POST', '/send', { from: 'Bob', group: 'Family', text: 'dinner at 7' });
    const chats = await waitFor(async () => {
      const list = await aliceChats();
      return list[0]?.lastItem?.text === 'dinner at 7' && list;
    });
    assert.deepEqual(
      chats.map((c) => [c.chat.slice(0, 1), c.type, c.name, c.ready]),
      [
        ['#', 'group', 'Family', true],
        ['@', 'direct', 'HomeBot', true],
      ],
    );
    assert.equal(chats[0].status, 'connected');
    assert.equal(chats[0].members, 3);
    assert.equal(chats[0].lastItem.sender, 'Bob');
    assert.equal(chats[1].bot, true);
    assert.ok(chats[1].messageCount >= 1, 'the welcome counts as a message');
    assert.equal(chats[1].lastItem.text, 'Hello! I am HomeBot.');
  });

  it('shows a group invitation as invited until joined by its chat reference', async () => {
    const contacts = await bot.ok('/_contacts 1');
    const alice = contacts.contacts.find((c) => c.localDisplayName === 'Alice');
    const created = await bot.ok(`/_group 1 ${JSON.stringify({ displayName: 'Garden', fullName: '' })}`);
    await bot.ok(`/_add #${created.groupInfo.groupId} ${alice.contactId} member`);
    const invited = await waitFor(async () => (await aliceChats()).find((c) => c.name === 'Garden'));
    assert.equal(invited.status, 'invited');
    assert.equal(invited.ready, false);
    assert.equal(invited.invitedBy, 'HomeBot');
    const joined = await controlOk(emu, 'POST', '/join', { person: 'Alice', chat: invited.chat });
    assert.equal(joined.reply.type, 'userAcceptedGroupSent');
    const ready = await waitFor(async () => (await aliceChats()).find((c) => c.name === 'Garden' && c.ready));
    assert.equal(ready.status, 'connected');
    assert.equal(ready.invitedBy, null);
  });

  it('acts in a chat named by its reference (@id, #id) and refuses a reference the person does not have', async () => {
    const { chat } = await botContact();
    await controlOk(emu, 'POST', '/send', { from: 'Alice', chat, text: 'by reference' });
    const got = await bot.waitEvent(
      (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.content.msgContent?.text === 'by reference',
    );
    assert.equal(got.chatItems[0].chatInfo.contact.localDisplayName, 'Alice');
    const items = await controlOk(emu, 'GET', `/messages?person=Alice&chat=${encodeURIComponent(chat)}`);
    assert.equal(items.at(-1).text, 'by reference');
    const missing = await control(emu, 'POST', '/send', { from: 'Alice', chat: '@999', text: 'x' });
    assert.equal(missing.status, 404);
    const malformed = await control(emu, 'POST', '/send', { from: 'Alice', chat: 'Family', text: 'x' });
    assert.equal(malformed.status, 404);
  });

  it('describes items with the quote, its sender, the reactions with who reacted, and service events', async () => {
    const { chat } = await botContact();
    await controlOk(emu, 'POST', '/send', { from: 'Alice', chat, text: 'question' });
    const got = await bot.waitEvent(
      (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.content.msgContent?.text === 'question',
    );
    const contactId = got.chatItems[0].chatInfo.contact.contactId;
    const question = got.chatItems[0].chatItem.meta.itemId;
    await bot.ok(
      `/_send @${contactId} json ${JSON.stringify([{ msgContent: { type: 'text', text: 'answer' }, quotedItemId: question }])}`,
    );
    await bot.ok(`/_reaction @${contactId} ${question} on ${JSON.stringify({ type: 'emoji', emoji: '✅' })}`);
    const items = await waitFor(async () => {
      const list = await controlOk(emu, 'GET', `/messages?person=Alice&chat=${encodeURIComponent(chat)}`);
      const mine = list.find((m) => m.text === 'question');
      return list.some((m) => m.text === 'answer') && mine.reactionCounts.length > 0 && list;
    });
    const answer = items.find((m) => m.text === 'answer');
    assert.deepEqual(answer.quote, {
      itemId: items.find((m) => m.text === 'question').itemId,
      mine: true,
      sender: 'Alice',
      text: 'question',
      contentType: 'text',
    });
    assert.equal(answer.senderId, chat);
    await controlOk(emu, 'POST', '/react', { person: 'Alice', chat, itemId: answer.itemId, emoji: '✅' });
    const after = await controlOk(emu, 'GET', `/messages?person=Alice&chat=${encodeURIComponent(chat)}`);
    assert.deepEqual(after.find((m) => m.text === 'question').reactionCounts, [
      { reaction: { type: 'emoji', emoji: '✅' }, totalReacted: 1, userReacted: false, by: ['HomeBot'] },
    ]);
    assert.deepEqual(after.find((m) => m.text === 'answer').reactionCounts, [
      { reaction: { type: 'emoji', emoji: '✅' }, totalReacted: 1, userReacted: true, by: ['Alice'] },
    ]);
    const e2ee = after.find((m) => m.contentType === 'rcvDirectE2EEInfo');
    assert.ok(e2ee, 'the chat starts with its encryption notice');
    assert.equal(e2ee.msgContent, null);
    // The group's host saw its members connect.
    const groupItems = await controlOk(emu, 'GET', '/messages?person=bot&chat=%23Family');
    const connected = groupItems.filter((m) => m.serviceEvent === 'memberConnected').map((m) => m.sender);
    assert.deepEqual(connected.sort(), ['Alice', 'Bob']);
  });

  it('serves a received file (receiving it first) and a sent one, pictures inline, downloads as attachments', async () => {
    const { chat } = await botContact();
    const contactId = (await bot.ok('/_contacts 1')).contacts.find((c) => c.localDisplayName === 'Alice').contactId;
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6, 7, 8]);
    const sent = path.join(tmp, 'pic.png');
    fs.writeFileSync(sent, bytes);
    await bot.ok(
      `/_send @${contactId} json ${JSON.stringify([{ msgContent: { type: 'image', text: '', image: '' }, fileSource: { filePath: sent } }])}`,
    );
    const item = await waitFor(async () =>
      (await controlOk(emu, 'GET', `/messages?person=Alice&chat=${encodeURIComponent(chat)}`)).find((m) => m.file),
    );
    assert.equal(item.file.status, 'rcvInvitation');
    const res = await fetch(`${emu.controlUrl}/file?person=Alice&fileId=${item.file.fileId}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.match(res.headers.get('content-disposition'), /^inline; filename="pic.png"/);
    assert.match(res.headers.get('content-security-policy'), /sandbox/);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes));
    const received = (await controlOk(emu, 'GET', `/messages?person=Alice&chat=${encodeURIComponent(chat)}`)).find(
      (m) => m.file,
    );
    assert.equal(received.file.status, 'rcvComplete');

    await controlOk(emu, 'POST', '/send', {
      from: 'Alice',
      chat,
      file: { name: 'notes.txt', base64: Buffer.from('my notes').toString('base64') },
    });
    const own = await waitFor(async () =>
      (await controlOk(emu, 'GET', `/messages?person=Alice&chat=${encodeURIComponent(chat)}`)).find(
        (m) => m.file?.fileName === 'notes.txt',
      ),
    );
    const download = await fetch(`${emu.controlUrl}/file?person=Alice&fileId=${own.file.fileId}&download=1`);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'application/octet-stream');
    assert.match(download.headers.get('content-disposition'), /^attachment; filename="notes.txt"/);
    assert.equal(await download.text(), 'my notes');

    const unknown = await fetch(`${emu.controlUrl}/file?person=Alice&fileId=9999`);
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).error, /no file 9999/);
    const noId = await fetch(`${emu.controlUrl}/file?person=Alice`);
    assert.equal(noId.status, 400);
  });
});
