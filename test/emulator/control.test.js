'use strict';
// The control API, in process and over HTTP under /_emulator/, and the faults it injects.
const assert = require('node:assert/strict');
const { startEmulator, DEMO_IDS, api, ok, control, openWs, upgradeStatus, keyOf, text, sleep } = require('./helpers');

const { bot: BOT, alice: ALICE, bob: BOB, familyGroupChat: FAMILY, homeNewsChannel: HOME_NEWS } = DEMO_IDS;

describe('emulator: control API', function () {
  let emu;
  let botKey;
  beforeEach(async function () {
    emu = await startEmulator({ port: 0 });
    botKey = keyOf(emu, BOT);
  });
  afterEach(() => emu.close());

  describe('seed', function () {
    it('creates the demo accounts, contacts, group chat and channel with fixed ids', async function () {
      assert.deepEqual(
        emu.accounts.map((a) => [a.accountId, a.accountName, a.role]),
        [
          [BOT, 'Node-RED Bot', 'bot'],
          [ALICE, 'Alice', 'user'],
          [BOB, 'Bob', 'user'],
        ],
      );
      assert.deepEqual(await ok(emu, botKey, 'GET', '/account/contacts'), [
        { accountId: ALICE, accountName: 'Alice', contactStatus: 'CONFIRMED' },
        { accountId: BOB, accountName: 'Bob', contactStatus: 'CONFIRMED' },
      ]);
      const groups = await ok(emu, keyOf(emu, BOB), 'GET', '/communication/groupchat');
      assert.deepEqual(groups.map((g) => [g.groupChatId, g.title, g.recipientIds.length]), [[FAMILY, 'Family', 3]]);
      const channels = await ok(emu, keyOf(emu, ALICE), 'GET', '/communication/channel/my');
      assert.deepEqual(channels.map((c) => [c.channelId, c.title, c.ownerId, c.role]), [[HOME_NEWS, 'Home news', BOT, 'Editor']]);
    });

    it("'empty' creates nothing", async function () {
      const empty = await startEmulator({ port: 0, seed: 'empty' });
      try {
        assert.deepEqual(empty.accounts, []);
        assert.deepEqual((await control(empty, 'GET', '/accounts')).json, []);
      } finally {
        await empty.close();
      }
    });

    it('exposes url and wsUrl on loopback', function () {
      assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(emu.wsUrl, `${emu.url.replace('http', 'ws')}/service/ws`);
    });
  });

  describe('acting as users', function () {
    it('accounts / createAccount work in process and over HTTP; the new key works', async function () {
      const viaHttp = await control(emu, 'POST', '/accounts', { accountName: 'Dora' });
      assert.equal(viaHttp.status, 200);
      assert.equal(viaHttp.json.accountName, 'Dora');
      const me = await ok(emu, viaHttp.json.apiKey, 'GET', '/account/my');
      assert.equal(me.currentAccount.accountId, viaHttp.json.accountId);
      assert.ok((await control(emu, 'GET', '/accounts')).json.some((a) => a.accountName === 'Dora'));
      const bad = await control(emu, 'POST', '/accounts', {});
      assert.equal(bad.status, 400);
    });

    it('sendAs over HTTP stores the message and returns it', async function () {
      const res = await control(emu, 'POST', '/send', { from: BOB, to: { groupChatId: FAMILY }, dataComponent: text('hi') });
      assert.equal(res.status, 200);
      assert.equal(res.json.publisherId, BOB);
      assert.equal(res.json.featureType, 'groupchat');
      const list = await ok(emu, botKey, 'GET', '/communication/groupchat/message', { query: { groupChatId: FAMILY } });
      assert.deepEqual(list.messages.map((m) => m.messageId), [res.json.messageId]);
      const invalid = await control(emu, 'POST', '/send', { from: BOB, to: { groupChatId: FAMILY }, dataComponent: { dataComponentType: 'text' } });
      assert.equal(invalid.status, 400);
      const unknown = await control(emu, 'POST', '/send', { from: 'ghost', to: { recipientId: BOT }, dataComponent: text('x') });
      assert.equal(unknown.status, 404);
    });

    it('messages() filters by chat, in process and over HTTP', async function () {
      emu.control.sendAs({ from: ALICE, to: { recipientId: BOT }, dataComponent: text('p2p') });
      emu.control.sendAs({ from: ALICE, to: { groupChatId: FAMILY }, dataComponent: text('group') });
      emu.control.sendAs({ from: BOT, to: { channelId: HOME_NEWS }, dataComponent: text('news') });
      assert.equal(emu.control.messages().length, 3);
      assert.deepEqual(emu.control.messages({ chat: { between: [BOT, ALICE] } }).map((m) => m.dataComponent.text), ['p2p']);
      assert.deepEqual(emu.control.messages({ chat: { channelId: HOME_NEWS } }).map((m) => m.dataComponent.text), ['news']);
      const http = await control(emu, 'GET', `/messages?groupChatId=${FAMILY}`);
      assert.deepEqual(http.json.map((m) => m.dataComponent.text), ['group']);
      const between = await control(emu, 'GET', `/messages?between=${ALICE},${BOT}`);
      assert.deepEqual(between.json.map((m) => m.dataComponent.text), ['p2p']);
      const bob = await control(emu, 'GET', `/messages?accountId=${BOB}`);
      assert.deepEqual(bob.json.map((m) => m.dataComponent.text).sort(), ['group', 'news']);
    });

    it('returns copies: changing a returned message does not change the stored one', function () {
      const m = emu.control.sendAs({ from: ALICE, to: { recipientId: BOT }, dataComponent: text('original') });
      m.dataComponent.text = 'changed';
      assert.equal(emu.control.messages()[0].dataComponent.text, 'original');
    });

    it('lists the chats an account can see (for the web page)', async function () {
      const res = await control(emu, 'GET', `/chats?accountId=${ALICE}`);
      assert.deepEqual(res.json.map((c) => [c.featureType, c.title, c.canPost]), [
        ['p2p', 'Node-RED Bot', true],
        ['p2p', 'Bob', true],
        ['groupchat', 'Family', true],
        ['channel', 'Home news', true],
      ]);
    });
  });

  describe('submitForm', function () {
    const form = (receiver) => ({
      dataComponentType: 'form',
      refName: 'order',
      ...(receiver ? { receiver } : {}),
      formComponents: [
        { refName: 'dish', formComponentType: 'singlechoice', title: 'Dish', requiredSelection: true, options: [{ name: 'pizza', value: 'Pizza' }] },
        { refName: 'note', formComponentType: 'textbox', title: 'Note', value: 'none' },
        { refName: 'secret', formComponentType: 'hiddenvalue', value: 'table-7' },
      ],
    });

    async function sendForm(receiver, to = { recipientId: ALICE }) {
      const path = to.groupChatId ? '/communication/groupchat/message/send' : '/communication/p2p/message/send';
      const data = await ok(emu, botKey, 'POST', path, { body: { ...to, dataComponent: form(receiver) } });
      return data.sentMessage.messageId;
    }

    it('without receiver goes back to the sender as p2p, with values filled', async function () {
      const bot = await openWs(emu, botKey);
      try {
        const messageId = await sendForm(null);
        const res = await control(emu, 'POST', '/submit-form', { from: ALICE, messageId, values: { dish: 'pizza' } });
        assert.equal(res.status, 200, JSON.stringify(res.json));
        const frame = await bot.next((f) => f.eventType === 'MessageReceived');
        assert.equal(frame.featureType, 'p2p');
        assert.equal(frame.eventBody.senderId, ALICE);
        const dc = frame.eventBody.dataComponent;
        assert.equal(dc.dataComponentType, 'formsubmission');
        assert.deepEqual(dc.replyTo, { messageId, refName: 'order' });
        assert.equal(dc.submitterId, ALICE);
        assert.deepEqual(dc.formComponents.map((c) => [c.refName, c.value]), [['dish', 'pizza'], ['note', 'none'], ['secret', 'table-7']]);
      } finally {
        bot.close();
      }
    });

    it('goes to a contact receiver as p2p from the submitter', async function () {
      const bob = await openWs(emu, keyOf(emu, BOB));
      try {
        const messageId = await sendForm({ id: BOB, featureType: 'contact' });
        emu.control.submitForm({ from: ALICE, messageId, values: { dish: 'pizza' } });
        const frame = await bob.next((f) => f.eventType === 'MessageReceived');
        assert.equal(frame.featureType, 'p2p');
        assert.equal(frame.eventBody.senderId, ALICE);
        assert.equal(frame.eventBody.dataComponent.submitterId, ALICE);
      } finally {
        bob.close();
      }
    });

    it('goes into a group chat receiver', async function () {
      const bot = await openWs(emu, botKey);
      try {
        const messageId = await sendForm({ id: FAMILY, featureType: 'groupchat' });
        emu.control.submitForm({ from: ALICE, messageId, values: { dish: 'pizza' } });
        const frame = await bot.next((f) => f.eventType === 'MessageReceived');
        assert.equal(frame.featureType, 'groupchat');
        assert.equal(frame.eventBody.groupChatId, FAMILY);
      } finally {
        bot.close();
      }
    });

    it('goes into a channel receiver', async function () {
      const bot = await openWs(emu, botKey);
      try {
        const messageId = await sendForm({ id: HOME_NEWS, featureType: 'channel' }, { groupChatId: FAMILY });
        emu.control.submitForm({ from: BOB, messageId, values: { dish: 'pizza' } });
        const frame = await bot.next((f) => f.eventType === 'MessageReceived');
        assert.equal(frame.featureType, 'channel');
        assert.equal(frame.eventBody.channelId, HOME_NEWS);
        assert.equal(frame.eventBody.dataComponent.submitterId, BOB);
      } finally {
        bot.close();
      }
    });

    it('refuses missing required values, unknown refNames, non-forms and outsiders', async function () {
      const messageId = await sendForm(null);
      assert.throws(() => emu.control.submitForm({ from: ALICE, messageId, values: {} }), /dish/);
      assert.throws(() => emu.control.submitForm({ from: ALICE, messageId, values: { dish: 'pizza', nope: 1 } }), /nope/);
      assert.throws(() => emu.control.submitForm({ from: BOB, messageId, values: { dish: 'pizza' } }), /did not receive/);
      const textId = emu.control.sendAs({ from: BOT, to: { recipientId: ALICE }, dataComponent: text('x') }).messageId;
      const res = await control(emu, 'POST', '/submit-form', { from: ALICE, messageId: textId, values: {} });
      assert.equal(res.status, 400);
      assert.match(res.json.error, /not a form/);
    });
  });

  describe('logs', function () {
    it('logs every authenticated REST request with its fields, and reset() clears the log', async function () {
      await api(emu, botKey, 'GET', '/communication/groupchat', { query: { recipientIds: `${ALICE},${BOB}` } });
      await api(emu, botKey, 'POST', '/communication/p2p/signal/typing', { body: { recipientId: ALICE } });
      await api(emu, 'bad-key', 'GET', '/account/my');
      const log = (await control(emu, 'GET', '/requests')).json;
      assert.equal(log.length, 2, 'the unauthenticated request is not logged');
      assert.deepEqual(
        { ...log[0], at: 0 },
        { transport: 'rest', method: 'GET', path: '/communication/groupchat', query: { recipientIds: `${ALICE},${BOB}` }, body: null, accountId: BOT, at: 0 },
      );
      assert.deepEqual(log[1].body, { recipientId: ALICE });
      assert.ok(Math.abs(log[1].at - Date.now()) < 5000, 'at is epoch milliseconds');
      assert.equal((await control(emu, 'GET', '/signals')).json.length, 1);
      await control(emu, 'POST', '/reset');
      assert.deepEqual(emu.control.requests(), []);
      assert.deepEqual(emu.control.signals(), []);
    });
  });

  describe('faults', function () {
    it('failNext answers the status with Retry-After over REST, then recovers', async function () {
      const res = await control(emu, 'POST', '/faults/fail-next', { count: 2, status: 429, retryAfter: 3 });
      assert.equal(res.json.pending[0].remaining, 2);
      for (let i = 0; i < 2; i++) {
        const failed = await api(emu, botKey, 'GET', '/account/my');
        assert.equal(failed.status, 429);
        assert.equal(failed.headers.get('retry-after'), '3');
        assert.deepEqual({ ...failed.json, error: 'x' }, { success: false, statusCode: 429, error: 'x', data: null });
      }
      assert.equal((await api(emu, botKey, 'GET', '/account/my')).status, 200);
    });

    it('failNext without retryAfter sends no Retry-After', async function () {
      emu.control.failNext({ count: 1, status: 500 });
      const failed = await api(emu, botKey, 'GET', '/account/my');
      assert.equal(failed.status, 500);
      assert.equal(failed.headers.get('retry-after'), null);
    });

    it('failNext transport ws fails WebSocket requests only; any fails both', async function () {
      const ws = await openWs(emu, botKey);
      try {
        emu.control.failNext({ count: 1, status: 503, transport: 'ws' });
        assert.equal((await api(emu, botKey, 'GET', '/account/my')).status, 200, 'REST untouched');
        const failed = await ws.request('/communication/p2p');
        assert.equal(failed.eventBody.success, false);
        assert.equal((await ws.request('/communication/p2p')).eventBody.success, true);
        emu.control.failNext({ count: 2, status: 500 });
        assert.equal((await ws.request('/communication/p2p')).eventBody.success, false);
        assert.equal((await api(emu, botKey, 'GET', '/account/my')).status, 500);
        emu.control.failNext({ count: 1, status: 500, transport: 'rest' });
        assert.equal((await ws.request('/communication/p2p')).eventBody.success, true, 'WebSocket untouched');
        assert.equal((await api(emu, botKey, 'GET', '/account/my')).status, 500);
      } finally {
        ws.close();
      }
    });

    it('failNext refuses a non-error status', async function () {
      assert.equal((await control(emu, 'POST', '/faults/fail-next', { status: 200 })).status, 400);
    });

    it('setDelay delays REST and WebSocket answers (the request still takes effect)', async function () {
      const ws = await openWs(emu, botKey);
      try {
        await control(emu, 'POST', '/faults/delay', { ms: 300 });
        let start = Date.now();
        await api(emu, botKey, 'POST', '/communication/p2p/message/send', { body: { recipientId: ALICE, dataComponent: text('slow') } });
        assert.ok(Date.now() - start >= 280, 'REST delayed');
        start = Date.now();
        await ws.request('/communication/p2p');
        assert.ok(Date.now() - start >= 280, 'WebSocket delayed');
        emu.control.setDelay(0);
        start = Date.now();
        await api(emu, botKey, 'GET', '/account/my');
        assert.ok(Date.now() - start < 250);
      } finally {
        ws.close();
      }
    });

    it('dropSockets terminates the sockets of one account without a close frame', async function () {
      const bot = await openWs(emu, botKey);
      const alice = await openWs(emu, keyOf(emu, ALICE));
      const closed = new Promise((resolve) => bot.ws.once('close', (code) => resolve(code)));
      const res = await control(emu, 'POST', '/faults/drop-sockets', { accountId: BOT });
      assert.deepEqual(res.json, { dropped: 1 });
      assert.equal(await closed, 1006, 'abnormal closure: no close frame');
      assert.equal(alice.ws.readyState, 1, 'Alice still connected');
      assert.equal(emu.control.dropSockets().dropped, 1);
      alice.close();
    });

    it('revokeKey makes REST answer 401, closes the sockets and refuses new upgrades', async function () {
      const bot = await openWs(emu, botKey);
      const closed = new Promise((resolve) => bot.ws.once('close', (code) => resolve(code)));
      const res = await control(emu, 'POST', '/faults/revoke-key', { apiKey: botKey });
      assert.equal(res.json.closedSockets, 1);
      assert.equal(await closed, 1008);
      assert.equal((await api(emu, botKey, 'GET', '/account/my')).status, 401);
      assert.equal(await upgradeStatus(emu, { Authorization: `Bearer ${botKey}` }), 401);
      assert.equal((await control(emu, 'POST', '/faults/revoke-key', { apiKey: 'unknown' })).status, 404);
    });

    it('setOffline answers REST with 503, refuses upgrades with 503 and drops sockets; back online works', async function () {
      const bot = await openWs(emu, botKey);
      const closed = new Promise((resolve) => bot.ws.once('close', resolve));
      const res = await control(emu, 'POST', '/faults/offline', { offline: true });
      assert.deepEqual(res.json, { offline: true, droppedSockets: 1 });
      await closed;
      const rest = await api(emu, botKey, 'GET', '/account/my');
      assert.equal(rest.status, 503);
      assert.equal(rest.json.statusCode, 503);
      assert.equal(await upgradeStatus(emu, { Authorization: `Bearer ${botKey}` }), 503);
      emu.control.setOffline(false);
      assert.equal((await api(emu, botKey, 'GET', '/account/my')).status, 200);
      (await openWs(emu, botKey)).close();
    });

    it('injectFrame writes any text to the account sockets', async function () {
      const bot = await openWs(emu, botKey);
      try {
        const res = await control(emu, 'POST', '/inject', { accountId: BOT, frame: 'not json at all' });
        assert.deepEqual(res.json, { sent: 1 });
        const raw = await bot.next((f) => f.raw === 'not json at all');
        assert.ok(raw);
        emu.control.injectFrame({ accountId: BOT, frame: { eventType: 'SomethingNew', x: 1 } });
        assert.equal((await bot.next((f) => f.eventType === 'SomethingNew')).x, 1);
        assert.deepEqual(emu.control.injectFrame({ accountId: ALICE, frame: 'x' }), { sent: 0 });
      } finally {
        bot.close();
      }
    });

    it('connections lists open sockets per account', async function () {
      const a = await openWs(emu, keyOf(emu, ALICE));
      const b = await openWs(emu, keyOf(emu, ALICE));
      const res = await control(emu, 'GET', '/connections');
      const alice = res.json.find((c) => c.accountId === ALICE);
      assert.equal(alice.open, 2);
      assert.equal(alice.accountName, 'Alice');
      a.close();
      b.close();
      await sleep(100);
      assert.equal(emu.control.connections().find((c) => c.accountId === ALICE).open, 0);
    });

    it('reset clears faults: failures, delay, offline, pongs', async function () {
      emu.control.failNext({ count: 5, status: 500 });
      emu.control.setDelay(1000);
      emu.control.setPongs(false);
      emu.control.setOffline(true);
      emu.control.reset();
      const start = Date.now();
      assert.equal((await api(emu, botKey, 'GET', '/account/my')).status, 200);
      assert.ok(Date.now() - start < 500);
      const ws = await openWs(emu, botKey);
      const pong = new Promise((resolve) => ws.ws.once('pong', resolve));
      ws.ws.ping();
      await pong;
      ws.close();
    });

    it('answers 404 for an unknown control operation and 400 for malformed JSON', async function () {
      assert.equal((await control(emu, 'POST', '/faults/explode', {})).status, 404);
      const res = await fetch(`${emu.url}/_emulator/send`, { method: 'POST', body: '{oops' });
      assert.equal(res.status, 400);
    });
  });

  describe('web page', function () {
    it('serves a self-contained page that never uses innerHTML', async function () {
      const res = await fetch(`${emu.url}/_emulator/`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /text\/html/);
      const html = await res.text();
      assert.match(html, /textContent/);
      assert.doesNotMatch(html, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      assert.doesNotMatch(html, /(src|href)=["']?https?:/, 'no external resources');
      assert.match(html, /\/submit-form/);
      assert.match(html, /\/messages\?/);
    });
  });
});

describe('emulator request log', () => {
  it('keeps the newest entries only, so a long-running emulator stays bounded', async () => {
    const { REQUEST_LOG_LIMIT } = require('../../dist/emulator/core');
    const emu = await startEmulator({ port: 0 });
    const ws = await openWs(emu, keyOf(emu, BOT));
    try {
      const total = REQUEST_LOG_LIMIT + 5;
      for (let i = 0; i < total; i++) {
        ws.ws.send(JSON.stringify({ requestId: `r${i}`, requestType: '/communication/p2p', version: '2', body: {} }));
      }
      const deadline = Date.now() + 15_000;
      while (ws.frames.length < total && Date.now() < deadline) await sleep(20);
      assert.equal(ws.frames.length, total, 'every request answered');
      const log = emu.control.requests();
      assert.equal(log.length, REQUEST_LOG_LIMIT);
      assert.equal(log[log.length - 1].requestId, `r${total - 1}`);
      assert.equal(log[0].requestId, 'r5');
    } finally {
      ws.ws.close();
      await emu.close();
    }
  });
});
