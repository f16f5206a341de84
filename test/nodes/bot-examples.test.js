'use strict';
// The bot examples (doorbell broadcast, /lights with an allow-list, ask for a time, connection alert), loaded as
// shipped into a real Node-RED runtime against an emulator whose accounts have other ids than the demo's: the ids
// reach the flows only through the environment variables the examples document, so an id written into an example
// would fail here with "not found".
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { helper, nodes, coreNode, waitFor, delay, startEmulator, openSockets } = require('../helpers/env');

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const read = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
const NODES = [
  nodes.account,
  nodes.send,
  nodes.receive,
  nodes.events,
  nodes.command,
  nodes.ask,
  nodes.catch,
  require('../../dist/nodes/semilimes-file.js'),
  ...['common/20-inject.js', 'common/90-comment.js', 'function/10-switch.js', 'function/15-change.js'].map(coreNode),
];
const ENV = ['SEMILIMES_PERSON_ID', 'SEMILIMES_OTHER_PERSON_ID'];

describe('bot examples, on accounts with other ids than the demo', function () {
  this.timeout(20000);
  let emu;
  let bot;
  let alice;
  let bob;

  beforeEach(async () => {
    emu = await startEmulator({ port: 0, seed: 'empty' });
    bot = await emu.control.createAccount({ accountName: 'Some bot' });
    alice = await emu.control.createAccount({ accountName: 'Ann' });
    bob = await emu.control.createAccount({ accountName: 'Ben' });
    process.env.SEMILIMES_PERSON_ID = alice.accountId;
    process.env.SEMILIMES_OTHER_PERSON_ID = bob.accountId;
  });
  afterEach(async () => {
    await helper.unload();
    await emu.close();
    for (const name of ENV) delete process.env[name];
  });

  /** An example as shipped: debug nodes become test helpers, the account points at this emulator. */
  async function load(file) {
    const flow = read(file).map((n) => {
      if (n.type === 'debug') return { id: n.id, z: n.z, type: 'helper', wires: [] };
      if (n.type === 'semilimes-account') return { ...n, baseUrl: emu.url };
      return n;
    });
    await helper.load(NODES, flow, { 'semilimes-demo-account': { apiKey: bot.apiKey } });
    await waitFor(async () => (await openSockets(emu, bot.accountId)) >= 1, 'the bot to connect');
  }
  const say = (from, words) =>
    emu.control.sendAs({ from: from.accountId, to: { recipientId: bot.accountId }, dataComponent: { dataComponentType: 'text', text: words } });
  /** What the bot wrote to a person, in order. */
  const botTo = async (person) =>
    (await emu.control.messages({ chat: { between: [bot.accountId, person.accountId] } }))
      .filter((m) => m.publisherId === bot.accountId)
      .map((m) => m.dataComponent);
  const textsTo = async (person) => (await botTo(person)).map((c) => c.text);

  it('every example of this kind documents the variables it reads, and holds no account id', () => {
    for (const file of ['doorbell-broadcast.json', 'lights-command.json', 'ask-for-a-time.json', 'connection-alert.json']) {
      const nodesOf = read(file);
      const text = JSON.stringify(nodesOf);
      assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(text), `${file} holds an id`);
      const notes = nodesOf.filter((n) => n.type === 'comment').map((n) => n.info).join('\n');
      for (const name of ENV) if (text.includes(name)) assert.match(notes, new RegExp(name), `${file} documents ${name}`);
    }
  });

  it('doorbell: the text and the snapshot reach both family members, in order, once each', async () => {
    await load('doorbell-broadcast.json');
    const sentTo = [];
    helper.getNode('doorbell-debug').on('input', (m) => sentTo.push(m.recipientId));
    helper.getNode('doorbell-ring').receive({ payload: Date.now() });
    await waitFor(() => sentTo.length === 2, 'one message out per person');
    assert.deepEqual(sentTo, [alice.accountId, bob.accountId]);
    for (const person of [alice, bob]) {
      const got = await botTo(person);
      assert.equal(got.length, 2, 'text and picture, once');
      assert.equal(got[0].text, 'Someone is at the door');
      assert.equal(got[1].dataComponentType, 'file');
      const [fileId] = got[1].fileIds;
      assert.ok(fileId);
    }
  });

  it('/lights: the allowed person switches the lamp, a stranger is told the bot is private', async () => {
    await load('lights-command.json');
    await waitFor(() => helper.getNode('lights-recv').context().global.get('lightsAllowed'), 'the allow-list');
    await say(alice, '/lights on');
    await waitFor(async () => (await textsTo(alice)).length === 1, 'the answer');
    assert.deepEqual(await textsTo(alice), ['The lights are on']);
    assert.equal(helper.getNode('lights-switch').context().flow.get('lights'), 'on');
    await say(bob, '/lights off');
    await waitFor(async () => (await textsTo(bob)).length === 1, 'the stranger\'s answer');
    assert.deepEqual(await textsTo(bob), ['Sorry, this bot is private.']);
    assert.equal(helper.getNode('lights-switch').context().flow.get('lights'), 'on', 'a stranger changes nothing');
    await say(alice, '/lights dim');
    await waitFor(async () => (await textsTo(alice)).length === 2, 'the hint');
    assert.equal((await textsTo(alice))[1], 'Say /lights on or /lights off');
  });

  it('ask for a time: the person\'s next text is the answer, and only theirs', async () => {
    await load('ask-for-a-time.json');
    await say(alice, '/alarm');
    await waitFor(async () => (await textsTo(alice)).length === 1, 'the question');
    assert.match((await textsTo(alice))[0], /What time/);
    await say(bob, '9:00');
    await say(alice, '7:30');
    await waitFor(async () => (await textsTo(alice)).length === 2, 'the confirmation');
    assert.equal((await textsTo(alice))[1], 'Alarm set for 7:30');
    await delay(100);
    assert.deepEqual(await textsTo(bob), [], 'Bob\'s text was not taken for the answer');
  });

  it('connection alert: after a drop, the person is told how long the connection was down', async () => {
    await load('connection-alert.json');
    const lost = [];
    helper.getNode('alert-debug').on('input', (m) => lost.push(m));
    await emu.control.setOffline(true);
    await waitFor(() => lost.length === 1, 'the drop noted');
    await delay(300);
    await emu.control.setOffline(false);
    await waitFor(async () => (await textsTo(alice)).length === 1, 'the alert', 8000);
    assert.match((await textsTo(alice))[0], /^The connection to semilimes was lost for \d+ s and is back\.$/);
  });
});
