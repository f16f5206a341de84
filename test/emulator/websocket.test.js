'use strict';
// The WebSocket transport: request/response correlation, refusals, tolerance of garbage, heartbeat.
const assert = require('node:assert/strict');
const { startEmulator, DEMO_IDS, openWs, keyOf, text, sleep } = require('./helpers');

describe('emulator: WebSocket transport', function () {
  let emu;
  let bot;
  beforeEach(async function () {
    emu = await startEmulator({ port: 0 });
    bot = await openWs(emu, keyOf(emu, DEMO_IDS.bot));
  });
  afterEach(async function () {
    bot.close();
    await emu.close();
  });

  const rawSend = (frame) => bot.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  const responseTo = (requestId) => bot.next((f) => f.eventType === 'Response' && f.requestId === requestId);

  it('correlates concurrent requests by requestId', async function () {
    const [a, b, c] = await Promise.all([
      bot.request('/communication/p2p', { requestId: 'A' }),
      bot.request('/communication/groupchat', { requestId: 'B' }),
      bot.request('/communication/channel/my', { requestId: 'C' }),
    ]);
    assert.equal(a.requestId, 'A');
    assert.ok(Array.isArray(a.eventBody.data));
    assert.equal(b.eventBody.data[0].groupChatId, DEMO_IDS.familyGroupChat);
    assert.equal(c.eventBody.data[0].channelId, DEMO_IDS.homeNewsChannel);
  });

  it('sends over WebSocket with the documented body and answers with the sent message', async function () {
    const res = await bot.request('/communication/p2p/message/send', {
      body: { recipientId: DEMO_IDS.alice, dataComponent: text('via ws') },
    });
    assert.deepEqual(Object.keys(res.eventBody).sort(), ['data', 'error', 'success']);
    assert.equal(res.eventBody.success, true);
    assert.equal(res.eventBody.error, null);
    assert.equal(res.eventBody.data.sentMessage.dataComponent.text, 'via ws');
    assert.equal(emu.control.messages({ chat: { between: [DEMO_IDS.bot, DEMO_IDS.alice] } }).length, 1);
  });

  it('reads typed parameters (booleans, numbers) from the frame', async function () {
    emu.control.sendAs({ from: DEMO_IDS.alice, to: { recipientId: DEMO_IDS.bot }, dataComponent: text('1') });
    emu.control.sendAs({ from: DEMO_IDS.alice, to: { recipientId: DEMO_IDS.bot }, dataComponent: text('2') });
    const res = await bot.request('/communication/p2p/message', {
      parameters: { recipientId: DEMO_IDS.alice, limit: 1 },
    });
    assert.deepEqual(
      res.eventBody.data.messages.map((m) => m.dataComponent.text),
      ['2'],
    );
    const owner = await bot.request('/communication/channel/my', { parameters: { owner: true } });
    assert.equal(owner.eventBody.data.length, 1);
  });

  it('answers success:false with the reason for invalid requests', async function () {
    const res = await bot.request('/communication/p2p/message/send', { body: { recipientId: DEMO_IDS.alice } });
    assert.equal(res.eventBody.success, false);
    assert.match(res.eventBody.error, /dataComponent/);
    assert.equal(res.eventBody.data, null);
  });

  it('refuses endpoints without a documented WebSocket section', async function () {
    for (const requestType of ['/account/my', '/service/tunnel', '/apikey/~validate', '/service/file/upload']) {
      const res = await bot.request(requestType);
      assert.equal(res.eventBody.success, false, requestType);
      assert.match(res.eventBody.error, /not supported over WebSocket/);
    }
  });

  it('refuses unknown request types', async function () {
    const res = await bot.request('/communication/nothing');
    assert.equal(res.eventBody.success, false);
    assert.match(res.eventBody.error, /\/communication\/nothing/);
  });

  it('answers a JSON frame without requestType with success:false', async function () {
    rawSend({ requestId: 'no-type', version: '2' });
    const res = await responseTo('no-type');
    assert.equal(res.eventBody.success, false);
    assert.match(res.eventBody.error, /requestType/);
  });

  it('requires version "2" and a requestId', async function () {
    rawSend({ requestId: 'v1', requestType: '/communication/p2p', version: '1' });
    assert.match((await responseTo('v1')).eventBody.error, /version/);
    rawSend({ requestType: '/communication/p2p', version: '2' });
    const res = await bot.next((f) => f.eventType === 'Response' && f.requestId === null);
    assert.match(res.eventBody.error, /requestId/);
  });

  it('ignores non-JSON frames, counts them, and keeps serving', async function () {
    rawSend('this is not json');
    rawSend('{broken');
    const res = await bot.request('/communication/p2p');
    assert.equal(res.eventBody.success, true);
    assert.equal(bot.frames.filter((f) => f.eventType === 'Response').length, 1, 'no answer to the garbage');
    assert.equal(emu.control.connections().find((c) => c.accountId === DEMO_IDS.bot).nonJsonFrames, 2);
  });

  it('answers pings and counts them per account', async function () {
    const pong = new Promise((resolve) => bot.ws.once('pong', (data) => resolve(data.toString())));
    bot.ws.ping('beat');
    assert.equal(await pong, 'beat');
    assert.equal(emu.control.connections().find((c) => c.accountId === DEMO_IDS.bot).pingsReceived, 1);
  });

  it('does not answer pings after setPongs(false) (half-open socket), and resumes with setPongs(true)', async function () {
    emu.control.setPongs(false);
    let pongs = 0;
    bot.ws.on('pong', () => pongs++);
    bot.ws.ping();
    await sleep(150);
    assert.equal(pongs, 0);
    assert.equal(emu.control.connections()[0].pingsReceived, 1);
    emu.control.setPongs(true);
    bot.ws.ping();
    await sleep(150);
    assert.equal(pongs, 1);
  });

  it('logs WebSocket requests with transport ws', async function () {
    await bot.request('/communication/groupchat', {
      parameters: { recipientIds: DEMO_IDS.alice },
      requestId: 'logged',
    });
    const entry = emu.control.requests().find((r) => r.requestId === 'logged');
    assert.equal(entry.transport, 'ws');
    assert.equal(entry.path, '/communication/groupchat');
    assert.deepEqual(entry.query, { recipientIds: DEMO_IDS.alice });
    assert.equal(entry.accountId, DEMO_IDS.bot);
    assert.equal(typeof entry.at, 'number');
  });
});
