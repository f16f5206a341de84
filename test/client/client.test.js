'use strict';
// The client library against the emulator over real sockets: transports, envelope, errors, faults.
const assert = require('node:assert/strict');
const {
  SemilimesClient,
  ApiError,
  RateLimitError,
  TimeoutError,
  OutcomeUnknownError,
  OfflineError,
  InvalidInputError,
  UnauthorizedError,
} = require('../../dist/semilimes');
const { DEMO, waitFor, delay, clientSuite, startEmulator, keyOf, FAST_CLIENT } = require('../helpers/env');

describe('client against the emulator', function () {
  let emu;
  const makeClient = clientSuite((started) => (emu = started));

  async function connected(client) {
    client.connect();
    await waitFor(() => client.state === 'connected', 'the WebSocket to connect');
  }

  const requestsTo = async (path) => (await emu.control.requests()).filter((r) => r.path === path);

  it('returns the data of a REST-only endpoint', async () => {
    const contacts = await makeClient().call('/account/contacts');
    assert.ok(Array.isArray(contacts));
    assert.ok(contacts.some((c) => c.accountId === DEMO.alice && c.contactStatus === 'CONFIRMED'));
  });

  it('uses REST while the WebSocket is closed and the WebSocket once it is open', async () => {
    const client = makeClient();
    const first = await client.send({ kind: 'p2p', id: DEMO.alice }, 'over REST');
    assert.ok(first.messageId);
    await connected(client);
    const second = await client.send({ kind: 'p2p', id: DEMO.alice }, 'over the socket');
    assert.ok(second.messageId);
    assert.notEqual(first.messageId, second.messageId);
    const sends = await requestsTo('/communication/p2p/message/send');
    assert.deepEqual(
      sends.map((r) => r.transport),
      ['rest', 'ws'],
    );
    assert.equal(sends[1].body.dataComponent.text, 'over the socket');
  });

  it('keeps REST-only endpoints on REST even with the socket open', async () => {
    const client = makeClient();
    await connected(client);
    await client.call('/account/contacts');
    const [request] = await requestsTo('/account/contacts');
    assert.equal(request.transport, 'rest');
  });

  it('URL-encodes query parameters', async () => {
    const title = 'Home news & more?/ü';
    const found = await makeClient().call('/communication/channel', { title });
    assert.ok(Array.isArray(found));
    const [request] = await requestsTo('/communication/channel');
    assert.equal(request.query.title, title);
  });

  it('turns success:false into an ApiError with the HTTP status and the server message', async () => {
    const client = makeClient();
    await assert.rejects(client.send({ kind: 'p2p', id: 'no-such-account' }, 'hello'), (err) => {
      assert.ok(err instanceof ApiError);
      assert.ok(err.status >= 400 && err.status < 500, `status ${err.status}`);
      assert.ok(err.serverMessage.length > 0);
      assert.match(err.message, /p2p\/message\/send/);
      return true;
    });
  });

  it('turns success:false over the WebSocket into an ApiError', async () => {
    const client = makeClient();
    await connected(client);
    await assert.rejects(client.send({ kind: 'groupchat', id: 'no-such-chat' }, 'hello'), ApiError);
    const [request] = await requestsTo('/communication/groupchat/message/send');
    assert.equal(request.transport, 'ws');
  });

  it('reports a 500 answer as a failure with the server message', async () => {
    await emu.control.failNext({ count: 1, status: 500, transport: 'rest' });
    await assert.rejects(makeClient().call('/account/contacts'), (err) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 500);
      return true;
    });
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    await emu.control.failNext({ count: 1, status: 429, retryAfter: 1, transport: 'rest' });
    const started = Date.now();
    const contacts = await makeClient().call('/account/contacts');
    assert.ok(Array.isArray(contacts));
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
  });

  it('fails a 429 whose Retry-After is longer than the bound instead of hanging', async () => {
    await emu.control.failNext({ count: 1, status: 429, retryAfter: 120, transport: 'rest' });
    const started = Date.now();
    await assert.rejects(makeClient({ maxRetryAfterMs: 5000 }).call('/account/contacts'), (err) => {
      assert.ok(err instanceof RateLimitError);
      assert.equal(err.retryAfterMs, 120_000);
      return true;
    });
    assert.ok(Date.now() - started < 2000);
  });

  it('stops waiting out a Retry-After when the client closes (a redeploy never waits for it)', async () => {
    await emu.control.failNext({ count: 1, status: 429, retryAfter: 20, transport: 'rest' });
    const client = makeClient({ maxRetryAfterMs: 30_000 });
    const pending = client.call('/account/contacts');
    await waitFor(async () => (await emu.control.requests()).length === 1, 'the first attempt');
    const started = Date.now();
    const refused = assert.rejects(pending, (err) => err.code === 'CLOSED');
    await client.close();
    await refused;
    assert.ok(Date.now() - started < 1000, `closed after ${Date.now() - started} ms`);
  });

  it('times out a slow request as outcome unknown and never resends it', async () => {
    await emu.control.setDelay(1500);
    const client = makeClient({ requestTimeoutMs: 300 });
    await assert.rejects(client.send({ kind: 'p2p', id: DEMO.alice }, 'slow'), TimeoutError);
    await emu.control.setDelay(0);
    await delay(1600);
    assert.equal((await requestsTo('/communication/p2p/message/send')).length, 1);
  });

  it('reports a request in flight when the socket dies as outcome unknown, and does not resend it', async () => {
    const client = makeClient({ requestTimeoutMs: 5000 });
    await connected(client);
    await emu.control.setDelay(800);
    const pending = client.send({ kind: 'p2p', id: DEMO.alice }, 'in flight');
    await waitFor(async () => (await requestsTo('/communication/p2p/message/send')).length === 1, 'the request');
    await emu.control.dropSockets({});
    await assert.rejects(pending, (err) => err instanceof OutcomeUnknownError && /not resent/.test(err.message));
    await emu.control.setDelay(0);
    await waitFor(() => client.state === 'connected', 'the reconnect');
    await delay(300);
    assert.equal((await requestsTo('/communication/p2p/message/send')).length, 1);
  });

  describe('refusals for rate on the WebSocket', () => {
    const SEND = '/communication/p2p/message/send';
    const text = (t) => ({ recipientId: DEMO.alice, dataComponent: { dataComponentType: 'text', text: t } });

    it('call() waits as the refusal text asks and sends again, like a REST 429', async () => {
      const client = makeClient();
      await connected(client);
      await emu.control.failNext({ count: 2, status: 429, retryAfter: 0.2, transport: 'ws' });
      const started = Date.now();
      const data = await client.call(SEND, text('after two refusals'));
      assert.ok(data.sentMessage.messageId);
      assert.ok(Date.now() - started >= 400, 'waited 0.2 s twice');
      const sends = await requestsTo(SEND);
      assert.deepEqual(
        sends.map((r) => r.transport),
        ['ws', 'ws', 'ws'],
      );
    });

    it('call() with retryRateLimited false fails at once with RateLimitError and the wait asked', async () => {
      const client = makeClient();
      await connected(client);
      await emu.control.failNext({ count: 1, status: 429, retryAfter: 3, transport: 'ws' });
      await assert.rejects(client.call(SEND, text('refused'), { retryRateLimited: false }), (err) => {
        assert.equal(err.code, 'RATE_LIMITED');
        assert.equal(err.retryAfterMs, 3000);
        return true;
      });
    });

    it('send() overlapping on the socket: a refused message is sent again, each message once', async () => {
      const client = makeClient();
      await connected(client);
      await emu.control.failNext({ count: 2, status: 429, retryAfter: 0.1, transport: 'ws' });
      const texts = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
      await Promise.all(texts.map((t) => client.send({ kind: 'p2p', id: DEMO.alice }, t)));
      const stored = (await emu.control.messages())
        .filter((m) => m.publisherId === DEMO.bot)
        .map((m) => m.dataComponent.text)
        .filter((t) => texts.includes(t));
      assert.deepEqual([...stored].sort(), texts);
      assert.equal((await requestsTo(SEND)).length, texts.length + 2);
    });

    it('send() with one message at a time per chat keeps the order through refusals, each message once', async () => {
      const client = makeClient({ pacing: { perChatInFlight: 1 } });
      await connected(client);
      await emu.control.failNext({ count: 3, status: 429, retryAfter: 0.1, transport: 'ws' });
      const texts = ['one', 'two', 'three', 'four'];
      await Promise.all(texts.map((t) => client.send({ kind: 'p2p', id: DEMO.alice }, t)));
      const stored = (await emu.control.messages())
        .filter((m) => m.publisherId === DEMO.bot)
        .map((m) => m.dataComponent.text);
      assert.deepEqual(
        stored.filter((t) => texts.includes(t)),
        texts,
      );
      assert.equal((await requestsTo(SEND)).length, texts.length + 3);
      assert.equal(client.waiting, 0);
    });
  });

  describe('switching keys (setApiKey)', () => {
    const openSockets = async () => (await emu.control.connections()).find((c) => c.accountId === DEMO.bot)?.open ?? 0;
    const newKey = async (client) => {
      const expireAt = new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const created = await client.call('/apikey', { name: 'switch test', expire_at: expireAt });
      return created.key;
    };

    it('lets an answer owed on the old socket arrive, sends new requests on the new one, then closes the old', async () => {
      const client = makeClient({ requestTimeoutMs: 5000 });
      await connected(client);
      const key = await newKey(client);
      assert.equal(typeof key, 'string');
      await emu.control.setDelay(1500);
      const owed = client.send({ kind: 'p2p', id: DEMO.alice }, 'written before the switch');
      await waitFor(async () => (await requestsTo('/communication/p2p/message/send')).length === 1, 'the request');
      const switched = client.setApiKey(key);
      await waitFor(async () => (await openSockets()) === 2, 'the second socket');
      await emu.control.setDelay(0);
      // To another chat: messages to one chat leave one after the other, so this one would wait for the owed answer.
      const after = await client.send({ kind: 'p2p', id: DEMO.bob }, 'written after the switch');
      assert.ok(after.messageId);
      assert.equal(await openSockets(), 2, 'the old socket stays while it owes an answer');
      assert.ok((await owed).messageId, 'the answer owed on the old socket arrived');
      await switched;
      await waitFor(async () => (await openSockets()) === 1, 'the old socket to close');
      assert.equal(client.state, 'connected');
      assert.equal(client.stats.drops, 0);
      const sends = await requestsTo('/communication/p2p/message/send');
      assert.deepEqual(
        sends.map((r) => r.transport),
        ['ws', 'ws'],
        'each written once, over a socket',
      );
    });

    it('keeps the old key and socket when the new key is refused', async () => {
      const client = makeClient();
      await connected(client);
      await assert.rejects(client.setApiKey('not-a-key'), /the new connection was refused \(HTTP 401\)/);
      assert.equal(client.state, 'connected');
      assert.equal(await openSockets(), 1);
      assert.ok((await client.send({ kind: 'p2p', id: DEMO.alice }, 'still here')).messageId);
      await client.call('/apikey/~validate'); // over REST, with the old key put back
    });
  });

  it('waits a bounded time while offline, then fails clearly without sending', async () => {
    await emu.control.setOffline(true);
    const client = makeClient({ offlineWaitMs: 600 });
    const started = Date.now();
    await assert.rejects(client.send({ kind: 'p2p', id: DEMO.alice }, 'offline'), OfflineError);
    const waited = Date.now() - started;
    assert.ok(waited >= 550 && waited < 3000, `waited ${waited} ms`);
    await emu.control.setOffline(false);
    const stored = await emu.control.messages();
    assert.ok(!JSON.stringify(stored).includes('"offline"'));
  });

  it('a request that must stay on the socket waits for it instead of taking REST, then fails as not sent', async () => {
    const SEND = '/communication/p2p/message/send';
    const client = makeClient({ offlineWaitMs: 600 });
    const input = { recipientId: DEMO.alice, dataComponent: { dataComponentType: 'text', text: 'socket only' } };
    await assert.rejects(client.call(SEND, input, { socketOnly: true }), /WebSocket is not connected/);
    assert.deepEqual(await requestsTo(SEND), [], 'nothing went over REST');
    const waiting = client.call(
      SEND,
      { ...input, dataComponent: { dataComponentType: 'text', text: 'later' } },
      {
        socketOnly: true,
      },
    );
    client.connect();
    await waiting;
    assert.deepEqual(
      (await requestsTo(SEND)).map((r) => r.transport),
      ['ws'],
      'sent once the socket was up, over it',
    );
  });

  it('delivers a request made while offline once the service is back within the wait', async () => {
    await emu.control.setOffline(true);
    const client = makeClient({ offlineWaitMs: 3000 });
    setTimeout(() => emu.control.setOffline(false), 400);
    const result = await client.send({ kind: 'p2p', id: DEMO.alice }, 'back again');
    assert.ok(result.messageId);
  });

  it('lets a burst of requests wait offline without piling up listeners', async () => {
    await emu.control.setOffline(true);
    const client = makeClient({ offlineWaitMs: 3000 });
    const warnings = [];
    const onWarning = (w) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const sends = Array.from({ length: 25 }, (_, i) => client.send({ kind: 'p2p', id: DEMO.alice }, `burst ${i}`));
      await delay(300);
      assert.ok(client.listenerCount('state') <= 2, `${client.listenerCount('state')} state listeners`);
      await emu.control.setOffline(false);
      const results = await Promise.all(sends);
      assert.equal(new Set(results.map((r) => r.messageId)).size, 25);
      await delay(50);
      assert.ok(!warnings.includes('MaxListenersExceededWarning'), warnings.join(', '));
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('refuses a wrong key, reports unauthorized and stops fast retries', async () => {
    const client = makeClient({ apiKey: 'wrong-key-0123456789' });
    const states = [];
    client.on('state', (s) => states.push(s.state));
    client.connect();
    await waitFor(() => client.state === 'unauthorized', 'unauthorized');
    await delay(800); // many fast-retry periods
    assert.equal(client.stats.unauthorizedAttempts, 1);
    assert.equal(states.filter((s) => s === 'connecting').length, 1);
    await assert.rejects(client.call('/account/contacts'), (err) => {
      assert.ok(err instanceof UnauthorizedError);
      assert.ok(!err.message.includes('wrong-key-0123456789'));
      return true;
    });
  });

  it('goes straight to unauthorized when the server ends an open socket over a revoked key (policy close)', async () => {
    // An account of its own: the suite's other tests keep the bot's key.
    const doomed = await emu.control.createAccount({ accountName: 'Soon revoked' });
    const client = makeClient({ apiKey: doomed.apiKey });
    await connected(client);
    const states = [];
    client.on('state', (s) => states.push(s.state));
    await emu.control.revokeKey(doomed.apiKey);
    await waitFor(() => client.state === 'unauthorized', 'unauthorized');
    await delay(300);
    assert.ok(!states.includes('connecting'), `no fast reconnect after the revocation: ${states.join(' > ')}`);
    assert.equal(client.stats.unauthorizedAttempts, 1);
  });

  it('detects a half-open socket with the heartbeat and reconnects', async () => {
    const client = makeClient();
    await connected(client);
    await emu.control.setPongs(false);
    await waitFor(() => client.stats.heartbeatTimeouts >= 1, 'the heartbeat to notice');
    await emu.control.setPongs(true);
    await waitFor(() => client.state === 'connected' && client.stats.connects >= 2, 'the reconnect');
  });

  it('reconnects after the server drops the socket and receives messages again', async () => {
    const client = makeClient();
    const received = [];
    client.on('message', (m) => received.push(m));
    await connected(client);
    await emu.control.dropSockets({});
    await waitFor(() => client.stats.drops === 1 && client.state === 'connected', 'the reconnect');
    await emu.control.sendAs({
      from: DEMO.alice,
      to: { recipientId: DEMO.bot },
      dataComponent: { dataComponentType: 'text', text: 'after the drop' },
    });
    await waitFor(() => received.length === 1, 'the message');
    assert.equal(received[0].featureType, 'p2p');
    assert.equal(received[0].senderId, DEMO.alice);
    assert.equal(received[0].dataComponent.text, 'after the drop');
  });

  it('skips malformed frames, ignores unknown events and keeps going', async () => {
    const client = makeClient();
    const received = [];
    client.on('message', (m) => received.push(m));
    await connected(client);
    for (const frame of [
      'not json at all',
      '[1, 2, 3]',
      JSON.stringify({ eventType: 'SomethingNew', eventBody: { x: 1 } }),
      JSON.stringify({ eventType: 'MessageReceived', featureType: 'p2p', eventBody: { messageId: 'm1' } }),
      JSON.stringify({ eventType: 'Response', requestId: 'nobody-asked', eventBody: { success: true } }),
      JSON.stringify({ eventType: 'MessageReceived', featureType: 'hologram', eventBody: { messageId: 'm2' } }),
    ]) {
      await emu.control.injectFrame({ accountId: DEMO.bot, frame });
    }
    await emu.control.sendAs({
      from: DEMO.alice,
      to: { recipientId: DEMO.bot },
      dataComponent: { dataComponentType: 'text', text: 'still here' },
    });
    await waitFor(() => received.length === 1, 'the valid message');
    assert.equal(client.stats.malformedFrames, 3);
    assert.equal(client.stats.ignoredEvents, 3, 'an unknown event type, an unasked answer, an unknown featureType');
    assert.equal(client.state, 'connected');
  });

  it('accepts unknown fields in events (forward compatible)', async () => {
    const client = makeClient();
    const received = [];
    client.on('message', (m) => received.push(m));
    await connected(client);
    const frame = {
      eventType: 'MessageReceived',
      featureType: 'groupchat',
      domain: 'somewhere',
      eventBody: {
        messageId: 'm-extra',
        senderId: DEMO.alice,
        receivedOn: 1700562656,
        groupChatId: DEMO.family,
        futureField: { nested: true },
        dataComponent: { dataComponentType: 'text', text: 'hi', futureFlag: 1 },
      },
    };
    await emu.control.injectFrame({ accountId: DEMO.bot, frame: JSON.stringify(frame) });
    await waitFor(() => received.length === 1, 'the message');
    assert.equal(received[0].groupChatId, DEMO.family);
    assert.equal(received[0].dataComponent.text, 'hi');
  });

  it('checks input before sending anything', async () => {
    const client = makeClient();
    await assert.rejects(client.call('/not/documented'), InvalidInputError);
    await assert.rejects(
      client.call('/communication/p2p/message/send', { dataComponent: { dataComponentType: 'text', text: 'x' } }),
      /recipientId/,
    );
    await assert.rejects(client.reply('p2p', 'm1', { dataComponentType: 'html', html: '<b>x</b>' }), InvalidInputError);
    await assert.rejects(client.react('channel', 'm1', '👍'), /no "react" for channels/);
    assert.equal((await emu.control.requests()).length, 0);
  });

  it('closes promptly even when the server no longer answers (redeploys never hang)', async () => {
    const client = makeClient();
    await connected(client);
    await emu.control.setPongs(false);
    await emu.control.setDelay(5000);
    const started = Date.now();
    await client.close();
    assert.ok(Date.now() - started < 1500, `closed in ${Date.now() - started} ms`);
    assert.equal(client.state, 'closed');
  });

  it('refuses plain http and ws except on loopback', () => {
    assert.throws(() => new SemilimesClient({ apiKey: 'k', baseUrl: 'http://api.example.com' }), InvalidInputError);
    assert.throws(
      () => new SemilimesClient({ apiKey: 'k', baseUrl: 'https://api.example.com', wsUrl: 'ws://api.example.com/ws' }),
      InvalidInputError,
    );
    const local = new SemilimesClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' });
    assert.equal(local.wsUrl, 'ws://127.0.0.1:1/service/ws');
    const remote = new SemilimesClient({ apiKey: 'k' });
    assert.equal(remote.wsUrl, 'wss://api.semilimes.net/service/ws');
    return Promise.all([local.close(), remote.close()]);
  });
});

describe('client against an emulator that compresses its WebSocket frames', function () {
  let emu;
  before(async () => {
    emu = await startEmulator({ port: 0, compress: true });
  });
  after(() => emu.close());

  it('the emulator compresses for a client that accepts it; ours declines and still sends and receives', async () => {
    const WebSocket = require('ws');
    const raw = new WebSocket(emu.wsUrl, { headers: { Authorization: `Bearer ${keyOf(emu, DEMO.bot)}` } });
    await new Promise((resolve, reject) => raw.once('open', resolve).once('error', reject));
    assert.match(raw.extensions, /permessage-deflate/, 'a client that offers it gets compressed frames');
    raw.close();

    const client = new SemilimesClient({ apiKey: keyOf(emu, DEMO.bot), baseUrl: emu.url, ...FAST_CLIENT });
    try {
      const received = [];
      client.on('message', (m) => received.push(m));
      client.connect();
      await waitFor(() => client.state === 'connected', 'the WebSocket to connect');
      const sent = await client.send({ kind: 'p2p', id: DEMO.alice }, 'plain frames');
      assert.ok(sent.messageId);
      await emu.control.sendAs({
        from: DEMO.alice,
        to: { recipientId: DEMO.bot },
        dataComponent: { dataComponentType: 'text', text: 'back' },
      });
      await waitFor(() => received.length === 1, 'the message from Alice');
      const requests = (await emu.control.requests()).filter((r) => r.path === '/communication/p2p/message/send');
      assert.deepEqual(
        requests.map((r) => r.transport),
        ['ws'],
      );
    } finally {
      await client.close();
    }
  });
});
