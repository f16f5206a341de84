'use strict';
// A CLI on another machine, behind a TLS proxy with basic auth (as the SimpleX reference recommends): a real HTTPS
// server with a certificate from a private CA made fresh for the test, checking the Authorization header, then
// passing the upgrade through to the emulated CLI byte for byte. Used by the client and the node tests.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const net = require('node:net');
const path = require('node:path');

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

/** A private CA and a localhost certificate it signs, in `dir`: { ca (PEM text), cert, key }. */
function makeCertificates(dir) {
  fs.mkdirSync(dir, { recursive: true });
  // A private CA and a server certificate it signs.
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
  return {
    ca: fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    cert: fs.readFileSync(path.join(dir, 'server.pem')),
    key: fs.readFileSync(path.join(dir, 'server.key')),
  };
}

/** The proxy in front of `emu` with fresh certificates under `dir`: { ca, port, close() }. */
async function startTlsProxy(emu, dir) {
  const { ca, cert, key } = makeCertificates(dir);
  const proxy = await startProxy(emu, cert, key);
  return { ca, port: proxy.port, close: proxy.close };
}

module.exports = { USER, PASSWORD, startTlsProxy };
