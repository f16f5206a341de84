'use strict';
// The control API (acting as the people) and the fault API, over HTTP, with the bot on a plain WebSocket client.
const assert = require('node:assert/strict');
const net = require('node:net');
const WebSocket = require('ws');
const { CliClient, control, controlOk, sleep, startSimplexEmulator, waitFor } = require('./helpers');

describe('SimpleX emulator: control and fault API', function () {
  this.timeout(20000);
  let emu;
  const clients = [];
  const connect = async (url = emu.url) => {
    const c = await CliClient.connect(url);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    emu = await startSimplexEmulator({ seed: 'demo' });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await emu.close();
  });

  describe('acting as people', () => {
    it('lists the devices of the demo seed and the bot address', async () => {
      const devices = await controlOk(emu, 'GET', '/devices');
      assert.deepEqual(
        devices.map((d) => d.name),
        ['bot', 'Alice', 'Bob'],
      );
      assert.deepEqual(
        devices[0].contacts.map((c) => [c.name, c.status]),
        [
          ['Alice', 'ready'],
          ['Bob', 'ready'],
        ],
      );
      assert.deepEqual(
        devices[1].groups.map((g) => [g.name, g.memberStatus]),
        [['Family', 'connected']],
      );
      const address = await controlOk(emu, 'GET', '/address');
      assert.match(address.connShortLink, /^https:\/\/smp4\.simplex\.invalid\/a#/);
      assert.match(address.connFullLink, /^https:\/\/simplex\.chat\/contact#\/\?v=2-7&smp=/);
    });

    it('sends text, replies, reactions, edits and deletions to the bot, and reads what Alice received', async () => {
      const bot = await connect();
      await controlOk(emu, 'POST', '/send', { from: 'Alice', to: 'bot', text: 'hello' });
      const got = await bot.waitEvent(
        (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.content.msgContent?.text === 'hello',
      );
      const contactId = got.chatItems[0].chatInfo.contact.contactId;
      await bot.ok(`/_send @${contactId} json [{"msgContent":{"type":"text","text":"hi Alice"}}]`);
      await waitFor(async () =>
        (await controlOk(emu, 'GET', '/messages?person=Alice&chat=bot')).some((m) => m.text === 'hi Alice'),
      );
      await controlOk(emu, 'POST', '/send', { from: 'Alice', to: 'bot', text: 'thanks', replyToLast: true });
      const reply = await bot.waitEvent((e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.quotedItem);
      assert.equal(reply.chatItems[0].chatItem.quotedItem.content.text, 'hi Alice');
      assert.equal(reply.chatItems[0].chatItem.quotedItem.chatDir.type, 'directSnd');
      await controlOk(emu, 'POST', '/react', { person: 'Alice', to: 'bot', emoji: '❤' });
      const reaction = await bot.waitEvent('chatItemReaction');
      assert.equal(reaction.added, true);
      assert.equal(reaction.reaction.chatReaction.reaction.emoji, '❤');
      assert.equal(reaction.reaction.chatReaction.chatItem.content.msgContent.text, 'hi Alice');
      await controlOk(emu, 'POST', '/edit', { person: 'Alice', to: 'bot', text: 'thanks a lot' });
      const edited = await bot.waitEvent('chatItemUpdated');
      assert.equal(edited.chatItem.chatItem.content.msgContent.text, 'thanks a lot');
      assert.equal(edited.chatItem.chatItem.meta.itemEdited, true);
      await controlOk(emu, 'POST', '/delete', { person: 'Alice', to: 'bot' });
      const deleted = await bot.waitEvent('chatItemsDeleted');
      assert.equal(deleted.byUser, false);
      assert.equal(deleted.chatItemDeletions[0].deletedChatItem.chatItem.content.msgContent.text, 'thanks a lot');
      const bad = await control(emu, 'POST', '/react', { person: 'Alice', to: 'bot', emoji: '🤖' });
      assert.equal(bad.status, 422);
      assert.equal(bad.body.reply.chatError.errorType.message, 'Failed reading: empty');
    });

    it('writes in groups with mentions, creates groups, joins and leaves them', async () => {
      const bot = await connect();
      const bobMembers = await controlOk(emu, 'POST', '/command', { device: 'Bob', cmd: '/_members #1' });
      const botMember = bobMembers.group.members.find((m) => m.localDisplayName === 'HomeBot');
      await controlOk(emu, 'POST', '/send', {
        from: 'Bob',
        group: 'Family',
        text: '@HomeBot lights?',
        mentions: { HomeBot: botMember.groupMemberId },
      });
      const ev = await bot.waitEvent((e) => e.type === 'newChatItems' && e.chatItems[0].chatInfo.type === 'group');
      assert.equal(ev.chatItems[0].chatItem.meta.userMention, true);
      assert.equal(ev.chatItems[0].chatItem.mentions.HomeBot.memberId, botMember.memberId);
      await controlOk(emu, 'POST', '/groups', { owner: 'Alice', name: 'Book club', members: ['bot'] });
      const inv = await bot.waitEvent('receivedGroupInvitation');
      assert.equal(inv.groupInfo.groupProfile.displayName, 'Book club');
      await controlOk(emu, 'POST', '/leave', { person: 'Bob', group: 'Family' });
      const left = await bot.waitEvent('leftMember');
      assert.equal(left.member.localDisplayName, 'Bob');
      const link = (await bot.ok('/_create link #1 member')).groupLink.connLinkContact.connShortLink;
      await controlOk(emu, 'POST', '/people', { name: 'Carol' });
      await controlOk(emu, 'POST', '/join', { person: 'Carol', link });
      const joined = await bot.waitEvent(
        (e) => e.type === 'connectedToGroupMember' && e.member.localDisplayName === 'Carol',
      );
      assert.equal(joined.groupInfo.groupId, 1);
      await waitFor(
        async () =>
          (await controlOk(emu, 'GET', '/devices')).find((d) => d.name === 'Carol').groups[0]?.memberStatus ===
          'connected',
      );
    });

    it('adds people, with their own CLI port when asked', async () => {
      const made = await controlOk(emu, 'POST', '/people', { name: 'Dana', ws: true });
      assert.match(made.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
      const dana = await connect(made.url);
      assert.equal((await dana.ok('/user')).user.profile.displayName, 'Dana');
      const address = (await controlOk(emu, 'GET', '/address')).connShortLink;
      assert.equal((await dana.ok(`/connect ${address}`)).type, 'sentInvitation');
      await dana.waitEvent('contactConnected');
      assert.equal((await control(emu, 'POST', '/people', { name: 'Dana' })).status, 409);
    });

    it('answers unknown routes, unknown people and malformed bodies with errors', async () => {
      assert.equal((await control(emu, 'GET', '/nope')).status, 404);
      assert.equal((await control(emu, 'POST', '/send', { from: 'Nobody', text: 'x' })).status, 404);
      assert.equal((await control(emu, 'POST', '/send', { text: 'x' })).status, 400);
      const res = await fetch(`${emu.controlUrl}/send`, { method: 'POST', body: '{not json' });
      assert.equal(res.status, 400);
      assert.equal((await control(emu, 'POST', '/faults/dialect', { dialect: 'yaml' })).status, 400);
    });

    it('runs raw commands on any device and logs every command of the bot socket', async () => {
      const bot = await connect();
      await bot.cmd('/user', 'one');
      await bot.cmd('/bad', 'two');
      const log = await controlOk(emu, 'GET', '/log');
      assert.deepEqual(
        log.map((e) => [e.corrId, e.cmd, e.replied]),
        [
          ['one', '/user', 'activeUser'],
          ['two', '/bad', 'chatCmdError'],
        ],
      );
      const alice = await controlOk(emu, 'POST', '/command', { device: 'Alice', cmd: '/user' });
      assert.equal(alice.user.profile.displayName, 'Alice');
      const events = await controlOk(emu, 'GET', '/events?device=Alice&type=contactConnected');
      assert.equal(events.length, 1);
    });
  });

  describe('faults', () => {
    it('drop-sockets cuts the connection; events meanwhile wait for the next one', async () => {
      const bot = await connect();
      const closed = new Promise((resolve) => bot.ws.once('close', resolve));
      assert.deepEqual(await controlOk(emu, 'POST', '/faults/drop-sockets', {}), { dropped: 1 });
      await closed;
      await controlOk(emu, 'POST', '/send', { from: 'Alice', to: 'bot', text: 'while away' });
      const again = await connect();
      const ev = await again.waitEvent((e) => e.type === 'newChatItems');
      assert.equal(ev.chatItems[0].chatItem.content.msgContent.text, 'while away');
    });

    it('pongs off leaves pings unanswered; on again answers them', async () => {
      const bot = await connect();
      await controlOk(emu, 'POST', '/faults/pongs', { enabled: false });
      let ponged = false;
      bot.ws.on('pong', () => (ponged = true));
      bot.ws.ping();
      await sleep(200);
      assert.equal(ponged, false);
      assert.equal((await bot.cmd('/user')).type, 'activeUser', 'commands still work');
      await controlOk(emu, 'POST', '/faults/pongs', { enabled: true });
      bot.ws.ping();
      await waitFor(() => ponged);
    });

    it('stop-reading leaves commands unanswered until reading resumes', async () => {
      const bot = await connect();
      await controlOk(emu, 'POST', '/faults/stop-reading', { enabled: true });
      let answered = false;
      const pending = bot.cmd('/user').then(() => (answered = true));
      await sleep(200);
      assert.equal(answered, false);
      await controlOk(emu, 'POST', '/faults/stop-reading', { enabled: false });
      await pending;
    });

    it('delay and fail-next apply to the matching commands only, as many times as asked', async () => {
      const bot = await connect();
      await controlOk(emu, 'POST', '/faults/delay', { match: '^/_contacts', ms: 500 });
      const chatError = { type: 'errorStore', storeError: { type: 'dBBusyError', message: 'busy' } };
      await controlOk(emu, 'POST', '/faults/fail-next', { match: '^/_send', count: 2, chatError });
      let t = Date.now();
      await bot.ok('/user');
      assert.ok(Date.now() - t < 400);
      t = Date.now();
      await bot.ok('/_contacts 1');
      assert.ok(Date.now() - t >= 490);
      const send = '/_send @1 json [{"msgContent":{"type":"text","text":"x"}}]';
      assert.deepEqual(await bot.cmd(send), { type: 'chatCmdError', chatError });
      assert.deepEqual(await bot.cmd(send), { type: 'chatCmdError', chatError });
      assert.equal((await bot.cmd(send)).type, 'newChatItems');
      const log = await controlOk(emu, 'GET', '/log');
      assert.equal(log.filter((e) => e.cmd === send).length, 3);
    });

    it('restart closes the port, keeps the state and the queued events, and opens the same port again', async () => {
      const bot = await connect();
      const port = emu.port;
      const before = (await bot.ok('/_contacts 1')).contacts.length;
      const closed = new Promise((resolve) => bot.ws.once('close', resolve));
      const restarting = controlOk(emu, 'POST', '/faults/restart', { downMs: 300 });
      await closed;
      await controlOk(emu, 'POST', '/send', { from: 'Alice', to: 'bot', text: 'during restart' });
      await assert.rejects(CliClient.connect(emu.url));
      await restarting;
      assert.equal(emu.port, port);
      const again = await connect();
      assert.equal((await again.ok('/_contacts 1')).contacts.length, before);
      const ev = await again.waitEvent((e) => e.type === 'newChatItems');
      assert.equal(ev.chatItems[0].chatItem.content.msgContent.text, 'during restart');
      assert.ok(
        again.events.some((e) => e.type === 'hostConnected'),
        'a restarted CLI sends its startup burst',
      );
    });

    it('offline refuses connections until it is turned off', async () => {
      await controlOk(emu, 'POST', '/faults/offline', { offline: true });
      await new Promise((resolve) => {
        const socket = net.connect(emu.port, '127.0.0.1');
        socket.once('error', (err) => {
          assert.equal(err.code, 'ECONNREFUSED');
          resolve();
        });
      });
      await controlOk(emu, 'POST', '/faults/offline', { offline: false });
      const bot = await connect();
      assert.equal((await bot.cmd('/user')).type, 'activeUser');
    });

    it('reorder writes the next replies in reverse order, each with its own corrId', async () => {
      const bot = await connect();
      await controlOk(emu, 'POST', '/faults/reorder', { count: 3 });
      const results = await Promise.all([bot.cmd('/user', 'a'), bot.cmd('/users', 'b'), bot.cmd('/_contacts 1', 'c')]);
      assert.deepEqual(
        results.map((r) => r.type),
        ['activeUser', 'usersList', 'contactsList'],
      );
      const order = bot.frames.filter((f) => f.corrId).map((f) => f.corrId);
      assert.deepEqual(order, ['c', 'b', 'a']);
    });

    it('inject writes raw frames; reset clears every fault; latency delays relay hops', async () => {
      const bot = await connect();
      await controlOk(emu, 'POST', '/inject', { frame: { resp: { type: 'someFutureEvent', extra: 1 } } });
      await controlOk(emu, 'POST', '/inject', { frame: 'not json at all' });
      await controlOk(emu, 'POST', '/inject', { frame: 'bin', binary: true });
      await waitFor(() => bot.frames.length >= 3 && bot.frames.some((f) => f.binary));
      assert.ok(bot.events.some((e) => e.type === 'someFutureEvent'));
      assert.ok(bot.frames.some((f) => f.raw === 'not json at all'));
      await controlOk(emu, 'POST', '/faults/pongs', { enabled: false });
      await controlOk(emu, 'POST', '/faults/dialect', { dialect: 'either' });
      const reset = await controlOk(emu, 'POST', '/faults/reset', {});
      assert.equal(reset.pongs, true);
      assert.equal(reset.dialect, 'flat');
      await controlOk(emu, 'POST', '/latency', { ms: 300 });
      const mark = bot.events.length;
      const t = Date.now();
      await controlOk(emu, 'POST', '/send', { from: 'Alice', to: 'bot', text: 'slow relay' });
      await bot.waitEvent((e) => e.type === 'newChatItems', 3000, mark);
      assert.ok(Date.now() - t >= 280);
    });

    it('reset writes the replies held by reorder at once', async () => {
      const bot = await connect();
      await controlOk(emu, 'POST', '/faults/reorder', { count: 5 });
      let answered = false;
      const pending = bot.cmd('/user').then(() => (answered = true));
      await sleep(100);
      assert.equal(answered, false);
      await controlOk(emu, 'POST', '/faults/reset', {});
      await pending;
    });

    it('error-event emits chatError and messageError events', async () => {
      const bot = await connect();
      await controlOk(emu, 'POST', '/faults/error-event', { kind: 'messageError', errorMessage: 'bad message' });
      await controlOk(emu, 'POST', '/faults/error-event', {
        kind: 'chatError',
        chatError: { type: 'error', errorType: { type: 'noActiveUser' } },
      });
      assert.equal((await bot.waitEvent('messageError')).errorMessage, 'bad message');
      assert.equal((await bot.waitEvent('chatError')).chatError.errorType.type, 'noActiveUser');
    });
  });

  it('a second WebSocket client (for instance a browser) may connect: the ports are plain ws', async () => {
    const ws = new WebSocket(emu.url);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.terminate();
  });
});
