'use strict';
// The SimpleX receive node in a real Node-RED runtime against the emulated CLI: the message contract, the echo bot
// (receive -> send with no settings) in direct chats and groups without loops, filters and allow-lists, contact
// events, reactions, edits and deletions, and files downloaded with their bytes.
const assert = require('node:assert/strict');
const { helper, waitFor, delay } = require('../helpers/env');
const { tab, helperNode, catchAll } = require('../helpers/flows');
const sx = require('../helpers/simplex');

describe('simplex-receive node', function () {
  let emu;
  beforeEach(async () => (emu = await sx.startSimplex()));
  afterEach(async () => {
    await helper.unload();
    await emu.close();
  });

  function collect(id = 'out') {
    const got = [];
    helper.getNode(id).on('input', (m) => got.push(m));
    return got;
  }
  const sent = (person, chat) => sx.messagesOf(emu, person, chat).filter((m) => m.direction === 'rcv');
  const botSends = () => emu.control.log({}).filter((e) => /^\/_send /.test(e.cmd));

  it('gives each received message with the reply route and the documented fields', async () => {
    await sx.loadSimplex(emu, [tab(), sx.cliNode(emu), sx.receiveNode('recv', [['out']]), helperNode('out')]);
    const got = collect();
    emu.control.send({ from: 'Alice', to: 'bot', text: '/light on please' });
    await waitFor(() => got.length === 1, 'the message');
    const msg = got[0];
    assert.equal(msg.payload, '/light on please');
    assert.match(msg.chatRef, /^@\d+$/);
    assert.equal(msg.topic, msg.chatRef);
    assert.equal(msg.contactId, Number(msg.chatRef.slice(1)));
    assert.equal(msg.groupId, undefined);
    assert.equal(typeof msg.chatItemId, 'number');
    assert.equal(msg.sender.displayName, 'Alice');
    assert.equal(msg.sender.contactId, msg.contactId);
    assert.deepEqual(msg.content, { type: 'text', text: '/light on please' });
    assert.deepEqual(msg.command, { keyword: 'light', params: 'on please' });
    assert.equal(msg.mentionedMe, false);
    assert.equal(msg.simplex.event, 'newChatItems');
    assert.equal(msg.simplex.kind, 'message');
    assert.equal(msg.simplex.chatType, 'direct');
    assert.equal(msg.simplex.contentType, 'text');
  });

  it('is an echo bot wired to a send node with no settings, in a direct chat and a group, never answering itself', async () => {
    await sx.loadSimplex(emu, [
      tab(),
      sx.cliNode(emu),
      sx.receiveNode('recv', [['send', 'out']]),
      sx.sendNode('send', []),
      helperNode('out'),
    ]);
    const got = collect();
    emu.control.send({ from: 'Alice', to: 'bot', text: 'hello bot' });
    emu.control.send({ from: 'Bob', group: 'Family', text: 'hello family' });
    await waitFor(() => sent('Alice', 'bot').some((m) => m.text === 'hello bot'), 'the echo to Alice');
    await waitFor(
      () => sent('Bob', '#Family').some((m) => m.text === 'hello family' && m.sender === 'HomeBot'),
      'the echo in the group',
    );
    // A new contact gets the welcome and service items: none of them is answered.
    await emu.control.createPerson({ name: 'Carol' });
    await emu.control.connect({ person: 'Carol' });
    await waitFor(() => sent('Carol', 'bot').some((m) => m.text === 'Hello! I am HomeBot.'), 'the welcome');
    await delay(600);
    assert.deepEqual(
      sent('Carol', 'bot')
        .filter((m) => m.contentType === 'rcvMsgContent')
        .map((m) => m.text),
      ['Hello! I am HomeBot.'],
    );
    assert.equal(got.length, 2, 'only the two people messages came out');
    assert.deepEqual(botSends().length, 2, 'exactly two answers were sent');
    assert.equal(sent('Alice', 'bot').filter((m) => m.text === 'hello bot').length, 1);
    const inGroup = sent('Alice', '#Family').filter((m) => m.text === 'hello family');
    assert.deepEqual(inGroup.map((m) => m.sender).sort(), ['Bob', 'HomeBot'], "Bob's message and one echo");
  });

  it('filters by chat kind, content type, allow-lists, mentions and commands', async () => {
    process.env.SX_TEST_ALLOWED = 'Alice';
    await sx.loadSimplex(emu, [
      tab(),
      sx.cliNode(emu),
      sx.receiveNode('direct', [['o1']], { groups: false, allowContacts: 'SX_TEST_ALLOWED', allowContactsType: 'env' }),
      sx.receiveNode('cmds', [['o2']], { commandsOnly: true, keywords: 'on, off' }),
      sx.receiveNode('mention', [['o3']], { direct: false, onlyMentioned: true }),
      sx.receiveNode('images', [['o4']], { contentTypes: 'image' }),
      helperNode('o1'),
      helperNode('o2'),
      helperNode('o3'),
      helperNode('o4'),
    ]);
    const [o1, o2, o3, o4] = ['o1', 'o2', 'o3', 'o4'].map(collect);
    emu.control.send({ from: 'Alice', to: 'bot', text: '/on' });
    emu.control.send({ from: 'Bob', to: 'bot', text: '/dim 5' });
    emu.control.send({ from: 'Alice', group: 'Family', text: 'no mention here' });
    await waitFor(() => o2.length === 1 && o1.length === 1, 'the filtered messages');
    await delay(300);
    assert.deepEqual(
      o1.map((m) => m.payload),
      ['/on'],
      'only Alice, only direct',
    );
    assert.deepEqual(
      o2.map((m) => m.payload),
      ['/on'],
      'only the listed commands',
    );
    assert.deepEqual(o3, [], 'no group message mentioned the bot');
    assert.deepEqual(o4, [], 'no image');
  });

  it('passes on contact events, reactions, edits and deletions when asked, each as its own kind', async () => {
    await sx.loadSimplex(emu, [
      tab(),
      sx.cliNode(emu),
      sx.receiveNode('recv', [['out']], {
        messages: false,
        contacts: true,
        reactions: true,
        edits: true,
        deletions: true,
      }),
      sx.sendNode('send', [['sent']], { chatRef: '', action: 'send' }),
      helperNode('out'),
      helperNode('sent'),
    ]);
    const got = collect();
    const sentOut = collect('sent');
    await emu.control.createPerson({ name: 'Dave' });
    await emu.control.connect({ person: 'Dave' });
    await waitFor(() => got.some((m) => m.topic === 'contactConnected'), 'contactConnected');
    const connected = got.find((m) => m.topic === 'contactConnected');
    assert.match(connected.chatRef, /^@\d+$/);
    assert.equal(connected.simplex.kind, 'contact');
    // The bot writes to Dave; Dave reacts to it.
    helper.getNode('send').receive({ payload: 'welcome, Dave', chatRef: connected.chatRef });
    await waitFor(() => sentOut.length === 1, 'the bot message');
    emu.control.react({ person: 'Dave', to: 'bot', emoji: '👍' });
    await waitFor(() => got.some((m) => m.simplex.kind === 'reaction'), 'the reaction');
    const reaction = got.find((m) => m.simplex.kind === 'reaction');
    assert.equal(reaction.payload, '👍');
    assert.equal(reaction.added, true);
    assert.equal(reaction.chatItemId, sentOut[0].chatItemId);
    assert.equal(reaction.chatRef, connected.chatRef);
    emu.control.send({ from: 'Dave', to: 'bot', text: 'typo' });
    await delay(200);
    emu.control.edit({ person: 'Dave', to: 'bot', text: 'fixed' });
    await waitFor(() => got.some((m) => m.simplex.kind === 'edit'), 'the edit');
    assert.equal(got.find((m) => m.simplex.kind === 'edit').payload, 'fixed');
    emu.control.delete({ person: 'Dave', to: 'bot' });
    await waitFor(() => got.some((m) => m.simplex.kind === 'deletion'), 'the deletion');
    assert.ok(!got.some((m) => m.simplex.kind === 'message'), 'messages were not asked for');
  });

  it('downloads a received file and gives its exact bytes', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    await sx.loadSimplex(emu, [
      tab(),
      sx.cliNode(emu),
      sx.receiveNode('recv', [['out']], { download: 'buffer' }),
      sx.receiveNode('paths', [['paths-out']], { download: 'path' }),
      helperNode('out'),
      helperNode('paths-out'),
    ]);
    const got = collect();
    const paths = collect('paths-out');
    emu.control.send({
      from: 'Alice',
      to: 'bot',
      text: 'the report',
      file: { name: 'report.bin', base64: bytes.toString('base64') },
    });
    await waitFor(() => got.length === 1 && paths.length === 1, 'the downloaded file');
    assert.ok(Buffer.isBuffer(got[0].payload));
    assert.ok(got[0].payload.equals(bytes), 'the same bytes');
    assert.equal(got[0].filename, 'report.bin');
    assert.equal(got[0].file.status, 'rcvComplete');
    assert.ok(require('node:fs').readFileSync(paths[0].payload).equals(bytes));
    assert.ok(paths[0].payload.startsWith(emu.filesFolder));
  });

  it('passes every event as it is in raw mode', async () => {
    await sx.loadSimplex(emu, [
      tab(),
      sx.cliNode(emu),
      sx.receiveNode('recv', [['out']], { raw: true }),
      helperNode('out'),
    ]);
    const got = collect();
    emu.control.send({ from: 'Alice', to: 'bot', text: 'raw hello' });
    await waitFor(() => got.some((m) => m.topic === 'newChatItems'), 'the raw event');
    const event = got.find((m) => m.topic === 'newChatItems');
    assert.equal(event.payload.type, 'newChatItems');
    assert.ok(Array.isArray(event.payload.chatItems));
  });

  it('reports a failed download to Catch without stopping', async () => {
    await sx.loadSimplex(emu, [
      tab(),
      sx.cliNode(emu, { filesFolder: '' }),
      sx.receiveNode('recv', [['out']], { download: 'buffer' }),
      helperNode('out'),
      catchAll('catch', 'caught'),
      helperNode('caught'),
    ]);
    const caught = collect('caught');
    const got = collect();
    emu.control.send({ from: 'Alice', to: 'bot', text: 'x', file: { name: 'a.txt', base64: 'aGk=' } });
    emu.control.send({ from: 'Alice', to: 'bot', text: 'still here' });
    await waitFor(
      () => caught.length === 1 && got.some((m) => m.payload === 'still here'),
      'the error and the next message',
    );
    assert.match(caught[0].error.message, /files folder/);
  });
});
