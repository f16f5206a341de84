'use strict';
// Connection behaviour seen through real nodes: drops, half-open sockets, a wrong key, redeploys, secrets.
const assert = require('node:assert/strict');
const { helper, nodes, DEMO, keyOf, waitFor, delay, accountNode, nodeSuite, openSockets } = require('../helpers/env');
const { tab, sendNode, receiveNode, helperNode, catchAll, runThrough } = require('../helpers/flows');

const text = (t) => ({ dataComponentType: 'text', text: t });

function flow(emu, receiveName = 'recv') {
  return [
    tab(),
    accountNode(emu),
    receiveNode('recv', [['received']], { name: receiveName }),
    helperNode('received'),
    sendNode('send', [['sent']], { chatKind: 'p2p', chatId: DEMO.alice }),
    helperNode('sent'),
    catchAll('catch', 'caught'),
    helperNode('caught'),
  ];
}

const nodeList = [nodes.account, nodes.receive, nodes.send, nodes.catch];

/** Sends one message through the send node; resolves with { out } or { error }. */
const send = (msg) => runThrough(helper, msg, { outId: 'sent' });

/** Every status a node has shown so far. */
const statuses = (id) => helper.getNode(id).status.args.map((a) => a[0]);
const lastStatus = (id) => {
  const all = statuses(id);
  return all[all.length - 1] || {};
};

describe('connection behaviour through the nodes', function () {
  let emu;
  nodeSuite((started) => (emu = started));

  async function load(key = keyOf(emu, DEMO.bot)) {
    await helper.load(nodeList, flow(emu), { acc: { apiKey: key } });
  }

  const connected = () => waitFor(() => lastStatus('recv').fill === 'green', 'a green status');

  it('recovers from a dropped socket without losing a message either way', async () => {
    await load();
    await connected();
    const received = [];
    helper.getNode('received').on('input', (m) => received.push(m));

    const results = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10) await emu.control.dropSockets({});
      results.push(await send({ payload: `n${i}` }));
    }
    // Each message is either stored exactly once or reported to Catch; none silently vanished or doubled.
    const stored = (await emu.control.messages()).filter((m) => m.publisherId === DEMO.bot);
    for (let i = 0; i < 30; i++) {
      const copies = stored.filter((m) => m.dataComponent.text === `n${i}`).length;
      if (results[i].out) assert.equal(copies, 1, `n${i} stored once`);
      else assert.ok(copies <= 1 && results[i].error, `n${i} reported`);
    }
    assert.ok(results.filter((r) => r.out).length >= 29, 'at most the one in flight at the drop is uncertain');

    await waitFor(() => lastStatus('recv').fill === 'green' && statuses('recv').some((s) => s.fill !== 'green'), 'a reconnect seen on status');
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'one socket again');
    await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('after') });
    await waitFor(() => received.some((m) => m.payload === 'after'), 'the message after the drop');
  });

  it('logs one line when a lost connection comes back, however many attempts it took', async () => {
    await load();
    await connected();
    const back = () => helper.log().args.filter((a) => a[0] && /semilimes-account\.log\.reconnected/.test(a[0].msg));
    assert.equal(back().length, 0, 'nothing at the first connect');
    await emu.control.setOffline(true);
    await waitFor(() => lastStatus('recv').fill === 'red', 'the loss on status');
    await delay(400); // several failed attempts
    await emu.control.setOffline(false);
    await connected();
    await waitFor(() => back().length === 1, 'the line');
    assert.equal(back()[0][0].level, helper.log().INFO);
    assert.match(back()[0][0].msg, /^\[semilimes-account:test account\] /);
    await delay(300);
    assert.equal(back().length, 1, 'once');
  });

  it('notices a half-open socket through the heartbeat and reconnects by itself', async () => {
    await load();
    await connected();
    const before = statuses('recv').length;
    await emu.control.setPongs(false);
    await waitFor(() => statuses('recv').slice(before).some((s) => s.fill !== 'green'), 'the drop on status');
    await emu.control.setPongs(true);
    await connected();
    const received = [];
    helper.getNode('received').on('input', (m) => received.push(m));
    await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('alive') });
    await waitFor(() => received.length === 1, 'a message on the new socket');
  });

  it('shows unauthorized for a wrong key, retries at most slowly, and fails sends clearly', async () => {
    await load('not-the-right-key-4242');
    await waitFor(() => /unauthorized/.test(lastStatus('recv').text || ''), 'unauthorized on status');
    assert.equal(lastStatus('recv').fill, 'red');
    assert.equal(lastStatus('send').fill, 'red');
    await delay(1000); // dozens of fast-retry periods
    assert.equal(helper.getNode('acc').client().stats.unauthorizedAttempts, 1);
    const result = await send({ payload: 'nope' });
    assert.ok(result.error);
    assert.match(result.error.message, /HTTP 401/);
  });

  it('leaves no connection or listener behind after 20 redeploys', async () => {
    await load();
    await connected();
    const handlesBefore = process._getActiveHandles().length;
    const processListeners = () => process.eventNames().reduce((n, e) => n + process.listenerCount(e), 0);
    const listenersBefore = processListeners();
    for (let i = 0; i < 20; i++) {
      // Alternate full deploys and "modified nodes" deploys (only the receive node restarts).
      const type = i % 2 === 0 ? 'full' : 'nodes';
      await helper.setFlows(flow(emu, `recv ${i}`), type, { acc: { apiKey: keyOf(emu, DEMO.bot) } });
      await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1 && lastStatus('recv').fill === 'green', `deploy ${i}`);
    }
    await delay(100);
    assert.equal(await openSockets(emu, DEMO.bot), 1);
    assert.equal(helper.getNode('acc').events.listenerCount('message'), 1, 'one receive node, one listener');
    assert.equal(processListeners(), listenersBefore);
    assert.ok(process._getActiveHandles().length <= handlesBefore + 2, 'no growing handles');
    const received = [];
    helper.getNode('received').on('input', (m) => received.push(m));
    await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('once') });
    await waitFor(() => received.length === 1, 'the message');
    await delay(100);
    assert.equal(received.length, 1, 'delivered exactly once, not once per old deploy');
  });

  for (const [what, account, credentials, pattern] of [
    ['no API key', {}, {}, /noKey/],
    ['a key from an unset environment variable', {}, { apiKey: '${SEMILIMES_TEST_UNSET_VARIABLE}' }, /noKey/],
    ['plain http to a remote host', { baseUrl: 'http://api.example.com' }, { apiKey: 'k' }, /insecureUrl/],
  ]) {
    it(`explains ${what} on every node and fails sends clearly, without connecting`, async () => {
      const flowDef = flow(emu);
      Object.assign(flowDef.find((n) => n.id === 'acc'), account);
      await helper.load(nodeList, flowDef, { acc: credentials });
      for (const id of ['recv', 'send']) {
        assert.equal(lastStatus(id).fill, 'red');
        assert.match(lastStatus(id).text, pattern);
      }
      const result = await send({ payload: 'hello' });
      assert.match(result.error.message, pattern);
      assert.equal((await emu.control.requests()).length, 0);
      assert.equal(await openSockets(emu, DEMO.bot), 0);
    });
  }

  it('reads the key from an environment variable written as ${NAME}', async () => {
    process.env.SEMILIMES_TEST_KEY = keyOf(emu, DEMO.bot);
    try {
      await load('${SEMILIMES_TEST_KEY}');
      await connected();
      assert.ok((await send({ payload: 'from env' })).out);
    } finally {
      delete process.env.SEMILIMES_TEST_KEY;
    }
  });

  it('never shows the API key in logs, status or errors', async () => {
    const key = keyOf(emu, DEMO.bot);
    const seen = [];
    await load();
    await connected();
    seen.push(await send({ payload: 'fine' }));
    await emu.control.failNext({ count: 1, status: 500 });
    seen.push(await send({ payload: 'server error' }));
    seen.push(await send({ payload: { bad: true } }));
    await emu.control.revokeKey(key);
    await waitFor(() => /unauthorized/.test(lastStatus('recv').text || ''), 'unauthorized after revocation');
    seen.push(await send({ payload: 'revoked' }));
    const everything = JSON.stringify({
      logs: helper.log().args,
      status: [...statuses('recv'), ...statuses('send')],
      errors: seen.map((r) => r.error && { message: r.error.message, source: r.error.source }),
    });
    assert.ok(seen.filter((r) => r.error).length >= 3, 'the failures happened');
    assert.ok(!everything.includes(key), 'key leaked');
    assert.ok(!everything.includes(key.slice(0, 12)), 'key prefix leaked');
  });
});
