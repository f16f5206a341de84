'use strict';
// The transport core's frame guard: limits on size and nesting checked on the raw text, and a socket that never lets
// a listener's exception escape its handler.
const assert = require('node:assert/strict');
const { WebSocketServer } = require('ws');
const { ReconnectingSocket, checkFrame, jsonDepth, DEFAULT_FRAME_LIMITS } = require('../../dist/transport');

const nested = (depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('transport core: frame guard', function () {
  it('measures nesting outside strings only, and stops early on hostile text', () => {
    assert.equal(jsonDepth('{"a":[1,{"b":2}]}'), 3);
    assert.equal(jsonDepth('{"a":"[[[[{{{{\\"[["}'), 1, 'brackets inside strings and escaped quotes do not count');
    assert.equal(jsonDepth('[]'), 1);
    assert.equal(jsonDepth('"text"'), 0);
    assert.equal(jsonDepth(nested(100000), 64), 65, 'stops one level past the limit');
  });

  it('refuses by size first, then by depth; accepts what is within both', () => {
    const limits = { maxBytes: 100, maxDepth: 3 };
    assert.deepEqual(checkFrame('{}', 101, limits), { kind: 'size', bytes: 101, limit: 100 });
    assert.deepEqual(checkFrame(nested(4), 20, limits), { kind: 'depth', depth: 4, limit: 3 });
    assert.equal(checkFrame(nested(3), 20, limits), undefined);
    assert.deepEqual(DEFAULT_FRAME_LIMITS, { maxBytes: 1048576, maxDepth: 64 });
  });

  it('drops frames over the limits, counts them, and survives a listener that throws', async () => {
    const wss = new WebSocketServer({ port: 0 });
    await new Promise((r) => wss.once('listening', r));
    const socket = new ReconnectingSocket({
      url: `ws://127.0.0.1:${wss.address().port}`,
      heartbeat: { intervalMs: 60_000, timeoutMs: 60_000 },
      backoff: { initialMs: 20, maxMs: 80, factor: 2, jitter: 0, stableMs: 60_000 },
      unauthorizedRetryMs: 60_000,
      frameLimits: { maxBytes: 1000, maxDepth: 10 },
    });
    const frames = [];
    const rejected = [];
    socket.on('frame', (text) => {
      frames.push(text);
      if (text === '"throw"') throw new RangeError('Maximum call stack size exceeded');
    });
    socket.on('rejected', (rejection, sample) => rejected.push({ rejection, sample }));
    try {
      const peer = new Promise((r) => wss.once('connection', r));
      socket.start();
      const ws = await peer;
      ws.send(nested(11));
      ws.send('x'.repeat(1001));
      ws.send('"throw"');
      ws.send(nested(10));
      const until = Date.now() + 3000;
      while (frames.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(frames, ['"throw"', nested(10)]);
      assert.deepEqual(
        rejected.map((r) => r.rejection.kind),
        ['depth', 'size'],
      );
      assert.equal(rejected[0].sample, nested(11));
      assert.equal(socket.stats.tooDeepFrames, 1);
      assert.equal(socket.stats.oversizedFrames, 1);
      assert.equal(socket.stats.listenerErrors, 1);
      assert.equal(socket.state, 'connected', 'the connection stays up');
    } finally {
      await socket.stop();
      wss.close();
    }
  });
});
