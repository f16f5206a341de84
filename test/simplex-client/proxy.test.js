'use strict';
// A CLI on another machine, behind a TLS proxy with basic auth (as the reference recommends): the client connects
// with the password and the private CA (see test/helpers/simplex-proxy.js).
const assert = require('node:assert/strict');
const path = require('node:path');
const { SimplexClient } = require('../../dist/simplex');
const { startEmulator, waitFor, nextItem, received, FAST } = require('./helpers');
const { USER, PASSWORD, startTlsProxy } = require('../helpers/simplex-proxy');

describe('SimpleX client through a TLS proxy with basic auth', function () {
  this.timeout(20_000);
  let emu;
  let proxy;
  let ca;
  let lines;
  const logger = {
    debug: (m) => lines.push(m),
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
  };
  const clients = [];
  const client = (options) => {
    const c = new SimplexClient({ ...FAST, logger, ...options });
    clients.push(c);
    c.start();
    return c;
  };

  before(async () => {
    emu = await startEmulator();
    const started = await startTlsProxy(emu, path.join(emu.dir, 'tls'));
    ca = started.ca;
    proxy = started;
  });
  beforeEach(() => {
    lines = [];
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.stop();
  });
  after(async () => {
    if (proxy) await proxy.close();
    if (emu) await emu.close();
  });

  it('connects with the password and the private CA, and chats as usual', async () => {
    const bot = client({ url: `wss://localhost:${proxy.port}`, username: USER, password: PASSWORD, ca });
    await bot.session.ready(5000);
    assert.equal(bot.user.profile.displayName, 'HomeBot');
    assert.equal(bot.session.unencrypted, false);
    const incoming = nextItem(bot, received('through the proxy'));
    await emu.control.send({ from: 'Alice', text: 'through the proxy' });
    const item = await incoming;
    await bot.reply(item.chatRef, item.chatItemId, 'back through it');
    await waitFor(
      async () => (await emu.control.messages({ person: 'Alice' })).some((m) => m.text === 'back through it'),
      'the reply',
    );
  });

  it('takes the user name and password from the address, and shows them nowhere', async () => {
    const bot = client({ url: `wss://${USER}:${PASSWORD}@localhost:${proxy.port}`, ca });
    const states = [];
    bot.on('state', (s) => states.push(JSON.stringify(s)));
    await bot.session.ready(5000);
    await emu.control.dropSockets({});
    await waitFor(() => bot.session.stats.connects >= 2 && bot.user, 'the reconnect');
    const seen = [...lines, ...states].join('\n');
    assert.ok(!seen.includes(PASSWORD), seen);
  });

  it('goes to "unauthorized" with a slow retry when the proxy refuses the password', async () => {
    const bot = client({ url: `wss://localhost:${proxy.port}`, username: USER, password: 'wrong-password', ca });
    await waitFor(() => bot.state === 'unauthorized', 'the unauthorized state');
    const status = bot.session.status;
    assert.match(status.reason, /refused/);
    assert.match(status.reason, /401/);
    assert.ok(!JSON.stringify(status).includes('wrong-password'));
    assert.ok(!lines.join('\n').includes('wrong-password'));
    const err = await bot.command('/user', { offlineWaitMs: 200 }).catch((e) => e);
    assert.equal(err.code, 'OFFLINE');
  });

  it('refuses a proxy whose certificate it cannot verify', async () => {
    const bot = client({ url: `wss://localhost:${proxy.port}`, username: USER, password: PASSWORD });
    await waitFor(() => bot.session.status.retryInMs !== undefined, 'a failed attempt');
    assert.equal(bot.state, 'disconnected');
    assert.equal(bot.session.stats.connects, 0);
  });
});
