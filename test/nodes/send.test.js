'use strict';
// The send node in a real Node-RED runtime against the emulator: every action for every kind of chat.
const assert = require('node:assert/strict');
const { helper, nodes, DEMO, keyOf, waitFor, delay, accountNode, nodeSuite } = require('../helpers/env');
const { tab, sendNode, helperNode, catchAll, runThrough, recordErrors } = require('../helpers/flows');

const KINDS = {
  p2p: { property: 'recipientId', id: DEMO.alice },
  groupchat: { property: 'groupChatId', id: DEMO.family },
  channel: { property: 'channelId', id: DEMO.news },
};

function sendFlow(emu, settings = {}) {
  return [
    tab(),
    accountNode(emu),
    sendNode('send', [['out']], settings),
    helperNode('out'),
    catchAll('catch', 'caught'),
    helperNode('caught'),
  ];
}

const run = (msg) => runThrough(helper, msg);

/** Like run, but the send must succeed. */
async function ok(msg) {
  const result = await run(msg);
  assert.ok(result.out, `expected success, got ${result.error && result.error.message}`);
  return result.out;
}

describe('semilimes-send node', function () {
  let emu;
  nodeSuite((started) => (emu = started));

  async function load(settings) {
    await helper.load([nodes.account, nodes.send, nodes.catch], sendFlow(emu, settings), {
      acc: { apiKey: keyOf(emu, DEMO.bot) },
    });
  }

  const stored = async (messageId) => (await emu.control.messages()).find((m) => m.messageId === messageId);

  for (const [kind, { property, id }] of Object.entries(KINDS)) {
    describe(`to a ${kind}`, () => {
      it('sends a text from msg.payload and outputs the response data and msg.messageId', async () => {
        await load();
        const out = await ok({ payload: `hello ${kind}`, [property]: id });
        assert.ok(out.messageId);
        assert.equal(out.payload.sentMessage.messageId, out.messageId);
        const message = await stored(out.messageId);
        assert.equal(message.publisherId, DEMO.bot);
        assert.deepEqual(message.dataComponent, { dataComponentType: 'text', text: `hello ${kind}` });
      });

      it('sends to the destination configured in the node, with msg overriding it', async () => {
        await load({ chatKind: kind, chatId: id });
        const out = await ok({ payload: { dataComponentType: 'html', html: '<p>configured</p>' } });
        assert.equal((await stored(out.messageId)).dataComponent.html, '<p>configured</p>');
        const msgId = kind === 'p2p' ? DEMO.bob : id;
        const overridden = await ok({ payload: 'override', [property]: msgId });
        const message = await stored(overridden.messageId);
        if (kind === 'p2p') assert.deepEqual([...message.chat.accountIds].sort(), [DEMO.bot, DEMO.bob].sort());
      });

      it('updates a message in place with msg.messageId', async () => {
        await load();
        const sent = await ok({ payload: 'before', [property]: id });
        await helper.unload();
        await load({ action: 'update' });
        const out = await ok({ payload: 'after', [property]: id, messageId: sent.messageId });
        assert.equal(out.messageId, sent.messageId);
        const message = await stored(sent.messageId);
        assert.equal(message.dataComponent.text, 'after');
        assert.equal(message.edits.length, 1);
      });

      if (kind === 'channel') {
        for (const action of ['reply', 'react', 'unreact', 'typing']) {
          it(`refuses ${action} (channels do not have it) through Catch, not the output`, async () => {
            await load({ action, reaction: '👍' });
            const result = await run({ payload: 'x', channelId: id, messageId: 'm' });
            assert.ok(result.error, 'error reached Catch');
            assert.match(result.error.message, /notForChannels|channels/);
          });
        }
        return;
      }

      it('replies to a message', async () => {
        await load();
        const sent = await ok({ payload: 'question', [property]: id });
        await helper.unload();
        await load({ action: 'reply' });
        const out = await ok({ payload: 'answer', [property]: id, messageId: sent.messageId });
        assert.notEqual(out.messageId, sent.messageId);
        const reply = await stored(out.messageId);
        assert.equal(reply.replyTo, sent.messageId);
        assert.equal(reply.dataComponent.text, 'answer');
      });

      it('reacts and removes the reaction', async () => {
        await load();
        const sent = await ok({ payload: 'like me', [property]: id });
        await helper.unload();
        await load({ action: 'react', reaction: '👍' });
        await ok({ [property]: id, messageId: sent.messageId });
        assert.deepEqual((await stored(sent.messageId)).messageReactions['👍'], [DEMO.bot]);
        await helper.unload();
        // No reaction configured: msg.payload names it.
        await load({ action: 'unreact' });
        await ok({ payload: '👍', [property]: id, messageId: sent.messageId });
        assert.equal(((await stored(sent.messageId)).messageReactions['👍'] || []).length, 0);
      });

      it('signals typing and passes the message through unchanged', async () => {
        await load({ action: 'typing' });
        const out = await ok({ payload: 'keep me', [property]: id });
        assert.equal(out.payload, 'keep me');
        const signals = await emu.control.signals();
        assert.ok(signals.some((s) => s.senderId === DEMO.bot && s.featureType === kind && (s.recipientId || s.groupChatId) === id));
      });
    });
  }

  it('takes the action from msg.action when set to do so', async () => {
    await load({ action: 'msg' });
    const sent = await ok({ action: 'send', payload: 'one', recipientId: DEMO.alice });
    await ok({ action: 'update', payload: 'two', recipientId: DEMO.alice, messageId: sent.messageId });
    assert.equal((await stored(sent.messageId)).dataComponent.text, 'two');
    const bad = await run({ action: 'explode', payload: 'x', recipientId: DEMO.alice });
    assert.ok(bad.error);
    assert.match(bad.error.message, /badAction|explode/);
  });

  it('sends silently when asked', async () => {
    await load({ silent: true });
    const out = await ok({ payload: 'shh', recipientId: DEMO.alice });
    assert.equal((await stored(out.messageId)).silent, true);
  });

  it('sends numbers as text (sensor values are often numbers)', async () => {
    await load();
    const out = await ok({ payload: 21.5, recipientId: DEMO.alice });
    assert.equal((await stored(out.messageId)).dataComponent.text, '21.5');
  });

  describe('errors reach Catch, never the output', () => {
    const cases = [
      ['an object without dataComponentType', { payload: { text: 'hi' }, recipientId: DEMO.alice }, /badPayload/],
      ['no payload', { recipientId: DEMO.alice }, /badPayload/],
      ['no destination anywhere', { payload: 'hi' }, /noDestination/],
      ['two destinations', { payload: 'hi', recipientId: DEMO.alice, groupChatId: DEMO.family }, /ambiguousDestination/],
    ];
    for (const [what, msg, pattern] of cases) {
      it(`refuses ${what}`, async () => {
        await load();
        const result = await run(msg);
        assert.ok(result.error);
        assert.match(result.error.message, pattern);
        assert.equal((await emu.control.requests()).length, 0, 'nothing was sent');
        const status = helper.getNode('send').status.lastCall.args[0];
        assert.equal(status.fill, 'red');
      });
    }

    it('reports a success:false answer with the server message', async () => {
      await load();
      const result = await run({ payload: 'hi', recipientId: 'no-such-account' });
      assert.ok(result.error);
      assert.match(result.error.message, /p2p\/message\/send failed \(HTTP 4\d\d\)/);
    });

    it('reports an update without msg.messageId', async () => {
      await load({ action: 'update' });
      const result = await run({ payload: 'x', recipientId: DEMO.alice });
      assert.match(result.error.message, /noMessageId/);
    });

    it('reports a non-text reply', async () => {
      await load({ action: 'reply' });
      const result = await run({ payload: { dataComponentType: 'html', html: 'x' }, recipientId: DEMO.alice, messageId: 'm' });
      assert.match(result.error.message, /replyTextOnly/);
    });

    it('reports a server error (HTTP 500)', async () => {
      await load();
      // The account checks its key once at start; let that happen first so the injected failure hits the send.
      await waitFor(async () => (await emu.control.requests()).some((r) => r.path === '/apikey/~validate'), 'key check');
      await delay(50);
      await emu.control.failNext({ count: 1, status: 500 });
      const result = await run({ payload: 'hi', recipientId: DEMO.alice });
      assert.match(result.error.message, /500/);
    });
  });

  describe('a route on the message that is present but not one id fails, and never goes to the node\'s own chat', () => {
    const catalogue = require('../../nodes/locales/en-US/semilimes-send.json')['semilimes-send'];
    const cases = [
      ['an array of ids', { recipientId: [DEMO.alice] }, 'recipientId'],
      ['an object', { recipientId: { id: DEMO.alice } }, 'recipientId'],
      ['an empty string', { groupChatId: '' }, 'groupChatId'],
      ['blanks', { channelId: '   ' }, 'channelId'],
      ['true', { recipientId: true }, 'recipientId'],
      ['two kinds at once, one of them empty', { recipientId: DEMO.alice, groupChatId: '' }, 'recipientId'],
    ];
    for (const [what, route, property] of cases) {
      it(`refuses ${what} in msg.${Object.keys(route).join(' and msg.')}`, async () => {
        // The node's own chat is the group: a private text must not land there instead.
        await load({ chatKind: 'groupchat', chatId: DEMO.family });
        const send = helper.getNode('send');
        const failures = recordErrors(send);
        const result = await run({ payload: `private note (${what})`, ...route });
        assert.ok(result.error, 'the error reached Catch');
        assert.match(result.error.message, Object.keys(route).length > 1 ? /ambiguousDestination/ : /badRoute/);
        assert.equal(failures.length, 1, 'one done(err), nothing else');
        assert.equal(failures[0].property, property, 'the error names the property');
        assert.equal(failures[0].name, 'FlowInputError');
        assert.equal((await emu.control.requests()).length, 0, 'nothing was sent anywhere');
        assert.equal(send.status.lastCall.args[0].fill, 'red');
      });
    }

    it('words both mistakes with the property in the text a person reads', () => {
      assert.match(catalogue.errors.badRoute, /__property__/);
      assert.match(catalogue.errors.ambiguousDestination, /__properties__/);
    });

    it('still treats null as "no route" and uses the node\'s own chat', async () => {
      await load({ chatKind: 'p2p', chatId: DEMO.alice });
      const out = await ok({ payload: 'hello', recipientId: null, groupChatId: undefined });
      assert.ok(out.messageId);
    });
  });

  it('does not flood the editor with identical status updates on a busy flow', async () => {
    await load();
    const send = helper.getNode('send');
    await waitFor(() => send.status.lastCall && send.status.lastCall.args[0].fill === 'green', 'green status');
    const before = send.status.callCount;
    for (let i = 0; i < 40; i++) await ok({ payload: `busy ${i}`, recipientId: DEMO.alice });
    // The text changes only when the clock's second does.
    assert.ok(send.status.callCount - before <= 3, `${send.status.callCount - before} status updates for 40 messages`);
  });

  it('shows "connected", then only its last action; a long-lived key is not mentioned', async () => {
    await load();
    const send = helper.getNode('send');
    await waitFor(() => send.status.lastCall && send.status.lastCall.args[0].fill === 'green', 'green status');
    assert.equal(send.status.lastCall.args[0].text, 'semilimes-account.status.connected');
    await waitFor(async () => (await emu.control.requests()).some((r) => r.path === '/apikey/~validate'), 'key check');
    await ok({ payload: 'hi', recipientId: DEMO.alice });
    const status = send.status.lastCall.args[0];
    assert.equal(status.shape, 'dot');
    assert.match(status.text, /^semilimes-send\.status\.sent \d\d:\d\d:\d\d$/);
    assert.ok(!send.status.args.some(([s]) => /keyDays/.test(s.text)), 'no key days while the key is far from expiry');
  });

  it('a failure shows its cause, not the connection or the key', async () => {
    await load();
    const send = helper.getNode('send');
    await waitFor(async () => (await emu.control.requests()).some((r) => r.path === '/apikey/~validate'), 'key check');
    await run({ payload: 'hi', recipientId: '0a11ce00-0000-4000-8000-0000000000ff' });
    const status = send.status.lastCall.args[0];
    assert.equal(status.fill, 'red');
    assert.match(status.text, /^semilimes-send\.status\.failed: /);
    assert.ok(!/status\.connected|keyDays/.test(status.text), status.text);
  });
});
