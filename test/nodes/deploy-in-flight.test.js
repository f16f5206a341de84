'use strict';
// A deploy while messages are still waiting for their answer: every message ends in exactly one outcome, an output
// or an error a Catch node gets, never silence, and nothing is sent by a node that has closed. The emulator stores
// each request at once and holds its answer back, as a slow server would.
const assert = require('node:assert/strict');
const path = require('node:path');
const { helper, nodes, DEMO, keyOf, waitFor, delay, accountNode, nodeSuite } = require('../helpers/env');
const { tab, sendNode, helperNode, catchAll, AT, recordErrors } = require('../helpers/flows');

const IN_FLIGHT = 20;
/** Shorter than the client's request timeout in tests (2 s), so no answer times out: the deploy cuts them short. */
const ANSWER_DELAY_MS = 1200;

const apiNode = (id, wires, settings = {}) => ({
  id,
  ...AT,
  type: 'semilimes-api',
  account: 'acc',
  // A send over the shared WebSocket, as the send node's are (REST requests would queue in the HTTP pool).
  operation: '/communication/p2p/message/send',
  params: {},
  ...settings,
  wires,
});

function flow(emu, nodeUnderTest, account = {}) {
  return [tab(), { ...accountNode(emu), ...account }, nodeUnderTest, helperNode('out'), catchAll('catch', 'caught'), helperNode('caught')];
}

const KINDS = {
  send: {
    node: (name = '') => sendNode('work', [['out']], { name }),
    msg: (i) => ({ payload: `in flight ${i}`, recipientId: DEMO.alice, tag: i }),
    closedKey: /semilimes-send\.errors\.closed/,
    // Messages to one chat overlap on the socket (up to the account's "At once", 32 by default): all are on their way.
    onTheWay: IN_FLIGHT,
  },
  'send, one at a time': {
    node: (name = '') => sendNode('work', [['out']], { name }),
    msg: (i) => ({ payload: `in flight ${i}`, recipientId: DEMO.alice, tag: i }),
    closedKey: /semilimes-send\.errors\.closed/,
    // With "At once" 1, one is on its way, the others wait in the queue, and the deploy takes them out of it.
    account: { inFlightPerChat: 1 },
    onTheWay: 1,
  },
  api: {
    node: (name = '') => apiNode('work', [['out']], { name }),
    msg: (i) => ({
      payload: { recipientId: DEMO.alice, dataComponent: { dataComponentType: 'text', text: `api ${i}` } },
      tag: i,
    }),
    closedKey: /semilimes-api\.errors\.closed/,
    onTheWay: IN_FLIGHT,
  },
};

describe('a deploy while messages are in flight', function () {
  let emu;
  nodeSuite((started) => (emu = started));
  const credentials = () => ({ acc: { apiKey: keyOf(emu, DEMO.bot) } });

  /**
   * Records every outcome by message tag: outputs at the output helper, errors where the Catch node gets them (its
   * own input: in a full deploy the nodes behind it are stopped in the same tick).
   */
  function recordOutcomes() {
    const outcomes = new Map();
    const add = (tag, outcome) => outcomes.set(tag, [...(outcomes.get(tag) || []), outcome]);
    helper.getNode('out').on('input', (m) => add(m.tag, { out: m }));
    helper.getNode('catch').on('input', (m) => add(m.tag, { error: m.error }));
    return outcomes;
  }

  for (const [kind, spec] of Object.entries(KINDS)) {
    for (const deploy of ['full', 'nodes']) {
      const which = deploy === 'full' ? 'full' : 'modified-nodes';
      it(`${kind}: ${IN_FLIGHT} messages in flight at a ${which} deploy each get one outcome`, async () => {
        const started = flow(emu, spec.node(), spec.account);
        await helper.load([nodes.account, nodes.send, nodes.api, nodes.catch], started, credentials());
        await waitFor(async () => (await emu.control.connections()).some((c) => c.open > 0), 'the account to connect');
        const outcomes = recordOutcomes();
        const work = helper.getNode('work');
        await emu.control.setDelay(ANSWER_DELAY_MS);
        for (let i = 0; i < IN_FLIGHT; i++) work.receive(spec.msg(i));
        // Every request has reached the emulator (it stores first, then holds the answer back).
        const path = '/communication/p2p/message/send';
        const arrived = async () => (await emu.control.requests()).filter((r) => r.path.startsWith(path)).length;
        await waitFor(async () => (await arrived()) >= spec.onTheWay, 'the requests on their way to arrive');

        // A modified-nodes deploy changes only the node under test; a full deploy restarts everything.
        await helper.setFlows(flow(emu, spec.node('changed'), spec.account), deploy, credentials());
        await delay(ANSWER_DELAY_MS + 300); // any late answer would have arrived by now
        assert.equal(await arrived(), spec.onTheWay, 'nothing that waited was sent after the deploy');

        const silent = [];
        const twice = [];
        for (let i = 0; i < IN_FLIGHT; i++) {
          const got = outcomes.get(i) || [];
          if (got.length === 0) silent.push(i);
          if (got.length > 1) twice.push(i);
        }
        assert.deepEqual(silent, [], 'messages without any outcome');
        assert.deepEqual(twice, [], 'messages with more than one outcome');
        const errors = [...outcomes.values()].flat().filter((o) => o.error);
        assert.equal(errors.length, IN_FLIGHT, 'the answers were held back: every message was cut short');
        for (const { error } of errors) {
          assert.match(error.message, spec.closedKey);
          assert.equal(error.source.id, 'work');
        }
      });
    }
  }

  it('send: an update cut short by a deploy names the message it was editing', async () => {
    const editor = (name = '') => sendNode('work', [['out']], { action: 'msg', name });
    await helper.load([nodes.account, nodes.send, nodes.catch], flow(emu, editor()), credentials());
    const work = helper.getNode('work');
    const sent = await new Promise((resolve) => {
      helper.getNode('out').once('input', resolve);
      work.receive({ action: 'send', payload: 'draft', recipientId: DEMO.alice });
    });
    const failures = recordErrors(work);
    await emu.control.setDelay(ANSWER_DELAY_MS);
    work.receive({ action: 'update', payload: 'edited', recipientId: DEMO.alice, messageId: sent.messageId });
    await waitFor(
      async () => (await emu.control.requests()).some((r) => r.path.endsWith('/message/update')),
      'the update to arrive',
    );
    await helper.setFlows(flow(emu, editor('changed')), 'nodes', credentials());
    assert.equal(failures.length, 1);
    assert.match(failures[0].message, /semilimes-send\.errors\.closedWithId/);
    assert.equal(failures[0].messageId, sent.messageId);
    assert.equal(failures[0].code, 'CUT_SHORT');
  });

  it('send: a node that is not redeployed keeps its messages when another node changes', async () => {
    const other = { id: 'other', ...AT, type: 'helper', name: 'before' };
    const load = (name) => [...flow(emu, sendNode('work', [['out']])), { ...other, name }];
    await helper.load([nodes.account, nodes.send, nodes.catch], load('before'), credentials());
    await waitFor(async () => (await emu.control.connections()).some((c) => c.open > 0), 'the account to connect');
    const outcomes = recordOutcomes();
    await emu.control.setDelay(300);
    for (let i = 0; i < 5; i++)
      helper.getNode('work').receive({ payload: `kept ${i}`, recipientId: DEMO.alice, tag: i });
    await helper.setFlows(load('after'), 'nodes', credentials());
    await waitFor(() => outcomes.size === 5, 'five outcomes');
    assert.ok(
      [...outcomes.values()].every((got) => got.length === 1 && got[0].out),
      JSON.stringify([...outcomes.values()]),
    );
  });

  it('watches deploys with one runtime listener, however many nodes there are', async () => {
    const redPath = process.env.NODE_RED_PATH || require.resolve('node-red');
    const runtimeEvents = require(require.resolve('@node-red/util', { paths: [path.dirname(redPath)] })).events;
    const before = runtimeEvents.listenerCount('flows:stopping');
    const warnings = [];
    const onWarning = (w) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const many = Array.from({ length: 30 }, (_, i) => sendNode(`send${i}`, [['out']]));
      await helper.load(
        [nodes.account, nodes.send, nodes.catch],
        [...flow(emu, sendNode('work', [['out']])), ...many],
        credentials(),
      );
      assert.equal(runtimeEvents.listenerCount('flows:stopping'), before + 1);
      await helper.unload();
      assert.equal(runtimeEvents.listenerCount('flows:stopping'), before, 'the listener left with the last node');
      await delay(10);
      assert.deepEqual(
        warnings.filter((w) => w.name === 'MaxListenersExceededWarning'),
        [],
      );
    } finally {
      process.off('warning', onWarning);
    }
  });
});
