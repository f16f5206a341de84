'use strict';
// Fixtures for the behaviour of the real CLI that the reference leaves out (design file, section 1, F1-F18).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const WebSocket = require('ws');
const { CliClient, control, controlOk, sleep, startSimplexEmulator, waitFor } = require('./helpers');

const TEXT = (text) => JSON.stringify([{ msgContent: { type: 'text', text }, mentions: {} }]);

async function aliceContactId(cli) {
  return (await cli.ok('/_contacts 1')).contacts.find((c) => c.localDisplayName === 'Alice').contactId;
}

describe('SimpleX emulator: facts of the real CLI (design file section 1)', function () {
  this.timeout(20000);
  let emu;
  let tmp;
  const clients = [];
  const connect = async (url = emu.url) => {
    const c = await CliClient.connect(url);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-facts-'));
    emu = await startSimplexEmulator({ seed: 'demo', filesFolder: path.join(tmp, 'files') });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await emu.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('F1: one command at a time per socket', () => {
    it('runs commands strictly in order: a slow command delays the ones behind it', async () => {
      const cli = await connect();
      await controlOk(emu, 'POST', '/faults/delay', { match: '^/users$', ms: 300 });
      const order = [];
      const started = Date.now();
      await Promise.all([
        cli.cmd('/users').then(() => order.push(['users', Date.now() - started])),
        cli.cmd('/user').then(() => order.push(['user', Date.now() - started])),
        cli.cmd('/_contacts 1').then(() => order.push(['contacts', Date.now() - started])),
      ]);
      assert.deepEqual(
        order.map((o) => o[0]),
        ['users', 'user', 'contacts'],
      );
      assert.ok(order[1][1] >= 290, `the second command waited for the first (${order[1][1]} ms)`);
    });

    it('stops reading while two commands wait behind a slow one, so pings go unanswered until it ends', async () => {
      const cli = await connect();
      const pongAfter = async () => {
        const t = Date.now();
        await new Promise((resolve) => {
          cli.ws.once('pong', resolve);
          cli.ws.ping();
        });
        return Date.now() - t;
      };
      await controlOk(emu, 'POST', '/faults/delay', { match: '^/users$', ms: 1000 });
      const one = cli.cmd('/users');
      const two = cli.cmd('/user');
      await sleep(50);
      assert.ok((await pongAfter()) < 500, 'one command waiting: the socket is still read');
      await Promise.all([one, two]);

      await controlOk(emu, 'POST', '/faults/delay', { match: '^/users$', ms: 1000 });
      const slow = cli.cmd('/users');
      const waiting = [cli.cmd('/user'), cli.cmd('/user')];
      await sleep(50);
      const connections = await controlOk(emu, 'GET', '/connections');
      assert.equal(connections[0].reading, false);
      assert.ok((await pongAfter()) >= 700, 'two commands waiting: the ping waits for the slow command');
      await Promise.all([slow, ...waiting]);
    });
  });

  describe('F2/F3: each event to exactly one socket; events queue while nobody is connected', () => {
    it('splits events between two sockets, each delivered once', async () => {
      const a = await connect();
      const b = await connect();
      await sleep(50);
      for (let i = 0; i < 10; i++) await controlOk(emu, 'POST', '/send', { from: 'Alice', to: 'bot', text: `m${i}` });
      const texts = () =>
        [...a.events, ...b.events]
          .filter((e) => e.type === 'newChatItems')
          .map((e) => e.chatItems[0].chatItem.content.msgContent?.text);
      await waitFor(() => texts().length === 10);
      await sleep(50);
      assert.deepEqual([...texts()].sort(), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
      const onA = a.events.filter((e) => e.type === 'newChatItems').length;
      assert.ok(onA > 0 && onA < 10, `both sockets got some (${onA} of 10 on the first)`);
    });

    it('queues events while no socket is connected and gives the backlog to the next one, in order', async () => {
      const first = await connect();
      first.close();
      await sleep(50);
      for (let i = 0; i < 5; i++)
        await controlOk(emu, 'POST', '/send', { from: 'Alice', to: 'bot', text: `offline ${i}` });
      await waitFor(async () => (await controlOk(emu, 'GET', '/faults')).queued >= 5);
      const next = await connect();
      await waitFor(() => next.events.filter((e) => e.type === 'newChatItems').length === 5);
      const texts = next.events
        .filter((e) => e.type === 'newChatItems')
        .map((e) => e.chatItems[0].chatItem.content.msgContent.text);
      assert.deepEqual(texts, ['offline 0', 'offline 1', 'offline 2', 'offline 3', 'offline 4']);
    });

    it('bounds the queue: beyond its size the relay holds messages until a client drains it', async () => {
      await emu.close();
      emu = await startSimplexEmulator({ seed: 'demo', queueSize: 3 });
      await sleep(50);
      for (let i = 0; i < 8; i++) await controlOk(emu, 'POST', '/send', { from: 'Bob', to: 'bot', text: `b${i}` });
      await waitFor(async () => (await controlOk(emu, 'GET', '/faults')).held > 0);
      const state = await controlOk(emu, 'GET', '/faults');
      assert.ok(state.queued <= 3 + 3, `queue stays near its bound (${state.queued})`);
      const cli = await connect();
      await waitFor(() => cli.events.filter((e) => e.type === 'newChatItems').length === 8);
      const texts = cli.events
        .filter((e) => e.type === 'newChatItems')
        .map((e) => e.chatItems[0].chatItem.content.msgContent.text);
      assert.deepEqual(texts, ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']);
    });
  });

  describe('F4: errors of the request layer', () => {
    const INVALID = {
      resp: {
        type: 'chatCmdError',
        chatError: { type: 'error', errorType: { type: 'commandError', message: 'invalid request' } },
      },
    };

    it('answers a frame that is not a request with "invalid request" and no corrId', async () => {
      const cli = await connect();
      for (const frame of ['not json', '{"corrId":"1"}', '{"cmd":"/user"}', '{"corrId":1,"cmd":"/user"}', '[1,2]']) {
        const before = cli.frames.length;
        cli.ws.send(frame);
        await waitFor(() => cli.frames.length > before);
        assert.deepEqual(cli.frames[before], INVALID, frame);
      }
      const before = cli.frames.length;
      cli.ws.send(Buffer.from('{"corrId":"b","cmd":"/user"}'), { binary: true });
      await waitFor(() => cli.frames.length > before);
      assert.deepEqual(cli.frames[before], INVALID);
    });

    it('answers a command that does not parse with commandError "Failed reading: empty" and its corrId', async () => {
      const cli = await connect();
      const before = cli.frames.length;
      cli.ws.send(JSON.stringify({ corrId: 'x-1', cmd: '/nonsense' }));
      await waitFor(() => cli.frames.length > before);
      assert.deepEqual(cli.frames[before], {
        corrId: 'x-1',
        resp: {
          type: 'chatCmdError',
          chatError: { type: 'error', errorType: { type: 'commandError', message: 'Failed reading: empty' } },
        },
      });
    });

    it('accepts the optional remoteHostId of newer versions', async () => {
      const cli = await connect();
      const before = cli.frames.length;
      cli.ws.send(JSON.stringify({ corrId: 'r', cmd: '/user', remoteHostId: null }));
      await waitFor(() => cli.frames.length > before);
      assert.equal(cli.frames[before].resp.type, 'activeUser');
    });
  });

  describe('F7: wire dialects', () => {
    it('flat by default; Right/Left in "either"; singular newChatItem in "legacy"', async () => {
      const cli = await connect();
      assert.equal((await cli.cmd('/user')).type, 'activeUser');
      await controlOk(emu, 'POST', '/faults/dialect', { dialect: 'either' });
      assert.equal((await cli.cmd('/user')).Right.type, 'activeUser');
      assert.deepEqual(Object.keys(await cli.cmd('/bad')), ['Left']);
      assert.equal((await cli.cmd('/bad')).Left.errorType.type, 'commandError');
      const mark = cli.events.length;
      await controlOk(emu, 'POST', '/send', { from: 'Alice', to: 'bot', text: 'either' });
      const wrapped = await cli.waitEvent((e) => e.Right?.type === 'newChatItems', 3000, mark);
      assert.equal(wrapped.Right.chatItems[0].chatItem.content.msgContent.text, 'either');

      await controlOk(emu, 'POST', '/faults/dialect', { dialect: 'legacy' });
      const mark2 = cli.events.length;
      await controlOk(emu, 'POST', '/send', { from: 'Alice', to: 'bot', text: 'legacy' });
      const legacy = await cli.waitEvent('newChatItem', 3000, mark2);
      assert.equal(legacy.chatItem.chatInfo.type, 'direct');
      assert.equal(legacy.chatItem.chatItem.content.msgContent.text, 'legacy');
      assert.equal(legacy.chatItems, undefined);
      const sent = await cli.cmd(`/_send @${await aliceContactId(cli)} json ${TEXT('one item')}`);
      assert.equal(sent.type, 'newChatItem');
    });
  });

  describe('F8/F9/F10: /_send payloads, size limits, reactions', () => {
    it('requires an array; accepts left-out mentions and the legacy top-level filePath; /_update takes one object', async () => {
      const cli = await connect();
      const id = await aliceContactId(cli);
      const bare = await cli.cmd(`/_send @${id} json {"msgContent":{"type":"text","text":"x"}}`);
      assert.equal(bare.chatError.errorType.message, 'Failed reading: empty');
      const noMentions = await cli.ok(`/_send @${id} json [{"msgContent":{"type":"text","text":"no mentions"}}]`);
      const file = path.join(tmp, 'legacy.txt');
      fs.writeFileSync(file, 'legacy path');
      const legacy = await cli.ok(
        `/_send @${id} json ${JSON.stringify([{ filePath: file, msgContent: { type: 'file', text: '' } }])}`,
      );
      assert.equal(legacy.chatItems[0].chatItem.file.fileName, 'legacy.txt');
      const itemId = noMentions.chatItems[0].chatItem.meta.itemId;
      const updated = await cli.ok(
        `/_update item @${id} ${itemId} json {"msgContent":{"type":"text","text":"edited"}}`,
      );
      assert.equal(updated.chatItem.chatItem.meta.itemEdited, true);
      const asArray = await cli.cmd(
        `/_update item @${id} ${itemId} json [{"msgContent":{"type":"text","text":"edited"}}]`,
      );
      assert.equal(asArray.chatError.errorType.message, 'Failed reading: empty');
    });

    it('rejects an encoded message over 15,602 bytes with errorStore largeMsg', async () => {
      const cli = await connect();
      const id = await aliceContactId(cli);
      await cli.ok(`/_send @${id} json ${TEXT('a'.repeat(15400))}`);
      for (const text of ['a'.repeat(15602), '€'.repeat(5300)]) {
        const resp = await cli.cmd(`/_send @${id} json ${TEXT(text)}`);
        assert.deepEqual(resp.chatError, { type: 'errorStore', storeError: { type: 'largeMsg' } });
      }
    });

    it('rejects a file over 1 GiB with fileSize, and a missing file with fileNotFound', async () => {
      const cli = await connect();
      const id = await aliceContactId(cli);
      const huge = path.join(tmp, 'huge.bin');
      fs.closeSync(fs.openSync(huge, 'w'));
      fs.truncateSync(huge, 1024 * 1024 * 1024 + 1); // sparse: no disk space used
      const tooBig = await cli.cmd(
        `/_send @${id} json ${JSON.stringify([{ fileSource: { filePath: huge }, msgContent: { type: 'file', text: '' } }])}`,
      );
      assert.equal(tooBig.chatError.errorType.type, 'fileSize');
      const missing = await cli.cmd(
        `/_send @${id} json ${JSON.stringify([{ fileSource: { filePath: path.join(tmp, 'nope') }, msgContent: { type: 'file', text: '' } }])}`,
      );
      assert.equal(missing.chatError.errorType.type, 'fileNotFound');
    });

    it('accepts exactly the eight reaction emojis', async () => {
      const cli = await connect();
      const id = await aliceContactId(cli);
      const sent = await cli.ok(`/_send @${id} json ${TEXT('react to me')}`);
      const itemId = sent.chatItems[0].chatItem.meta.itemId;
      for (const emoji of ['👍', '👎', '😀', '😂', '😢', '❤', '🚀', '✅']) {
        const resp = await cli.ok(`/_reaction @${id} ${itemId} on ${JSON.stringify({ type: 'emoji', emoji })}`);
        assert.equal(resp.reaction.chatReaction.reaction.emoji, emoji);
      }
      for (const emoji of ['🤖', '❤️', '👍🏽', 'ok', '']) {
        const resp = await cli.cmd(`/_reaction @${id} ${itemId} on ${JSON.stringify({ type: 'emoji', emoji })}`);
        assert.equal(resp.chatError?.errorType?.type, 'commandError', emoji);
      }
    });
  });

  describe('F11-F13: files', () => {
    it('sends a file: stored item, progress, then sndFileCompleteXFTP', async () => {
      const cli = await connect();
      const id = await aliceContactId(cli);
      const file = path.join(tmp, 'photo.jpg');
      fs.writeFileSync(file, Buffer.alloc(2048, 1));
      const image = { type: 'image', text: 'look', image: 'data:image/jpg;base64,/9j/4AAQ' };
      const sent = await cli.ok(
        `/_send @${id} json ${JSON.stringify([{ fileSource: { filePath: file }, msgContent: image }])}`,
      );
      const f = sent.chatItems[0].chatItem.file;
      assert.deepEqual(
        { status: f.fileStatus, protocol: f.fileProtocol, source: f.fileSource, size: f.fileSize },
        { status: { type: 'sndStored' }, protocol: 'xftp', source: { filePath: file }, size: 2048 },
      );
      const progress = await cli.waitEvent('sndFileProgressXFTP');
      assert.equal(progress.totalSize, 2048);
      assert.equal(typeof progress.sentSize, 'number');
      const done = await cli.waitEvent('sndFileCompleteXFTP');
      assert.equal(done.fileTransferMeta.fileId, f.fileId);
      assert.equal(done.chatItem.chatItem.meta.itemId, sent.chatItems[0].chatItem.meta.itemId);
      assert.ok(cli.events.indexOf(progress) < cli.events.indexOf(done));
    });

    it('receives a file: invitation, /freceive, start, complete with a path relative to --files-folder', async () => {
      const cli = await connect();
      await controlOk(emu, 'POST', '/send', {
        from: 'Alice',
        to: 'bot',
        text: 'here',
        file: { name: 'notes.txt', base64: Buffer.from('hello notes').toString('base64') },
      });
      const offer = await cli.waitEvent((e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.file);
      const item = offer.chatItems[0].chatItem;
      assert.equal(item.content.type, 'rcvMsgContent');
      assert.equal(item.content.msgContent.type, 'file');
      assert.equal(item.file.fileStatus.type, 'rcvInvitation');
      await cli.waitEvent('rcvFileDescrReady');
      const accepted = await cli.cmd(`/freceive ${item.file.fileId} approved_relays=on`);
      assert.equal(accepted.type, 'rcvFileAccepted');
      const start = await cli.waitEvent('rcvFileStart');
      const complete = await cli.waitEvent('rcvFileComplete');
      assert.ok(cli.events.indexOf(start) < cli.events.indexOf(complete));
      const done = complete.chatItem.chatItem.file;
      assert.equal(done.fileStatus.type, 'rcvComplete');
      assert.equal(done.fileSource.filePath, 'notes.txt');
      assert.equal(fs.readFileSync(path.join(tmp, 'files', 'notes.txt'), 'utf8'), 'hello notes');
      const again = await cli.cmd(`/freceive ${item.file.fileId}`);
      assert.equal(again.chatError.errorType.type, 'fileAlreadyReceiving');
    });

    it('without --files-folder the path is absolute; with -a the CLI accepts by itself', async () => {
      await emu.close();
      emu = await startSimplexEmulator({ seed: 'demo', autoAcceptFiles: true });
      const cli = await connect();
      await controlOk(emu, 'POST', '/send', {
        from: 'Bob',
        to: 'bot',
        file: { name: 'auto.bin', base64: Buffer.from([1, 2, 3]).toString('base64') },
      });
      const offer = await cli.waitEvent((e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.file);
      const accepted = await cli.waitEvent('rcvFileAccepted');
      assert.equal(accepted.chatItem.chatItem.file.fileId, offer.chatItems[0].chatItem.file.fileId);
      const complete = await cli.waitEvent('rcvFileComplete');
      const filePath = complete.chatItem.chatItem.file.fileSource.filePath;
      assert.ok(path.isAbsolute(filePath), filePath);
      assert.deepEqual([...fs.readFileSync(filePath)], [1, 2, 3]);
      const second = await cli.cmd(`/freceive ${offer.chatItems[0].chatItem.file.fileId}`);
      assert.equal(second.chatError.errorType.type, 'fileAlreadyReceiving');
    });
  });

  describe('F14-F18: groups, field locations, startup burst, service items, undocumented commands', () => {
    it('F14: an invitation carries invitedBy; /_join answers "accepted", then userJoinedGroup is "connected"', async () => {
      const cli = await connect();
      await controlOk(emu, 'POST', '/groups', { owner: 'Alice', name: 'Garden', members: ['bot'] });
      const inv = await cli.waitEvent('receivedGroupInvitation');
      assert.equal(inv.groupInfo.membership.invitedBy.type, 'contact');
      assert.equal(inv.groupInfo.membership.invitedBy.byContactId, inv.contact.contactId);
      const joined = await cli.ok(`/_join #${inv.groupInfo.groupId}`);
      assert.equal(joined.type, 'userAcceptedGroupSent');
      assert.equal(joined.groupInfo.membership.memberStatus, 'accepted');
      const event = await cli.waitEvent('userJoinedGroup');
      assert.equal(event.groupInfo.membership.memberStatus, 'connected');
      assert.equal(event.hostMember.localDisplayName, 'Alice');
    });

    it('F14: with auto-accept of group invitations the CLI joins by itself', async () => {
      const cli = await connect();
      await cli.ok('/_set accept group invitations 1 on');
      await controlOk(emu, 'POST', '/groups', { owner: 'Bob', name: 'Auto', members: ['bot'] });
      await cli.waitEvent('receivedGroupInvitation');
      const accepted = await cli.waitEvent('userAcceptedGroupSent');
      assert.equal(accepted.groupInfo.membership.memberStatus, 'accepted');
      const joined = await cli.waitEvent('userJoinedGroup');
      assert.equal(joined.groupInfo.groupProfile.displayName, 'Auto');
    });

    it('member support scopes parse but are not emulated: a clear error, nothing sent', async () => {
      const cli = await connect();
      const resp = await cli.cmd('/_send #1(_support:2) json [{"msgContent":{"type":"text","text":"x"}}]');
      assert.equal(resp.chatError.errorType.type, 'internalError');
      assert.match(resp.chatError.errorType.message, /_support/);
      const missing = await cli.cmd('/_send #77(_support) json [{"msgContent":{"type":"text","text":"x"}}]');
      assert.equal(missing.chatError.storeError.type, 'groupNotFound');
    });

    it('a chat deleted while its file uploads does not disturb the emulator', async () => {
      const cli = await connect();
      const id = await aliceContactId(cli);
      const file = path.join(tmp, 'late.bin');
      fs.writeFileSync(file, Buffer.alloc(100, 3));
      await cli.ok(
        `/_send @${id} json ${JSON.stringify([{ fileSource: { filePath: file }, msgContent: { type: 'file', text: '' } }])}`,
      );
      await cli.ok(`/_delete @${id} full`);
      await sleep(100);
      assert.equal((await cli.cmd('/user')).type, 'activeUser');
      assert.equal(
        (await cli.ok('/_contacts 1')).contacts.some((c) => c.contactId === id),
        false,
      );
    });

    it('a business address gives each customer a group chat with the business, welcome included', async () => {
      const cli = await connect();
      const settings = {
        businessAddress: true,
        autoAccept: { acceptIncognito: false },
        autoReply: { type: 'text', text: 'Welcome to the shop' },
      };
      await cli.ok(`/_address_settings 1 ${JSON.stringify(settings)}`);
      await controlOk(emu, 'POST', '/people', { name: 'Carla' });
      await controlOk(emu, 'POST', '/connect', { person: 'Carla' });
      const accepted = await cli.waitEvent('acceptingBusinessRequest');
      const info = accepted.groupInfo;
      assert.equal(info.businessChat.chatType, 'customer');
      assert.equal(info.groupProfile.displayName, 'Carla');
      const joined = await cli.waitEvent(
        (e) => e.type === 'connectedToGroupMember' && e.groupInfo.groupId === info.groupId,
      );
      assert.equal(info.businessChat.customerId, joined.member.memberId);
      const carla = await waitFor(async () => {
        const messages = await controlOk(emu, 'GET', '/messages?person=Carla&chat=%23HomeBot');
        return messages.find((m) => m.text === 'Welcome to the shop');
      });
      assert.equal(carla.direction, 'rcv');
      const carlaGroups = await controlOk(emu, 'POST', '/command', { device: 'Carla', cmd: '/_groups 1' });
      assert.equal(carlaGroups.groups[0].businessChat.chatType, 'business');
      await controlOk(emu, 'POST', '/send', { from: 'Carla', group: 'HomeBot', text: 'where is my parcel?' });
      const asked = await cli.waitEvent(
        (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.content.msgContent?.text === 'where is my parcel?',
      );
      assert.equal(asked.chatItems[0].chatInfo.groupInfo.groupId, info.groupId);
      await cli.ok(`/_send #${info.groupId} json [{"msgContent":{"type":"text","text":"on its way"}}]`);
      await waitFor(async () =>
        (await controlOk(emu, 'GET', '/messages?person=Carla&chat=%23HomeBot')).some((m) => m.text === 'on its way'),
      );
    });

    it('F15: chat kind in chatInfo.type, item id in meta.itemId, sender handle in localDisplayName, error tags nested', async () => {
      const cli = await connect();
      await controlOk(emu, 'POST', '/send', { from: 'Bob', group: 'Family', text: 'in the group' });
      const ev = await cli.waitEvent((e) => e.type === 'newChatItems' && e.chatItems[0].chatInfo.type === 'group');
      const aci = ev.chatItems[0];
      assert.equal(aci.chatInfo.groupInfo.groupProfile.displayName, 'Family');
      assert.equal(typeof aci.chatItem.meta.itemId, 'number');
      assert.equal(aci.chatItem.chatDir.type, 'groupRcv');
      assert.equal(aci.chatItem.chatDir.groupMember.localDisplayName, 'Bob');
      assert.equal(
        (await cli.cmd('/_send @999 json [{"msgContent":{"type":"text","text":"x"}}]')).chatError.storeError.type,
        'contactNotFound',
      );
    });

    it('F16: the first client gets the startup burst', async () => {
      const cli = await connect();
      await waitFor(() => cli.events.length >= 2);
      assert.deepEqual(
        cli.events.slice(0, 2).map((e) => e.type),
        ['hostConnected', 'subscriptionStatus'],
      );
    });

    it('F17: a new contact brings service items; the welcome is a directSnd item', async () => {
      const cli = await connect();
      await controlOk(emu, 'POST', '/people', { name: 'Zoe' });
      await controlOk(emu, 'POST', '/connect', { person: 'Zoe' });
      const service = await cli.waitEvent(
        (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.content.type === 'rcvDirectE2EEInfo',
      );
      assert.equal(service.chatItems[0].chatInfo.contact.localDisplayName, 'Zoe');
      const welcome = await cli.waitEvent(
        (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.chatDir.type === 'directSnd',
      );
      assert.equal(welcome.chatItems[0].chatItem.content.type, 'sndMsgContent');
      assert.match(welcome.chatItems[0].chatItem.content.msgContent.text, /Hello/);
      const zoe = await controlOk(emu, 'GET', '/messages?person=Zoe');
      assert.ok(zoe.some((m) => m.direction === 'rcv' && /Hello/.test(m.text)));
    });

    it('F18: /_get chat and /_send ... text work', async () => {
      const cli = await connect();
      const id = await aliceContactId(cli);
      const sent = await cli.ok(`/_send @${id} text plain text variant`);
      assert.equal(sent.chatItems[0].chatItem.content.msgContent.text, 'plain text variant');
      const chat = await cli.ok(`/_get chat @${id} count=2`);
      assert.equal(chat.type, 'apiChat');
      assert.ok(chat.chat.chatItems.length <= 2);
      assert.equal(chat.chat.chatItems.at(-1).content.msgContent.text, 'plain text variant');
    });
  });

  it('F5: listens on loopback only by default', async () => {
    assert.match(emu.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    const { status } = await control(emu, 'GET', '/devices');
    assert.equal(status, 200);
    const ws = new WebSocket(emu.url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.terminate();
  });
});
