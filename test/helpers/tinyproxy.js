'use strict';
// A real HTTP proxy for the proxy tests: tinyproxy with its own temporary config (never the system's), listening on a
// free loopback port and connecting onwards from 127.0.0.2, so an emulator that accepts only 127.0.0.2 is reachable
// through the proxy and never directly. Optional basic auth. Nothing is skipped when tinyproxy is missing: starting it
// fails with a message that says what to install.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { spawn } = require('node:child_process');

const TINYPROXY = '/usr/bin/tinyproxy';
/** The address the proxy connects from: the only one the "firewalled" emulator accepts. */
const PROXY_SOURCE = '127.0.0.2';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const canConnect = (port) =>
  new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * Starts tinyproxy. `auth: {user, password}` makes it demand basic auth. Resolves with {url, port, log(), close()};
 * `log()` is what the proxy logged (its CONNECT lines show every connection it carried).
 */
async function startTinyproxy({ auth } = {}) {
  if (!fs.existsSync(TINYPROXY)) {
    throw new Error(`${TINYPROXY} not found: install tinyproxy (apt-get install tinyproxy) to run the proxy tests`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-tinyproxy-'));
  const port = await freePort();
  const logFile = path.join(dir, 'tinyproxy.log');
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    `Bind ${PROXY_SOURCE}`,
    'Timeout 60',
    'MaxClients 100',
    'LogLevel Connect',
    `LogFile "${logFile}"`,
    // No ConnectPort line: CONNECT to any port (the emulator's is a random one).
    ...(auth ? [`BasicAuth ${auth.user} ${auth.password}`] : []),
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'tinyproxy.conf'), `${config}\n`);
  const child = spawn(TINYPROXY, ['-d', '-c', path.join(dir, 'tinyproxy.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const started = Date.now();
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() - started > 5000) {
      child.kill();
      throw new Error(`tinyproxy did not start: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startTinyproxy, PROXY_SOURCE };
