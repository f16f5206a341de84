'use strict';
// A person who writes to the bot while its connection is down still gets an answer once it is back: an echo bot
// (receive -> send) in a real Node-RED runtime against the emulator, through a real outage.
const assert = require('node:assert/strict');
const { helper, nodes, DEMO, keyOf, waitFor, delay, accountNode, nodeSuite } = require('../helpers/env');
const { tab, sendNode, receiveNode, helperNode, catchAll } = require('../helpers/flows');

const text = (t) => ({ dataComponentType: 'text', text: t });
const nodeList = [nodes.account, nodes.receive, nodes.send, nodes.catch];

/** receive -> send with no settings: the reply route sends every message back to where it came from. */
function echoBot(emu, account = {}) {
  return [
    tab(),
    { ...accountNode(emu), ...account },
    receiveNode('recv', [['send', 'received']]),
    helperNode('received'),
    sendNode('send', [['sent']]),
    helperNode('sent'),
    catchAll('catch', 'caught'),
    helperNode('caught'),
  ];
}

describe('catching up after a reconnect, through the nodes', function () {
  let emu;
  nodeSuite((started) => (emu = started));

  const statusesOf = (id) => helper.getNode(id).status.args.map((a) => a[0]);
  const lastFill = (id) => (statusesOf(id).at(-1) || {}).fill;
  const echoes = (t) =>
    emu.control
      .messages({ chat: { between: [DEMO.bot, DEMO.alice] } })
      .filter((m) => m.publisherId === DEMO.bot && m.dataComponent.text === t);

  /**
   * Starts the flow. The server stamps whole seconds and a stamp in the second of the first connect counts as sent
   * before it (see decisions.md), so what the tests send comes a second later.
   */
  async function start(account) {
    await helper.load(nodeList, echoBot(emu, account), { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    await waitFor(() => lastFill('recv') === 'green', 'a green status');
    await delay(1000 - (Date.now() % 1000) + 20);
    const received = [];
    helper.getNode('received').on('input', (m) => received.push(m));
    return received;
  }

  /** Alice writes while semilimes cannot be reached; then the network comes back. */
  async function outage(message) {
    await emu.control.setOffline(true);
    await waitFor(() => lastFill('recv') !== 'green', 'the drop on status');
    emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text(message) });
    await delay(100);
    await emu.control.setOffline(false);
    await waitFor(() => lastFill('recv') === 'green', 'the reconnect on status', 5000);
  }

  it('answers, once, a message sent to the bot while it was disconnected (account saved without the setting)', async () => {
    const received = await start();
    emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('before the drop') });
    await waitFor(() => echoes('before the drop').length === 1, 'the echo before the drop');

    await outage('during the outage');
    await waitFor(() => echoes('during the outage').length === 1, 'the echo of the message sent during the outage', 5000);
    await delay(300);
    assert.equal(echoes('during the outage').length, 1);
    assert.equal(echoes('before the drop').length, 1);
    assert.deepEqual(received.map((m) => m.payload), ['before the drop', 'during the outage']);
    const caughtUp = received[1];
    assert.equal(caughtUp.recipientId, DEMO.alice);
    assert.equal(caughtUp.semilimes.senderId, DEMO.alice);
    assert.equal(caughtUp.semilimes.featureType, 'p2p');
  });

  it('replays nothing when the account has catch-up unticked', async () => {
    const received = await start({ catchUp: false });
    await outage('lost while off');
    emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('after') });
    await waitFor(() => echoes('after').length === 1, 'the echo of the live message');
    await delay(300);
    assert.equal(echoes('lost while off').length, 0);
    assert.deepEqual(received.map((m) => m.payload), ['after']);
  });
});
