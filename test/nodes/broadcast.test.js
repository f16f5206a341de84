'use strict';
// Broadcast: a list of destinations in msg.recipientId / groupChatId / channelId (or the node's own setting) sends to
// each in order, paced by the account's send queue, in a real Node-RED runtime against the emulator.
const assert = require('node:assert/strict');
const { SemilimesClient } = require('../../dist/semilimes');
const { helper, nodes, DEMO, keyOf, accountNode, nodeSuite, waitFor, delay, FAST_CLIENT } = require('../helpers/env');
const { tab, sendNode, helperNode, catchAll, recordErrors } = require('../helpers/flows');


describe('semilimes-send broadcast', function () {
  let emu;
  let carol;
  nodeSuite((started) => (emu = started));

  before(async () => {
    carol = (await emu.control.createAccount({ accountName: 'Carol' })).accountId;
  });

  async function load(settings = {}, account = {}) {
    const flow = [
      tab(),
      { ...accountNode(emu), ...account },
      sendNode('send', [['out']], settings),
      helperNode('out'),
      catchAll('catch', 'caught'),
      helperNode('caught'),
    ];
    await helper.load([nodes.account, nodes.send, nodes.catch], flow, { acc: { apiKey: keyOf(emu, DEMO.bot) } });
  }

  /**
   * Feeds one message in and collects everything that comes out and reaches Catch until `done` settles it (the
   * send node's one done: the completion of the input message).
   */
  async function broadcast(msg, settle = 300) {
    const outs = [];
    const caught = [];
    helper.getNode('out').on('input', (m) => outs.push(m));
    helper.getNode('caught').on('input', (m) => caught.push(m));
    helper.getNode('send').receive(msg);
    await waitFor(() => outs.length + caught.length > 0, 'the broadcast to settle', 10000);
    // Everything of one input comes out at once: wait a moment for a (wrong) second batch.
    await delay(settle);
    return { outs, caught };
  }

  /** The bot's messages with this text, in the order semilimes stored them. */
  const sentWith = async (words) =>
    (await emu.control.messages()).filter((m) => m.publisherId === DEMO.bot && m.dataComponent.text === words);
  const peopleOf = (m) => m.chat.accountIds.find((id) => id !== DEMO.bot);

  it('sends to three people, once each, in order, with one output message per person', async () => {
    await load();
    const { outs, caught } = await broadcast({ payload: 'doorbell!', recipientId: [DEMO.alice, DEMO.bob, carol] });
    assert.equal(caught.length, 0);
    const stored = await sentWith('doorbell!');
    assert.deepEqual(stored.map(peopleOf), [DEMO.alice, DEMO.bob, carol], 'once each, in order');
    assert.deepEqual(outs.map((m) => m.recipientId), [DEMO.alice, DEMO.bob, carol]);
    assert.deepEqual(outs.map((m) => m.messageId), stored.map((m) => m.messageId), 'each with its messageId');
    assert.equal(outs[0].payload.sentMessage.messageId, stored[0].messageId);
  });

  it('sends to a list of group chats (msg.groupChatId), and takes an id listed twice once', async () => {
    const bot = new SemilimesClient({ apiKey: keyOf(emu, DEMO.bot), baseUrl: emu.url, ...FAST_CLIENT });
    let neighbours;
    try {
      const created = await bot.call('/communication/groupchat/create', { title: 'Neighbours', recipientIds: [DEMO.alice] });
      neighbours = created.createdGroupChat.groupChatId;
    } finally {
      await bot.close();
    }
    const groups = [DEMO.family, neighbours, DEMO.family];
    await load();
    const { outs } = await broadcast({ payload: 'group news', groupChatId: groups });
    const stored = await sentWith('group news');
    assert.deepEqual(stored.map((m) => m.chat.groupChatId), [...new Set(groups)]);
    assert.deepEqual(outs.map((m) => m.groupChatId), [...new Set(groups)]);
  });

  it('sends several components to each destination, in order', async () => {
    await load();
    const { outs } = await broadcast({ payload: ['snapshot 1', 'snapshot 2'], recipientId: [DEMO.alice, DEMO.bob] });
    const all = (await emu.control.messages()).filter((m) => m.publisherId === DEMO.bot && /^snapshot/.test(m.dataComponent.text));
    assert.deepEqual(
      all.map((m) => [peopleOf(m), m.dataComponent.text]),
      [[DEMO.alice, 'snapshot 1'], [DEMO.alice, 'snapshot 2'], [DEMO.bob, 'snapshot 1'], [DEMO.bob, 'snapshot 2']],
    );
    assert.equal(outs.length, 2);
    assert.deepEqual(outs[1].messageId, all.slice(2).map((m) => m.messageId));
  });

  it('goes on past a destination that fails, and ends with one error naming it', async () => {
    await load();
    const errors = recordErrors(helper.getNode('send'));
    const nobody = 'no-such-account';
    const { outs, caught } = await broadcast({ payload: 'partly', recipientId: [DEMO.alice, nobody, DEMO.bob] });
    assert.deepEqual((await sentWith('partly')).map(peopleOf), [DEMO.alice, DEMO.bob]);
    assert.deepEqual(outs.map((m) => m.recipientId), [DEMO.alice, DEMO.bob], 'the others came out');
    assert.equal(caught.length, 1, 'one error');
    assert.equal(errors.length, 1, 'one done(err)');
    assert.deepEqual(errors[0].destinations, [nobody]);
    const catalogue = require('../../nodes/locales/en-US/semilimes-send.json')['semilimes-send'];
    assert.match(catalogue.errors.broadcastFailed, /__destinations__/);
    assert.equal(helper.getNode('send').status.lastCall.args[0].fill, 'red');
  });

  it('broadcasts to the node\'s own list, read from global context per message', async () => {
    await load({ chatKind: 'p2p', chatId: 'family', chatIdType: 'global' });
    helper.getNode('send').context().global.set('family', [DEMO.bob, DEMO.alice]);
    const { outs } = await broadcast({ payload: 'from context' });
    assert.deepEqual((await sentWith('from context')).map(peopleOf), [DEMO.bob, DEMO.alice]);
    assert.equal(outs.length, 2);
  });

  it('is paced by the account\'s send queue', async () => {
    await load({}, { ratePerAccount: 4 });
    const started = Date.now();
    const { outs } = await broadcast({ payload: 'paced', recipientId: [DEMO.alice, DEMO.bob, carol] }, 0);
    await waitFor(() => outs.length === 3, 'all three', 5000);
    // Four per second over the account: three messages take at least two gaps of 250 ms.
    assert.ok(Date.now() - started >= 480, `took ${Date.now() - started} ms`);
  });

  it('refuses a list for an action that acts on one message, sending nothing', async () => {
    await load({ action: 'update' });
    const { outs, caught } = await broadcast({ payload: 'edit', messageId: 'x', recipientId: [DEMO.alice, DEMO.bob] });
    assert.equal(outs.length, 0);
    assert.match(caught[0].error.message, /listSendOnly/);
    assert.equal((await emu.control.requests()).filter((r) => /update/.test(r.path)).length, 0);
  });
});
