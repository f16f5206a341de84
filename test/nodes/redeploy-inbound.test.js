'use strict';
// Deploys under inbound traffic: the account's connection survives a deploy that leaves its settings alone, and the
// messages people send meanwhile reach the receive nodes of the new flows, in order and once. A changed key or URL
// gets a fresh connection. Real runtime, emulator over real sockets; people write through the emulator.
const assert = require('node:assert/strict');
const path = require('node:path');
const { helper, nodes, DEMO, keyOf, waitFor, delay, accountNode, nodeSuite, openSockets } = require('../helpers/env');
const { tab, receiveNode, helperNode } = require('../helpers/flows');

const redPath = process.env.NODE_RED_PATH || require.resolve('node-red');
// Node-RED's message hooks see every delivery to the output node, whichever deploy created it.
const { hooks } = require(require.resolve('@node-red/util', { paths: [path.dirname(redPath)] }));

const DEPLOYS = 50;

describe('redeploys under inbound traffic', function () {
  this.timeout(120_000);
  let emu;
  nodeSuite((started) => (emu = started));

  const flow = (generation, account = {}) => [
    tab(),
    { ...accountNode(emu), ...account },
    receiveNode('recv', [['out']], { name: `receive ${generation}` }),
    helperNode('out'),
  ];
  const credentials = (apiKey = keyOf(emu, DEMO.bot)) => ({ acc: { apiKey } });

  let delivered;
  beforeEach(() => {
    delivered = [];
    hooks.add('onReceive.semilimesRedeployTest', (event) => {
      if (event.destination.id === 'out') delivered.push(event.msg.payload);
    });
  });
  afterEach(() => hooks.remove('*.semilimesRedeployTest'));

  it(`${DEPLOYS} deploys (full and modified nodes) while Alice writes: none lost, none twice, in order`, async () => {
    await helper.load([nodes.account, nodes.receive], flow(0), credentials());
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'the bot to connect');
    const client = helper.getNode('acc').client();

    // Alice writes every few milliseconds for the whole test.
    const sent = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const text = `m${i}`;
        emu.control.sendAs({
          from: DEMO.alice,
          to: { recipientId: DEMO.bot },
          dataComponent: { dataComponentType: 'text', text },
        });
        sent.push(text);
        await delay(3);
      }
    })();

    for (let i = 1; i <= DEPLOYS; i++) {
      const type = i % 2 === 0 ? 'full' : 'nodes';
      await helper.setFlows(flow(i), type, credentials());
      await delay(20);
    }
    writing = false;
    await writer;
    await waitFor(() => delivered.length >= sent.length, `all ${sent.length} messages`, 10_000).catch(() => {});
    await delay(200);

    const counts = new Map();
    for (const text of delivered) counts.set(text, (counts.get(text) || 0) + 1);
    const lost = sent.filter((text) => !counts.has(text));
    const twice = [...counts].filter(([, n]) => n > 1).map(([text]) => text);
    assert.deepEqual(lost, [], `${lost.length} of ${sent.length} lost`);
    assert.deepEqual(twice, [], 'delivered twice');
    assert.deepEqual(delivered, sent, 'in the order Alice wrote them');
    assert.ok(sent.length > 200, `traffic during the deploys: ${sent.length} messages`);
    // One connection all along: the same client, opened once, still the only socket.
    assert.equal(helper.getNode('acc').client(), client);
    assert.equal(client.stats.connects, 1);
    assert.equal(await openSockets(emu, DEMO.bot), 1);
  });

  it('a changed key or URL gets a fresh connection, and the old one closes', async () => {
    await helper.load([nodes.account, nodes.receive], flow(0), credentials());
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'the bot to connect');
    const first = helper.getNode('acc').client();

    const res = await fetch(`${emu.url}/apikey`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keyOf(emu, DEMO.bot)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'second key', expire_at: new Date(Date.now() + 30 * 86_400_000).toISOString() }),
    });
    const secondKey = (await res.json()).data.key;
    await helper.setFlows(flow(1), 'full', credentials(secondKey));
    const second = helper.getNode('acc').client();
    assert.notEqual(second, first, 'another key: another client');
    await waitFor(() => first.state === 'closed', 'the old connection to close');

    const otherUrl = emu.url.replace('127.0.0.1', 'localhost');
    await helper.setFlows(flow(2, { baseUrl: otherUrl }), 'full', credentials(secondKey));
    const third = helper.getNode('acc').client();
    assert.notEqual(third, second, 'another URL: another client');
    assert.equal(third.baseUrl, otherUrl);
    await waitFor(() => second.state === 'closed', 'the old connection to close');
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'one socket in the end');

    // And it works: a message arrives once.
    emu.control.sendAs({
      from: DEMO.alice,
      to: { recipientId: DEMO.bot },
      dataComponent: { dataComponentType: 'text', text: 'hello' },
    });
    await waitFor(() => delivered.includes('hello'), 'the message');
    await delay(100);
    assert.equal(delivered.filter((p) => p === 'hello').length, 1);
  });

  it('closes the connection when Node-RED stops instead of deploying', async () => {
    await helper.load([nodes.account, nodes.receive], flow(0), credentials());
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'the bot to connect');
    const client = helper.getNode('acc').client();
    await helper.unload();
    await waitFor(() => client.state === 'closed', 'the connection to close');
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 0, 'no socket left');
  });
});
