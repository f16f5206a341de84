'use strict';
// A real OpenSSH server for the tunnel tests: its own temporary directory, config and host key (never the system's),
// listening on a free loopback port, allowing remote port forwarding only. Nothing is skipped when sshd is missing:
// starting it fails with a message that says what to install.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { execFileSync, spawn } = require('node:child_process');

const SSHD = '/usr/sbin/sshd';
/** sshd refuses to start without its privilege separation directory. */
const PRIVSEP_DIR = '/run/sshd';

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

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Every process below `pid` (sshd forks one monitor per session, which outlives the listener). */
function descendants(pid) {
  const parents = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found = [];
  const walk = (parent) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/**
 * A fresh ed25519 host key made by OpenSSH's own ssh-keygen (what sshd loads without fail), written beside the old
 * one and renamed over it, so a running sshd never reads a half-written key.
 */
function writeHostKey(file) {
  const fresh = `${file}.new`;
  fs.rmSync(fresh, { force: true });
  fs.rmSync(`${fresh}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test-sshd-host', '-f', fresh], {
    stdio: 'ignore',
  });
  fs.renameSync(`${fresh}.pub`, `${file}.pub`);
  fs.renameSync(fresh, file);
}

/**
 * Starts sshd. `authorizedKeysFile` is where the emulator writes the tunnel keys. Returns controls to stop it,
 * restart it (killing every session, like a server reboot) and to replace its host key.
 */
async function startSshd({ authorizedKeysFile, username = os.userInfo().username }) {
  if (!fs.existsSync(SSHD)) {
    throw new Error(
      `${SSHD} not found: the tunnel tests need OpenSSH's server (apt-get install openssh-server; .ci/run does this)`,
    );
  }
  if (!fs.existsSync(PRIVSEP_DIR)) {
    try {
      fs.mkdirSync(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
    } catch (err) {
      throw new Error(`sshd needs ${PRIVSEP_DIR} and it could not be created (${err.message}); run the tests as root`, {
        cause: err,
      });
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-sshd-'));
  const hostKey = path.join(dir, 'host_key');
  writeHostKey(hostKey);
  if (!fs.existsSync(authorizedKeysFile)) fs.writeFileSync(authorizedKeysFile, '', { mode: 0o600 });
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeysFile}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${username}`,
      'UsePAM no',
      'StrictModes no',
      'AllowTcpForwarding remote',
      'GatewayPorts no',
      'X11Forwarding no',
      'PermitTTY no',
      'ClientAliveInterval 5',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );

  let child;
  let log = '';

  async function start() {
    child = spawn(SSHD, ['-D', '-f', config, '-e'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => (log += d.toString()));
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const until = Date.now() + 10_000;
    for (;;) {
      if (await canConnect(port)) return;
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 50))]);
      if (code !== undefined) throw new Error(`sshd exited with ${code} at start:\n${log}`);
      if (Date.now() > until) throw new Error(`sshd did not listen on ${port} within 10 s:\n${log}`);
    }
  }

  /** Ends the listener and every session it forked (their forwarded ports close with them). */
  async function stop() {
    if (!child || child.exitCode !== null) return;
    const sessions = descendants(child.pid);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    for (const pid of sessions) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await exited;
    const until = Date.now() + 5000;
    while (descendants(child.pid).length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }

  await start();
  return {
    port,
    username,
    get log() {
      return log;
    },
    hostKeyFile: hostKey,
    stop,
    async restart() {
      await stop();
      await start();
    },
    /** A new host key, as if the server were replaced (takes effect at the next restart). */
    replaceHostKey() {
      writeHostKey(hostKey);
    },
    async close() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startSshd, freePort };
