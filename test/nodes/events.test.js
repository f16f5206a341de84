'use strict';
// The events node in a real Node-RED runtime against the emulator: connection changes, a key about to expire and
// events of unknown type reach the flow; and the documented `domain` field of received messages.
const assert = require('node:assert/strict');
const { helper, nodes, DEMO, keyOf, waitFor, delay, accountNode, nodeSuite, openSockets } = require('../helpers/env');
const { tab, helperNode, receiveNode } = require('../helpers/flows');

const DAY_MS = 24 * 3600 * 1000;

describe('semilimes-events node', function () {
  let emu;
  nodeSuite((started) => (emu = started));

  async function load(settings = {}, account = {}, apiKey = keyOf(emu, DEMO.bot)) {
    const flow = [
      tab(),
      { ...accountNode(emu), ...account },
      { id: 'events', type: 'semilimes-events', z: 'f1', account: 'acc', connection: true, key: true, unknown: true, version: 1, ...settings, wires: [['out']] },
      helperNode('out'),
      receiveNode('recv', [['received']]),
      helperNode('received'),
    ];
    await helper.load([nodes.account, nodes.events, nodes.receive], flow, { acc: { apiKey } });
    const got = [];
    helper.getNode('out').on('input', (m) => got.push(m));
    const received = [];
    helper.getNode('received').on('input', (m) => received.push(m));
    return { got, received };
  }
  /** A fresh key of the bot's account, valid for `days`. */
  async function newKey(days) {
    const res = await fetch(`${emu.url}/apikey`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${keyOf(emu, DEMO.bot)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'events test', expire_at: new Date(Date.now() + days * DAY_MS).toISOString().replace(/\.\d+Z$/, 'Z') }),
    });
    const body = await res.json();
    assert.ok(body.success, JSON.stringify(body));
    return body.data;
  }
  const states = (got) => got.filter((m) => m.topic === 'connection').map((m) => m.payload.state);

  it('emits connected, then one disconnected for a whole outage, then connected again', async () => {
    const { got } = await load();
    await waitFor(() => states(got).includes('connected'), 'connected');
    await emu.control.setOffline(true);
    await waitFor(() => states(got).includes('disconnected'), 'disconnected');
    await delay(800); // several retries fail meanwhile
    await emu.control.setOffline(false);
    await waitFor(() => states(got).length === 3, 'connected again', 5000);
    assert.deepEqual(states(got), ['connected', 'disconnected', 'connected']);
    const drop = got.find((m) => m.payload.state === 'disconnected');
    assert.equal(typeof drop.payload.reason, 'string');
  });

  it('emits a dropped socket (no close frame) as disconnected', async () => {
    const { got } = await load();
    await waitFor(() => states(got).includes('connected'), 'connected');
    await emu.control.dropSockets({ accountId: DEMO.bot });
    await waitFor(() => states(got).includes('disconnected'), 'the drop');
  });

  it('emits unauthorized when the key is refused', async () => {
    const { key } = await newKey(30);
    const { got } = await load({}, {}, key);
    await waitFor(() => states(got).includes('connected'), 'connected');
    await emu.control.revokeKey(key);
    await waitFor(() => states(got).includes('unauthorized'), 'unauthorized', 8000);
  });

  it('emits a key about to expire, with its days left', async () => {
    const short = await newKey(2.5);
    const { got } = await load({}, { rotateDays: 5 }, short.key);
    const key = await waitFor(() => got.find((m) => m.topic === 'key'), 'the key event');
    assert.equal(key.payload.state, 'expiring');
    assert.equal(key.payload.daysLeft, 2);
    assert.equal(key.payload.keyId, short.id);
  });

  it('emits an event of unknown type with its raw data, and nothing for a person\'s message', async () => {
    const { got, received } = await load({ connection: false });
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
    const frame = { eventType: 'ContactRequested', eventBody: { fromId: DEMO.alice, note: 'hi' } };
    emu.control.injectFrame({ accountId: DEMO.bot, frame: JSON.stringify(frame) });
    await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: { dataComponentType: 'text', text: 'normal' } });
    await waitFor(() => received.length === 1 && got.length === 1, 'both');
    await delay(100);
    assert.equal(got.length, 1);
    assert.equal(got[0].topic, 'unknown');
    assert.equal(got[0].payload.eventType, 'ContactRequested');
    assert.deepEqual(got[0].payload.frame, frame);
  });

  it('passes the documented domain field of a received message on in msg.semilimes.domain', async () => {
    const { received } = await load();
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
    const frame = {
      eventType: 'MessageReceived',
      featureType: 'p2p',
      domain: 'semilimes.net',
      eventBody: { messageId: 'm-domain-1', senderId: DEMO.alice, receivedOn: 1700562656, dataComponent: { dataComponentType: 'text', text: 'with domain' } },
    };
    emu.control.injectFrame({ accountId: DEMO.bot, frame: JSON.stringify(frame) });
    await waitFor(() => received.length === 1, 'the message');
    assert.equal(received[0].semilimes.domain, 'semilimes.net');
    assert.equal(received[0].payload, 'with domain');
  });

  it('lets the kinds of event be unticked', async () => {
    const { got } = await load({ connection: false, unknown: false });
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
    await emu.control.dropSockets({ accountId: DEMO.bot });
    emu.control.injectFrame({ accountId: DEMO.bot, frame: JSON.stringify({ eventType: 'Whatever' }) });
    await delay(500);
    assert.deepEqual(got, []);
  });
});
