'use strict';
// The semilimes-api node's own behaviour: parameters as typed inputs, msg.payload merging, and every kind of bad
// input failing through Catch with nothing on the output and nothing sent.
const assert = require('node:assert/strict');
const { helper, nodes, DEMO, keyOf, accountNode, nodeSuite } = require('../helpers/env');

function flow(emu, api) {
  return [
    { id: 'f1', type: 'tab' },
    accountNode(emu),
    { id: 'api', z: 'f1', x: 100, y: 100, type: 'semilimes-api', account: 'acc', params: {}, ...api, wires: [['out']] },
    { id: 'out', z: 'f1', x: 100, y: 100, type: 'helper' },
    { id: 'catch', z: 'f1', x: 100, y: 100, type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', x: 100, y: 100, type: 'helper' },
  ];
}

function run(msg) {
  return new Promise((resolve) => {
    const out = helper.getNode('out');
    const caught = helper.getNode('caught');
    const outputs = [];
    out.on('input', (m) => outputs.push(m));
    const finish = (result) => {
      // Give a wrongly doubled output a moment to show up before judging.
      setTimeout(() => {
        out.removeAllListeners('input');
        caught.removeAllListeners('input');
        resolve({ ...result, outputs });
      }, 50);
    };
    out.once('input', (m) => finish({ out: m }));
    caught.once('input', (m) => finish({ error: m.error }));
    helper.getNode('api').receive(msg);
  });
}

describe('semilimes-api node', function () {
  let emu;
  nodeSuite((started) => (emu = started));

  const load = (api) =>
    helper.load([nodes.account, nodes.api, nodes.catch], flow(emu, api), { acc: { apiKey: keyOf(emu, DEMO.bot) } });
  const requestsTo = async (path) => (await emu.control.requests()).filter((r) => r.path === path);
  /** Requests a flow made (the account's own key check at start is not one). */
  const flowRequests = async () => (await emu.control.requests()).filter((r) => r.path !== '/apikey/~validate').length;

  it('adds a feed post from a whole bucket component in msg.payload.dataComponent, as documented', async () => {
    await load({ operation: '/account/feed/post/add' });
    const bucket = { dataComponentType: 'bucket', title: 'Holiday', dataComponents: [{ dataComponentType: 'text', text: 'hello' }] };
    const result = await run({ payload: { dataComponent: bucket } });
    assert.ok(result.out, result.error && result.error.message);
    const [request] = await requestsTo('/account/feed/post/add');
    assert.deepEqual(request.body, { dataComponent: bucket });
    assert.ok(result.out.payload.addedPost.dataComponent.bucketId);
  });

  it('names payload fields the operation does not take, once', async () => {
    await load({ operation: '/account/feed/post/add' });
    const warnings = [];
    helper.getNode('api').on('call:warn', (call) => warnings.push(String(call.args[0])));
    await run({ payload: { title: 'Post', tittle: 'typo' } });
    await run({ payload: { title: 'Post', tittle: 'typo' } });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /ignoredFields/);
    const [first] = await requestsTo('/account/feed/post/add');
    assert.deepEqual(first.body, { title: 'Post' });
  });

  it('takes parameters from typed inputs (msg, str lists, num, json), over the same fields in msg.payload', async () => {
    await load({
      operation: '/communication/groupchat/create',
      params: {
        title: { value: 'chatTitle', type: 'msg' },
        recipientIds: { value: `${DEMO.alice}, ${DEMO.bob}`, type: 'str' },
      },
    });
    const result = await run({ chatTitle: 'Garden', payload: { title: 'overridden', recipientIds: ['ignored'], junk: 1 } });
    assert.ok(result.out, result.error && result.error.message);
    const [request] = await requestsTo('/communication/groupchat/create');
    assert.deepEqual(request.body, { title: 'Garden', recipientIds: [DEMO.alice, DEMO.bob] });
    assert.equal(result.out.payload.createdGroupChat.title, 'Garden');
    assert.equal(result.outputs.length, 1);
  });

  it('turns a typed number into the integer a query wants, and a JSON object into a body object', async () => {
    await load({ operation: '/account/feed', params: { limit: { value: '3', type: 'num' }, accountId: { value: DEMO.bot, type: 'str' } } });
    assert.ok((await run({})).out);
    const [feed] = await requestsTo('/account/feed');
    assert.deepEqual(feed.query, { limit: '3', accountId: DEMO.bot });
    await helper.unload();

    await load({
      operation: '/communication/p2p/message/send',
      params: {
        recipientId: { value: 'SEMILIMES_TEST_RECIPIENT', type: 'env' },
        dataComponent: { value: '{"dataComponentType":"text","text":"from json"}', type: 'json' },
        options: { value: '{"silent":true}', type: 'json' },
      },
    });
    process.env.SEMILIMES_TEST_RECIPIENT = DEMO.alice;
    try {
      const result = await run({ payload: 'a string payload supplies nothing' });
      assert.ok(result.out, result.error && result.error.message);
      assert.ok(result.out.payload.sentMessage.messageId);
      const sent = (await emu.control.messages()).find((m) => m.messageId === result.out.payload.sentMessage.messageId);
      assert.deepEqual(sent.dataComponent, { dataComponentType: 'text', text: 'from json' });
      assert.equal(sent.silent, true);
    } finally {
      delete process.env.SEMILIMES_TEST_RECIPIENT;
    }
  });

  it('fills a path parameter ({key_id}) from msg.payload', async () => {
    await load({ operation: '/apikey/{key_id}' });
    const result = await run({ payload: { key_id: 99999 } });
    // No such key: semilimes says 404, which is a failure through Catch.
    assert.ok(result.error);
    assert.match(result.error.message, /HTTP 404/);
    assert.equal(result.outputs.length, 0);
    const requests = await requestsTo('/apikey/99999');
    assert.equal(requests.length, 1);
    assert.equal(requests[0].method, 'DELETE');
  });

  const refusals = [
    ['an unknown msg.operation', { operation: 'msg' }, { operation: '/nope' }, /unknownOperation/],
    ['no msg.operation', { operation: 'msg' }, {}, /noOperation/],
    ['a missing required parameter', { operation: '/communication/groupchat/create' }, { payload: { recipientIds: [DEMO.alice] } }, /needs "title"/],
    ['a malformed typed parameter', { operation: '/account/feed', params: { limit: { value: 'lots', type: 'str' } } }, {}, /semilimes-api\.errors\.badParam/],
    ['a bad boolean', { operation: '/account/my', params: { main: { value: 'maybe', type: 'msg' } } }, { maybe: 'yes' }, /semilimes-api\.errors\.badParam/],
  ];
  for (const [what, api, msg, pattern] of refusals) {
    it(`refuses ${what} through Catch, red status, nothing sent or output`, async () => {
      await load(api);
      const before = await flowRequests();
      const result = await run(msg);
      assert.ok(result.error, 'expected a failure');
      assert.match(result.error.message, pattern);
      assert.equal(result.outputs.length, 0);
      assert.equal(await flowRequests(), before);
      const status = helper.getNode('api').status.lastCall.args[0];
      assert.equal(status.fill, 'red');
      assert.equal(status.shape, 'dot');
    });
  }

  it('reports success:false answers through Catch with the server message', async () => {
    await load({ operation: '/communication/groupchat/message/send' });
    const result = await run({ payload: { groupChatId: 'no-such-chat', dataComponent: { dataComponentType: 'text', text: 'x' } } });
    assert.ok(result.error);
    assert.match(result.error.message, /not found/i);
    assert.equal(result.outputs.length, 0);
  });

  it('serves the endpoint table to the editor, with file operations marked for the file node', async () => {
    await load({ operation: '/account/contacts' });
    const res = await helper.request().get('/semilimes-api/endpoints').expect(200);
    assert.equal(res.body.endpoints.length, 48);
    const upload = res.body.endpoints.find((e) => e.path === '/service/file/upload');
    assert.equal(upload.handledBy, 'semilimes-file');
    const create = res.body.endpoints.find((e) => e.path === '/communication/channel/create');
    assert.equal(create.group, 'Channels');
    assert.equal(create.websocket, true);
    assert.deepEqual(create.params.map((p) => p.name), ['title', 'avatar', 'visible', 'locked', 'editorIds']);
    assert.equal(res.body.rotateOperation, 'rotate-key');
  });
});
