'use strict';
// Every documented endpoint through the semilimes-api node in a real Node-RED runtime against the emulator: the
// request the emulator received (transport, method, path, query, body) and the response data in msg.payload.
// The cases run in order and share state (a message sent first is edited, reacted to and replied to later).
const assert = require('node:assert/strict');
const { ENDPOINTS } = require('../../dist/semilimes');
const { helper, nodes, DEMO, keyOf, waitFor, accountNode, startEmulator, openSockets } = require('../helpers/env');

const text = (t) => ({ dataComponentType: 'text', text: t });
const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG7VgcHb4YB2hR3ZbNuYq1pA3X6q8yZ8u8b2mB9k2y5Z node-red-test';

function flow(emu) {
  return [
    { id: 'f1', type: 'tab' },
    accountNode(emu),
    { id: 'api', z: 'f1', x: 100, y: 100, type: 'semilimes-api', account: 'acc', operation: 'msg', params: {}, wires: [['out']] },
    { id: 'out', z: 'f1', x: 100, y: 100, type: 'helper' },
    { id: 'catch', z: 'f1', x: 100, y: 100, type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', x: 100, y: 100, type: 'helper' },
  ];
}

/** Sends `msg` into node `id`; resolves with { out } or { error }. */
function run(msg, id = 'api') {
  return new Promise((resolve) => {
    const out = helper.getNode('out');
    const caught = helper.getNode('caught');
    const finish = (result) => {
      out.removeAllListeners('input');
      caught.removeAllListeners('input');
      resolve(result);
    };
    out.on('input', (m) => finish({ out: m }));
    caught.on('input', (m) => finish({ error: m.error }));
    helper.getNode(id).receive(msg);
  });
}

describe('semilimes-api node: every documented endpoint through the node', function () {
  let emu;
  const ctx = {};

  before(async () => {
    emu = await startEmulator({ port: 0 });
    await helper.load([nodes.account, nodes.api, nodes.catch], flow(emu), { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    // Communication endpoints must travel over the WebSocket: wait until it is up.
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'the WebSocket');
  });
  after(async () => {
    await helper.unload();
    await emu.close();
  });



  /**
   * One case per documented endpoint. `payload` (object or function of ctx) goes in msg.payload; `query` / `body`
   * are what the emulator must have received; `check(data)` looks at msg.payload.
   */
  const cases = [
    // Accounts
    { op: '/account/my', payload: { main: true, sub: true, shared: false, details: true },
      query: { main: 'true', sub: 'true', shared: 'false', details: 'true' },
      check: (d) => { assert.equal(d.currentAccount.accountId, DEMO.bot); assert.equal(typeof d.currentAccount.viewCount, 'number'); } },
    // Profile
    { op: '/account/profile/update', payload: { title: 'Bot profile', description: 'runs the house', visible: true, pinWall: [text('pinned')] },
      body: { title: 'Bot profile', description: 'runs the house', visible: true, pinWall: [text('pinned')] },
      check: (d) => { assert.equal(d.accountId, DEMO.bot); assert.equal(d.updatedProfile.title, 'Bot profile'); } },
    { op: '/account/profile', payload: { accountId: DEMO.bot }, query: { accountId: DEMO.bot },
      check: (d) => { assert.equal(d.title, 'Bot profile'); assert.equal(d.featureType, 'profile'); } },
    // Feed
    { op: '/account/feed/post/add', payload: { title: 'Morning', description: 'status', visible: true, enableReactions: true, dataComponents: [text('all good')] },
      body: { title: 'Morning', description: 'status', visible: true, enableReactions: true, dataComponents: [text('all good')] },
      check: (d) => { ctx.bucketId = d.addedPost.dataComponent.bucketId; assert.ok(ctx.bucketId); assert.equal(d.accountId, DEMO.bot); } },
    { op: '/account/feed/post/update', payload: () => ({ bucketId: ctx.bucketId, title: 'Morning (edited)' }),
      body: () => ({ bucketId: ctx.bucketId, title: 'Morning (edited)' }),
      check: (d) => assert.equal(d.updatedPost.dataComponent.bucketId, ctx.bucketId) },
    { op: '/account/feed', payload: { accountId: DEMO.bot, limit: 10 }, query: { accountId: DEMO.bot, limit: '10' },
      check: (d) => assert.ok(d.posts.some((p) => p.dataComponent.bucketId === ctx.bucketId)) },
    // Contacts
    { op: '/account/contacts', query: {},
      check: (d) => assert.deepEqual(d.map((c) => c.accountName).sort(), ['Alice', 'Bob']) },
    // P2P chats
    { op: '/communication/p2p/message/send', payload: { recipientId: DEMO.alice, options: { silent: true }, dataComponent: text('hello Alice') },
      body: { recipientId: DEMO.alice, options: { silent: true }, dataComponent: text('hello Alice') },
      check: (d) => { ctx.p2pMessage = d.sentMessage.messageId; assert.equal(d.recipientId, DEMO.alice); } },
    { op: '/communication/p2p', check: (d) => assert.ok(d.some((c) => c.recipientId === DEMO.alice)) },
    { op: '/communication/p2p/message', payload: () => ({ recipientId: DEMO.alice, messageId: ctx.p2pMessage, limit: 5 }),
      query: () => ({ recipientId: DEMO.alice, messageId: ctx.p2pMessage, limit: 5 }),
      check: (d) => assert.equal(d.messages[0].messageId, ctx.p2pMessage) },
    { op: '/communication/p2p/message/update', payload: () => ({ messageId: ctx.p2pMessage, dataComponent: text('hello again') }),
      body: () => ({ messageId: ctx.p2pMessage, dataComponent: text('hello again') }),
      check: (d) => assert.equal(d.updatedMessage.dataComponent.text, 'hello again') },
    { op: '/communication/p2p/message/reaction/send', payload: () => ({ messageId: ctx.p2pMessage, reaction: '👍' }),
      body: () => ({ messageId: ctx.p2pMessage, reaction: '👍' }), check: (d) => assert.equal(d.addedReaction, '👍') },
    { op: '/communication/p2p/message/reaction/remove', payload: () => ({ messageId: ctx.p2pMessage, reaction: '👍' }),
      body: () => ({ messageId: ctx.p2pMessage, reaction: '👍' }), check: (d) => assert.equal(d.removedReaction, '👍') },
    { op: '/communication/p2p/message/reply', payload: () => ({ messageId: ctx.p2pMessage, dataComponent: text('re') }),
      body: () => ({ messageId: ctx.p2pMessage, dataComponent: text('re') }),
      check: (d) => { assert.equal(d.messageId, ctx.p2pMessage); assert.equal(d.sentReply.dataComponent.text, 're'); } },
    { op: '/communication/p2p/signal/typing', payload: { recipientId: DEMO.alice }, body: { recipientId: DEMO.alice },
      check: async () => assert.ok((await emu.control.signals()).some((s) => s.featureType === 'p2p' && s.recipientId === DEMO.alice)) },
    // Group chats
    { op: '/communication/groupchat/create', payload: { title: 'Team', recipientIds: [DEMO.alice] },
      body: { title: 'Team', recipientIds: [DEMO.alice] },
      check: (d) => { ctx.group = d.createdGroupChat.groupChatId; assert.equal(d.createdGroupChat.title, 'Team'); } },
    { op: '/communication/groupchat/invite', payload: () => ({ groupChatId: ctx.group, recipientIds: [DEMO.bob] }),
      body: () => ({ groupChatId: ctx.group, recipientIds: [DEMO.bob] }), check: () => {} },
    { op: '/communication/groupchat', payload: { recipientIds: DEMO.bob }, query: { recipientIds: DEMO.bob },
      check: (d) => {
        const team = d.find((g) => g.groupChatId === ctx.group);
        assert.deepEqual([...team.recipientIds].sort(), [DEMO.alice, DEMO.bob, DEMO.bot].sort());
      } },
    { op: '/communication/groupchat/message/send', payload: () => ({ groupChatId: ctx.group, dataComponent: text('hi team') }),
      body: () => ({ groupChatId: ctx.group, dataComponent: text('hi team') }),
      check: (d) => { ctx.groupMessage = d.sentMessage.messageId; assert.ok(ctx.groupMessage); } },
    { op: '/communication/groupchat/message', payload: () => ({ groupChatId: ctx.group, limit: 10 }),
      query: () => ({ groupChatId: ctx.group, limit: 10 }),
      check: (d) => assert.ok(d.messages.some((m) => m.messageId === ctx.groupMessage)) },
    { op: '/communication/groupchat/message/update', payload: () => ({ messageId: ctx.groupMessage, dataComponent: text('hi all') }),
      body: () => ({ messageId: ctx.groupMessage, dataComponent: text('hi all') }),
      check: (d) => assert.equal(d.updatedMessage.messageId, ctx.groupMessage) },
    { op: '/communication/groupchat/message/reaction/send', payload: () => ({ messageId: ctx.groupMessage, reaction: '🎉' }),
      body: () => ({ messageId: ctx.groupMessage, reaction: '🎉' }), check: (d) => assert.equal(d.addedReaction, '🎉') },
    { op: '/communication/groupchat/message/reaction/remove', payload: () => ({ messageId: ctx.groupMessage, reaction: '🎉' }),
      body: () => ({ messageId: ctx.groupMessage, reaction: '🎉' }), check: (d) => assert.equal(d.removedReaction, '🎉') },
    { op: '/communication/groupchat/message/reply', payload: () => ({ messageId: ctx.groupMessage, dataComponent: text('ok') }),
      body: () => ({ messageId: ctx.groupMessage, dataComponent: text('ok') }), check: (d) => assert.ok(d.sentReply.messageId) },
    { op: '/communication/groupchat/signal/typing', payload: () => ({ groupChatId: ctx.group }), body: () => ({ groupChatId: ctx.group }),
      check: async () => assert.ok((await emu.control.signals()).some((s) => s.groupChatId === ctx.group)) },
    // Channels
    { op: '/communication/channel/create', payload: { title: 'Alerts', visible: true, locked: false, editorIds: [DEMO.alice] },
      body: { title: 'Alerts', visible: true, locked: false, editorIds: [DEMO.alice] },
      check: (d) => { ctx.channel = d.createdChannel.channelId; assert.equal(d.createdChannel.role, 'Owner'); } },
    { op: '/communication/channel/my', payload: { owner: true }, query: { owner: true },
      check: (d) => assert.ok(d.some((c) => c.channelId === ctx.channel)) },
    { op: '/communication/channel', payload: () => ({ channelId: ctx.channel }), query: () => ({ channelId: ctx.channel }),
      check: (d) => assert.deepEqual(d.map((c) => c.title), ['Alerts']) },
    { op: '/communication/channel/message/send', payload: () => ({ channelId: ctx.channel, options: { silent: false }, dataComponent: text('alarm') }),
      body: () => ({ channelId: ctx.channel, options: { silent: false }, dataComponent: text('alarm') }),
      check: (d) => { ctx.channelMessage = d.sentMessage.messageId; assert.equal(d.channelId, ctx.channel); } },
    { op: '/communication/channel/message', payload: () => ({ channelId: ctx.channel }), query: () => ({ channelId: ctx.channel }),
      check: (d) => assert.equal(d.messages[0].messageId, ctx.channelMessage) },
    { op: '/communication/channel/message/update', payload: () => ({ messageId: ctx.channelMessage, dataComponent: text('all clear') }),
      body: () => ({ messageId: ctx.channelMessage, dataComponent: text('all clear') }),
      check: (d) => assert.equal(d.updatedMessage.dataComponent.text, 'all clear') },
    { op: '/communication/channel/subscribe', payload: { channelId: DEMO.news }, body: { channelId: DEMO.news },
      check: (d) => assert.deepEqual(d, { channelId: DEMO.news, subscribed: true }) },
    { op: '/communication/channel/unsubscribe', payload: { channelId: DEMO.news }, body: { channelId: DEMO.news },
      check: (d) => assert.deepEqual(d, { channelId: DEMO.news, subscribed: false }) },
    // Buckets (the post created above is a bucket)
    { op: '/communication/bucket', payload: () => ({ bucketId: ctx.bucketId }), query: () => ({ bucketId: ctx.bucketId }), method: 'POST',
      check: (d) => assert.equal(d.bucketId, ctx.bucketId) },
    { op: '/communication/bucket/update', payload: () => ({ bucketId: ctx.bucketId, dataComponentType: 'bucket', title: 'Renamed', enableReactions: true }),
      body: () => ({ bucketId: ctx.bucketId, dataComponentType: 'bucket', title: 'Renamed', enableReactions: true }),
      check: (d) => assert.equal(d.updatedBucket.title, 'Renamed') },
    // Likes
    { op: '/communication/bucket/like', payload: () => ({ bucketId: ctx.bucketId }), body: () => ({ bucketId: ctx.bucketId }),
      check: (d) => assert.equal(d.like, true) },
    { op: '/communication/bucket/unlike', payload: () => ({ bucketId: ctx.bucketId }), body: () => ({ bucketId: ctx.bucketId }),
      check: (d) => assert.equal(d.like, false) },
    // Services / LLMs
    { op: '/service/tunnel/create', payload: { name: 'editor', description: 'Node-RED', clientPort: 1880, clientPath: 'ui', publicKey: PUBLIC_KEY },
      body: { name: 'editor', description: 'Node-RED', clientPort: 1880, clientPath: 'ui', publicKey: PUBLIC_KEY },
      check: (d) => { ctx.tunnel = d.tunnelId; assert.ok(ctx.tunnel); } },
    { op: '/service/tunnel/open', payload: () => ({ tunnelId: ctx.tunnel }), body: () => ({ tunnelId: ctx.tunnel }),
      check: (d) => { assert.equal(d.tunnelId, ctx.tunnel); assert.equal(typeof d.port, 'number'); assert.ok(d.tunnelUrl); } },
    { op: '/service/tunnel', check: (d) => assert.ok(d.some((x) => x.tunnelId === ctx.tunnel && x.name === 'editor')) },
    { op: '/service/tunnel/close', payload: () => ({ tunnelId: ctx.tunnel }), body: () => ({ tunnelId: ctx.tunnel }),
      check: (d) => assert.deepEqual(d, {}) },
    { op: '/service/tunnel/delete', payload: () => ({ tunnelId: ctx.tunnel }), body: () => ({ tunnelId: ctx.tunnel }),
      check: (d) => assert.deepEqual(d, {}) },
    { op: '/service/llms', check: (d) => assert.deepEqual(d.llms.map((l) => l.id), ['11000000-0000-4000-8000-000000000001']) },
    // API keys (the key in use is not touched here; rotation has its own tests)
    { op: '/apikey/~validate', check: (d) => { assert.equal(typeof d.id, 'number'); assert.match(d.expire_at, /^\d{4}-\d\d-\d\dT/); assert.equal(d.is_active, true); } },
    { op: '/apikey', payload: { name: 'spare', expire_at: '2099-01-02T15:04:05Z' }, body: { name: 'spare', expire_at: '2099-01-02T15:04:05Z' },
      check: (d) => { ctx.spareKeyId = d.id; assert.equal(typeof d.key, 'string'); assert.equal(d.name, 'spare'); assert.equal(d.revoked_at, null); } },
    { op: '/apikey/{key_id}', payload: () => ({ key_id: ctx.spareKeyId }), method: 'DELETE', path: () => `/apikey/${ctx.spareKeyId}`,
      check: (d) => assert.deepEqual(d, { id: ctx.spareKeyId }) },
  ];

  const value = (v) => (typeof v === 'function' ? v() : v);
  const covered = new Set(cases.map((c) => c.op));

  for (const c of cases) {
    const endpoint = ENDPOINTS.find((e) => e.path === c.op);
    it(`${endpoint.method} ${c.op} (${endpoint.websocket ? 'WebSocket' : 'REST'})`, async () => {
      const before = (await emu.control.requests()).length;
      const payload = value(c.payload);
      const result = await run({ operation: c.op, ...(payload ? { payload } : {}) });
      assert.ok(result.out, `expected success, got ${result.error && result.error.message}`);
      assert.equal(result.out.operation, c.op);

      const path = c.path ? c.path() : c.op;
      const logged = (await emu.control.requests()).slice(before).filter((r) => r.path === path);
      assert.equal(logged.length, 1, `exactly one ${path} request reached the emulator`);
      const request = logged[0];
      assert.equal(request.transport, endpoint.websocket ? 'ws' : 'rest');
      if (request.transport === 'rest') assert.equal(request.method, c.method || endpoint.method);
      assert.equal(request.accountId, DEMO.bot);
      if (c.query !== undefined) {
        // REST query strings are text; the WebSocket carries the JSON values in `parameters`.
        const expected = value(c.query);
        const asText = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, String(v)]));
        const got = Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, String(v)]));
        assert.deepEqual(got, asText);
      }
      if (c.body !== undefined) assert.deepEqual(request.body, value(c.body));
      await c.check(result.out.payload);
    });
  }

  const FILE_OPERATIONS = ['/service/file/upload', '/service/file/download'];
  for (const op of FILE_OPERATIONS) covered.add(op);

  it('refuses file upload and download, pointing to the file node, without sending anything', async () => {
    for (const op of FILE_OPERATIONS) {
      const before = (await emu.control.requests()).length;
      const result = await run({ operation: op, payload: { fileId: 'f1000000-0000-4000-8000-000000000001' } });
      assert.ok(result.error, `${op} must fail`);
      // The test runtime shows catalogue keys instead of texts: the key is the "use the semilimes-file node" text.
      assert.match(result.error.message, /semilimes-api\.errors\.useOtherNode/);
      assert.equal(helper.getNode('api').status.lastCall.args[0].fill, 'red');
      assert.equal((await emu.control.requests()).length, before, 'nothing reached semilimes');
    }
  });

  it('covers every endpoint of the table', () => {
    assert.deepEqual(ENDPOINTS.map((e) => e.path).filter((p) => !covered.has(p)), []);
  });
});
