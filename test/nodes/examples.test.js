'use strict';
// Every shipped example, run as a person would run it on their own account: loaded as shipped into a real Node-RED
// runtime (debug nodes become test helpers, the account points at the emulator), against an emulator seeded with
// OTHER ids than the demo's. The ids reach the flows only through the environment variables each example documents,
// filled the way `npm start` fills them (scripts/demo.js `exampleEnv`) but with the other ids, so an id hard-coded anywhere in an example
// (a node setting, function code) fails here with "not found".
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { helper, nodes, BASE_SETTINGS, KEY_DIR, OTHER_IDS, keyOf, waitFor, delay, emulatorPerTest, exampleEnvFor, openSockets, coreNode } = require('../helpers/env');
const { builderNodes } = require('../helpers/builders');
const { startSshd } = require('../helpers/sshd');
const { generateTunnelKeyPair } = require('../../dist/semilimes');

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const dist = (file) => require(path.join(__dirname, '..', '..', 'dist', 'nodes', file));
/** The http in node registers its routes on the runtime's node app; this keeps it, to POST to it as a camera would. */
let nodeApp;
const httpIn = coreNode('network/21-httpin.js');
function httpInCapturingApp(RED) {
  nodeApp = RED.httpNode;
  return httpIn(RED);
}
const ALL_NODES = [
  nodes.account,
  nodes.send,
  nodes.receive,
  nodes.api,
  builderNodes.form,
  builderNodes.component,
  dist('semilimes-file.js'),
  dist('semilimes-tunnel.js'),
  ...[
    'common/20-inject.js',
    'common/90-comment.js',
    'function/10-function.js',
    'function/10-switch.js',
    'function/15-change.js',
    'function/rbe.js',
    'network/21-httprequest.js',
  ].map(coreNode),
  httpInCapturingApp,
];
const FAST_TUNNEL = { backoff: { initialMs: 100, maxMs: 400, factor: 2, jitter: 0, stableMs: 1000 }, keepaliveIntervalMs: 1000, readyTimeoutMs: 5000 };
const { alice: ALICE, bob: BOB, bot: BOT, familyGroupChat: FAMILY, homeNewsChannel: CHANNEL } = OTHER_IDS;
// The semilimes examples; the SimpleX ones (simplex-*.json) run against the SimpleX emulator in
// test/simplex-nodes/examples.test.js.
const exampleFiles = () =>
  fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.json') && !f.startsWith('simplex-'))
    .sort();
const read = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));

describe('examples on an account with other ids than the demo', function () {
  this.timeout(30000);
  let dir;
  let sshd;
  let authorizedKeysFile;
  let emu;
  let local;
  emulatorPerTest(
    (started) => (emu = started),
    () => ({ ids: OTHER_IDS, tunnelSsh: { host: '127.0.0.1', username: sshd.username, authorizedKeysFile } }),
  );

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-examples-'));
    authorizedKeysFile = path.join(dir, 'authorized_keys');
    sshd = await startSshd({ authorizedKeysFile });
    local = http.createServer((req, res) => res.end(`local service saw ${req.method} ${req.url}`));
    await new Promise((resolve) => local.listen(0, '127.0.0.1', resolve));
    helper.settings({ ...BASE_SETTINGS, semilimesTunnelOptions: FAST_TUNNEL, semilimesTunnelDir: path.join(dir, 'tunnels') });
  });

  after(async () => {
    helper.settings({ ...BASE_SETTINGS });
    if (sshd) await sshd.close();
    if (local) local.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  exampleEnvFor(OTHER_IDS);

  /** The examples' nodes as shipped, but for the account's address, debug nodes and the tunnel's test servers. */
  function shipped(files) {
    const byId = new Map();
    for (const file of files) {
      for (const n of read(file)) {
        if (n.type === 'debug') byId.set(n.id, { id: n.id, z: n.z, type: 'helper', wires: [] });
        else if (n.type === 'semilimes-account') byId.set(n.id, { ...n, baseUrl: emu.url });
        // The local service stands in for the editor; the test sshd for the provider's port 22.
        else if (n.type === 'semilimes-tunnel') byId.set(n.id, { ...n, localPort: local.address().port, sshPort: sshd.port });
        else byId.set(n.id, n);
      }
    }
    return [...byId.values()];
  }

  /** Loads examples, waits for the bot's WebSocket, so nothing is published before anyone listens. */
  async function load(...files) {
    const flow = shipped(files);
    const credentials = { 'semilimes-demo-account': { apiKey: keyOf(emu, BOT) } };
    for (const n of flow.filter((x) => x.type === 'semilimes-tunnel')) credentials[n.id] = generateTunnelKeyPair();
    await helper.load(ALL_NODES, flow, credentials);
    await waitFor(async () => (await openSockets(emu, BOT)) >= 1, 'the bot to connect');
  }

  const messages = () => emu.control.messages();
  const withAlice = () => emu.control.messages({ chat: { between: [BOT, ALICE] } });
  const say = (from, to, text) => emu.control.sendAs({ from, to, dataComponent: { dataComponentType: 'text', text } });
  const errorsLogged = () => helper.log().args.filter((a) => a[0] && a[0].level === helper.log().ERROR);
  /** Clicks an inject node and resolves with the next message at helper node `outId`. */
  const click = (injectId, outId) =>
    new Promise((resolve) => {
      helper.getNode(outId).once('input', resolve);
      helper.getNode(injectId).receive({ payload: Date.now() });
    });

  it('no example holds an id of the demo or starts by itself; every one says at its top which ids it needs', () => {
    const demoIds = Object.values(require('../../dist/emulator').DEMO_IDS);
    assert.equal(exampleFiles().length, 11);
    for (const file of exampleFiles()) {
      const text = fs.readFileSync(path.join(EXAMPLES, file), 'utf8');
      for (const id of demoIds) assert.ok(!text.includes(id), `${file} holds the demo id ${id}`);
      const flow = JSON.parse(text);
      for (const n of flow.filter((x) => x.type === 'inject')) assert.notEqual(n.once, true, `${file}: ${n.id} fires at deploy`);
      const account = flow.find((n) => n.type === 'semilimes-account');
      assert.equal(account.name, 'semilimes', file);
      const note = flow.find((n) => n.type === 'comment');
      const used = [...new Set(text.match(/SEMILIMES_[A-Z_]+_ID/g) || [])];
      for (const name of used) assert.ok(note.info.includes(name), `${file}: the top comment names ${name}`);
      if (used.length === 0) assert.match(note.info, /Needs no ids/, file);
    }
  });

  it('all examples deployed together (as in the demo) send nothing to anyone by themselves', async () => {
    // The test helper loads the catch node's module once per catch node in the flow, and a second registration
    // throws: register it at the first one only.
    const catchModule = helper._nodeModules.catch;
    let registered = false;
    helper._nodeModules.catch = (red) => (registered ? undefined : ((registered = true), catchModule(red)));
    try {
      await load(...exampleFiles());
    } finally {
      helper._nodeModules.catch = catchModule;
    }
    await delay(3500); // longer than any inject's "once after" delay
    assert.deepEqual(messages(), []);
    assert.deepEqual(errorsLogged(), []);
  });

  it('echo bot: answers Alice with what she said', async () => {
    await load('echo-bot.json');
    say(ALICE, { recipientId: BOT }, 'ping');
    await waitFor(() => withAlice().some((m) => m.dataComponent.text === 'You said: ping'), 'the echo');
  });

  it('group chat replies: a question in the group gets a thumbs-up and a reply', async () => {
    await load('group-chat-replies.json');
    const question = say(BOB, { groupChatId: FAMILY }, 'dinner at 7?');
    const inGroup = () => emu.control.messages({ chat: { groupChatId: FAMILY } });
    const reply = await waitFor(() => inGroup().find((m) => m.replyTo === question.messageId), 'the reply');
    assert.equal(reply.dataComponent.text, 'Good question! Someone will answer soon.');
    const thumbs = () => (inGroup().find((m) => m.messageId === question.messageId).messageReactions || {})['👍'] || [];
    await waitFor(() => thumbs().includes(BOT), 'the reaction');
  });

  it('channel on a timer: a click posts a silent status line to the channel', async () => {
    await load('channel-on-a-timer.json');
    await click('timer-inject', 'timer-debug');
    const [posted] = emu.control.messages({ chat: { channelId: CHANNEL } });
    assert.match(posted.dataComponent.text, /^All quiet at home/);
    assert.ok(posted.silent);
  });

  it('temperature gauge: a click posts a valid gauge to the channel', async () => {
    await load('temperature-gauge.json');
    await click('gauge-inject', 'gauge-debug');
    const [posted] = emu.control.messages({ chat: { channelId: CHANNEL } });
    assert.equal(posted.dataComponent.dataComponentType, 'gauge');
    assert.match(posted.dataComponent.displayValue, /°C$/);
  });

  it('create a group chat: with the person, then the second person invited and greeted', async () => {
    await load('create-group-chat.json');
    const sent = await click('groupchat-inject', 'groupchat-debug');
    const created = (await emu.control.requests()).find((r) => r.path === '/communication/groupchat/create');
    assert.deepEqual(created.body, { title: 'Garden party', recipientIds: [ALICE] });
    const invite = (await emu.control.requests()).find((r) => r.path === '/communication/groupchat/invite');
    assert.deepEqual(invite.body, { groupChatId: sent.groupChatId, recipientIds: [BOB] });
    const [greeting] = emu.control.messages({ chat: { groupChatId: sent.groupChatId } });
    assert.equal(greeting.dataComponent.text, 'Welcome to the garden party chat!');
  });

  it('publish to the feed: adds a post and reads it back', async () => {
    await load('publish-to-feed.json');
    const added = await click('feed-inject', 'feed-debug');
    const feed = await click('feed-read-inject', 'feed-read-debug');
    assert.ok(feed.payload.posts.some((p) => p.dataComponent.bucketId === added.payload.addedPost.dataComponent.bucketId));
  });

  it('API key: check and rotate', async () => {
    const keyPath = path.join(KEY_DIR, 'semilimes-demo-account.json');
    fs.rmSync(keyPath, { force: true });
    try {
      await load('api-key-rotation.json');
      const info = await click('apikey-check-inject', 'apikey-validate-debug');
      const rotated = await click('apikey-rotate-inject', 'apikey-rotate-debug');
      assert.equal(rotated.payload.deletedKeyId, info.payload.id);
      const again = await click('apikey-check-inject', 'apikey-validate-debug');
      assert.equal(again.payload.id, rotated.payload.newKeyId);
    } finally {
      fs.rmSync(keyPath, { force: true });
    }
  });

  it('camera snapshot: a JPEG posted to /camera/snapshot reaches the person as a file', async () => {
    await load('camera-snapshot-to-chat.json');
    const snapshot = Buffer.from('a jpeg, as far as this test is concerned');
    const res = await require('supertest')(nodeApp).post('/camera/snapshot').set('Content-Type', 'image/jpeg').send(snapshot);
    assert.equal(res.status, 200, res.text);
    const sent = withAlice().find((m) => m.dataComponent.dataComponentType === 'file');
    assert.ok(sent, 'a file message to the person');
    assert.equal(sent.publisherId, BOT);
  });

  it('editor through a tunnel: a click posts the public link to the person, and the link reaches the service', async () => {
    await load('tunnel-link-to-chat.json');
    const links = () => withAlice().filter((m) => /reachable/.test(m.dataComponent.text || ''));
    helper.getNode('tunnel-start').receive({});
    const [posted] = await waitFor(() => links().length && links(), 'the link posted to the person', 15000);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(posted.dataComponent.text)[1];
    const body = await new Promise((resolve, reject) =>
      http.get(link, { agent: false }, (r) => {
        let text = '';
        r.on('data', (d) => (text += d));
        r.on('end', () => resolve(text));
      }).on('error', reject),
    );
    assert.equal(body, 'local service saw GET /');
    helper.getNode('tunnel-stop').receive({});
  });

  for (const how of ['a person writes "lamp"', 'the inject button']) {
    it(`lamp control form (${how}): the form reaches the person, each answer updates it in place`, async () => {
      await load('lamp-control-form.json');
      if (how === 'the inject button') helper.getNode('lamp-inject').receive({ payload: Date.now() });
      else say(ALICE, { recipientId: BOT }, 'Lamp');
      const form = await waitFor(() => withAlice().find((m) => m.dataComponent.refName === 'lamp'), 'the lamp form');
      emu.control.submitForm({ from: ALICE, messageId: form.messageId, values: { power: true, level: 80 } });
      const on = await waitFor(() => messages().find((m) => m.messageId === form.messageId && m.edits.length >= 1), 'the update');
      assert.equal(on.dataComponent.formComponents.find((c) => c.refName === 'state').title, 'The lamp is on at 80%');
      assert.equal(messages().filter((m) => m.dataComponent.dataComponentType === 'form').length, 1);
    });
  }

  for (const how of ['a person writes "book"', 'the inject button']) {
    it(`booking (${how}): slots offered to the person, the pick confirmed with an appointment`, async () => {
      await load('booking-flow.json');
      if (how === 'the inject button') helper.getNode('booking-inject').receive({ payload: Date.now() });
      else say(ALICE, { recipientId: BOT }, 'book');
      const offer = await waitFor(() => withAlice().find((m) => m.dataComponent.refName === 'booking'), 'the booking form');
      const slot = offer.dataComponent.formComponents.find((c) => c.formComponentType === 'eventpicker').events[0];
      emu.control.submitForm({ from: ALICE, messageId: offer.messageId, values: { slot: [slot] } });
      const confirmation = await waitFor(() => withAlice().find((m) => m.dataComponent.dataComponentType === 'appointment'), 'the appointment');
      assert.equal(confirmation.dataComponent.title, `Booked: ${slot.title}`);
    });
  }

  it('a flow clicked without the environment variable fails with a message that names it', async () => {
    const person = process.env.SEMILIMES_PERSON_ID;
    delete process.env.SEMILIMES_PERSON_ID;
    try {
      await load('lamp-control-form.json');
      const caught = new Promise((resolve) => helper.getNode('lamp-errors').once('input', resolve));
      helper.getNode('lamp-inject').receive({ payload: Date.now() });
      assert.match((await caught).error.message, /set SEMILIMES_PERSON_ID/);
      assert.deepEqual(messages(), []);
    } finally {
      process.env.SEMILIMES_PERSON_ID = person;
    }
  });
});
