'use strict';
// The receive node's loop guard in a real Node-RED runtime against the emulator: the account's own messages (a second
// session of the account, or a server that echoes what it sent) never come out, live or caught up, so an echo bot
// cannot answer itself forever.
const assert = require('node:assert/strict');
const { randomUUID } = require('node:crypto');
const { helper, nodes, DEMO, keyOf, waitFor, delay, accountNode, nodeSuite, openSockets } = require('../helpers/env');
const { tab, receiveNode, sendNode, helperNode } = require('../helpers/flows');

const text = (t) => ({ dataComponentType: 'text', text: t });

describe('semilimes-receive loop guard', function () {
  let emu;
  nodeSuite((started) => (emu = started));

  /** An echo bot (receive -> send) whose receive node also feeds a helper; returns what the helper got. */
  async function echoBot(settings = {}) {
    const flow = [
      tab(),
      accountNode(emu),
      receiveNode('recv', [['out', 'send']], settings),
      helperNode('out'),
      sendNode('send', []),
    ];
    await helper.load([nodes.account, nodes.receive, nodes.send], flow, { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
    const received = [];
    helper.getNode('out').on('input', (m) => received.push(m));
    return received;
  }

  /** The server pushes the bot its own message, as a server echoing to every session of an account would. */
  function echoOwnMessage(words) {
    const frame = {
      eventType: 'MessageReceived',
      featureType: 'p2p',
      eventBody: { messageId: randomUUID(), senderId: DEMO.bot, receivedOn: Math.floor(Date.now() / 1000), dataComponent: text(words) },
    };
    emu.control.injectFrame({ accountId: DEMO.bot, frame: JSON.stringify(frame) });
  }

  const botTexts = () =>
    emu.control
      .messages()
      .filter((m) => m.publisherId === DEMO.bot)
      .map((m) => m.dataComponent.text);

  it('leaves out the account\'s own messages by default, so an echo bot does not answer itself', async () => {
    const received = await echoBot({ ignoreOwn: undefined, version: undefined });
    echoOwnMessage('my own words');
    await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('hello') });
    await waitFor(() => received.length >= 1, 'alice\'s message');
    await delay(300);
    assert.deepEqual(received.map((m) => m.payload), ['hello']);
    assert.deepEqual(botTexts(), ['hello'], 'the bot answered alice once and never its own message');
  });

  it('passes the account\'s own messages when the guard is unticked', async () => {
    const received = await echoBot({ ignoreOwn: false });
    echoOwnMessage('my own words');
    await waitFor(() => received.length >= 1, 'the own message');
    assert.equal(received[0].payload, 'my own words');
    assert.equal(received[0].semilimes.senderId, DEMO.bot);
  });

  it('leaves out the account\'s own messages caught up after a reconnect, and delivers the others', async () => {
    const received = await echoBot();
    const status = () => (helper.getNode('recv').status.args.at(-1) || [{}])[0].fill;
    await waitFor(() => status() === 'green', 'a green status');
    // Stamps are whole seconds and the second of the connect counts as before it: write a second later.
    await delay(1000 - (Date.now() % 1000) + 20);
    await emu.control.setOffline(true);
    await waitFor(() => status() !== 'green', 'the drop on status');
    // The account, signed in elsewhere, writes in the family group; Bob writes there too.
    emu.control.sendAs({ from: DEMO.bot, to: { groupChatId: DEMO.family }, dataComponent: text('bot elsewhere') });
    emu.control.sendAs({ from: DEMO.bob, to: { groupChatId: DEMO.family }, dataComponent: text('bob meanwhile') });
    await delay(100);
    await emu.control.setOffline(false);
    await waitFor(() => received.length >= 1, 'the caught-up message', 8000);
    await delay(300);
    assert.deepEqual(received.map((m) => m.payload), ['bob meanwhile']);
  });

  const ownIdReads = async () => (await emu.control.requests()).filter((r) => r.path === '/account/my').length;

  it('reads the account\'s id as the node starts, before any message needs it', async () => {
    await echoBot();
    await waitFor(async () => (await ownIdReads()) === 1, 'the id to be read without a message');
  });

  /** A receive node alone: the payloads it gives out and the warnings it logs. */
  async function receiveOnly() {
    const flow = [tab(), accountNode(emu), receiveNode('recv', [['out']]), helperNode('out')];
    await helper.load([nodes.account, nodes.receive], flow, { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
    const received = [];
    const warnings = [];
    helper.getNode('out').on('input', (m) => received.push(m.payload));
    helper.getNode('recv').on('call:warn', (call) => warnings.push(String(call.args[0])));
    return { received, warnings };
  }

  /** Alice writes each text to the bot, one after the other. */
  async function aliceSays(texts) {
    for (const t of texts) {
      await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text(t) });
    }
  }

  it('after a failed read of the id, messages go through at once with one warning, not one read per message', async () => {
    await emu.control.failNext({ count: 1000, status: 500, path: '/account/my' });
    const { received, warnings } = await receiveOnly();
    const texts = Array.from({ length: 30 }, (_, i) => `while unknown ${i}`);
    await aliceSays(texts);
    await waitFor(() => received.length >= texts.length, 'every message');
    await delay(200);
    assert.deepEqual(received, texts, 'each once, in order');
    assert.ok((await ownIdReads()) <= 2, `${await ownIdReads()} reads: at the start and at the first message only`);
    assert.equal(warnings.length, 1, warnings.join(' | '));
    assert.match(warnings[0], /ownIdUnknown/);
  });

  it('a read of the id that hangs holds messages for 2 s at most, with one warning', async () => {
    await emu.control.setDelay(6000);
    const { received, warnings } = await receiveOnly();
    const started = Date.now();
    const texts = ['first', 'second', 'third'];
    await aliceSays(texts);
    await waitFor(() => received.length >= texts.length, 'every message', 5000);
    const waited = Date.now() - started;
    assert.ok(waited < 4000, `waited ${waited} ms`);
    assert.deepEqual(received, texts, 'each once, in order');
    assert.equal(warnings.length, 1, warnings.join(' | '));
    assert.match(warnings[0], /ownIdUnknown/);
    await emu.control.setDelay(0);
  });

  it('keeps the order of a burst while the account id is read, and after, own messages left out throughout', async () => {
    // The account's id is read as the node starts: a slow answer makes the first messages wait behind it.
    // (Shorter than the 2 s a message waits for the id at most.)
    await emu.control.setDelay(800);
    const received = await echoBot({ senderIds: `${DEMO.alice}, ${DEMO.bob}`, senderIdsType: 'str' });
    const texts = Array.from({ length: 40 }, (_, i) => `burst ${i}`);
    const say = (t) => emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text(t) });
    await waitFor(async () => (await ownIdReads()) === 1, 'the id to be asked for');
    for (const t of texts.slice(0, 20)) await say(t);
    echoOwnMessage('my own words while waiting');
    await waitFor(() => received.length >= 20, 'the first twenty, after the id was read', 8000);
    assert.equal(await ownIdReads(), 1, 'read once, at the start');
    await emu.control.setDelay(0);
    // Now the id is known: the rest go through at once, still in order and still without the bot's own message.
    for (const t of texts.slice(20, 30)) await say(t);
    echoOwnMessage('my own words later');
    for (const t of texts.slice(30)) await say(t);
    await emu.control.sendAs({ from: DEMO.bob, to: { recipientId: DEMO.bot }, dataComponent: text('bob') });
    await waitFor(() => received.length >= 41, 'all of them');
    await delay(200);
    assert.deepEqual(
      received.map((m) => m.payload),
      [...texts, 'bob'],
      'each once, in order, none of the bot\'s own',
    );
  });
});
