'use strict';
// Authentication (REST and WebSocket upgrade), the error envelope, routing errors and request validation.
const assert = require('node:assert/strict');
const { startEmulator, DEMO_IDS, api, openWs, upgradeStatus, keyOf, text } = require('./helpers');

describe('emulator: authentication and envelope', function () {
  let emu;
  let botKey;
  before(async function () {
    emu = await startEmulator({ port: 0 });
    botKey = keyOf(emu, DEMO_IDS.bot);
  });
  after(() => emu.close());

  function assertErrorEnvelope(res, status) {
    assert.equal(res.status, status);
    assert.equal(res.json.success, false);
    assert.equal(res.json.statusCode, status);
    assert.equal(typeof res.json.error, 'string');
    assert.ok(res.json.error.length > 0);
    assert.equal(res.json.data, null);
  }

  describe('REST authentication', function () {
    it('answers 401 with the error envelope without an Authorization header', async function () {
      assertErrorEnvelope(await api(emu, null, 'GET', '/account/my'), 401);
    });
    it('answers 401 for an unknown key', async function () {
      assertErrorEnvelope(await api(emu, 'not-a-key', 'GET', '/account/my'), 401);
    });
    it('answers 401 for a header that is not "Bearer <key>"', async function () {
      assertErrorEnvelope(await api(emu, null, 'GET', '/account/my', { headers: { Authorization: botKey } }), 401);
    });
    it('answers 401 before routing, even for unknown paths', async function () {
      assertErrorEnvelope(await api(emu, null, 'GET', '/nope'), 401);
    });
    it('accepts each seeded key as its own account', async function () {
      for (const account of emu.accounts) {
        const res = await api(emu, account.apiKey, 'GET', '/account/my');
        assert.equal(res.json.data.currentAccount.accountId, account.accountId);
      }
    });
    it('uses keys given in options.apiKeys', async function () {
      const fixed = await startEmulator({ port: 0, apiKeys: { [DEMO_IDS.alice]: 'alice-fixed-key' } });
      try {
        assert.equal(keyOf(fixed, DEMO_IDS.alice), 'alice-fixed-key');
        const res = await api(fixed, 'alice-fixed-key', 'GET', '/account/my');
        assert.equal(res.json.data.currentAccount.accountName, 'Alice');
      } finally {
        await fixed.close();
      }
    });
    it('generates random base64url keys per start', async function () {
      const other = await startEmulator({ port: 0 });
      try {
        assert.match(botKey, /^[A-Za-z0-9_-]{32}$/);
        assert.notEqual(keyOf(other, DEMO_IDS.bot), botKey);
      } finally {
        await other.close();
      }
    });
  });

  describe('WebSocket upgrade authentication', function () {
    it('refuses an upgrade without a key with HTTP 401', async function () {
      assert.equal(await upgradeStatus(emu), 401);
    });
    it('refuses an unknown key with HTTP 401', async function () {
      assert.equal(await upgradeStatus(emu, { Authorization: 'Bearer wrong' }), 401);
    });
    it('does not accept the key as a query parameter', async function () {
      const status = await new Promise((resolve) => {
        const WebSocket = require('ws');
        const ws = new WebSocket(`${emu.wsUrl}?apiKey=${botKey}`);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
        ws.on('open', () => {
          ws.terminate();
          resolve(101);
        });
        ws.on('error', () => {});
      });
      assert.equal(status, 401);
    });
    it('refuses other paths with 404', async function () {
      assert.equal(await upgradeStatus(emu, { Authorization: `Bearer ${botKey}` }, '/wsclient'), 404);
    });
    it('accepts a valid key on /service/ws', async function () {
      const client = await openWs(emu, botKey);
      assert.equal(emu.control.connections().find((c) => c.accountId === DEMO_IDS.bot).open, 1);
      client.close();
    });
  });

  describe('envelope and routing', function () {
    it('answers success with HTTP 200, statusCode null and error null', async function () {
      const res = await api(emu, botKey, 'GET', '/account/contacts');
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.json).sort(), ['data', 'error', 'statusCode', 'success']);
      assert.equal(res.json.success, true);
      assert.equal(res.json.statusCode, null);
      assert.equal(res.json.error, null);
      assert.match(res.headers.get('content-type'), /application\/json/);
    });
    it('answers 404 for an unknown endpoint', async function () {
      assertErrorEnvelope(await api(emu, botKey, 'GET', '/communication/nothing'), 404);
    });
    it('answers 405 with Allow for a documented path with the wrong method', async function () {
      const res = await api(emu, botKey, 'POST', '/communication/p2p/message', {
        body: { recipientId: DEMO_IDS.alice },
      });
      assertErrorEnvelope(res, 405);
      assert.equal(res.headers.get('allow'), 'GET');
    });
    it('answers 400 for malformed JSON', async function () {
      const res = await api(emu, botKey, 'POST', '/communication/p2p/message/send', { body: '{"recipientId":' });
      assertErrorEnvelope(res, 400);
      assert.match(res.json.error, /JSON/);
    });
    it('answers 400 for a body that is not an object', async function () {
      assertErrorEnvelope(await api(emu, botKey, 'POST', '/communication/p2p/message/send', { body: [] }), 400);
    });
    it('answers 400 naming a missing field', async function () {
      const res = await api(emu, botKey, 'POST', '/communication/p2p/message/send', {
        body: { dataComponent: text('x') },
      });
      assertErrorEnvelope(res, 400);
      assert.match(res.json.error, /recipientId/);
    });
    it('answers 400 for a missing required query parameter', async function () {
      const res = await api(emu, botKey, 'GET', '/communication/p2p/message');
      assertErrorEnvelope(res, 400);
      assert.match(res.json.error, /recipientId/);
    });
    it('reads booleans only as "true" / "false"', async function () {
      const res = await api(emu, botKey, 'GET', '/communication/channel/my', { query: { owner: 'yes' } });
      assertErrorEnvelope(res, 400);
      assert.match(res.json.error, /owner/);
    });
    it('URL-decodes query parameters', async function () {
      const created = await api(emu, botKey, 'POST', '/communication/channel/create', {
        body: { title: 'Caf\u00e9 & news?' },
      });
      const res = await api(emu, botKey, 'GET', '/communication/channel', { query: { title: 'Caf\u00e9 & news?' } });
      assert.deepEqual(
        res.json.data.map((c) => c.channelId),
        [created.json.data.createdChannel.channelId],
      );
    });
  });

  describe('data component validation', function () {
    const send = (dataComponent) =>
      api(emu, botKey, 'POST', '/communication/p2p/message/send', {
        body: { recipientId: DEMO_IDS.alice, dataComponent },
      });
    it('requires dataComponent', async function () {
      const res = await api(emu, botKey, 'POST', '/communication/p2p/message/send', {
        body: { recipientId: DEMO_IDS.alice },
      });
      assertErrorEnvelope(res, 400);
      assert.match(res.json.error, /dataComponent/);
    });
    it('requires dataComponentType', async function () {
      const res = await send({ text: 'no type' });
      assertErrorEnvelope(res, 400);
      assert.match(res.json.error, /dataComponentType/);
    });
    it('refuses unknown types and lists the documented ones', async function () {
      const res = await send({ dataComponentType: 'sticker' });
      assertErrorEnvelope(res, 400);
      assert.match(res.json.error, /sticker/);
      assert.match(res.json.error, /appointment/);
    });
    it('refuses formsubmission from a client', async function () {
      assertErrorEnvelope(await send({ dataComponentType: 'formsubmission', formComponents: [] }), 400);
    });
    it('requires a string text for text and a string html for html', async function () {
      assert.match((await send({ dataComponentType: 'text' })).json.error, /text/);
      assert.match((await send({ dataComponentType: 'text', text: 42 })).json.error, /text/);
      assert.match((await send({ dataComponentType: 'html', text: '<b>x</b>' })).json.error, /html/);
    });
    it('refuses a non-boolean options.silent', async function () {
      const res = await api(emu, botKey, 'POST', '/communication/p2p/message/send', {
        body: { recipientId: DEMO_IDS.alice, options: { silent: 'no' }, dataComponent: text('x') },
      });
      assertErrorEnvelope(res, 400);
      assert.match(res.json.error, /silent/);
    });
  });
});
