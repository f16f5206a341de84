'use strict';
// Proxies in a real Node-RED runtime, through a real proxy server (tinyproxy) started by the tests, against an
// emulator that accepts connections only from the proxy: the direct route is blocked, so everything that works here
// went through the proxy. Covers HTTPS_PROXY / HTTP_PROXY / NO_PROXY, the account's own proxy setting, basic auth,
// and proxy credentials staying out of logs, statuses and errors.
const assert = require('node:assert/strict');
const { SemilimesClient } = require('../../dist/semilimes');
const { helper, nodes, DEMO, keyOf, waitFor, accountNode, startEmulator, FAST_CLIENT, openSockets } = require('../helpers/env');
const { tab, receiveNode, sendNode, helperNode, catchAll, runThrough } = require('../helpers/flows');
const { startTinyproxy, PROXY_SOURCE } = require('../helpers/tinyproxy');

const fileNode = require('../../dist/nodes/semilimes-file.js');
const text = (t) => ({ dataComponentType: 'text', text: t });
const PROXY_ENV = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
const SECRET = 'pr0xy-s3cret-pass';

describe('proxies', function () {
  let emu;
  let open;
  let locked;
  const savedEnv = {};

  before(async () => {
    // Direct connections are closed at once: only the proxy (connecting from 127.0.0.2) gets through.
    emu = await startEmulator({ port: 0, acceptFrom: [PROXY_SOURCE] });
    open = await startTinyproxy();
    locked = await startTinyproxy({ auth: { user: 'nodered', password: SECRET } });
    for (const name of PROXY_ENV) savedEnv[name] = process.env[name];
  });
  after(async () => {
    await Promise.all([emu.close(), open.close(), locked.close()]);
  });
  afterEach(async () => {
    await helper.unload();
    for (const name of PROXY_ENV) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    await emu.control.reset();
  });

  /** receive -> out; send -> sent; upload -> download -> files; api -> api; Catch -> caught. */
  async function load(account = {}, credentials = {}) {
    const flow = [
      tab(),
      { ...accountNode(emu), ...account },
      receiveNode('recv', [['out']]),
      helperNode('out'),
      sendNode('send', [['sent']]),
      helperNode('sent'),
      { id: 'up', z: 'f1', type: 'semilimes-file', account: 'acc', action: 'upload', filename: 'filename', filenameType: 'msg', contentType: 'contentType', contentTypeType: 'msg', maxSizeMB: 10, wires: [['down']] },
      { id: 'down', z: 'f1', type: 'semilimes-file', account: 'acc', action: 'download', fileId: 'fileIds[0]', fileIdType: 'msg', output: 'buffer', maxSizeMB: 10, wires: [['files']] },
      helperNode('files'),
      catchAll('catch', 'caught'),
      helperNode('caught'),
    ];
    await helper.load([nodes.account, nodes.receive, nodes.send, fileNode, nodes.catch], flow, {
      acc: { apiKey: keyOf(emu, DEMO.bot), ...credentials },
    });
  }

  /** Everything a person meets in one go: a message in, a message out, a file up and down, an editor lookup. */
  async function exerciseEverything() {
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the WebSocket through the proxy', 8000);
    const received = [];
    helper.getNode('out').on('input', (m) => received.push(m));
    await emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('through the proxy?') });
    await waitFor(() => received.length === 1, 'the message over the WebSocket');

    const sent = await runThrough(helper, { payload: 'yes', recipientId: DEMO.alice }, { outId: 'sent' });
    assert.ok(sent.out, `send failed: ${sent.error && sent.error.message}`);

    const bytes = Buffer.from('a file through the proxy');
    const file = await runThrough(helper, { payload: bytes, filename: 'p.txt', contentType: 'text/plain' }, { inputId: 'up', outId: 'files' });
    assert.ok(file.out, `file transfer failed: ${file.error && file.error.message}`);
    assert.deepEqual(file.out.payload, bytes);

    const lookup = await helper.request().post('/semilimes-account/lookup/contacts').send({ account: 'acc', baseUrl: emu.url, apiKey: '' });
    assert.equal(lookup.status, 200, JSON.stringify(lookup.body));
    assert.ok(lookup.body.items.some((i) => i.id === DEMO.alice));
  }

  it('the direct route really is blocked (without a proxy nothing gets through)', async () => {
    for (const name of PROXY_ENV) delete process.env[name];
    const client = new SemilimesClient({ apiKey: keyOf(emu, DEMO.bot), baseUrl: emu.url, ...FAST_CLIENT });
    try {
      await assert.rejects(client.call('/account/my'));
    } finally {
      await client.close();
    }
  });

  it('honours HTTP_PROXY for REST, the WebSocket, file transfers and editor lookups', async () => {
    process.env.HTTP_PROXY = open.url;
    await load();
    await exerciseEverything();
    assert.match(open.log(), /CONNECT/, 'the proxy carried the connections');
  });

  it('uses the account\'s own proxy with basic auth, and never shows its password', async () => {
    await load({ proxy: locked.url }, { proxyUsername: 'nodered', proxyPassword: SECRET });
    await exerciseEverything();
    const everything = JSON.stringify([
      helper.log().args,
      ...['recv', 'send', 'up'].map((id) => helper.getNode(id).status.args),
    ]);
    assert.ok(!everything.includes(SECRET), 'the proxy password appeared in logs or statuses');
    assert.ok(!everything.includes(Buffer.from(`nodered:${SECRET}`).toString('base64')), 'nor its basic auth header');
  });

  it('the account\'s proxy wins over the environment\'s', async () => {
    process.env.HTTP_PROXY = 'http://127.0.0.1:1'; // nothing listens there
    await load({ proxy: open.url });
    await exerciseEverything();
  });

  it('a wrong proxy password fails messages with a clear error that names neither password', async () => {
    await load({ proxy: locked.url }, { proxyUsername: 'nodered', proxyPassword: 'wrong-one' });
    const result = await runThrough(helper, { payload: 'hello', recipientId: DEMO.alice }, { outId: 'sent' });
    assert.ok(result.error, 'the send failed');
    assert.match(result.error.message, /proxy .*refused the connection \(HTTP 40[17]\): check the proxy user name and password/);
    assert.ok(!/wrong-one|pr0xy/.test(result.error.message));
    assert.equal((await emu.control.messages()).filter((m) => m.dataComponent.text === 'hello').length, 0);
  });

  it('NO_PROXY sends matching hosts directly', async () => {
    const direct = await startEmulator({ port: 0 });
    try {
      process.env.HTTP_PROXY = 'http://127.0.0.1:1'; // a proxy that is down: only the direct route can work
      process.env.NO_PROXY = 'example.com, 127.0.0.1';
      await helper.load([nodes.account, nodes.send, nodes.catch], [
        tab(),
        accountNode(direct),
        sendNode('send', [['sent']]),
        helperNode('sent'),
        catchAll('catch', 'caught'),
        helperNode('caught'),
      ], { acc: { apiKey: keyOf(direct, DEMO.bot) } });
      const sent = await runThrough(helper, { payload: 'direct', recipientId: DEMO.alice }, { outId: 'sent' });
      assert.ok(sent.out, `send failed: ${sent.error && sent.error.message}`);
    } finally {
      await helper.unload();
      await direct.close();
    }
  });

  it('refuses proxy credentials written into the proxy address (they would be saved in the flow)', async () => {
    await load({ proxy: `http://nodered:${SECRET}@127.0.0.1:${locked.port}` });
    const result = await runThrough(helper, { payload: 'x', recipientId: DEMO.alice }, { outId: 'sent' });
    assert.ok(result.error);
    assert.match(result.error.message, /proxyCredentialsInUrl|proxy/);
    assert.ok(!JSON.stringify(helper.getNode('send').status.args).includes(SECRET));
  });
});
