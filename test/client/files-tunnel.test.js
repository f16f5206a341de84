'use strict';
// Client library pieces for files and tunnels: transfers against the emulator over real sockets, key helpers, and
// the tunnel keeper's behaviour when the API side fails (the SSH side is covered with a real sshd in the node tests).
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const { Readable } = require('node:stream');
const {
  TunnelKeeper,
  UnauthorizedError,
  TimeoutError,
  InvalidInputError,
  filenameOf,
  contentTypeFor,
  generateTunnelKeyPair,
  generateTunnelKeyPairAsync,
  publicKeyOf,
  publicKeyIdentity,
  fingerprint,
} = require('../../dist/semilimes');
const { waitFor, clientSuite } = require('../helpers/env');

describe('client: file transfers and tunnel keeper', function () {
  let emu;
  const makeClient = clientSuite((started) => (emu = started));

  const source = (name, bytes, size = bytes.length) => ({
    name,
    contentType: 'application/octet-stream',
    size,
    open: () => Readable.from([bytes]),
  });

  it('sends an exact Content-Length when sizes are known and streams chunked when not', async () => {
    // A plain HTTP server that records what arrives, answering the documented envelope.
    const seen = [];
    const server = http.createServer((req, res) => {
      let size = 0;
      req.on('data', (d) => (size += d.length));
      req.on('end', () => {
        seen.push({
          length: req.headers['content-length'],
          chunked: req.headers['transfer-encoding'] === 'chunked',
          size,
          type: req.headers['content-type'],
        });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ success: true, statusCode: null, error: null, data: { uploadedFiles: [] } }));
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = makeClient({ baseUrl: `http://127.0.0.1:${server.address().port}` });
      await client.uploadFiles([source('a.bin', Buffer.alloc(1000)), source('b.bin', Buffer.alloc(5))]);
      await client.uploadFiles([
        { name: 'c.bin', contentType: 'x/y', open: () => Readable.from([Buffer.alloc(1000)]) },
      ]);
      assert.equal(Number(seen[0].length), seen[0].size);
      assert.equal(seen[0].chunked, false);
      assert.match(seen[0].type, /^multipart\/form-data; boundary=/);
      assert.equal(seen[1].length, undefined);
      assert.equal(seen[1].chunked, true);
    } finally {
      server.close();
    }
  });

  it('uploads from known and unknown sizes alike: both download whole', async () => {
    const client = makeClient();
    const bytes = crypto.randomBytes(100_000);
    const [known] = await client.uploadFiles([source('known.bin', bytes)]);
    const [unknown] = await client.uploadFiles([
      {
        name: 'unknown.bin',
        contentType: 'x/y',
        open: () => Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]),
      },
    ]);
    for (const file of [known, unknown]) {
      const answer = await client.downloadFile(file.fileId);
      const chunks = [];
      for await (const c of answer.body) chunks.push(c);
      assert.ok(Buffer.concat(chunks).equals(bytes));
      assert.equal(answer.size, bytes.length);
    }
  });

  it('leaves no listener on a long-lived abort signal after its uploads and downloads (a node shares one)', async () => {
    const { getEventListeners, setMaxListeners } = require('node:events');
    const client = makeClient();
    const node = new AbortController();
    setMaxListeners(0, node.signal);
    const bytes = crypto.randomBytes(20_000);
    for (let i = 0; i < 5; i++) {
      const [file] = await client.uploadFiles([source(`kept-${i}.bin`, bytes)], { signal: node.signal });
      const answer = await client.downloadFile(file.fileId, { signal: node.signal });
      const chunks = [];
      for await (const c of answer.body) chunks.push(c);
      assert.ok(Buffer.concat(chunks).equals(bytes));
    }
    await waitFor(() => getEventListeners(node.signal, 'abort').length === 0, 'every listener to be removed');
  });

  it('refuses a source whose size differs from the one declared (file changed while uploading)', async () => {
    const client = makeClient();
    await assert.rejects(
      client.uploadFiles([source('shrunk.bin', Buffer.alloc(10), 20)]),
      (err) => err instanceof InvalidInputError && /changed/.test(err.message),
    );
    await assert.rejects(
      client.uploadFiles([source('grown.bin', Buffer.alloc(30), 20)]),
      (err) => err instanceof InvalidInputError && /changed/.test(err.message),
    );
    await assert.rejects(client.uploadFiles([]), InvalidInputError);
  });

  it('reports a refused key as UnauthorizedError and a stalled transfer as TimeoutError', async () => {
    const wrong = makeClient({ apiKey: 'not-a-key' });
    await assert.rejects(wrong.uploadFiles([source('a.txt', Buffer.from('a'))]), UnauthorizedError);
    await assert.rejects(wrong.downloadFile('x'), UnauthorizedError);
    const slow = makeClient({ transferIdleTimeoutMs: 200 });
    // undici runs its header and body timeouts on a coarse clock (ticks of about half a second), so a 200 ms idle
    // timeout fires after 0.5-1.5 s: the answer is held well past that.
    await emu.control.setDelay(3000);
    await assert.rejects(slow.uploadFiles([source('a.txt', Buffer.from('a'))]), TimeoutError);
  });

  it('validates the thumbnail width before sending', async () => {
    const client = makeClient();
    await assert.rejects(client.downloadFile('x', { thumbnailSize: -5 }), InvalidInputError);
    await assert.rejects(client.downloadFile('x', { thumbnailSize: 2.5 }), InvalidInputError);
    assert.equal((await emu.control.requests()).length, 0);
  });

  it('reads file names from Content-Disposition and content types from extensions', () => {
    assert.equal(filenameOf('attachment; filename="a b.jpg"'), 'a b.jpg');
    assert.equal(filenameOf("attachment; filename=plain.txt; filename*=UTF-8''Gr%C3%BC%C3%9Fe.txt"), 'Grüße.txt');
    assert.equal(filenameOf('attachment'), undefined);
    assert.equal(filenameOf(undefined), undefined);
    assert.equal(contentTypeFor('Photo.JPEG'), 'image/jpeg');
    assert.equal(contentTypeFor('clip.mp4'), 'video/mp4');
    assert.equal(contentTypeFor('archive.unknownext'), 'application/octet-stream');
    assert.equal(contentTypeFor('noextension'), 'application/octet-stream');
  });

  it('makes RSA (default) and ed25519 key pairs whose public half can be rebuilt, and OpenSSH-style fingerprints', async () => {
    assert.match(generateTunnelKeyPair().publicKey, /^ssh-rsa [A-Za-z0-9+/=]+ semilimes-tunnel$/);
    assert.match((await generateTunnelKeyPairAsync()).publicKey, /^ssh-rsa [A-Za-z0-9+/=]+ semilimes-tunnel$/);
    assert.match(
      (await generateTunnelKeyPairAsync('ed25519')).publicKey,
      /^ssh-ed25519 [A-Za-z0-9+/=]+ semilimes-tunnel$/,
    );
    for (const type of ['rsa', 'ed25519']) {
      const pair = generateTunnelKeyPair(type);
      assert.equal(publicKeyIdentity(publicKeyOf(pair.privateKey, 'other comment')), publicKeyIdentity(pair.publicKey));
      assert.notEqual(generateTunnelKeyPair(type).publicKey, pair.publicKey);
    }
    assert.throws(
      () => publicKeyOf('not a key'),
      (err) => err instanceof InvalidInputError && !/not a key/.test(err.message),
    );
    const blob = Buffer.from('host key blob');
    assert.equal(
      fingerprint(blob),
      `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
    );
  });

  it('keeper: retries with backoff while the API fails, creating the tunnel only once', async () => {
    const client = makeClient();
    const keeper = new TunnelKeeper({
      api: client,
      keys: generateTunnelKeyPair(),
      name: 'retry',
      clientPort: 1880,
      localHost: '127.0.0.1',
      localPort: 1880,
      sshPort: 22, // the emulator without tunnelSsh answers a placeholder host that does not resolve
      backoff: { initialMs: 20, maxMs: 40, jitter: 0 },
    });
    const states = [];
    keeper.on('status', (s) => states.push(s));
    await emu.control.failNext({ count: 2, status: 500 });
    keeper.start();
    try {
      await waitFor(() => states.filter((s) => s.state === 'down').length >= 3, 'three failed attempts');
      const downs = states.filter((s) => s.state === 'down');
      assert.match(downs[0].error.message, /HTTP 500/);
      assert.ok(downs.every((s) => s.retryInMs <= 40));
      const creates = (await emu.control.requests()).filter((r) => r.path === '/service/tunnel/create');
      assert.equal(creates.length, 1, 'the tunnel is created once and then reused');
    } finally {
      await keeper.stop();
    }
    assert.equal(keeper.status.state, 'stopped');
  });
  it('keeper: a stop while "open" is still answering waits for it and closes the tunnel on the API', async () => {
    const client = makeClient();
    const keeper = new TunnelKeeper({
      api: client,
      keys: generateTunnelKeyPair(),
      name: 'stop while opening',
      clientPort: 1880,
      localHost: '127.0.0.1',
      localPort: 1880,
      sshPort: 22,
    });
    const requested = async (p) => (await emu.control.requests()).filter((r) => r.path === p).length;
    // Every answer comes 300 ms after the request took effect: the stop lands while the open is in flight.
    await emu.control.setDelay(300);
    try {
      keeper.start();
      await waitFor(() => requested('/service/tunnel/open'), 'the open request');
      await keeper.stop(true);
      assert.equal(await requested('/service/tunnel/close'), 1, 'the tunnel opened on the API is closed again');
      assert.equal(keeper.status.state, 'stopped');
    } finally {
      await emu.control.setDelay(0);
      await keeper.stop();
    }
  });
});
