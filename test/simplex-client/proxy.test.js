'use strict';
// A CLI on another machine, behind a TLS proxy with basic auth (as the reference recommends): a real HTTPS server
// with a certificate from a private CA, checking the Authorization header, then passing the upgrade through to the
// emulated CLI byte for byte.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const net = require('node:net');
const path = require('node:path');
const { SimplexClient } = require('../../dist/simplex');
const { startEmulator, waitFor, nextItem, received, FAST } = require('./helpers');

const USER = 'bot';
const PASSWORD = 'pr0xy-s3cret';

function startProxy(emu, cert, key) {
  const server = https.createServer({ cert, key }, (_req, res) => res.writeHead(426).end());
  const sockets = new Set();
  server.on('upgrade', (req, socket, head) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="simplex"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(emu.port, '127.0.0.1', () => {
      let request = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (req.rawHeaders[i].toLowerCase() !== 'authorization')
          request += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      }
      upstream.write(`${request}\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    }),
  );
}

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
    const dir = path.join(emu.dir, 'tls');
    fs.mkdirSync(dir);
    // A private CA and a server certificate it signs, made fresh for the test.
    const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    run(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '1',
      '-subj',
      '/CN=Test CA',
    );
    run(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=localhost',
    );
    fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    run(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '1',
      '-extfile',
      'ext.cnf',
    );
    ca = fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');
    proxy = await startProxy(
      emu,
      fs.readFileSync(path.join(dir, 'server.pem')),
      fs.readFileSync(path.join(dir, 'server.key')),
    );
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
