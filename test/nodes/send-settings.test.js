'use strict';
// Per-message settings of the send node (silent, timeout, the component a reaction is for) and several components in
// one message, in a real Node-RED runtime against the emulator.
const assert = require('node:assert/strict');
const { helper, nodes, DEMO, keyOf, accountNode, nodeSuite } = require('../helpers/env');
const { tab, sendNode, helperNode, catchAll, runThrough, recordErrors } = require('../helpers/flows');

const text = (t) => ({ dataComponentType: 'text', text: t });

describe('semilimes-send: per-message settings and several components', function () {
  let emu;
  nodeSuite((started) => (emu = started));

  async function load(settings = {}, extra = []) {
    const flow = [
      tab(),
      accountNode(emu),
      sendNode('send', [['out']], settings),
      helperNode('out'),
      catchAll('catch', 'caught'),
      helperNode('caught'),
      ...extra,
    ];
    await helper.load([nodes.account, nodes.send, nodes.catch], flow, { acc: { apiKey: keyOf(emu, DEMO.bot) } });
  }

  const run = (msg) => runThrough(helper, msg);
  async function ok(msg) {
    const result = await run(msg);
    assert.ok(result.out, `expected success, got ${result.error && result.error.message}`);
    return result.out;
  }
  const stored = async (messageId) => (await emu.control.messages()).find((m) => m.messageId === messageId);
  /** The requests semilimes received for a path (over either transport). */
  const requestsTo = async (path) => (await emu.control.requests()).filter((r) => r.path === path);
  const botToAlice = async () =>
    (await emu.control.messages({ chat: { between: [DEMO.bot, DEMO.alice] } })).filter((m) => m.publisherId === DEMO.bot);
  // The emulator keeps messages from test to test: each test looks at what its own flow sent.
  let sentBefore = 0;
  beforeEach(async () => (sentBefore = (await botToAlice()).length));
  const aliceChat = async () => (await botToAlice()).slice(sentBefore);

  describe('silent', () => {
    it('msg.silent sends without notification, over the node\'s setting', async () => {
      await load();
      const out = await ok({ payload: 'quiet', recipientId: DEMO.alice, silent: true });
      assert.equal((await stored(out.messageId)).silent, true);
      const loud = await ok({ payload: 'loud', recipientId: DEMO.alice });
      assert.equal((await stored(loud.messageId)).silent, false);
    });

    it('takes the node\'s own setting as the editor saves it (the text "true", type bool)', async () => {
      await load({ silent: 'true', silentType: 'bool' });
      const out = await ok({ payload: 'quiet by setting', recipientId: DEMO.alice });
      assert.equal((await stored(out.messageId)).silent, true);
      const loud = await ok({ payload: 'loud by message', recipientId: DEMO.alice, silent: false });
      assert.equal((await stored(loud.messageId)).silent, false, 'msg.silent still wins');
    });

    it('takes the setting from a typed input (flow context)', async () => {
      await load({ silent: 'quiet', silentType: 'flow' });
      helper.getNode('send').context().flow.set('quiet', true);
      const out = await ok({ payload: 'from context', recipientId: DEMO.alice });
      assert.equal((await stored(out.messageId)).silent, true);
    });

    it('keeps a send node saved with the old checkbox silent', async () => {
      const old = { silent: true, silentType: undefined, timeout: undefined, timeoutType: undefined, version: 1 };
      await load(old);
      const out = await ok({ payload: 'old flow', recipientId: DEMO.alice });
      assert.equal((await stored(out.messageId)).silent, true);
    });

    it('refuses a msg.silent that is not a boolean, sending nothing', async () => {
      await load();
      const result = await run({ payload: 'x', recipientId: DEMO.alice, silent: 'yes please' });
      assert.match(result.error.message, /badSilent|msg\.silent/);
      assert.equal((await aliceChat()).length, 0);
    });
  });

  describe('timeout', () => {
    it('msg.timeout gives a slow answer longer than the account\'s timeout, and a shorter one fails', async () => {
      await load();
      await emu.control.setDelay(2500); // longer than the test account's 2 s
      const out = await ok({ payload: 'patient', recipientId: DEMO.alice, timeout: 6000 });
      assert.ok(out.messageId);
      await emu.control.setDelay(1500);
      const started = Date.now();
      const result = await run({ payload: 'hasty', recipientId: DEMO.alice, timeout: 1000 });
      assert.ok(result.error, 'the short timeout failed the message');
      assert.ok(Date.now() - started < 1450, 'it failed after its own timeout, not the account\'s');
      await emu.control.setDelay(0);
    });

    it('takes the timeout from a typed input (env)', async () => {
      process.env.SEMILIMES_TEST_TIMEOUT = '6000';
      try {
        await load({ timeout: 'SEMILIMES_TEST_TIMEOUT', timeoutType: 'env' });
        await emu.control.setDelay(2500);
        const out = await ok({ payload: 'env timeout', recipientId: DEMO.alice });
        assert.ok(out.messageId);
      } finally {
        await emu.control.setDelay(0);
        delete process.env.SEMILIMES_TEST_TIMEOUT;
      }
    });

    for (const bad of [50, 600000, 'soon', -1]) {
      it(`refuses msg.timeout = ${JSON.stringify(bad)} (bounded 1000 to 120000 ms), sending nothing`, async () => {
        await load();
        const result = await run({ payload: 'x', recipientId: DEMO.alice, timeout: bad });
        assert.match(result.error.message, /badTimeout|msg\.timeout/);
        assert.equal((await aliceChat()).length, 0);
      });
    }
  });

  describe('messageRefName of a reaction', () => {
    it('sends msg.messageRefName with a p2p reaction', async () => {
      await load({ action: 'react', reaction: '👍' });
      const photo = await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('look') });
      await ok({ messageId: photo.messageId, recipientId: DEMO.alice, messageRefName: 'picture' });
      const [request] = await requestsTo('/communication/p2p/message/reaction/send');
      assert.equal(request.body.messageRefName, 'picture');
      assert.deepEqual((await stored(photo.messageId)).messageReactions['👍'], [DEMO.bot]);
    });

    it('takes it from the node\'s typed input, and sends none when it is empty', async () => {
      await load({ action: 'react', reaction: '👍', messageRefName: 'chart', messageRefNameType: 'str' });
      const m = await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('a') });
      await ok({ messageId: m.messageId, recipientId: DEMO.alice });
      await helper.unload();
      await load({ action: 'react', reaction: '👎' });
      await ok({ messageId: m.messageId, recipientId: DEMO.alice });
      const requests = await requestsTo('/communication/p2p/message/reaction/send');
      assert.deepEqual(requests.map((r) => r.body.messageRefName), ['chart', undefined]);
    });

    it('refuses it for a group chat reaction (documented for p2p only), sending nothing', async () => {
      await load({ action: 'react', reaction: '👍' });
      const m = await emu.control.sendAs({ from: DEMO.alice, to: { groupChatId: DEMO.family }, dataComponent: text('g') });
      const result = await run({ messageId: m.messageId, groupChatId: DEMO.family, messageRefName: 'x' });
      assert.match(result.error.message, /refNameP2pOnly|p2p/);
      assert.equal((await requestsTo('/communication/groupchat/message/reaction/send')).length, 0);
    });
  });

  describe('several components in msg.payload', () => {
    it('sends an array of texts and components in order, one message each, with the ids in order', async () => {
      await load();
      const html = { dataComponentType: 'html', html: '<b>two</b>' };
      const out = await ok({ payload: ['one', html, 'three'], recipientId: DEMO.alice });
      const chat = await aliceChat();
      assert.deepEqual(
        chat.map((m) => m.dataComponent),
        [text('one'), html, text('three')],
      );
      assert.deepEqual(out.messageId, chat.map((m) => m.messageId));
      assert.equal(out.payload.length, 3);
      assert.equal(out.payload[1].sentMessage.messageId, chat[1].messageId);
    });

    it('refuses an array with an element that is no message before sending any, naming it', async () => {
      await load();
      const result = await run({ payload: ['fine', { not: 'a component' }], recipientId: DEMO.alice });
      assert.match(result.error.message, /badPayloadElement|\[1\]/);
      assert.equal((await aliceChat()).length, 0);
    });

    it('reports what was sent when a later one is refused, and sends nothing after it', async () => {
      await load();
      const errors = recordErrors(helper.getNode('send'));
      const broken = { dataComponentType: 'gauge', value: 500 };
      const result = await run({ payload: ['first', broken, 'third'], recipientId: DEMO.alice });
      assert.ok(result.error, 'the message failed');
      const chat = await aliceChat();
      assert.deepEqual(chat.map((m) => m.dataComponent.text), ['first']);
      assert.match(result.error.message, /partlySent/);
      assert.deepEqual(errors[0].results.map((r) => r.messageId), [chat[0].messageId], 'the error keeps the ids sent');
      const catalogue = require('../../nodes/locales/en-US/semilimes-send.json')['semilimes-send'];
      assert.match(catalogue.errors.partlySent, /__sent__ of __total__.*__messageIds__.*__cause__/);
    });

    it('refuses an empty array', async () => {
      await load();
      const result = await run({ payload: [], recipientId: DEMO.alice });
      assert.match(result.error.message, /emptyPayload|empty/);
    });
  });
});
