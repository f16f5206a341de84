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
      assert.deepEqual(
        groups.map((g) => [g.groupChatId, g.title, g.recipientIds.length]),
        [[FAMILY, 'Family', 3]],
      );
      const channels = await ok(emu, keyOf(emu, ALICE), 'GET', '/communication/channel/my');
      assert.deepEqual(
        channels.map((c) => [c.channelId, c.title, c.ownerId, c.role]),
        [[HOME_NEWS, 'Home news', BOT, 'Editor']],
      );
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
      const res = await control(emu, 'POST', '/send', {
        from: BOB,
        to: { groupChatId: FAMILY },
        dataComponent: text('hi'),
      });
      assert.equal(res.status, 200);
      assert.equal(res.json.publisherId, BOB);
      assert.equal(res.json.featureType, 'groupchat');
      const list = await ok(emu, botKey, 'GET', '/communication/groupchat/message', { query: { groupChatId: FAMILY } });
      assert.deepEqual(
        list.messages.map((m) => m.messageId),
        [res.json.messageId],
      );
      const invalid = await control(emu, 'POST', '/send', {
        from: BOB,
        to: { groupChatId: FAMILY },
        dataComponent: { dataComponentType: 'text' },
      });
      assert.equal(invalid.status, 400);
      const unknown = await control(emu, 'POST', '/send', {
        from: 'ghost',
        to: { recipientId: BOT },
        dataComponent: text('x'),
      });
      assert.equal(unknown.status, 404);
    });

    it('messages() filters by chat, in process and over HTTP', async function () {
      emu.control.sendAs({ from: ALICE, to: { recipientId: BOT }, dataComponent: text('p2p') });
      emu.control.sendAs({ from: ALICE, to: { groupChatId: FAMILY }, dataComponent: text('group') });
      emu.control.sendAs({ from: BOT, to: { channelId: HOME_NEWS }, dataComponent: text('news') });
      assert.equal(emu.control.messages().length, 3);
      assert.deepEqual(
        emu.control.messages({ chat: { between: [BOT, ALICE] } }).map((m) => m.dataComponent.text),
        ['p2p'],
      );
      assert.deepEqual(
        emu.control.messages({ chat: { channelId: HOME_NEWS } }).map((m) => m.dataComponent.text),
        ['news'],
      );
      const http = await control(emu, 'GET', `/messages?groupChatId=${FAMILY}`);
      assert.deepEqual(
        http.json.map((m) => m.dataComponent.text),
        ['group'],
      );
      const between = await control(emu, 'GET', `/messages?between=${ALICE},${BOT}`);
      assert.deepEqual(
        between.json.map((m) => m.dataComponent.text),
        ['p2p'],
      );
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
      assert.deepEqual(
        res.json.map((c) => [c.featureType, c.title, c.canPost]),
        [
          ['p2p', 'Node-RED Bot', true],
          ['p2p', 'Bob', true],
          ['groupchat', 'Family', true],
          ['channel', 'Home news', true],
        ],
      );
    });
  });

  describe('submitForm', function () {
    const form = (receiver) => ({
      dataComponentType: 'form',
      refName: 'order',
      ...(receiver ? { receiver } : {}),
      formComponents: [
        {
          refName: 'dish',
          formComponentType: 'singlechoice',
          title: 'Dish',
          requiredSelection: true,
          options: [{ name: 'pizza', value: 'Pizza' }],
        },
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
        assert.deepEqual(
          dc.formComponents.map((c) => [c.refName, c.value]),
          [
            ['dish', 'pizza'],
            ['note', 'none'],
            ['secret', 'table-7'],
          ],
        );
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
      assert.throws(
        () => emu.control.submitForm({ from: ALICE, messageId, values: { dish: 'pizza', nope: 1 } }),
        /nope/,
      );
      assert.throws(
        () => emu.control.submitForm({ from: BOB, messageId, values: { dish: 'pizza' } }),
        /did not receive/,
      );
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
        {
          transport: 'rest',
          method: 'GET',
          path: '/communication/groupchat',
          query: { recipientIds: `${ALICE},${BOB}` },
          body: null,
          accountId: BOT,
          at: 0,
        },
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

    it('failNext with a path fails requests to that path only, over either transport', async function () {
      const ws = await openWs(emu, botKey);
      try {
        const res = await control(emu, 'POST', '/faults/fail-next', { count: 2, status: 500, path: '/account/my' });
        assert.equal(res.status, 200);
        assert.equal((await ws.request('/communication/p2p')).eventBody.success, true, 'another path untouched');
        assert.equal((await api(emu, botKey, 'GET', '/account/my')).status, 500);
        assert.equal((await ws.request('/account/my')).eventBody.success, false);
        assert.equal((await api(emu, botKey, 'GET', '/account/my')).status, 200, 'both used up');
        const bad = await control(emu, 'POST', '/faults/fail-next', { status: 500, path: 'account/my' });
        assert.equal(bad.status, 400);
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
        await api(emu, botKey, 'POST', '/communication/p2p/message/send', {
          body: { recipientId: ALICE, dataComponent: text('slow') },
        });
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

  describe('acting as a person (the phone page)', function () {
    it('replies to a message of a chat the person is in, quoting it', async function () {
      const question = emu.control.sendAs({
        from: BOT,
        to: { groupChatId: FAMILY },
        dataComponent: text('Pizza tonight?'),
      });
      const res = await control(emu, 'POST', '/reply', { from: ALICE, messageId: question.messageId, text: 'Yes!' });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.equal(res.json.replyTo, question.messageId);
      assert.deepEqual(res.json.chat, { featureType: 'groupchat', groupChatId: FAMILY });
      const p2p = emu.control.sendAs({ from: BOT, to: { recipientId: BOB }, dataComponent: text('private') });
      assert.equal(
        (await control(emu, 'POST', '/reply', { from: ALICE, messageId: p2p.messageId, text: 'x' })).status,
        404,
      );
      // Someone who only reads the channel cannot answer there.
      const reader = emu.control.createAccount({ accountName: 'Reader' });
      await control(emu, 'POST', '/subscribe', { from: reader.accountId, channelId: HOME_NEWS, subscribed: true });
      const news = emu.control.sendAs({ from: BOT, to: { channelId: HOME_NEWS }, dataComponent: text('news') });
      const refused = await control(emu, 'POST', '/reply', {
        from: reader.accountId,
        messageId: news.messageId,
        text: 'x',
      });
      assert.equal(refused.status, 403);
      assert.equal((await control(emu, 'POST', '/reply', { from: ALICE, messageId: question.messageId })).status, 400);
    });

    it('adds and takes back reactions; the API lists them', async function () {
      const m = emu.control.sendAs({ from: BOT, to: { recipientId: ALICE }, dataComponent: text('hi') });
      assert.equal(
        (await control(emu, 'POST', '/react', { from: ALICE, messageId: m.messageId, reaction: '❤️' })).status,
        200,
      );
      const listed = await ok(emu, botKey, 'GET', '/communication/p2p/message', { query: { recipientId: ALICE } });
      assert.deepEqual(listed.messages[0].messageReactions, { '❤️': [ALICE] });
      await control(emu, 'POST', '/react', { from: ALICE, messageId: m.messageId, reaction: '❤️', remove: true });
      assert.deepEqual(emu.control.messages()[0].messageReactions, {});
      assert.equal(
        (await control(emu, 'POST', '/react', { from: ALICE, messageId: m.messageId, reaction: '' })).status,
        400,
      );
    });

    it('edits only its own messages and keeps the history', async function () {
      const mine = emu.control.sendAs({ from: ALICE, to: { recipientId: BOT }, dataComponent: text('helo') });
      const res = await control(emu, 'POST', '/edit', {
        from: ALICE,
        messageId: mine.messageId,
        dataComponent: text('hello'),
      });
      assert.equal(res.status, 200);
      assert.equal(res.json.dataComponent.text, 'hello');
      assert.deepEqual(
        res.json.edits.map((e) => e.dataComponent.text),
        ['helo'],
      );
      const theirs = emu.control.sendAs({ from: BOT, to: { recipientId: ALICE }, dataComponent: text('bot') });
      assert.equal(
        (await control(emu, 'POST', '/edit', { from: ALICE, messageId: theirs.messageId, dataComponent: text('x') }))
          .status,
        403,
      );
    });

    it("signals typing in p2p and group chats, shown in the other side's conversation for a few seconds", async function () {
      assert.equal((await control(emu, 'POST', '/typing', { from: BOT, to: { recipientId: ALICE } })).status, 200);
      const typing = (await control(emu, 'GET', `/conversation?accountId=${ALICE}&between=${ALICE},${BOT}`)).json
        .typing;
      assert.deepEqual(typing, ['Node-RED Bot']);
      const own = (await control(emu, 'GET', `/conversation?accountId=${BOT}&between=${ALICE},${BOT}`)).json.typing;
      assert.deepEqual(own, [], 'one does not see oneself typing');
      await control(emu, 'POST', '/typing', { from: BOB, to: { groupChatId: FAMILY } });
      assert.deepEqual(
        (await control(emu, 'GET', `/conversation?accountId=${ALICE}&groupChatId=${FAMILY}`)).json.typing,
        ['Bob'],
      );
      assert.deepEqual(
        emu.control.signals().map((s) => [s.featureType, s.senderId]),
        [
          ['p2p', BOT],
          ['groupchat', BOB],
        ],
      );
      assert.equal((await control(emu, 'POST', '/typing', { from: ALICE, to: { channelId: HOME_NEWS } })).status, 400);
      // The bot's message ends its typing.
      emu.control.sendAs({ from: BOT, to: { recipientId: ALICE }, dataComponent: text('done') });
      assert.deepEqual(
        (await control(emu, 'GET', `/conversation?accountId=${ALICE}&between=${ALICE},${BOT}`)).json.typing,
        [],
      );
    });

    it('uploads a raw file and serves it inline or as a download', async function () {
      const bytes = Buffer.from('hello file');
      const up = await fetch(`${emu.url}/_emulator/upload?from=${ALICE}&name=${encodeURIComponent('notes "1".txt')}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: bytes,
      });
      assert.equal(up.status, 200);
      const { fileId, title, size } = await up.json();
      assert.equal(title, 'notes "1".txt');
      assert.equal(size, bytes.length);
      const inline = await fetch(`${emu.url}/_emulator/file?fileId=${fileId}`);
      assert.equal(await inline.text(), 'hello file');
      assert.equal(inline.headers.get('content-type'), 'text/plain');
      assert.match(inline.headers.get('content-disposition'), /^inline; filename="notes _1_.txt"$/);
      assert.match(inline.headers.get('content-security-policy'), /sandbox/);
      const download = await fetch(`${emu.url}/_emulator/file?fileId=${fileId}&download=1`);
      assert.match(download.headers.get('content-disposition'), /^attachment;/);
      // The same file through the documented API.
      const res = await api(emu, botKey, 'POST', '/service/file/download', { body: { fileId } });
      assert.equal(res.text, 'hello file');
      assert.equal((await fetch(`${emu.url}/_emulator/file?fileId=nope`)).status, 404);
      const nameless = await fetch(`${emu.url}/_emulator/upload?from=${ALICE}`, { method: 'POST', body: bytes });
      assert.equal(nameless.status, 400);
    });

    it('subscribes to and unsubscribes from a channel', async function () {
      const dora = emu.control.createAccount({ accountName: 'Dora' });
      const res = await control(emu, 'POST', '/subscribe', {
        from: dora.accountId,
        channelId: HOME_NEWS,
        subscribed: true,
      });
      assert.deepEqual(res.json, { channelId: HOME_NEWS, subscribed: true });
      const chats = (await control(emu, 'GET', `/chat-list?accountId=${dora.accountId}`)).json;
      assert.deepEqual(
        chats.map((c) => [c.title, c.canPost]),
        [['Home news', false]],
      );
      await control(emu, 'POST', '/subscribe', { from: dora.accountId, channelId: HOME_NEWS, subscribed: false });
      assert.deepEqual((await control(emu, 'GET', `/chat-list?accountId=${dora.accountId}`)).json, []);
    });
  });

  describe('phone views', function () {
    it("lists a person's chats with the last message of each", async function () {
      emu.control.sendAs({ from: ALICE, to: { recipientId: BOT }, dataComponent: text('first') });
      emu.control.sendAs({
        from: BOT,
        to: { recipientId: ALICE },
        dataComponent: { dataComponentType: 'location', locationName: 'Home', latitude: 1, longitude: 2 },
      });
      const chats = (await control(emu, 'GET', `/chat-list?accountId=${ALICE}`)).json;
      assert.deepEqual(
        chats.map((c) => [c.featureType, c.title, c.canPost, c.messageCount]),
        [
          ['p2p', 'Node-RED Bot', true, 2],
          ['p2p', 'Bob', true, 0],
          ['groupchat', 'Family', true, 0],
          ['channel', 'Home news', true, 0],
        ],
      );
      assert.deepEqual(chats[0].chat, { between: [ALICE, BOT] });
      assert.equal(chats[0].last.publisherName, 'Node-RED Bot');
      assert.equal(chats[0].last.preview, '📍 Home');
      assert.equal((await control(emu, 'GET', '/chat-list?accountId=ghost')).status, 404);
    });

    it('shows a conversation with names, quoted replies and what its messages refer to', async function () {
      const file = emu.control.uploadAs({
        from: BOT,
        filename: 'a.png',
        contentType: 'image/png',
        bytes: Buffer.from('x'),
      });
      const q = emu.control.sendAs({ from: ALICE, to: { groupChatId: FAMILY }, dataComponent: text('Who comes?') });
      emu.control.replyAs({ from: BOB, messageId: q.messageId, text: 'Me' });
      emu.control.sendAs({
        from: BOT,
        to: { groupChatId: FAMILY },
        dataComponent: { dataComponentType: 'file', fileIds: [file.fileId] },
      });
      emu.control.sendAs({
        from: BOT,
        to: { groupChatId: FAMILY },
        dataComponent: { dataComponentType: 'channel', channelId: HOME_NEWS },
      });
      emu.control.sendAs({
        from: BOT,
        to: { groupChatId: FAMILY },
        dataComponent: { dataComponentType: 'contact', contactIds: [BOB] },
      });
      const bucket = emu.control.sendAs({
        from: BOT,
        to: { groupChatId: FAMILY },
        dataComponent: { dataComponentType: 'bucket', title: 'Album', dataComponents: [text('inside')] },
      });
      const view = (await control(emu, 'GET', `/conversation?accountId=${ALICE}&groupChatId=${FAMILY}`)).json;
      assert.equal(view.title, 'Family');
      assert.equal(view.subtitle, 'Node-RED Bot, Bob, You');
      assert.equal(view.canPost, true);
      assert.deepEqual(view.messages[1].replyTo, {
        messageId: q.messageId,
        publisherId: ALICE,
        publisherName: 'Alice',
        preview: 'Who comes?',
      });
      assert.deepEqual(view.references.files[file.fileId], {
        fileId: file.fileId,
        title: 'a.png',
        size: 1,
        contentType: 'image/png',
      });
      assert.equal(view.references.channels[HOME_NEWS].title, 'Home news');
      assert.equal(view.references.channels[HOME_NEWS].role, 'Editor');
      assert.equal(view.references.accounts[BOB], 'Bob');
      const bucketId = bucket.dataComponent.bucketId;
      assert.deepEqual(view.references.buckets[bucketId].dataComponents, [text('inside')]);
      const outsider = emu.control.createAccount({ accountName: 'Eve' });
      assert.equal(
        (await control(emu, 'GET', `/conversation?accountId=${outsider.accountId}&groupChatId=${FAMILY}`)).status,
        400,
      );
      assert.equal((await control(emu, 'GET', `/conversation?accountId=${ALICE}`)).status, 400);
    });

    it('gives forms their last and own submissions, and hides submissions of hideSubmissionMsg forms', async function () {
      const form = (hide) => ({
        dataComponentType: 'form',
        refName: 'poll',
        retainStatus: true,
        hideSubmissionMsg: hide,
        receiver: { id: FAMILY, featureType: 'groupchat' },
        formComponents: [{ refName: 'ok', formComponentType: 'switch', title: 'OK?' }],
      });
      const shown = emu.control.sendAs({ from: BOT, to: { groupChatId: FAMILY }, dataComponent: form(false) });
      const hidden = emu.control.sendAs({ from: BOT, to: { groupChatId: FAMILY }, dataComponent: form(true) });
      emu.control.submitForm({ from: ALICE, messageId: shown.messageId, values: { ok: true } });
      emu.control.submitForm({ from: BOB, messageId: shown.messageId, values: { ok: false } });
      emu.control.submitForm({ from: BOB, messageId: hidden.messageId, values: { ok: true } });
      const view = (await control(emu, 'GET', `/conversation?accountId=${ALICE}&groupChatId=${FAMILY}`)).json;
      const state = view.messages.find((m) => m.messageId === shown.messageId).formState;
      assert.equal(state.last.submitterName, 'Bob');
      assert.deepEqual(state.last.values, { ok: false });
      assert.equal(state.mine.submitterId, ALICE);
      assert.deepEqual(state.mine.values, { ok: true });
      const submissions = view.messages.filter((m) => m.dataComponent.dataComponentType === 'formsubmission');
      assert.deepEqual(
        submissions.map((m) => m.hidden),
        [false, false, true],
      );
      const chats = (await control(emu, 'GET', `/chat-list?accountId=${ALICE}`)).json;
      assert.equal(chats.find((c) => c.title === 'Family').messageCount, 4, 'the hidden submission is not counted');
    });
  });

  describe('web page', function () {
    it('serves the phone page, its stylesheet and scripts from the emulator, under a strict policy', async function () {
      const res = await fetch(`${emu.url}/_emulator/`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /text\/html/);
      const policy = res.headers.get('content-security-policy');
      assert.match(policy, /script-src 'self'(;|$)/, 'no inline script');
      assert.match(policy, /default-src 'none'/);
      const html = await res.text();
      assert.doesNotMatch(html, /(src|href)=["']?https?:/, 'no external resources');
      const assets = [...html.matchAll(/(?:src|href)="(\/_emulator\/phone\/[^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(assets.sort(), ['/_emulator/phone/main.js', '/_emulator/phone/phone.css']);
      for (const asset of assets) {
        const file = await fetch(emu.url + asset);
        assert.equal(file.status, 200, asset);
      }
      const script = await fetch(`${emu.url}/_emulator/phone/main.js`);
      assert.match(script.headers.get('content-type'), /text\/javascript/);
      assert.equal((await fetch(`${emu.url}/_emulator/phone/../control.js`)).status, 404);
      assert.equal((await fetch(`${emu.url}/_emulator/phone/nothing.js`)).status, 404);
    });

    it('builds the page without innerHTML or other HTML-string sinks', function () {
      const fs = require('node:fs');
      const path = require('node:path');
      const dir = path.join(__dirname, '..', '..', 'dist', 'emulator', 'phone');
      const scripts = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
      assert.ok(scripts.includes('main.js'));
      for (const file of scripts) {
        assert.doesNotMatch(
          fs.readFileSync(path.join(dir, file), 'utf8'),
          /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/,
          file,
        );
      }
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
