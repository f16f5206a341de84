'use strict';
// Who may talk to the bot: the receive node's allowed senders and chats (fixed, env, flow or global context, read per
// message) and the second output for everyone else, in a real Node-RED runtime against the emulator.
const assert = require('node:assert/strict');
const { helper, nodes, DEMO, keyOf, waitFor, delay, accountNode, nodeSuite, openSockets } = require('../helpers/env');
const { tab, receiveNode, helperNode, catchAll } = require('../helpers/flows');

const text = (t) => ({ dataComponentType: 'text', text: t });

describe('semilimes-receive: who may talk', function () {
  let emu;
  nodeSuite((started) => (emu = started));

  /** Loads receive (allowed -> 'out', others -> 'others') and returns what each output and Catch got. */
  async function load(settings) {
    const flow = [
      tab(),
      accountNode(emu),
      receiveNode('recv', [['out'], ['others']], { strangers: true, ...settings }),
      helperNode('out'),
      helperNode('others'),
      catchAll('catch', 'caught'),
      helperNode('caught'),
    ];
    await helper.load([nodes.account, nodes.receive, nodes.catch], flow, { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
    const got = { out: [], others: [], caught: [] };
    for (const id of Object.keys(got)) helper.getNode(id).on('input', (m) => got[id].push(m));
    return got;
  }

  /** Sends each [from, to, words] in order and waits until `count` messages came out anywhere. */
  async function sendAll(got, list, count = list.length) {
    for (const [from, to, words] of list) await emu.control.sendAs({ from, to, dataComponent: text(words) });
    await waitFor(() => got.out.length + got.others.length + got.caught.length >= count, 'the messages');
    await delay(100);
  }
  const texts = (msgs) => msgs.map((m) => m.payload);
  const toBot = { recipientId: DEMO.bot };

  it('a stranger\'s message comes out of the second output only (fixed list)', async () => {
    const got = await load({ senderIds: DEMO.alice });
    await sendAll(got, [
      [DEMO.bob, toBot, 'bob here'],
      [DEMO.alice, toBot, 'alice here'],
    ]);
    assert.deepEqual(texts(got.out), ['alice here']);
    assert.deepEqual(texts(got.others), ['bob here']);
    assert.equal(got.others[0].recipientId, DEMO.bob, 'with the reply route, so a flow can answer the stranger');
  });

  it('reads a list in global context for every message, so a flow can change it', async () => {
    const got = await load({ senderIds: 'allowed', senderIdsType: 'global' });
    const global = helper.getNode('recv').context().global;
    global.set('allowed', [DEMO.alice]);
    await sendAll(got, [[DEMO.bob, toBot, 'before']]);
    global.set('allowed', [DEMO.alice, DEMO.bob]);
    await sendAll(got, [[DEMO.bob, toBot, 'after']], 2);
    assert.deepEqual(texts(got.others), ['before']);
    assert.deepEqual(texts(got.out), ['after']);
  });

  it('reads allowed chats from flow context and senders from the environment (comma separated or JSON)', async () => {
    process.env.SEMILIMES_TEST_ALLOWED = `["${DEMO.bob}"]`;
    try {
      const got = await load({ chatIds: 'chats', chatIdsType: 'flow', senderIds: 'SEMILIMES_TEST_ALLOWED', senderIdsType: 'env' });
      helper.getNode('recv').context().flow.set('chats', `${DEMO.family}, somewhere-else`);
      await sendAll(got, [
        [DEMO.bob, toBot, 'bob direct'],
        [DEMO.alice, { groupChatId: DEMO.family }, 'alice in family'],
        [DEMO.bob, { groupChatId: DEMO.family }, 'bob in family'],
      ]);
      assert.deepEqual(texts(got.out), ['bob in family']);
      assert.deepEqual(texts(got.others), ['bob direct', 'alice in family']);
    } finally {
      delete process.env.SEMILIMES_TEST_ALLOWED;
    }
  });

  it('lets nobody in while the context list is unset', async () => {
    const got = await load({ senderIds: 'notSetYet', senderIdsType: 'global' });
    await sendAll(got, [[DEMO.alice, toBot, 'anyone?']]);
    assert.deepEqual(texts(got.out), []);
    assert.deepEqual(texts(got.others), ['anyone?']);
  });

  it('drops strangers when the second output is off', async () => {
    const got = await load({ senderIds: DEMO.alice, strangers: false });
    await emu.control.sendAs({ from: DEMO.bob, to: toBot, dataComponent: text('dropped') });
    await sendAll(got, [[DEMO.alice, toBot, 'kept']], 1);
    await delay(100);
    assert.deepEqual(texts(got.out), ['kept']);
    assert.deepEqual(texts(got.others), []);
  });

  it('sends the message to Catch, letting nobody in, when the list is not a list', async () => {
    const got = await load({ senderIds: 'broken', senderIdsType: 'global' });
    helper.getNode('recv').context().global.set('broken', { alice: true });
    await sendAll(got, [[DEMO.alice, toBot, 'judged by a broken list']]);
    assert.equal(got.out.length + got.others.length, 0);
    assert.equal(got.caught.length, 1);
    assert.equal(got.caught[0].payload, 'judged by a broken list', 'the message is not lost');
    assert.match(got.caught[0].error.message, /badList/);
  });

  it('keeps the order of messages while lists are read', async () => {
    const got = await load({ senderIds: 'allowed', senderIdsType: 'global' });
    helper.getNode('recv').context().global.set('allowed', [DEMO.alice]);
    const words = Array.from({ length: 10 }, (_, i) => `n${i}`);
    await sendAll(got, words.map((w) => [DEMO.alice, toBot, w]));
    assert.deepEqual(texts(got.out), words);
  });
});
