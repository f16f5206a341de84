'use strict';
// Pieces of the client library that need no server.
const assert = require('node:assert/strict');
const documented = require('../fixtures/documented-endpoints.json');
const {
  ENDPOINTS,
  findEndpoint,
  messagingPath,
  Backoff,
  parseInbound,
  readFormSubmission,
  messageIdOf,
  resolveUrls,
} = require('../../dist/semilimes');
const { parseRetryAfter } = require('../../dist/semilimes/rest');
const { buildUrlPath, splitInput } = require('../../dist/semilimes/request-input');
const { unwrapHttp, unwrapResponse } = require('../../dist/semilimes/envelope');
const { connectionError } = require('../../dist/semilimes/http');
const semilimes = require('../../dist/semilimes');

describe('endpoint table', () => {
  it('lists exactly the documented endpoints, with their methods and WebSocket support', () => {
    const ours = ENDPOINTS.map((e) => `${e.method} ${e.path} ws=${e.websocket}`).sort();
    const docs = documented.map((e) => `${e.method} ${e.path} ws=${e.websocket}`).sort();
    assert.deepEqual(ours, docs);
  });

  it('has no duplicate paths and every parameter is described', () => {
    assert.equal(new Set(ENDPOINTS.map((e) => e.path)).size, ENDPOINTS.length);
    for (const e of ENDPOINTS) for (const p of e.params) assert.ok(p.description, `${e.path} ${p.name}`);
  });

  it('knows which messaging actions exist per kind of chat', () => {
    assert.equal(messagingPath('p2p', 'reply'), '/communication/p2p/message/reply');
    assert.equal(messagingPath('groupchat', 'typing'), '/communication/groupchat/signal/typing');
    assert.equal(messagingPath('channel', 'update'), '/communication/channel/message/update');
    assert.equal(messagingPath('channel', 'react'), undefined);
    assert.equal(messagingPath('channel', 'typing'), undefined);
  });

  it('splits flat input into URL parameters and body, and renders paths', () => {
    const del = findEndpoint('/apikey/{key_id}');
    const parts = splitInput(del, { key_id: 42 });
    assert.equal(buildUrlPath(del, parts.parameters), '/apikey/42');
    const search = findEndpoint('/communication/channel');
    assert.equal(
      buildUrlPath(search, splitInput(search, { title: 'a b&c' }).parameters),
      '/communication/channel?title=a+b%26c',
    );
    const list = findEndpoint('/communication/groupchat');
    assert.equal(buildUrlPath(list, { recipientIds: ['x', 'y'] }), '/communication/groupchat?recipientIds=x%2Cy');
    const send = findEndpoint('/communication/p2p/message/send');
    assert.deepEqual(
      splitInput(send, { recipientId: 'r', dataComponent: { dataComponentType: 'text', text: 't' } }).parameters,
      {},
    );
    assert.throws(() => splitInput(send, { recipientId: 'r' }), /dataComponent/);
    // Own fields only, and the same split however often an endpoint is used (its parameter names are kept).
    assert.throws(() => splitInput(del, Object.create({ key_id: 42 })), /key_id/);
    for (let i = 0; i < 3; i++)
      assert.deepEqual(splitInput(del, { key_id: i, extra: 'x' }), { parameters: { key_id: i }, body: { extra: 'x' } });
  });
});

describe('named paths', () => {
  it('reads each kind of chat from a documented list and history, keyed by the field that names a conversation', () => {
    for (const kind of semilimes.CHAT_KINDS) {
      const { list, history } = semilimes.CONVERSATION_PATHS[kind];
      assert.equal(findEndpoint(list)?.method, 'GET', list);
      const idField = semilimes.DESTINATION_FIELD[kind];
      const param = findEndpoint(history)?.params.find((p) => p.name === idField);
      assert.ok(param, `${history} takes ${idField}`);
      // The same field names the conversation when sending to it.
      const send = findEndpoint(messagingPath(kind, 'send'));
      assert.ok(
        send.params.some((p) => p.name === idField),
        `${kind} send takes ${idField}`,
      );
    }
  });

  it('names only documented paths', () => {
    for (const [name, path] of Object.entries(semilimes.PATHS)) {
      assert.equal(semilimes.endpointAt(path)?.path, path, name);
    }
  });
});

describe('answers and their errors', () => {
  const ok = (data) => ({ success: true, statusCode: 200, error: null, data });
  const failed = (statusCode, error) => ({ success: false, statusCode, error, data: null });

  it('turns a failed answer into the same error over REST and the WebSocket', () => {
    for (const [status, kind, code] of [
      [401, semilimes.UnauthorizedError, 'UNAUTHORIZED'],
      [403, semilimes.UnauthorizedError, 'UNAUTHORIZED'],
      [429, semilimes.RateLimitError, 'RATE_LIMITED'],
      [404, semilimes.ApiError, 'API_ERROR'],
      [503, semilimes.ApiError, 'API_ERROR'],
    ]) {
      const body = failed(status, 'no');
      const overWs = unwrapResponse('/x', body).error;
      assert.throws(
        () => unwrapHttp('/x', status, body, JSON.stringify(body)),
        (err) => err instanceof kind && err.code === code && err.status === status && err.message === overWs.message,
        `HTTP ${status}`,
      );
      assert.ok(overWs instanceof kind && overWs.code === code, `WebSocket ${status}`);
      // An envelope with success:false inside HTTP 200 means what its statusCode says.
      assert.throws(
        () => unwrapHttp('/x', 200, body, ''),
        (err) => err instanceof kind && err.code === code,
      );
    }
    assert.deepEqual(unwrapResponse('/x', ok({ a: 1 })), { data: { a: 1 } });
    assert.deepEqual(unwrapHttp('/x', 200, ok({ a: 1 }), ''), { a: 1 });
  });

  it('words an answer that is not the envelope, or an error page, from what came', () => {
    assert.throws(() => unwrapHttp('/x', 200, { a: 1 }, '{"a":1}'), /not the documented envelope/);
    assert.throws(() => unwrapHttp('/x', 502, undefined, '<html>Bad gateway</html>'), /HTTP 502\): <html>Bad gateway/);
    assert.match(unwrapResponse('/x', undefined).error.message, /the request failed/);
  });

  it('tells "never sent" from "may have been carried out" for failures of the connection itself', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']) {
      const err = connectionError('/x', Object.assign(new Error('boom'), { code }));
      assert.ok(err instanceof semilimes.NotSentError, code);
      assert.ok(semilimes.isNotSent(err), code);
    }
    const reset = connectionError('/x', Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    assert.equal(reset.code, 'OUTCOME_UNKNOWN');
    assert.ok(semilimes.isOutcomeUnknown(reset));
    const idle = Object.assign(new Error('slow'), { code: 'UND_ERR_BODY_TIMEOUT' });
    assert.equal(connectionError('/x', idle, 5000).code, 'TIMEOUT');
    assert.equal(connectionError('/x', idle).code, 'OUTCOME_UNKNOWN', 'no idle limit was set, so it is not ours');
    assert.ok(reset instanceof semilimes.ClientError, 'every client error extends the core base');
  });
});

describe('backoff', () => {
  const now = { t: 0 };
  const clock = () => now.t;

  it('grows exponentially with jitter inside its band, and caps', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5, stableMs: 10_000 }, () => 1, clock);
    assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 800, 1000, 1000]);
    const low = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5, stableMs: 10_000 }, () => 0, clock);
    assert.deepEqual([low.next(), low.next()], [50, 100]);
  });

  it('resets only after a stable connection', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0, stableMs: 5000 }, () => 0, clock);
    b.next();
    b.next();
    b.connected();
    now.t += 1000;
    b.disconnected();
    assert.equal(b.next(), 400, 'a short-lived connection does not reset');
    b.connected();
    now.t += 6000;
    b.disconnected();
    assert.equal(b.next(), 100, 'a stable connection resets');
  });
});

describe('inbound events', () => {
  const doc = require('../fixtures/inbound-events.json');

  it('reads each documented MessageReceived example', () => {
    for (const [kind, frame] of Object.entries(doc)) {
      const message = parseInbound(frame);
      assert.ok(message, kind);
      assert.equal(message.featureType, frame.featureType);
      assert.equal(message.messageId, frame.eventBody.messageId);
      assert.equal(message.senderId, frame.eventBody.senderId);
      assert.equal(message.receivedOn, frame.eventBody.receivedOn);
      assert.equal(message.groupChatId, frame.eventBody.groupChatId);
      assert.equal(message.channelId, frame.eventBody.channelId);
    }
  });

  it('refuses frames a flow could not use', () => {
    const base = doc.groupchat;
    assert.equal(parseInbound({ ...base, featureType: 'elsewhere' }), undefined);
    assert.equal(parseInbound({ ...base, eventBody: { ...base.eventBody, groupChatId: undefined } }), undefined);
    assert.equal(parseInbound({ ...base, eventBody: { ...base.eventBody, dataComponent: 'text' } }), undefined);
    assert.equal(parseInbound(null), undefined);
  });

  it('reads a form submission as {refName: value}', () => {
    const submission = readFormSubmission({
      dataComponentType: 'formsubmission',
      replyTo: { messageId: 'form-1', refName: 'lamp' },
      submitterId: 'alice',
      formComponents: [
        { refName: 'power', formComponentType: 'switch', value: true },
        { refName: 'level', formComponentType: 'slider', value: 40 },
        { formComponentType: 'label', title: 'no refName' },
        { refName: 'untouched', formComponentType: 'textbox' },
      ],
    });
    assert.deepEqual(submission, {
      messageId: 'form-1',
      refName: 'lamp',
      submitterId: 'alice',
      values: { power: true, level: 40, untouched: null },
    });
  });

  it('finds the message id in every documented messaging answer', () => {
    assert.equal(messageIdOf({ recipientId: 'r', sentMessage: { messageId: 's' } }), 's');
    assert.equal(messageIdOf({ updatedMessage: { messageId: 'u' } }), 'u');
    assert.equal(messageIdOf({ messageId: 'cited', sentReply: { messageId: 'reply' } }), 'reply');
    assert.equal(messageIdOf({ messageId: 'm', addedReaction: '👍' }), 'm');
    assert.equal(messageIdOf({}), undefined);
  });
});

describe('retry-after and URLs', () => {
  it('parses seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4000), 6000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  it('derives the WebSocket address under a base path', () => {
    assert.equal(resolveUrls('https://example.net/api/').wsUrl, 'wss://example.net/api/service/ws');
    assert.equal(resolveUrls('http://[::1]:8127').wsUrl, 'ws://[::1]:8127/service/ws');
  });
});
