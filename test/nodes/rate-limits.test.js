'use strict';
// Refusals for rate over the WebSocket: recognised from the documented answer (no statusCode, the error text says
// it), waited out as asked, sent again; per-chat order kept, nothing twice, the server never sees more than the
// account's paced rate; a full queue fails at once; nodes show how many wait. Real runtime, emulator over sockets.
const assert = require('node:assert/strict');
const { unwrapResponse } = require('../../dist/semilimes/envelope');
const { RateLimitError } = require('../../dist/semilimes/errors');
const { helper, nodes, DEMO, keyOf, waitFor, accountNode, nodeSuite, openSockets } = require('../helpers/env');
const { tab, sendNode, helperNode, catchAll } = require('../helpers/flows');

const SEND_PATHS = ['/communication/p2p/message/send', '/communication/groupchat/message/send'];
const CHATS = [
  { recipientId: DEMO.alice, key: DEMO.alice },
  { recipientId: DEMO.bob, key: DEMO.bob },
  { groupChatId: DEMO.family, key: DEMO.family },
];

/** Most requests in any window of `ms` milliseconds. */
function busiestWindow(times, ms) {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('rate limits over the WebSocket', function () {
  this.timeout(60_000);
  let emu;
  nodeSuite((started) => (emu = started));

  it('reads a refusal for rate from the documented socket answer, with or without statusCode', () => {
    const plain = unwrapResponse('/x', {
      success: false,
      error: 'Too many requests, retry after 2 seconds',
      data: null,
    });
    assert.ok(plain.error instanceof RateLimitError);
    assert.equal(plain.error.retryAfterMs, 2000);
    const coded = unwrapResponse('/x', { success: false, statusCode: 429, error: 'slow down', data: null });
    assert.ok(coded.error instanceof RateLimitError);
    assert.equal(coded.error.retryAfterMs, undefined, 'no wait named: the client backs off');
    const other = unwrapResponse('/x', { success: false, error: 'recipient not found', data: null });
    assert.ok(!(other.error instanceof RateLimitError));
  });

  async function load(account) {
    const flow = [
      tab(),
      { ...accountNode(emu), ...account },
      sendNode('send', [['out']]),
      helperNode('out'),
      catchAll('catch', 'caught'),
      helperNode('caught'),
    ];
    await helper.load([nodes.account, nodes.send, nodes.catch], flow, { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'the bot to connect');
  }

  it('a flood of 429s with Retry-After: all delivered later, in order per chat, none twice, within the paced rate', async () => {
    await load({ ratePerChat: 4, ratePerAccount: 8 });
    const sent = [];
    const failed = [];
    const statuses = [];
    helper.getNode('out').on('input', (m) => sent.push(m));
    helper.getNode('caught').on('input', (m) => failed.push(m.error.message));
    helper.getNode('send').on('call:status', (call) => statuses.push(call.args[0].text));
    await emu.control.failNext({ count: 12, status: 429, retryAfter: 1, transport: 'ws' });

    const PER_CHAT = 8;
    for (let i = 0; i < PER_CHAT; i++) {
      for (const chat of CHATS) {
        const { key, ...route } = chat;
        helper.getNode('send').receive({ payload: `${key.slice(-2)}-${i}`, ...route });
      }
    }
    const total = PER_CHAT * CHATS.length;
    await waitFor(() => sent.length + failed.length >= total, 'every message to end', 45_000);
    assert.deepEqual(failed, [], 'none failed');
    assert.equal(sent.length, total);

    // The server's view: every request it saw (refused ones too), and what it stored.
    const requests = (await emu.control.requests()).filter((r) => SEND_PATHS.includes(r.path));
    assert.equal(requests.length, total + 12, 'each message sent once more per refusal, no more');
    const times = requests.map((r) => r.at).sort((a, b) => a - b);
    assert.ok(busiestWindow(times, 1000) <= 8 + 1, `account: ${busiestWindow(times, 1000)} in one second`);
    for (const chat of CHATS) {
      const id = chat.recipientId ?? chat.groupChatId;
      const mine = requests.filter((r) => (r.body.recipientId ?? r.body.groupChatId) === id).map((r) => r.at);
      assert.ok(busiestWindow(mine, 1000) <= 4 + 1, `chat ${id}: ${busiestWindow(mine, 1000)} in one second`);
    }
    const stored = (await emu.control.messages()).filter((m) => m.publisherId === DEMO.bot);
    for (const chat of CHATS) {
      const prefix = `${chat.key.slice(-2)}-`;
      const texts = stored.map((m) => m.dataComponent.text).filter((t) => t && t.startsWith(prefix));
      const expected = Array.from({ length: PER_CHAT }, (_, i) => `${prefix}${i}`);
      assert.deepEqual(texts, expected, `chat ${chat.key}: all, once, in order`);
    }
    assert.ok(
      statuses.some((text) => /semilimes-account\.status\.waiting|\d+ waiting/.test(text || '')),
      'the node showed how many wait',
    );
    // The count is shown at most every 250 ms: the last update follows shortly after the last message.
    await waitFor(() => !/waiting/.test(statuses[statuses.length - 1] || ''), 'nothing waiting at the end', 2000);
  });

  /** Texts the bot stored that start with `prefix`, in the order semilimes stored them. */
  async function storedTexts(prefix) {
    return (await emu.control.messages())
      .filter((m) => m.publisherId === DEMO.bot)
      .map((m) => m.dataComponent.text)
      .filter((text) => typeof text === 'string' && text.startsWith(prefix));
  }

  /**
   * Gives the send node `total` texts `<prefix><i>` to Alice at once and waits until each has come out or failed:
   * returns the error texts (none expected) and the texts semilimes stored, in its order.
   */
  async function burst(prefix, total, timeoutMs) {
    const sent = [];
    const failed = [];
    helper.getNode('out').on('input', (m) => sent.push(m));
    helper.getNode('caught').on('input', (m) => failed.push(m.error.message));
    for (let i = 0; i < total; i++) helper.getNode('send').receive({ payload: `${prefix}${i}`, recipientId: DEMO.alice });
    await waitFor(() => sent.length + failed.length >= total, 'every message to end', timeoutMs);
    return { failed, sent: sent.length, stored: await storedTexts(prefix) };
  }

  const texts = (prefix, total) => Array.from({ length: total }, (_, i) => `${prefix}${i}`);

  it('2,000 messages to one chat at once, with the defaults: every one sent once, in order, none refused by the queue', async () => {
    await load({});
    const { failed, sent, stored } = await burst('burst-', 2000, 45_000);
    assert.deepEqual(failed.slice(0, 3), [], 'none failed');
    assert.equal(sent, 2000);
    assert.deepEqual(stored, texts('burst-', 2000), 'all, once, in order');
  });

  it('refusals among overlapping messages: each refused one is sent again, every message arrives once', async () => {
    await load({});
    await emu.control.failNext({ count: 5, status: 429, retryAfter: 1, transport: 'ws' });
    const { failed, stored } = await burst('over-', 60, 20_000);
    assert.deepEqual(failed, []);
    assert.equal(stored.length, 60, 'none lost, none twice');
    assert.deepEqual([...stored].sort(), texts('over-', 60).sort());
    const requests = (await emu.control.requests()).filter((r) => SEND_PATHS.includes(r.path));
    assert.equal(requests.length, 60 + 5, 'only the refused ones sent again');
  });

  it('with "At once" 1, refused messages are never overtaken: all in order', async () => {
    await load({ inFlightPerChat: 1 });
    await emu.control.failNext({ count: 3, status: 429, retryAfter: 1, transport: 'ws' });
    const { failed, stored } = await burst('one-', 30, 20_000);
    assert.deepEqual(failed, []);
    assert.deepEqual(stored, texts('one-', 30));
  });

  it('a full queue fails new messages at once, naming the limit; they never reach semilimes', async () => {
    await load({ ratePerChat: 2, maxQueued: 3 });
    const sent = [];
    const failed = [];
    helper.getNode('out').on('input', (m) => sent.push(m.payload));
    helper.getNode('caught').on('input', (m) => failed.push(m));
    for (let i = 0; i < 8; i++) helper.getNode('send').receive({ payload: `q${i}`, recipientId: DEMO.alice, i });
    await waitFor(() => sent.length + failed.length >= 8, 'every message to end', 15_000);
    // The first leaves at once, three wait, the other four find the queue full.
    assert.equal(failed.length, 4);
    for (const m of failed)
      assert.match(m.error.message, /3 messages are already waiting to be sent; this one was not sent/);
    const stored = (await emu.control.messages())
      .filter((m) => m.publisherId === DEMO.bot)
      .map((m) => m.dataComponent.text)
      .filter((text) => /^q\d$/.test(text));
    assert.deepEqual(stored, ['q0', 'q1', 'q2', 'q3']);
  });
});
