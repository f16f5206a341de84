'use strict';
// The send queue on its own: messages to one chat overlap up to the limit and start in the order given; a refusal for
// rate puts the message back in its place and drops the chat to one at a time, growing back per accepted message;
// nothing overlaps while the route cannot keep order; the waiting count and the bound. The jobs are plain functions
// whose answers the test releases, so every interleaving is decided here, not by timing.
const assert = require('node:assert/strict');
const { SendQueue, QueueFullError } = require('../../dist/semilimes/send-queue');
const { RateLimitError } = require('../../dist/semilimes/errors');

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A job whose answer the test gives: `log` records each start as [name, alone]. */
function controlled(log) {
  const pending = new Map();
  const job = (name) => (alone) =>
    new Promise((resolve, reject) => {
      log.push([name, alone]);
      pending.set(name, { resolve, reject });
    });
  const answer = (name, value = name) => pending.get(name).resolve(value);
  const refuse = (name, retryAfterMs = 1) =>
    pending.get(name).reject(new RateLimitError('/send', 'too many requests', retryAfterMs));
  return { job, answer, refuse, started: () => log.map(([name]) => name) };
}

describe('send queue', function () {
  it('overlaps up to the limit per chat, in the order given, and the next starts as one is answered', async () => {
    const queue = new SendQueue({ perChatInFlight: 3 }, quiet);
    const c = controlled([]);
    const done = ['a', 'b', 'c', 'd', 'e'].map((name) => queue.enqueue('chat', c.job(name)));
    await tick();
    assert.deepEqual(c.started(), ['a', 'b', 'c']);
    assert.equal(queue.waiting, 2);
    c.answer('b');
    await tick();
    assert.deepEqual(c.started(), ['a', 'b', 'c', 'd'], 'one answer, one more on its way');
    c.answer('a');
    c.answer('c');
    c.answer('d');
    await tick();
    c.answer('e');
    assert.deepEqual(await Promise.all(done), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(queue.waiting, 0);
  });

  it('tells the first message of a chat on its way that it is alone, the ones overlapping it that they are not', async () => {
    const log = [];
    const queue = new SendQueue({ perChatInFlight: 4 }, quiet);
    const c = controlled(log);
    queue.enqueue('one', c.job('a'));
    queue.enqueue('one', c.job('b'));
    queue.enqueue('two', c.job('x'));
    await tick();
    assert.deepEqual(log, [
      ['a', true],
      ['b', false],
      ['x', true],
    ]);
  });

  it('sends one at a time while the route cannot keep order, and overlaps again once it can', async () => {
    let ordered = false;
    const queue = new SendQueue({ perChatInFlight: 8 }, quiet, () => ordered);
    const c = controlled([]);
    for (const name of ['a', 'b', 'c', 'd']) queue.enqueue('chat', c.job(name));
    await tick();
    assert.deepEqual(c.started(), ['a']);
    c.answer('a');
    await tick();
    assert.deepEqual(c.started(), ['a', 'b'], 'the next only after the answer');
    ordered = true;
    c.answer('b');
    await tick();
    assert.deepEqual(c.started(), ['a', 'b', 'c', 'd']);
  });

  it('puts a refused message back in its place, ahead of the ones after it, and slows the chat to one at a time', async () => {
    const queue = new SendQueue({ perChatInFlight: 4 }, quiet);
    const c = controlled([]);
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const done = names.map((name) => queue.enqueue('chat', c.job(name)));
    await tick();
    assert.deepEqual(c.started(), ['a', 'b', 'c', 'd']);
    // b and c are refused, a and d accepted: b and c go back before e and f, and leave one at a time.
    c.refuse('b');
    c.refuse('c');
    c.answer('a');
    await tick();
    c.answer('d');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(c.started().slice(4), ['b'], 'after the pause, the refused b alone');
    assert.equal(queue.waiting, 3, 'c, e, f wait');
    c.answer('b');
    await tick();
    assert.deepEqual(c.started().slice(4), ['b', 'c', 'e'], 'window 1, then 2 after one acceptance');
    c.answer('c');
    await tick();
    assert.deepEqual(c.started().slice(4), ['b', 'c', 'e', 'f'], 'then 4');
    c.answer('e');
    c.answer('f');
    assert.deepEqual(await Promise.all(done), names);
  });

  it('with one at a time per chat, a refused message is never overtaken', async () => {
    const queue = new SendQueue({ perChatInFlight: 1 }, quiet);
    const c = controlled([]);
    const done = ['a', 'b', 'c'].map((name) => queue.enqueue('chat', c.job(name)));
    await tick();
    assert.deepEqual(c.started(), ['a']);
    c.refuse('a');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(c.started(), ['a', 'a']);
    c.answer('a');
    await tick();
    assert.deepEqual(c.started(), ['a', 'a', 'b']);
    c.answer('b');
    await tick();
    c.answer('c');
    assert.deepEqual(await Promise.all(done), ['a', 'b', 'c']);
  });

  it('takes a fraction or nonsense as the limit without stalling: at least one on its way', async () => {
    for (const perChatInFlight of [0.5, -3, 'many']) {
      const queue = new SendQueue({ perChatInFlight }, quiet);
      const c = controlled([]);
      queue.enqueue('chat', c.job('a'));
      queue.enqueue('chat', c.job('b'));
      await tick();
      assert.ok(c.started().length >= 1, `${perChatInFlight}: ${c.started().join(',')}`);
    }
  });

  it('different chats do not wait for each other', async () => {
    const queue = new SendQueue({ perChatInFlight: 1 }, quiet);
    const c = controlled([]);
    queue.enqueue('one', c.job('a'));
    queue.enqueue('one', c.job('b'));
    queue.enqueue('two', c.job('x'));
    await tick();
    assert.deepEqual(c.started(), ['a', 'x']);
  });

  it('fails a message past the bound at once and counts only the ones not yet on their way', async () => {
    const queue = new SendQueue({ perChatInFlight: 2, maxQueued: 2 }, quiet);
    const c = controlled([]);
    const counts = [];
    queue.on('waiting', (n) => counts.push(n));
    for (const name of ['a', 'b', 'c', 'd']) queue.enqueue('chat', c.job(name));
    await assert.rejects(queue.enqueue('chat', c.job('e')), QueueFullError);
    await tick();
    assert.deepEqual(c.started(), ['a', 'b']);
    assert.equal(queue.waiting, 2);
    c.answer('a');
    c.answer('b');
    await tick();
    assert.equal(queue.waiting, 0);
    assert.equal(counts.at(-1), 0);
  });

  it('takes an aborted message out while it waits; one on its way goes on', async () => {
    const queue = new SendQueue({ perChatInFlight: 1 }, quiet);
    const c = controlled([]);
    const first = new AbortController();
    const second = new AbortController();
    const a = queue.enqueue('chat', c.job('a'), first.signal);
    const b = queue.enqueue('chat', c.job('b'), second.signal);
    await tick();
    first.abort();
    second.abort();
    await assert.rejects(b, /send queue/);
    c.answer('a');
    assert.equal(await a, 'a');
    await tick();
    assert.deepEqual(c.started(), ['a']);
  });

  it('keeps one listener on a signal many messages share, withdraws all that wait on abort, and leaves none', async () => {
    const { getEventListeners } = require('node:events');
    const queue = new SendQueue({ perChatInFlight: 2 }, quiet);
    const c = controlled([]);
    const node = new AbortController();
    const names = ['a', 'b', 'c', 'd', 'e'];
    const done = names.map((name) => queue.enqueue('chat', c.job(name), node.signal).catch((err) => err.message));
    await tick();
    assert.equal(getEventListeners(node.signal, 'abort').length, 1, 'one listener for five messages');
    node.abort();
    c.answer('a');
    c.answer('b');
    const outcomes = await Promise.all(done);
    assert.deepEqual(outcomes.slice(0, 2), ['a', 'b'], 'the two on their way finish');
    for (const outcome of outcomes.slice(2)) assert.match(outcome, /send queue/);
    assert.deepEqual(c.started(), ['a', 'b'], 'none of the waiting ones was sent');
    assert.equal(queue.waiting, 0);

    const later = new AbortController();
    const more = ['f', 'g', 'h'].map((name) => queue.enqueue('chat', c.job(name), later.signal));
    await tick();
    c.answer('f');
    c.answer('g');
    await tick();
    c.answer('h');
    await Promise.all(more);
    assert.equal(getEventListeners(later.signal, 'abort').length, 0, 'no listener left once all settled');
  });

  it('does not send again a refused message whose signal was aborted while it was on its way', async () => {
    const queue = new SendQueue({ perChatInFlight: 1 }, quiet);
    const c = controlled([]);
    const node = new AbortController();
    const done = queue.enqueue('chat', c.job('a'), node.signal).catch((err) => err);
    await tick();
    node.abort();
    c.refuse('a');
    const outcome = await done;
    assert.ok(outcome instanceof RateLimitError, 'it fails with the refusal');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(c.started(), ['a'], 'sent once, never again');
    assert.equal(queue.waiting, 0);
  });

  it('close fails what waits and lets what is on its way finish', async () => {
    const queue = new SendQueue({ perChatInFlight: 2 }, quiet);
    const c = controlled([]);
    const done = ['a', 'b', 'c'].map((name) => queue.enqueue('chat', c.job(name)));
    await tick();
    queue.close();
    await assert.rejects(done[2], /send queue/);
    c.answer('a');
    c.answer('b');
    assert.deepEqual(await Promise.all(done.slice(0, 2)), ['a', 'b']);
  });
});
