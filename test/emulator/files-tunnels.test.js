'use strict';
// Streamed uploads (to memory or a files directory), and tunnel "open" backed by a real SSH server's settings.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { startEmulator, DEMO_IDS } = require('../../dist/emulator');

/** Writes a multipart body to the emulator in chunks of `chunkSize` bytes (so delimiters split across chunks). */
function rawUpload(emu, key, body, boundary, chunkSize) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${emu.url}/service/file/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    (async () => {
      for (let i = 0; i < body.length; i += chunkSize) {
        if (!req.write(body.subarray(i, i + chunkSize))) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })();
  });
}

function multipart(boundary, parts) {
  const pieces = [];
  for (const p of parts) {
    const filename = p.filename === undefined ? '' : `; filename="${p.filename}"`;
    pieces.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.field}"${filename}\r\nContent-Type: ${p.type}\r\n\r\n`,
      ),
    );
    pieces.push(p.bytes, Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}

async function download(emu, key, fileId) {
  const res = await fetch(`${emu.url}/service/file/download`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fileId }),
  });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('emulator: streamed uploads and tunnels on a real SSH server', function () {
  let dir;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-emu-files-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const mode of ['memory', 'files directory']) {
    it(`parses parts split at any byte and returns them byte-identical (${mode})`, async function () {
      const emu = await startEmulator(mode === 'memory' ? {} : { filesDir: dir });
      try {
        const key = emu.accounts.find((a) => a.accountId === DEMO_IDS.bot).apiKey;
        const boundary = 'xyzBOUNDARYxyz';
        // Content that contains almost-delimiters, CRLFs and the boundary text without its leading dashes.
        const tricky = Buffer.concat([
          Buffer.from(`\r\n--xyzBOUNDARYxy\r\n-${boundary}\r\n`),
          crypto.randomBytes(20_000),
        ]);
        const other = crypto.randomBytes(5000);
        const body = multipart(boundary, [
          { field: 'httpFiles', filename: 'tricky.bin', type: 'application/x-a', bytes: tricky },
          { field: 'note', type: 'text/plain', bytes: Buffer.from('a plain field is ignored') },
          { field: 'httpFiles', filename: 'other.bin', type: 'application/x-b', bytes: other },
        ]);
        for (const chunkSize of [1, 7, 4096]) {
          const res = await rawUpload(emu, key, body, boundary, chunkSize);
          assert.equal(res.status, 200, JSON.stringify(res.json));
          const files = res.json.data.uploadedFiles;
          assert.deepEqual(
            files.map((f) => [f.title, f.size]),
            [
              ['tricky.bin', tricky.length],
              ['other.bin', other.length],
            ],
          );
          const first = await download(emu, key, files[0].fileId);
          assert.ok(first.bytes.equals(tricky));
          assert.equal(first.type, 'application/x-a');
          assert.ok((await download(emu, key, files[1].fileId)).bytes.equals(other));
        }
        if (mode !== 'memory') assert.ok(fs.readdirSync(dir).length >= 6, 'kept on disk');
      } finally {
        await emu.close();
      }
      assert.deepEqual(fs.readdirSync(dir), [], 'closing the emulator removes the files it wrote');
    });
  }

  it('refuses uploads over maxUploadBytes (413) and truncated bodies (400)', async function () {
    const emu = await startEmulator({ maxUploadBytes: 1000 });
    try {
      const key = emu.accounts[0].apiKey;
      const big = multipart('b', [{ field: 'httpFiles', filename: 'x', type: 'a/b', bytes: Buffer.alloc(1001) }]);
      assert.equal((await rawUpload(emu, key, big, 'b', 512)).status, 413);
      const truncated = multipart('b', [
        { field: 'httpFiles', filename: 'x', type: 'a/b', bytes: Buffer.alloc(10) },
      ]).subarray(0, 60);
      const res = await rawUpload(emu, key, truncated, 'b', 512);
      assert.equal(res.status, 400);
      assert.match(res.json.error, /closing boundary/);
    } finally {
      await emu.close();
    }
  });

  it('opens tunnels on the configured SSH server and keeps its authorized keys in step with create and delete', async function () {
    const authorizedKeysFile = path.join(dir, 'authorized_keys');
    const emu = await startEmulator({ tunnelSsh: { host: '127.0.0.1', username: 'tunnel', authorizedKeysFile } });
    try {
      const key = emu.accounts[0].apiKey;
      const call = async (p, body) => {
        const res = await fetch(`${emu.url}${p}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return (await res.json()).data;
      };
      const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZ0ZXN0a2V5dGVzdGtleXRlc3RrZXl0ZXN0a2V5dA node';
      const { tunnelId } = await call('/service/tunnel/create', {
        name: 'n',
        clientPort: 1880,
        clientPath: '/ui',
        publicKey,
      });
      assert.equal(fs.readFileSync(authorizedKeysFile, 'utf8'), `restrict,port-forwarding ${publicKey}\n`);
      const opened = await call('/service/tunnel/open', { tunnelId });
      assert.equal(opened.host, '127.0.0.1');
      assert.equal(opened.username, 'tunnel');
      assert.ok(Number.isInteger(opened.port) && opened.port > 0);
      assert.equal(opened.tunnelUrl, `http://127.0.0.1:${opened.port}/ui`);
      assert.deepEqual(await call('/service/tunnel/open', { tunnelId }), opened, 'open again: same port');
      // A key with a line break must never become a second authorized_keys line.
      await call('/service/tunnel/create', {
        name: 'evil',
        clientPort: 1,
        publicKey: `${publicKey}\nssh-ed25519 AAAA injected`,
      });
      assert.equal(fs.readFileSync(authorizedKeysFile, 'utf8').split('\n').filter(Boolean).length, 1);
      await call('/service/tunnel/delete', { tunnelId });
      assert.equal(fs.readFileSync(authorizedKeysFile, 'utf8'), '');
    } finally {
      await emu.close();
    }
  });
});
