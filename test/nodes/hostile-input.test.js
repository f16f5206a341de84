'use strict';
// What another person (or a server) sends can never take Node-RED down: a receive node wired to two nodes and a
// debug node gets messages nested thousands of levels deep, and very large ones, from the emulator acting as another
// person. Node-RED stays up, such a message is dropped (or delivered), never a crash, and the log says once per kind
// what was dropped and from whom.
const assert = require('node:assert/strict');
const {
  helper,
  nodes,
  DEMO,
  keyOf,
  waitFor,
  delay,
  accountNode,
  nodeSuite,
  openSockets,
  coreNode,
  FAST_CLIENT,
} = require('../helpers/env');
const { tab, receiveNode, helperNode } = require('../helpers/flows');

const debugNodes = coreNode('common/21-debug.js');

/** A text component carrying `depth` levels of nested objects in an extra field (the server passes it on). */
function deepComponent(depth) {
  return `{"dataComponentType":"text","text":"deep ${depth}","extra":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
}

/** The documented p2p event, as raw text, from `senderId`. */
function p2pFrame(senderId, messageId, componentText) {
  return (
    `{"eventType":"MessageReceived","featureType":"p2p","eventBody":{"senderId":"${senderId}",` +
    `"messageId":"${messageId}","receivedOn":${Math.floor(Date.now() / 1000)},"dataComponent":${componentText}}}`
  );
}

describe('hostile input: deep and large inbound messages', function () {
  this.timeout(60_000);
  let emu;
  nodeSuite((started) => (emu = started));

  const flow = () => [
    tab(),
    accountNode(emu),
    receiveNode('recv', [['a', 'b', 'dbg']]),
    helperNode('a'),
    helperNode('b'),
    { id: 'dbg', z: 'f1', x: 1, y: 1, type: 'debug', active: true, tosidebar: true, console: false, complete: 'true' },
  ];

  async function load() {
    await helper.load([nodes.account, nodes.receive, debugNodes], flow(), { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
    const got = { a: [], b: [] };
    helper.getNode('a').on('input', (m) => got.a.push(m));
    helper.getNode('b').on('input', (m) => got.b.push(m));
    return got;
  }

  /** Alice sends a component to the bot: through the documented send when the emulator can carry it, else raw. */
  async function aliceSends(componentText, messageId) {
    const res = await fetch(`${emu.url}/_emulator/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"from":"${DEMO.alice}","to":{"recipientId":"${DEMO.bot}"},"dataComponent":${componentText}}`,
    });
    if (res.ok) return (await res.json()).messageId ?? (await res.json()).data?.messageId;
    // The emulator could not store or forward it (too deep for its own JSON): the same event, written as raw text.
    const frame = p2pFrame(DEMO.alice, messageId, componentText);
    const injected = await fetch(`${emu.url}/_emulator/inject`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: DEMO.bot, frame }),
    });
    assert.equal(injected.status, 200);
    return messageId;
  }

  /** An ordinary text from Alice to the bot, through the documented send. */
  const aliceWritesText = (text) =>
    emu.control.sendAs({
      from: DEMO.alice,
      to: { recipientId: DEMO.bot },
      dataComponent: { dataComponentType: 'text', text },
    });

  const warnings = (pattern) =>
    helper
      .log()
      .args.map((a) => a[0])
      .filter((e) => e && e.level === helper.log().WARN && pattern.test(e.msg));

  it('survives components nested 1k, 3k, 5k and 20k levels deep: dropped, logged once, later messages arrive', async () => {
    const got = await load();
    for (const depth of [1000, 3000, 5000, 20000]) {
      await aliceSends(deepComponent(depth), `deep-${depth}`);
      // A normal message after each one: it arrives, so Node-RED and the connection are alive and in order.
      await aliceWritesText(`after ${depth}`);
      await waitFor(() => got.a.some((m) => m.payload === `after ${depth}`), `the message after depth ${depth}`);
      await waitFor(() => got.b.some((m) => m.payload === `after ${depth}`), `the copy after depth ${depth}`);
    }
    assert.deepEqual(
      got.a.map((m) => m.payload),
      ['after 1000', 'after 3000', 'after 5000', 'after 20000'],
      'the deep messages were dropped, the others delivered in order',
    );
    const dropped = warnings(/dropped a received frame nested deeper than 64 levels/);
    assert.equal(dropped.length, 1, 'one warning for the kind, not one per frame');
    assert.match(dropped[0].msg, new RegExp(`sender ${DEMO.alice}`));
    assert.match(dropped[0].msg, /message \S+/);
    const stats = helper.getNode('acc').client().stats;
    // At least the four; the emulator may also have pushed one before failing to answer its control call.
    assert.ok(stats.tooDeepFrames >= 4, `${stats.tooDeepFrames} frames dropped`);
    assert.equal(stats.listenerErrors, 0);
  });

  it('delivers a component nested within the limit to both nodes and the debug node', async () => {
    const got = await load();
    await aliceSends(deepComponent(40), 'deep-40');
    await waitFor(() => got.a.length === 1 && got.b.length === 1, 'the message on both wires');
    assert.equal(got.a[0].payload, 'deep 40');
    assert.equal(
      got.b[0].dataComponent.extra.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a,
      1,
    );
    assert.notEqual(got.a[0].dataComponent, got.b[0].dataComponent, 'Node-RED copied it for the second wire');
  });

  it('drops a frame over 1 MiB, naming its sender and message, and keeps going', async () => {
    const got = await load();
    const big = JSON.stringify({ dataComponentType: 'text', text: 'x'.repeat(1024 * 1024 + 10) });
    const messageId = await aliceSends(big, 'big-1');
    await aliceWritesText('small');
    await waitFor(() => got.a.some((m) => m.payload === 'small'), 'the small message');
    assert.equal(got.a.length, 1);
    const dropped = warnings(/dropped a received frame larger than 1048576 bytes/);
    assert.equal(dropped.length, 1);
    assert.match(dropped[0].msg, new RegExp(`sender ${DEMO.alice}, message ${messageId}`));
    assert.equal(helper.getNode('acc').client().stats.oversizedFrames, 1);
  });

  describe('with the frame limit raised past what Node-RED can copy', function () {
    // helper.settings() replaces every test setting (key and tunnel folders too): the previous ones come back after.
    let previous;
    before(() => {
      previous = { ...helper.settings() };
      const raised = { ...FAST_CLIENT, frameLimits: { maxBytes: 1e7, maxDepth: 1e6 } };
      helper.settings({ ...previous, semilimesClientOptions: raised });
    });
    after(() => helper.settings(previous));

    it('a message Node-RED cannot copy fails on its own: red status, one error, the node keeps receiving', async () => {
      await helper.load(
        [nodes.account, nodes.receive],
        [tab(), accountNode(emu), receiveNode('recv', [['a', 'b']]), helperNode('a'), helperNode('b')],
        { acc: { apiKey: keyOf(emu, DEMO.bot) } },
      );
      await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
      const statuses = [];
      helper.getNode('recv').on('call:status', (call) => statuses.push(call.args[0]));
      const got = [];
      helper.getNode('b').on('input', (m) => got.push(m));
      await aliceSends(deepComponent(20000), 'deep-raised');
      await waitFor(() => statuses.some((s) => s.fill === 'red'), 'the red status');
      await aliceWritesText('still here');
      await waitFor(() => got.some((m) => m.payload === 'still here'), 'the next message');
      await delay(50);
      const errors = helper
        .log()
        .args.map((a) => a[0])
        .filter((e) => e && e.level === helper.log().ERROR);
      assert.ok(
        errors.some((e) => /call stack/i.test(e.msg)),
        'the failure is logged',
      );
      assert.ok(
        errors.every((e) => String(e.msg).length < 1000),
        'without the message in the log line',
      );
    });
  });
});
