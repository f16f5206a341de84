'use strict';
// Flows saved by 0.1.0 keep working after the upgrade: each example as 0.1.0 shipped it (test/fixtures/flows-0.1.0,
// older property names) is loaded into a real Node-RED runtime against the emulator and run as a person would. The
// api and builder examples run from both folders in their own suites; the others run here. Only the account is
// pointed at the emulator, debug nodes become test helpers and "inject once at start" is left to the test.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { helper, nodes, DEMO, keyOf, waitFor, emulatorPerTest, openSockets, coreNode } = require('../helpers/env');

const FOLDER = path.join(__dirname, '..', 'fixtures', 'flows-0.1.0');
const dist = (file) => require(path.join(__dirname, '..', '..', 'dist', 'nodes', file));
const OUR_NODES = [
  nodes.account,
  nodes.send,
  nodes.receive,
  nodes.api,
  dist('semilimes-form.js'),
  dist('semilimes-component.js'),
  dist('semilimes-file.js'),
  dist('semilimes-tunnel.js'),
];
const CORE_NODES = [
  'common/20-inject.js',
  'common/25-catch.js',
  'common/90-comment.js',
  'function/10-function.js',
  'function/10-switch.js',
  'function/15-change.js',
  'function/rbe.js',
  'network/21-httpin.js',
  'network/21-httprequest.js',
].map(coreNode);

function saved(file, emu) {
  const flow = JSON.parse(fs.readFileSync(path.join(FOLDER, file), 'utf8'));
  return flow.map((n) => {
    if (n.type === 'debug') return { id: n.id, z: n.z, type: 'helper', x: n.x, y: n.y, wires: [] };
    if (n.type === 'semilimes-account') return { ...n, baseUrl: emu.url };
    if (n.type === 'inject') return { ...n, once: false, repeat: '' };
    // The tunnel is started by hand in these tests, never in the background.
    if (n.type === 'semilimes-tunnel') return { ...n, autoStart: false };
    return n;
  });
}

describe('flows saved by 0.1.0', function () {
  let emu;
  emulatorPerTest((started) => (emu = started));

  /** Loads a saved flow, waits for the bot's WebSocket, and records every error any node reports. */
  async function load(file) {
    await helper.load([...OUR_NODES, ...CORE_NODES], saved(file, emu), {
      'semilimes-demo-account': { apiKey: keyOf(emu, DEMO.bot) },
    });
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
  }
  const errorsLogged = () => helper.log().args.filter((a) => a[0] && a[0].level === helper.log().ERROR);
  const between = (a, b) => emu.control.messages({ chat: { between: [a, b] } });

  it('every saved flow loads with every node known and no error logged', async () => {
    const files = fs.readdirSync(FOLDER).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 11);
    for (const file of files) {
      await load(file);
      const flow = saved(file, emu);
      for (const n of flow.filter((x) => x.type.startsWith('semilimes-'))) {
        assert.ok(helper.getNode(n.id), `${file}: ${n.type} ${n.id} started`);
      }
      assert.deepEqual(errorsLogged(), [], file);
      await helper.unload();
    }
  });

  it('echo-bot: answers Alice with what she said', async () => {
    await load('echo-bot.json');
    emu.control.sendAs({
      from: DEMO.alice,
      to: { recipientId: DEMO.bot },
      dataComponent: { dataComponentType: 'text', text: 'ping' },
    });
    const answer = await waitFor(
      () => between(DEMO.bot, DEMO.alice).find((m) => m.publisherId === DEMO.bot),
      'the echo',
    );
    assert.equal(answer.dataComponent.text, 'You said: ping');
  });

  it('group-chat-replies: replies to a question in the group and reacts with a thumbs up', async () => {
    await load('group-chat-replies.json');
    const question = emu.control.sendAs({
      from: DEMO.alice,
      to: { groupChatId: DEMO.family },
      dataComponent: { dataComponentType: 'text', text: 'Who feeds the cat?' },
    });
    const inGroup = () => emu.control.messages({ chat: { groupChatId: DEMO.family } });
    const reply = await waitFor(() => inGroup().find((m) => m.replyTo === question.messageId), 'the reply');
    assert.equal(reply.dataComponent.text, 'Good question! Someone will answer soon.');
    await waitFor(
      () =>
        ((inGroup().find((m) => m.messageId === question.messageId).messageReactions || {})['👍'] || []).includes(
          DEMO.bot,
        ),
      'the reaction',
    );
    assert.deepEqual(errorsLogged(), []);
  });

  it('channel-on-a-timer: posts the time to the channel', async () => {
    await load('channel-on-a-timer.json');
    helper.getNode('timer-inject').receive({ payload: Date.now() });
    const posted = await waitFor(
      () =>
        emu.control
          .messages({ chat: { channelId: DEMO.news } })
          .find((m) => /All quiet at home/.test(m.dataComponent.text || '')),
      'the post in the channel',
    );
    assert.equal(posted.publisherId, DEMO.bot);
  });

  it('camera-snapshot-to-chat: a snapshot is uploaded and sent to Alice as a file message', async () => {
    await load('camera-snapshot-to-chat.json');
    // What the http in node passes on for an image/jpeg POST: the body as a Buffer.
    helper.getNode('camera-name').receive({ payload: Buffer.from('not really a jpeg') });
    const sent = await waitFor(
      () => between(DEMO.bot, DEMO.alice).find((m) => m.dataComponent.dataComponentType === 'file'),
      'the file',
    );
    assert.equal(sent.dataComponent.fileIds.length, 1);
  });

  it('tunnel-link-to-chat: an "up" from the tunnel posts the link to Alice once', async () => {
    await load('tunnel-link-to-chat.json');
    // What the tunnel node sends when it comes up (its own run needs an SSH server: see the tunnel suite).
    const up = { topic: 'up', payload: 'https://tunnel.example/abc' };
    helper.getNode('tunnel-only-up').receive({ ...up });
    helper.getNode('tunnel-only-up').receive({ ...up });
    const links = () => between(DEMO.bot, DEMO.alice).filter((m) => /reachable/.test(m.dataComponent.text || ''));
    const [posted] = await waitFor(() => links().length > 0 && links(), 'the link');
    assert.equal(posted.dataComponent.text, 'Node-RED is reachable at https://tunnel.example/abc');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(links().length, 1, 'the second "up" is filtered out');
  });
});
