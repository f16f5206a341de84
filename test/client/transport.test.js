'use strict';
// The transport core on its own: a small WebSocket server in the test plays the peer, with no chat service behind it.
const assert = require('node:assert/strict');
const { WebSocketServer } = require('ws');
const { ReconnectingSocket, Correlator, ClientError, isOutcomeUnknown } = require('../../dist/transport');

async function waitFor(predicate, what, ms = 3000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** A WebSocket server on a free port; `options` go to ws. Records every connection and every text frame. */
async function startPeer(options = {}, port = 0) {
  const wss = new WebSocketServer({ port, ...options });
  await new Promise((resolve) => wss.once('listening', resolve));
  const peer = { wss, sockets: [], frames: [], upgrades: [], port: wss.address().port };
  peer.url = `ws://127.0.0.1:${peer.port}`;
  wss.on('connection', (ws, req) => {
    peer.sockets.push(ws);
    peer.upgrades.push(req.headers);
    ws.on('message', (data) => peer.frames.push(data.toString()));
  });
  peer.last = () => peer.sockets[peer.sockets.length - 1];
  peer.close = () =>
    new Promise((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => resolve());
    });
  return peer;
}

const FAST = { initialMs: 20, maxMs: 80, factor: 2, jitter: 0, stableMs: 60_000 };

function socketTo(url, overrides = {}) {
  const socket = new ReconnectingSocket({
    url,
    heartbeat: { intervalMs: 60_000, timeoutMs: 60_000 },
    backoff: FAST,
    unauthorizedRetryMs: 60_000,
    ...overrides,
  });
  const changes = [];
  socket.on('state', (change) => changes.push(change));
  return { socket, changes };
}

describe('transport core', function () {
  const cleanup = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const track = (socket) => {
    cleanup.push(() => socket.stop());
    return socket;
  };
  const peerFor = async (options, port) => {
    const peer = await startPeer(options, port);
    cleanup.push(() => peer.close());
    return peer;
  };

  describe('ReconnectingSocket', () => {
    it('frames written in one turn leave together and in order; a frame written later is not held back', async () => {
      const peer = await peerFor();
      const socket = track(socketTo(peer.url).socket);
      socket.start();
      await waitFor(() => socket.state === 'connected', 'the connection');
      for (let i = 0; i < 200; i++) socket.send(`burst ${i}`);
      await waitFor(() => peer.frames.length === 200, 'the burst');
      assert.deepEqual(
        peer.frames,
        Array.from({ length: 200 }, (_, i) => `burst ${i}`),
      );
      await delay(20);
      const sentAt = Date.now();
      socket.send('alone');
      await waitFor(() => peer.frames.length === 201, 'the single frame', 500);
      assert.ok(Date.now() - sentAt < 200, 'not held until another write');
    });

    it('does not offer compression to a server that would compress every frame, unless asked to', async () => {
      const peer = await peerFor({ perMessageDeflate: { threshold: 0 } });
      const plain = track(socketTo(peer.url).socket);
      plain.start();
      await waitFor(() => peer.upgrades.length === 1, 'the connection');
      assert.equal(peer.upgrades[0]['sec-websocket-extensions'], undefined, 'no permessage-deflate offered');
      assert.equal(peer.last().extensions, '', 'nothing negotiated');
      const asked = track(socketTo(peer.url, { ws: { perMessageDeflate: true } }).socket);
      asked.start();
      await waitFor(() => peer.upgrades.length === 2, 'the second connection');
      assert.match(peer.upgrades[1]['sec-websocket-extensions'], /permessage-deflate/, 'offered when asked');
    });

    it('retries an unreachable server with growing, capped delays, then connects when it comes up', async () => {
      // Find a free port, then leave it closed so every attempt is refused.
      const probe = await startPeer();
      const port = probe.port;
      await probe.close();
      const { socket, changes } = socketTo(`ws://127.0.0.1:${port}`);
      track(socket);
      socket.start();
      await waitFor(() => changes.filter((c) => c.state === 'disconnected').length >= 4, 'four failed attempts');
      const delays = changes.filter((c) => c.state === 'disconnected').map((c) => c.retryInMs);
      assert.deepEqual(delays.slice(0, 4), [20, 40, 80, 80], 'doubling from 20 ms, capped at 80 ms');
      assert.equal(changes[1].reason, 'cannot reach the server');

      const peer = await peerFor({}, port);
      await waitFor(() => socket.state === 'connected', 'the connection once the server is up');
      assert.equal(peer.sockets.length, 1);
      assert.equal(socket.stats.connects, 1);
    });

    it('reconnects after a drop, with a new generation, and ends the old one first', async () => {
      const peer = await peerFor();
      const { socket, changes } = socketTo(peer.url);
      track(socket);
      const ended = [];
      socket.on('generationEnd', (generation, why) => ended.push({ generation, why, state: socket.state }));
      socket.start();
      await waitFor(() => socket.state === 'connected', 'the first connection');
      const first = socket.generation;
      peer.last().terminate();
      await waitFor(() => socket.state === 'connected' && socket.generation !== first, 'the reconnect');
      assert.ok(socket.generation > first);
      assert.deepEqual(ended, [
        { generation: first, why: 'the connection dropped before the answer came', state: 'connected' },
      ]);
      const drop = changes.find((c) => c.state === 'disconnected');
      assert.match(drop.reason, /the connection dropped \(code \d+\)/);
      assert.equal(drop.retryInMs, 20);
      assert.equal(socket.stats.drops, 1);
      assert.equal(socket.stats.connects, 2);
    });

    it('asks for the headers anew on every attempt', async () => {
      const peer = await peerFor();
      let token = 'one';
      const { socket } = socketTo(peer.url, { headers: () => ({ authorization: `Bearer ${token}` }) });
      track(socket);
      socket.start();
      await waitFor(() => socket.state === 'connected', 'the first connection');
      token = 'two';
      peer.last().terminate();
      await waitFor(() => peer.upgrades.length === 2 && socket.state === 'connected', 'the reconnect');
      assert.deepEqual(
        peer.upgrades.map((h) => h.authorization),
        ['Bearer one', 'Bearer two'],
      );
    });

    it('finds a half-open connection by its unanswered heartbeat and reconnects', async () => {
      // autoPong off: the peer reads nothing back, as a connection whose other end has silently gone.
      const peer = await peerFor({ autoPong: false });
      const { socket } = socketTo(peer.url, { heartbeat: { intervalMs: 40, timeoutMs: 60 } });
      track(socket);
      socket.start();
      await waitFor(() => socket.stats.heartbeatTimeouts >= 1, 'the heartbeat to give up');
      await waitFor(() => socket.stats.drops >= 1 && peer.sockets.length >= 2, 'the drop and a new connection');
    });

    it('counts any frame from the peer as a sign of life', async () => {
      const peer = await peerFor({ autoPong: false });
      peer.wss.on('connection', (ws) => {
        const timer = setInterval(() => ws.send('tick'), 20);
        ws.on('close', () => clearInterval(timer));
      });
      const { socket } = socketTo(peer.url, { heartbeat: { intervalMs: 40, timeoutMs: 60 } });
      track(socket);
      socket.start();
      await waitFor(() => socket.state === 'connected', 'the connection');
      await delay(400);
      assert.equal(socket.stats.heartbeatTimeouts, 0);
      assert.equal(peer.sockets.length, 1);
    });

    it('suspends the heartbeat while busy() says the peer may not answer, and resumes it after', async () => {
      const peer = await peerFor({ autoPong: false });
      let busy = true;
      const { socket } = socketTo(peer.url, { heartbeat: { intervalMs: 40, timeoutMs: 60, busy: () => busy } });
      track(socket);
      socket.start();
      await waitFor(() => socket.state === 'connected', 'the connection');
      await delay(400);
      assert.equal(socket.stats.heartbeatTimeouts, 0, 'no ping counted against a busy peer');
      assert.equal(socket.state, 'connected');
      busy = false;
      await waitFor(() => socket.stats.heartbeatTimeouts === 1, 'the heartbeat once the peer is no longer busy');
    });

    it('waits the slow retry after refused credentials, then connects with the new ones', async () => {
      const attempts = [];
      const peer = await peerFor({
        verifyClient: (info, cb) => {
          attempts.push(Date.now());
          cb(info.req.headers.authorization === 'good', 401);
        },
      });
      let token = 'bad';
      const { socket, changes } = socketTo(peer.url, {
        headers: () => ({ authorization: token }),
        unauthorizedRetryMs: 400,
        refusedReason: (status) => `the key was refused (HTTP ${status})`,
      });
      track(socket);
      socket.start();
      await waitFor(() => socket.state === 'unauthorized', 'the refusal');
      const refusal = changes.find((c) => c.state === 'unauthorized');
      assert.deepEqual(refusal, {
        state: 'unauthorized',
        reason: 'the key was refused (HTTP 401)',
        retryInMs: 400,
        status: 401,
      });
      await delay(250);
      assert.equal(attempts.length, 1, 'no fast retries while refused (the backoff would have tried 3 more times)');
      token = 'good';
      await waitFor(() => socket.state === 'connected', 'the slow retry with the new credentials', 2000);
      assert.equal(attempts.length, 2);
      assert.ok(attempts[1] - attempts[0] >= 380, 'the second attempt came after the slow retry delay');
      assert.equal(socket.stats.unauthorizedAttempts, 1);
    });

    it('lets the owner check the credentials after a policy close, and waits the slow retry when refused', async () => {
      const peer = await peerFor();
      const codes = [];
      const { socket } = socketTo(peer.url, {
        unauthorizedRetryMs: 60_000,
        checkRefused: (code) => {
          codes.push(code);
          return code === 4401 ? Promise.resolve(true) : undefined;
        },
      });
      track(socket);
      socket.start();
      await waitFor(() => socket.state === 'connected', 'the connection');
      peer.last().close(4401, 'revoked');
      await waitFor(() => socket.state === 'unauthorized', 'the slow retry state');
      assert.deepEqual(codes, [4401]);
      assert.equal(socket.stats.unauthorizedAttempts, 1);
      await delay(100);
      assert.equal(peer.sockets.length, 1, 'no fast reconnect');
    });

    it('stop() closes within the grace, goes to closed and never reconnects', async () => {
      const peer = await peerFor();
      const { socket, changes } = socketTo(peer.url);
      socket.start();
      await waitFor(() => socket.state === 'connected', 'the connection');
      const started = Date.now();
      await socket.stop();
      assert.ok(Date.now() - started < 1500);
      assert.equal(socket.state, 'closed');
      assert.equal(changes[changes.length - 1].state, 'closed');
      await delay(100);
      assert.equal(peer.sockets.length, 1);
      assert.throws(
        () => socket.send('x'),
        (err) => err instanceof ClientError && err.code === 'OFFLINE',
      );
    });

    it('stop() cuts off a peer that never answers the close frame after the one-second grace', async () => {
      const peer = await peerFor();
      const { socket } = socketTo(peer.url);
      socket.start();
      await waitFor(() => socket.state === 'connected', 'the connection');
      peer.last()._socket.pause(); // reads nothing more, so the close frame is never answered
      const started = Date.now();
      await socket.stop();
      const took = Date.now() - started;
      assert.ok(took >= 900 && took < 1800, `stopped after ${took} ms`);
      assert.equal(socket.state, 'closed');
    });

    it('with retryFirstConnect off, a refused first attempt goes to closed, but later drops reconnect', async () => {
      let accept = false;
      const peer = await peerFor({ verifyClient: (_info, cb) => cb(accept, 401) });
      const refused = socketTo(peer.url, { retryFirstConnect: false });
      refused.socket.start();
      await waitFor(() => refused.socket.state === 'closed', 'the end');
      const last = refused.changes[refused.changes.length - 1];
      assert.equal(last.status, 401);
      assert.match(last.reason, /refused \(HTTP 401\)/);

      accept = true;
      const { socket } = socketTo(peer.url, { retryFirstConnect: false });
      track(socket);
      socket.start();
      await waitFor(() => socket.state === 'connected', 'the first connection');
      peer.last().terminate();
      await waitFor(() => peer.sockets.length === 2 && socket.state === 'connected', 'the reconnect after a drop');
    });

    it('a retired socket keeps its connection for answers owed, then neither pings nor reconnects', async () => {
      const peer = await peerFor({ autoPong: false });
      const { socket, changes } = socketTo(peer.url, { heartbeat: { intervalMs: 30, timeoutMs: 30 } });
      track(socket);
      const frames = [];
      socket.on('frame', (text) => frames.push(text));
      socket.start();
      await waitFor(() => socket.state === 'connected', 'the connection');
      socket.retire();
      await delay(200);
      assert.equal(socket.stats.heartbeatTimeouts, 0, 'no heartbeat after retiring');
      socket.send('still writable');
      peer.last().send('still readable');
      await waitFor(() => frames.length === 1 && peer.frames.length === 1, 'both directions');
      peer.last().terminate();
      await waitFor(() => socket.state === 'closed', 'the end');
      await delay(100);
      assert.equal(peer.sockets.length, 1, 'no reconnect');
      assert.equal(changes.filter((c) => c.state === 'disconnected').length, 0);
    });

    it('with reconnect off, a connection that ends goes to closed with the reason', async () => {
      const peer = await peerFor({ verifyClient: (_info, cb) => cb(false, 403) });
      const { socket, changes } = socketTo(peer.url, { reconnect: false });
      socket.start();
      await waitFor(() => socket.state === 'closed', 'the end');
      assert.equal(changes[changes.length - 1].status, 403);
      await delay(100);
      assert.equal(changes.filter((c) => c.state === 'connecting').length, 1);
    });
  });

  describe('Correlator', () => {
    /** A peer answering `{id, answer}` to each `{id}` frame after `delayFor(id)` ms (never when that is undefined). */
    async function answering(delayFor = () => 0) {
      const peer = await peerFor();
      peer.wss.on('connection', (ws) => {
        ws.on('message', (data) => {
          const { id } = JSON.parse(data.toString());
          const ms = delayFor(id);
          if (ms !== undefined) setTimeout(() => ws.send(JSON.stringify({ id, answer: `for ${id}` })), ms);
        });
      });
      return peer;
    }

    function clientFor(peer, correlatorOptions = {}) {
      const { socket } = socketTo(peer.url);
      track(socket);
      const correlator = new Correlator({
        send: (frame, onError) => socket.send(frame, onError),
        ...correlatorOptions,
      });
      socket.on('frame', (text) => {
        const { id, answer } = JSON.parse(text);
        correlator.settle(id, undefined, answer);
      });
      socket.on('generationEnd', (generation, why) => correlator.failGeneration(generation, why));
      socket.start();
      return { socket, correlator };
    }
    const ask = (correlator, id, timeoutMs = 2000) => correlator.request(id, JSON.stringify({ id }), timeoutMs);

    it('resolves each request with its own answer', async () => {
      const peer = await answering((id) => (id === 'a' ? 60 : 0));
      const { socket, correlator } = clientFor(peer);
      await waitFor(() => socket.state === 'connected', 'the connection');
      const [a, b] = await Promise.all([ask(correlator, 'a'), ask(correlator, 'b')]);
      assert.deepEqual([a, b], ['for a', 'for b']);
      assert.equal(correlator.inFlight(), 0);
    });

    it('fails a request without answer with TIMEOUT, and ignores the late answer', async () => {
      const peer = await answering(() => 300);
      const { socket, correlator } = clientFor(peer);
      await waitFor(() => socket.state === 'connected', 'the connection');
      const started = Date.now();
      const err = await ask(correlator, 'slow', 100).catch((e) => e);
      assert.ok(err instanceof ClientError, String(err));
      assert.equal(err.code, 'TIMEOUT');
      assert.ok(isOutcomeUnknown(err));
      assert.ok(Date.now() - started >= 95);
      assert.equal(correlator.has('slow'), false);
      await delay(300);
      assert.equal(correlator.settle('slow', undefined, 'late'), false);
    });

    it('fails what waited on a connection that died as outcome unknown, and never writes it again', async () => {
      const peer = await answering(() => undefined);
      const { socket, correlator } = clientFor(peer);
      await waitFor(() => socket.state === 'connected', 'the connection');
      const generation = socket.generation;
      const pending = ask(correlator, 'x');
      await waitFor(() => peer.frames.length === 1, 'the frame to arrive');
      assert.equal(correlator.inFlight(generation), 1);
      peer.last().terminate();
      const err = await pending.catch((e) => e);
      assert.equal(err.code, 'OUTCOME_UNKNOWN');
      assert.match(err.message, /x: the connection dropped before the answer came; it may or may not have been/);
      await waitFor(() => socket.state === 'connected' && socket.generation !== generation, 'the reconnect');
      await delay(100);
      assert.deepEqual(peer.frames, ['{"id":"x"}'], 'written exactly once');
    });

    it('fails at once as not sent when no connection is open', async () => {
      const peer = await answering();
      const { correlator } = clientFor(peer);
      const err = await ask(correlator, 'early').catch((e) => e);
      assert.equal(err.code, 'OFFLINE');
      assert.match(err.message, /the WebSocket is not open; the request was not sent/);
      assert.equal(peer.frames.length, 0);
    });

    it('keeps at most N requests in flight and writes the others in the order they were made', async () => {
      const outstanding = new Set();
      let most = 0;
      const peer = await peerFor();
      peer.wss.on('connection', (ws) => {
        ws.on('message', (data) => {
          const { id } = JSON.parse(data.toString());
          outstanding.add(id);
          most = Math.max(most, outstanding.size);
          // Answers come in reverse of a simple FIFO: the first one written is the slowest.
          setTimeout(
            () => {
              outstanding.delete(id);
              ws.send(JSON.stringify({ id, answer: id }));
            },
            id === 'r0' ? 80 : 15,
          );
        });
      });
      const { socket, correlator } = clientFor(peer, { maxInFlight: 2 });
      await waitFor(() => socket.state === 'connected', 'the connection');
      const ids = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'];
      const answers = Promise.all(ids.map((id) => ask(correlator, id)));
      assert.equal(correlator.inFlight(), 2);
      assert.equal(correlator.queued, 4);
      assert.deepEqual(await answers, ids);
      assert.equal(most, 2, 'never more than two unanswered at the peer');
      assert.deepEqual(
        peer.frames.map((f) => JSON.parse(f).id),
        ids,
        'written in the order they were made',
      );
    });

    it('fails a request that waited too long for a slot as not sent, without writing it', async () => {
      const peer = await answering(() => undefined);
      const { socket, correlator } = clientFor(peer, { maxInFlight: 1 });
      await waitFor(() => socket.state === 'connected', 'the connection');
      const first = ask(correlator, 'first', 300).catch((e) => e);
      const second = await ask(correlator, 'second', 100).catch((e) => e);
      assert.equal(second.code, 'OFFLINE');
      assert.match(second.message, /no free slot within 0.1 s/);
      assert.equal((await first).code, 'TIMEOUT');
      assert.deepEqual(peer.frames, ['{"id":"first"}']);
    });

    it('failAll ends queued requests as not sent and written ones as outcome unknown', async () => {
      const peer = await answering(() => undefined);
      const { socket, correlator } = clientFor(peer, { maxInFlight: 1 });
      await waitFor(() => socket.state === 'connected', 'the connection');
      const written = ask(correlator, 'w').catch((e) => e);
      const queued = ask(correlator, 'q').catch((e) => e);
      correlator.failAll('closed');
      assert.equal((await written).code, 'OUTCOME_UNKNOWN');
      assert.equal((await queued).code, 'OFFLINE');
      await delay(50);
      assert.deepEqual(peer.frames, ['{"id":"w"}'], 'the queued request was never written');
    });

    it('refuses an id already waiting, and uses the errors a client passes', async () => {
      const peer = await answering(() => undefined);
      class MyTimeout extends Error {}
      const { socket, correlator } = clientFor(peer, { errors: { timeout: (label) => new MyTimeout(label) } });
      await waitFor(() => socket.state === 'connected', 'the connection');
      const first = correlator.request('dup', '{"id":"dup"}', 100, 'the command').catch((e) => e);
      const again = await correlator.request('dup', '{"id":"dup"}', 100).catch((e) => e);
      assert.equal(again.code, 'INVALID_INPUT');
      const err = await first;
      assert.ok(err instanceof MyTimeout);
      assert.equal(err.message, 'the command');
    });
  });
});
