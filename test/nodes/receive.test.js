'use strict';
// The receive node in a real Node-RED runtime against the emulator: message shapes, reply route, filters, and
// the echo bot (receive -> send with no settings).
const assert = require('node:assert/strict');
const { SemilimesClient } = require('../../dist/semilimes');
const { helper, nodes, DEMO, keyOf, waitFor, delay, accountNode, nodeSuite, FAST_CLIENT, openSockets } = require('../helpers/env');
const { tab, receiveNode, sendNode, helperNode } = require('../helpers/flows');

const text = (t) => ({ dataComponentType: 'text', text: t });

function receiveFlow(emu, settings = {}, extra = []) {
  return [tab(), accountNode(emu), receiveNode('recv', [['out']], settings), helperNode('out'), ...extra];
}

describe('semilimes-receive node', function () {
  let emu;
  nodeSuite((started) => (emu = started));

  /** Loads the flow and waits until the bot's WebSocket is up, so no event is sent before anyone listens. */
  async function load(settings, extra, nodeList = [nodes.account, nodes.receive]) {
    await helper.load(nodeList, receiveFlow(emu, settings, extra), { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
  }

  /** Collects what the receive node emits. */
  function collect() {
    const received = [];
    helper.getNode('out').on('input', (m) => received.push(m));
    return received;
  }

  it('emits a p2p text with the documented message contract and the reply route', async () => {
    await load();
    const received = collect();
    const sent = await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('hi bot') });
    await waitFor(() => received.length === 1, 'the message');
    const msg = received[0];
    assert.equal(msg.payload, 'hi bot');
    assert.deepEqual(msg.dataComponent, text('hi bot'));
    assert.equal(msg.recipientId, DEMO.alice);
    assert.equal(msg.groupChatId, undefined);
    assert.equal(msg.messageId, sent.messageId);
    assert.equal(msg.semilimes.eventType, 'MessageReceived');
    assert.equal(msg.semilimes.featureType, 'p2p');
    assert.equal(msg.semilimes.senderId, DEMO.alice);
    assert.equal(msg.semilimes.messageId, sent.messageId);
    assert.equal(typeof msg.semilimes.receivedOn, 'number');
  });

  it('emits a group chat message with msg.groupChatId and a non-text component as the payload', async () => {
    await load();
    const received = collect();
    const location = { dataComponentType: 'location', locationName: 'Home', latitude: 46.0, longitude: 8.9 };
    await emu.control.sendAs({ from: DEMO.bob, to: { groupChatId: DEMO.family }, dataComponent: location });
    await waitFor(() => received.length === 1, 'the message');
    const msg = received[0];
    assert.deepEqual(msg.payload, location);
    assert.equal(msg.groupChatId, DEMO.family);
    assert.equal(msg.recipientId, undefined);
    assert.equal(msg.semilimes.groupChatId, DEMO.family);
    assert.equal(msg.semilimes.senderId, DEMO.bob);
  });

  it('emits channel messages of channels the account subscribed to, with msg.channelId', async () => {
    const alice = new SemilimesClient({ apiKey: keyOf(emu, DEMO.alice), baseUrl: emu.url, ...FAST_CLIENT });
    const bot = new SemilimesClient({ apiKey: keyOf(emu, DEMO.bot), baseUrl: emu.url, ...FAST_CLIENT });
    try {
      const created = await alice.call('/communication/channel/create', { title: 'Alice news', visible: true });
      const channelId = created.createdChannel.channelId;
      await bot.call('/communication/channel/subscribe', { channelId });
      await load();
      const received = collect();
      await emu.control.sendAs({ from: DEMO.alice, to: { channelId }, dataComponent: text('news!') });
      await waitFor(() => received.length === 1, 'the message');
      assert.equal(received[0].channelId, channelId);
      assert.equal(received[0].semilimes.featureType, 'channel');
      assert.equal(received[0].payload, 'news!');
    } finally {
      await alice.close();
      await bot.close();
    }
  });

  it('emits a form submission as {refName: value} with msg.form, identifying the submitter', async () => {
    await load();
    const received = collect();
    const form = {
      dataComponentType: 'form',
      submitEnabled: true,
      refName: 'lamp',
      receiver: { id: DEMO.bot, featureType: 'contact' },
      formComponents: [
        { refName: 'power', formComponentType: 'switch', title: 'Power', value: false },
        { refName: 'level', formComponentType: 'slider', title: 'Level', value: 10, min: 0, max: 100, step: 5 },
      ],
    };
    const sent = await emu.control.sendAs({ from: DEMO.bot, to: { recipientId: DEMO.alice }, dataComponent: form });
    await emu.control.submitForm({ from: DEMO.alice, messageId: sent.messageId, values: { power: true, level: 40 } });
    await waitFor(() => received.length === 1, 'the submission');
    const msg = received[0];
    assert.deepEqual(msg.payload, { power: true, level: 40 });
    assert.deepEqual(msg.form, { messageId: sent.messageId, refName: 'lamp', submitterId: DEMO.alice });
    assert.equal(msg.messageId, sent.messageId, 'msg.messageId names the form, ready for an update');
    assert.equal(msg.recipientId, DEMO.alice);
    assert.equal(msg.dataComponent.dataComponentType, 'formsubmission');
  });

  describe('filters', () => {
    /** Sends each [who, where, component] in order; returns what came out once the last one (which must pass) did. */
    async function sendAll(list) {
      const received = collect();
      for (const [from, to, component] of list) {
        await emu.control.sendAs({ from, to, dataComponent: component });
      }
      const last = list[list.length - 1][2];
      await waitFor(() => received.some((m) => JSON.stringify(m.dataComponent) === JSON.stringify(last)), 'the last message');
      await delay(50);
      return received;
    }

    it('by kind of chat', async () => {
      await load({ groupchat: false });
      const received = await sendAll([
        [DEMO.alice, { groupChatId: DEMO.family }, text('group')],
        [DEMO.alice, { recipientId: DEMO.bot }, text('direct')],
      ]);
      assert.deepEqual(received.map((m) => m.payload), ['direct']);
    });

    it('by chat id', async () => {
      await load({ chatIds: ` ${DEMO.family} ` });
      const received = await sendAll([
        [DEMO.alice, { recipientId: DEMO.bot }, text('direct')],
        [DEMO.bob, { groupChatId: DEMO.family }, text('family')],
      ]);
      assert.deepEqual(received.map((m) => m.payload), ['family']);
    });

    it('by sender', async () => {
      await load({ senderIds: `${DEMO.bob}, someone-else` });
      const received = await sendAll([
        [DEMO.alice, { groupChatId: DEMO.family }, text('from alice')],
        [DEMO.bob, { groupChatId: DEMO.family }, text('from bob')],
      ]);
      assert.deepEqual(received.map((m) => m.payload), ['from bob']);
    });

    it('by component type', async () => {
      await load({ componentTypes: 'location,html' });
      const html = { dataComponentType: 'html', html: '<b>x</b>' };
      const received = await sendAll([
        [DEMO.alice, { recipientId: DEMO.bot }, text('plain')],
        [DEMO.alice, { recipientId: DEMO.bot }, html],
      ]);
      assert.deepEqual(received.map((m) => m.payload), [html]);
    });

    it('by form refName', async () => {
      await load({ formRefNames: 'wanted' });
      const received = collect();
      const formOf = (refName) => ({
        dataComponentType: 'form',
        refName,
        formComponents: [{ refName: 'ok', formComponentType: 'switch', title: 'OK', value: false }],
      });
      const unwanted = await emu.control.sendAs({ from: DEMO.bot, to: { recipientId: DEMO.alice }, dataComponent: formOf('other') });
      const wanted = await emu.control.sendAs({ from: DEMO.bot, to: { recipientId: DEMO.alice }, dataComponent: formOf('wanted') });
      await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('not a form') });
      await emu.control.submitForm({ from: DEMO.alice, messageId: unwanted.messageId, values: { ok: true } });
      await emu.control.submitForm({ from: DEMO.alice, messageId: wanted.messageId, values: { ok: true } });
      await waitFor(() => received.length >= 1, 'the wanted submission');
      await delay(50);
      assert.deepEqual(received.map((m) => m.form.refName), ['wanted']);
    });
  });

  describe('echo bot: receive -> send with no settings', () => {
    const echo = [sendNode('send', [])];

    async function loadEcho() {
      const flow = receiveFlow(emu, {}, echo);
      flow.find((n) => n.id === 'recv').wires = [['send']];
      await helper.load([nodes.account, nodes.receive, nodes.send], flow, { acc: { apiKey: keyOf(emu, DEMO.bot) } });
      await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
    }

    /** The bot's stored messages that match, or false while there are none (for waitFor). */
    const botMessages = async (predicate) => {
      const found = (await emu.control.messages()).filter((m) => m.publisherId === DEMO.bot && predicate(m));
      return found.length > 0 && found;
    };

    it('answers a person in the p2p chat they wrote in', async () => {
      await loadEcho();
      await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('ping') });
      const [answer] = await waitFor(() => botMessages((m) => m.dataComponent.text === 'ping'), 'the echo');
      assert.equal(answer.chat.featureType, 'p2p');
      assert.deepEqual([...answer.chat.accountIds].sort(), [DEMO.alice, DEMO.bot].sort());
    });

    it('answers in the group chat the message came from', async () => {
      await loadEcho();
      await emu.control.sendAs({ from: DEMO.bob, to: { groupChatId: DEMO.family }, dataComponent: text('family ping') });
      const [answer] = await waitFor(() => botMessages((m) => m.dataComponent.text === 'family ping'), 'the echo');
      assert.deepEqual(answer.chat, { featureType: 'groupchat', groupChatId: DEMO.family });
    });
  });
});
