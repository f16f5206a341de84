'use strict';
// The tunnel node in a real Node-RED runtime, against the emulator as the tunnel API and a REAL OpenSSH server as the
// tunnel provider: HTTP requests to the port forwarded on sshd reach a local HTTP server through our node.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { helper, nodes, FAST_CLIENT, BASE_SETTINGS, DEMO, keyOf, waitFor, delay, accountNode, startEmulator, coreNode, redCli, freePort, exampleEnvFor } = require('../helpers/env');
const { DEMO_IDS } = require('../../dist/emulator');
const { spawn } = require('node:child_process');

// Core nodes from the Node-RED under test (NODE_RED_PATH selects another one, e.g. 5.x), as env.js does.
const core = coreNode;
const { startSshd } = require('../helpers/sshd');
const { tab, tunnelNode, helperNode, catchAll, recordErrors } = require('../helpers/flows');
const { recordOutcomes } = require('../helpers/outcomes');
const { generateTunnelKeyPair } = require('../../dist/semilimes');

const tunnelType = require('../../dist/nodes/semilimes-tunnel.js');
const FAST_TUNNEL = {
  backoff: { initialMs: 100, maxMs: 400, factor: 2, jitter: 0, stableMs: 1000 },
  keepaliveIntervalMs: 1000,
  readyTimeoutMs: 5000,
};

/** GET through the tunnel's public address; resolves { status, body } or rejects with the socket error. */
function get(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.setTimeout(3000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

describe('semilimes-tunnel node (real sshd)', function () {
  // The shipped example in this suite reads its person's id from the environment, as in the demo.
  exampleEnvFor(DEMO_IDS);
  this.timeout(30000);
  let dir;
  let sshd;
  let emu;
  let local;
  let localPort;
  let keys;
  let stateDir;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-tunnel-test-'));
    const authorizedKeysFile = path.join(dir, 'authorized_keys');
    sshd = await startSshd({ authorizedKeysFile });
    emu = await startEmulator({ tunnelSsh: { host: '127.0.0.1', username: sshd.username, authorizedKeysFile } });
    local = http.createServer((req, res) => res.end(`local service saw ${req.method} ${req.url}`));
    await new Promise((resolve) => local.listen(0, '127.0.0.1', resolve));
    localPort = local.address().port;
    stateDir = path.join(dir, 'state', 'semilimes-tunnels');
    helper.settings({ ...BASE_SETTINGS, semilimesTunnelOptions: FAST_TUNNEL, semilimesTunnelDir: stateDir });
  });

  after(async () => {
    helper.settings({ ...BASE_SETTINGS });
    if (emu) await emu.close();
    if (sshd) await sshd.close();
    if (local) local.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    keys = generateTunnelKeyPair();
  });

  afterEach(async () => {
    await helper.unload();
    // Each test starts with no tunnel: delete what the previous one left.
    for (const t of await tunnels()) {
      await fetch(`${emu.url}/service/tunnel/delete`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keyOf(emu, DEMO.bot)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tunnelId: t.tunnelId }),
      });
    }
    await emu.control.reset();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  function flow(settings = {}) {
    return [
      tab(),
      accountNode(emu),
      tunnelNode('tun', [['out']], {
        tunnelName: 'test tunnel',
        description: 'from the tests',
        localPort,
        sshPort: sshd.port,
        ...settings,
      }),
      helperNode('out'),
      catchAll('catch', 'caught'),
      helperNode('caught'),
    ];
  }

  function credentials(extra = {}) {
    return {
      acc: { apiKey: keyOf(emu, DEMO.bot) },
      tun: { privateKey: keys.privateKey, publicKey: keys.publicKey, ...extra },
    };
  }

  /** Collects what the tunnel node emits and shows. */
  function watch() {
    const seen = { up: [], statuses: [], caught: [] };
    helper.getNode('out').on('input', (m) => {
      if (m.topic === 'up') seen.up.push(m);
    });
    helper.getNode('caught').on('input', (m) => seen.caught.push(m));
    const node = helper.getNode('tun');
    const original = node.status.bind(node);
    node.status = (s) => {
      seen.statuses.push(s);
      return original(s);
    };
    return seen;
  }

  async function load(settings, creds = credentials()) {
    await helper.load([nodes.account, tunnelType, nodes.catch], flow(settings), creds);
    return watch();
  }

  /** The bot's tunnels as the API lists them. */
  async function tunnels() {
    const res = await fetch(`${emu.url}/service/tunnel`, {
      headers: { authorization: `Bearer ${keyOf(emu, DEMO.bot)}` },
    });
    return (await res.json()).data;
  }

  const requestsTo = async (p) => (await emu.control.requests()).filter((r) => r.path === p).length;

  /** Sends a message to the node and resolves with what came out, or what reached the Catch node. */
  function run(msg) {
    return new Promise((resolve) => {
      const out = helper.getNode('out');
      const caught = helper.getNode('caught');
      const finish = (result) => {
        out.off('input', onOut);
        caught.off('input', onCaught);
        resolve(result);
      };
      const onOut = (m) => {
        if (m.topic !== 'up') finish({ out: m });
      };
      const onCaught = (m) => finish({ error: m.error });
      out.on('input', onOut);
      caught.on('input', onCaught);
      helper.getNode('tun').receive(msg);
    });
  }

  it('serves HTTP through the SSH reverse forward and shows the public address', async () => {
    const seen = await load();
    const up = await waitFor(() => seen.up[0], 'the tunnel to come up', 15000);
    assert.match(up.payload, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(up.tunnel.state, 'up');

    const answer = await get(`${up.payload}status?x=1`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'local service saw GET /status?x=1');

    const last = seen.statuses[seen.statuses.length - 1];
    assert.deepEqual(last, { fill: 'green', shape: 'dot', text: up.payload });

    // Created once, with this node's public key, which the emulator authorized on the SSH server.
    const list = await tunnels();
    assert.equal(list.length, 1);
    assert.equal(list[0].publicKey, keys.publicKey);
    assert.equal(list[0].tunnelUrl, up.payload);
    const authorized = fs.readFileSync(path.join(dir, 'authorized_keys'), 'utf8');
    assert.ok(authorized.includes(keys.publicKey.split(' ')[1]));
    // The host key was pinned, and the tunnel id kept, in the node's credentials.
    const stored = helper._redNodes.getCredentials('tun');
    assert.match(stored.hostKey, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(stored.tunnelId, list[0].tunnelId);
  });

  it('comes back after sshd restarts (every session killed)', async () => {
    const seen = await load();
    const first = await waitFor(() => seen.up[0], 'the tunnel to come up', 15000);
    await sshd.restart();
    await assert.rejects(get(first.payload)); // nothing serves the port until the node reconnects
    const second = await waitFor(() => seen.up[1], 'the tunnel to come back', 15000);
    assert.equal(second.payload, first.payload); // same tunnel, same address
    const answer = await get(second.payload);
    assert.equal(answer.body, 'local service saw GET /');
    assert.equal((await tunnels()).length, 1);
  });

  it('refuses a changed host key with a clear error and does not reconnect', async () => {
    const seen = await load();
    const up = await waitFor(() => seen.up[0], 'the tunnel to come up', 15000);
    const pinned = helper._redNodes.getCredentials('tun').hostKey;
    sshd.replaceHostKey();
    await sshd.restart();
    const refused = await waitFor(
      () => seen.statuses.find((s) => s.text === 'semilimes-tunnel.status.hostKeyChanged'),
      'the changed host key to be refused',
      15000,
    );
    assert.equal(refused.fill, 'red');
    const logged = helper
      .log()
      .args.map((a) => a[0])
      .filter((e) => e && e.level === 20 && /host key changed/.test(e.msg));
    assert.ok(logged.length >= 1, 'the refusal is logged as an error');
    assert.ok(logged[0].msg.includes(pinned));
    await delay(1000); // longer than several backoff delays: no new attempt may follow
    assert.equal(seen.up.length, 1);
    await assert.rejects(get(up.payload));
    assert.equal((sshd.log.match(/Accepted publickey/g) || []).length >= 1, true);
    assert.equal(helper._redNodes.getCredentials('tun').hostKey, pinned, 'the pin is kept, not replaced');
  });

  it('reuses its tunnel across three redeploys and a restart, closing it on the API each time', async () => {
    const seen = await load();
    await waitFor(() => seen.up[0], 'the tunnel to come up', 15000);
    const tunnelId = (await tunnels())[0].tunnelId;
    // The runtime's status events, subscribed before each deploy so that a fast "up" is not missed.
    const upAfterDeploy = async (deploy, what) => {
      let up;
      const onStatus = (e) => {
        if (e.id === 'tun' && e.status && e.status.fill === 'green') up = e.status.text;
      };
      helper._events.on('node-status', onStatus);
      try {
        await deploy();
        return await waitFor(() => up, what, 15000);
      } finally {
        helper._events.off('node-status', onStatus);
      }
    };
    for (let i = 1; i <= 3; i++) {
      // Like an editor deploy: the account's credentials are sent again; the tunnel node's stored ones stay.
      const url = await upAfterDeploy(
        () => helper.setFlows(flow({ description: `deploy ${i}` }), 'full', { acc: { apiKey: keyOf(emu, DEMO.bot) } }),
        `the tunnel after redeploy ${i}`,
      );
      assert.equal((await get(url)).status, 200);
    }
    // A restart that lost the tunnel id (only the key pair survived: no deploy saved the id, and the state file is
    // gone too) finds the tunnel by its public key.
    fs.rmSync(path.join(stateDir, 'tun.json'));
    await upAfterDeploy(async () => {
      await helper.setFlows(flow(), 'full', credentials());
      assert.equal(helper._redNodes.getCredentials('tun').tunnelId, undefined);
    }, 'the tunnel after a restart');

    const list = await tunnels();
    assert.equal(list.length, 1, 'no duplicate tunnels');
    assert.equal(list[0].tunnelId, tunnelId);
    assert.equal(await requestsTo('/service/tunnel/create'), 1);
    assert.equal(await requestsTo('/service/tunnel/close'), 4);
  });

  it('keeps a key made at run time, the tunnel id and the pin across restarts without a deploy', async () => {
    // A new object each time: the runtime keeps (and adds to) the object it loaded credentials from.
    const accountOnly = () => ({ acc: { apiKey: keyOf(emu, DEMO.bot) } });
    // A flow imported without the tunnel's credentials: the node makes its key at start.
    let seen = await load({}, accountOnly());
    await waitFor(() => seen.up[0], 'the tunnel to come up', 15000);
    const first = helper._redNodes.getCredentials('tun');
    const [tunnel] = await tunnels();
    assert.equal(tunnel.publicKey, first.publicKey);

    // Learned values are on disk at once, privately, under the configured directory (never the working directory).
    const file = path.join(stateDir, 'tun.json');
    await waitFor(() => fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).hostKey, 'the state file');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(stateDir).mode & 0o777, 0o700);
    assert.ok(!fs.existsSync(path.join(process.cwd(), 'tun.json')));
    const secret = first.privateKey.split('\n')[2];
    assert.ok(!JSON.stringify(helper.log().args).includes(secret), 'the private key is never logged');

    // A restart: the runtime starts again from the credentials file, which no deploy has written since the import.
    const lookups = await requestsTo('/service/tunnel');
    await helper.unload();
    seen = await load({}, accountOnly());
    const again = await waitFor(() => seen.up[0], 'the tunnel after a restart', 15000);
    assert.equal(again.tunnel.tunnelId, tunnel.tunnelId);
    assert.equal(await requestsTo('/service/tunnel'), lookups, 'the id was known: no lookup by key');
    const second = helper._redNodes.getCredentials('tun');
    assert.equal(second.privateKey, first.privateKey, 'the same key, not a new one');
    assert.equal(second.hostKey, first.hostKey);
    assert.equal((await tunnels()).length, 1, 'no duplicate tunnel');
    assert.equal(await requestsTo('/service/tunnel/create'), 1);

    // The server's key changes while Node-RED is down: after the restart the pin still refuses it.
    await helper.unload();
    sshd.replaceHostKey();
    await sshd.restart();
    seen = await load({}, accountOnly());
    await waitFor(
      () => seen.statuses.find((s) => s.text === 'semilimes-tunnel.status.hostKeyChanged'),
      'the changed host key to be refused after a restart',
      15000,
    );
    await delay(500);
    assert.equal(seen.up.length, 0);

    // "forget" in the editor (a new hostKeyReset, the pin credential cleared) and a deploy accept the new key.
    await helper.unload();
    seen = await load({ hostKeyReset: 'forgotten-once' }, accountOnly());
    await waitFor(() => seen.up[0], 'the tunnel with the new host key', 15000);
    const repinned = helper._redNodes.getCredentials('tun').hostKey;
    assert.notEqual(repinned, first.hostKey);
    await waitFor(() => JSON.parse(fs.readFileSync(file, 'utf8')).hostKey === repinned, 'the new pin on disk');
    assert.equal((await tunnels()).length, 1);
  });

  it('in a real Node-RED process: a restart without a deploy keeps the key, the tunnel and the pin', async () => {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-tunnel-restart-'));
    const settings = {
      uiHost: '127.0.0.1',
      uiPort: await freePort(),
      flowFile: 'flows.json',
      credentialSecret: false,
      nodesDir: [path.join(__dirname, '..', '..', 'dist', 'nodes')],
      semilimesClientOptions: FAST_CLIENT,
      semilimesTunnelOptions: FAST_TUNNEL,
      semilimesKeyDir: path.join(userDir, 'keys'),
      logging: { console: { level: 'warn' } },
    };
    fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
    // An imported flow: the tunnel node has no credentials at all, and no deploy happens in this test.
    const flows = flow()
      .filter((n) => n.type !== 'helper' && n.type !== 'catch')
      .map((n) => ({ ...n, wires: n.wires ? [[]] : undefined }));
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
    const credentialsFile = JSON.stringify({ acc: { apiKey: keyOf(emu, DEMO.bot) } });
    fs.writeFileSync(path.join(userDir, 'flows_cred.json'), credentialsFile);
    let red;
    let output = '';
    const start = () => {
      output = '';
      red = spawn(process.execPath, [redCli, '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
        cwd: userDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      red.stdout.on('data', (d) => (output += d));
      red.stderr.on('data', (d) => (output += d));
    };
    const stop = async () => {
      if (!red || red.exitCode !== null) return;
      const exited = new Promise((resolve) => red.once('exit', resolve));
      red.kill('SIGTERM');
      await exited;
    };
    const served = async () => {
      const [t] = await tunnels();
      return (
        t &&
        t.tunnelUrl &&
        get(t.tunnelUrl).then(
          (a) => a.body === 'local service saw GET /',
          () => false,
        )
      );
    };
    const file = path.join(userDir, 'semilimes-tunnels', 'tun.json');
    try {
      start();
      await waitFor(served, 'the tunnel to serve', 25000).catch((err) => {
        throw new Error(`${err.message}\n${output}`);
      });
      await waitFor(() => fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).hostKey, 'the pin on disk');
      const before = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      const [tunnel] = await tunnels();
      await stop();

      start();
      await waitFor(
        async () => (await requestsTo('/service/tunnel/open')) >= 2 && served(),
        'the tunnel after the restart',
        25000,
      ).catch((err) => {
        throw new Error(`${err.message}\n${output}`);
      });
      assert.equal(
        fs.readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8'),
        credentialsFile,
        'no deploy wrote credentials',
      );
      const list = await tunnels();
      assert.equal(list.length, 1, 'no duplicate tunnel');
      assert.equal(list[0].tunnelId, tunnel.tunnelId);
      assert.equal(list[0].publicKey, before.publicKey, 'the same key');
      assert.equal(await requestsTo('/service/tunnel/create'), 1);
      await stop();

      // The server's key changes while Node-RED is down: the restarted node still refuses it.
      sshd.replaceHostKey();
      await sshd.restart();
      start();
      await waitFor(() => /host key changed/.test(output), 'the changed host key to be refused', 25000).catch((err) => {
        throw new Error(`${err.message}\n${output}`);
      });
      assert.equal(await served(), false);
      assert.ok(!output.includes(before.privateKey.split('\n')[2]), 'the private key is never logged');
    } finally {
      await stop();
      fs.rmSync(userDir, { recursive: true, force: true });
    }
  });

  it('removes its state file when the node is removed', async () => {
    const seen = await load();
    await waitFor(() => seen.up[0], 'the tunnel to come up', 15000);
    const file = path.join(stateDir, 'tun.json');
    await waitFor(() => fs.existsSync(file), 'the state file');
    await helper.setFlows([{ id: 'f1', type: 'tab' }, accountNode(emu)], 'full', {
      acc: { apiKey: keyOf(emu, DEMO.bot) },
    });
    await waitFor(() => !fs.existsSync(file), 'the state file to be removed');
  });

  it('a "start" still waiting when the flow stops ends with an error at once, and sends nothing', async () => {
    await load({ autoStart: false });
    const outputs = [];
    helper.getNode('out').on('input', (m) => outputs.push(m));
    // done(err) reaches node.error; where it goes next (Catch node or log) depends on how far the flow has stopped.
    const failed = recordErrors(helper.getNode('tun'));
    // Answers come late, so "start" waits for the open while the flow is stopped.
    await emu.control.setDelay(1000);
    try {
      helper.getNode('tun').receive({ action: 'start' });
      await waitFor(() => requestsTo('/service/tunnel/create'), 'the start to be under way');
      // A deploy that removes the node (the log stays recorded, unlike after unload).
      await helper.setFlows([{ id: 'f1', type: 'tab' }, accountNode(emu)], 'full', {
        acc: { apiKey: keyOf(emu, DEMO.bot) },
      });
      const closedError = () => failed.some((e) => /semilimes-tunnel\.errors\.closed/.test(String(e && e.message)));
      await delay(50);
      assert.ok(closedError(), 'the waiting start failed with "closed" before the close completed');
      await delay(1500);
      assert.equal(outputs.length, 0, 'nothing is sent by a stopped node');
    } finally {
      await emu.control.setDelay(0);
    }
  });

  it('stays up while the local service is down, and serves again when it is back', async () => {
    // A local service that can be stopped: a port with nothing behind it, then a server on the same port.
    const spare = http.createServer((req, res) => res.end('back again'));
    await new Promise((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const sparePort = spare.address().port;
    await new Promise((resolve) => spare.close(resolve));
    const seen = await load({ localPort: sparePort });
    const up = await waitFor(() => seen.up[0], 'the tunnel to come up', 15000);
    await assert.rejects(get(up.payload)); // the forward accepts, the local side refuses: the request fails cleanly
    const again = http.createServer((req, res) => res.end('back again'));
    await new Promise((resolve) => again.listen(sparePort, '127.0.0.1', resolve));
    try {
      assert.equal((await get(up.payload)).body, 'back again');
      assert.equal(seen.up.length, 1, 'the tunnel itself never went down');
      assert.equal(seen.caught.length, 0);
    } finally {
      again.close();
    }
  });

  it('closes the SSH session and the tunnel on the API when the node is removed', async () => {
    const seen = await load();
    const up = await waitFor(() => seen.up[0], 'the tunnel to come up', 15000);
    await helper.setFlows([{ id: 'f1', type: 'tab' }, accountNode(emu)], 'full', {
      acc: { apiKey: keyOf(emu, DEMO.bot) },
    });
    await waitFor(async () => (await tunnels())[0].host === null, 'the tunnel to be closed on the API');
    await waitFor(
      () =>
        get(up.payload).then(
          () => false,
          () => true,
        ),
      'the forwarded port to close',
    );
  });

  it('answers start, stop, status, list, create and delete, and refuses unknown actions', async () => {
    await load({ autoStart: false });
    await delay(200);
    assert.equal(await requestsTo('/service/tunnel/create'), 0, 'nothing happens until started');
    assert.equal((await run({})).out.payload.state, 'stopped', 'no action means status');

    const started = await run({ action: 'start' });
    assert.equal(started.out.payload.state, 'up');
    assert.equal((await get(started.out.payload.tunnelUrl)).status, 200);

    const listed = await run({ payload: 'list' });
    assert.equal(listed.out.payload.length, 1);
    assert.equal(listed.out.payload[0].tunnelId, started.out.payload.tunnelId);

    const created = await run({ action: 'create' });
    assert.deepEqual(
      created.out.payload,
      { tunnelId: started.out.payload.tunnelId },
      "create reuses this node's tunnel",
    );

    const stopped = await run({ action: 'stop' });
    assert.equal(stopped.out.payload.state, 'stopped');
    await assert.rejects(get(started.out.payload.tunnelUrl));
    assert.equal((await tunnels())[0].host, null);

    const bad = await run({ action: 'explode', payload: 'x' });
    assert.equal(bad.out, undefined);
    assert.match(bad.error.message, /badAction/);

    const deleted = await run({ action: 'delete' });
    assert.deepEqual(deleted.out.payload, {});
    assert.equal((await tunnels()).length, 0);
    assert.equal(helper._redNodes.getCredentials('tun').tunnelId, undefined);
    assert.ok(!fs.readFileSync(path.join(dir, 'authorized_keys'), 'utf8').includes(keys.publicKey.split(' ')[1]));
  });

  it('makes and keeps a key pair when the flow has none, and never shows the private key', async () => {
    const seen = await load({}, { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    const up = await waitFor(() => seen.up[0], 'the tunnel to come up', 15000);
    const stored = helper._redNodes.getCredentials('tun');
    assert.match(stored.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----/);
    assert.match(stored.publicKey, /^ssh-rsa /, 'RSA, as the documentation asks, unless the node says otherwise');
    assert.equal((await tunnels())[0].publicKey, stored.publicKey);
    const secret = stored.privateKey.split('\n')[2];
    const visible = JSON.stringify([helper.log().args, seen.statuses, up, await emu.control.requests()]);
    assert.ok(!visible.includes(secret), 'the private key must not appear in logs, status, messages or requests');
    assert.ok(helper.log().args.some((a) => a[0] && a[0].msg === 'semilimes-tunnel.warnings.keyGenerated'));
  });

  it('shows why it cannot work and fails each action with that reason: no account, a bad port, a broken key', async () => {
    const cases = [
      { settings: { account: '' }, creds: credentials(), key: 'semilimes-tunnel.errors.noAccount' },
      { settings: { localPort: 0 }, creds: credentials(), key: 'semilimes-tunnel.errors.badLocalPort' },
      { settings: { sshPort: 70000 }, creds: credentials(), key: 'semilimes-tunnel.errors.badSshPort' },
      {
        settings: {},
        creds: { ...credentials(), tun: { privateKey: 'not a key', publicKey: keys.publicKey } },
        key: 'semilimes-tunnel.errors.badKey',
      },
    ];
    for (const { settings, creds, key } of cases) {
      // Shown while the node starts: watched through the runtime's status events, subscribed before the load.
      const statuses = [];
      const onStatus = (e) => e.id === 'tun' && statuses.push(e.status);
      helper._events.on('node-status', onStatus);
      try {
        await load(settings, creds);
        await waitFor(() => statuses.some((s) => s.text === key && s.fill === 'red'), `the status "${key}"`);
      } finally {
        helper._events.off('node-status', onStatus);
      }
      const { out, error } = await run({ action: 'start' });
      assert.equal(out, undefined);
      assert.ok(error.message.endsWith(key), error.message);
      await helper.unload();
    }
    assert.equal(await requestsTo('/service/tunnel/create'), 0, 'nothing was created');
    assert.ok(!JSON.stringify(helper.log().args).includes('not a key'), 'the broken key is never quoted');
  });

  it('serves through an ed25519 key too, deployed or made at start', async () => {
    keys = generateTunnelKeyPair('ed25519');
    let seen = await load();
    let up = await waitFor(() => seen.up[0], 'the tunnel with a deployed ed25519 key', 15000);
    assert.equal((await get(up.payload)).body, 'local service saw GET /');
    assert.match((await tunnels())[0].publicKey, /^ssh-ed25519 /);

    await helper.unload();
    seen = await load(
      { id: 'tun', keyType: 'ed25519', tunnelName: 'second' },
      { acc: { apiKey: keyOf(emu, DEMO.bot) } },
    );
    up = await waitFor(() => seen.up[0], 'the tunnel with an ed25519 key made at start', 15000);
    assert.match(helper._redNodes.getCredentials('tun').publicKey, /^ssh-ed25519 /);
    assert.equal((await get(up.payload)).body, 'local service saw GET /');
  });

  /**
   * Sends every message at once; resolves when each (told apart by msg.n) has ended in an output or a Catch error,
   * with what each got. Fails when any message gets two outcomes, or none within `ms`.
   */
  async function outcomesOf(messages, ms = 15000, during = async () => {}) {
    const tags = messages.map((m) => m.n);
    const recorder = recordOutcomes(helper, { ignore: (m) => m.topic === 'up' });
    try {
      for (const msg of messages) helper.getNode('tun').receive(msg);
      await during();
      await waitFor(
        () => recorder.answered(tags) === tags.length,
        `an outcome for each of ${tags.length} messages`,
        ms,
      ).catch((err) => {
        throw new Error(`${err.message}; silent: ${recorder.faults(tags).silent.join(', ')}`);
      });
      await delay(200); // a second outcome for any of them would show now
      assert.deepEqual(recorder.faults(tags), { silent: [], twice: [] });
      return new Map(tags.map((t) => [t, recorder.of(t)]));
    } finally {
      recorder.stop();
    }
  }

  it('answers more than ten "start"s at once from one shared wait, with no listener warning', async () => {
    const warnings = [];
    const onWarning = (w) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      await load({ autoStart: false });
      await emu.control.setDelay(300); // the tunnel takes a while to come up: the starts all wait together
      const starts = Array.from({ length: 15 }, (_, n) => ({ action: 'start', n }));
      const outcomes = await outcomesOf(starts);
      await emu.control.setDelay(0);
      for (const [n, outcome] of outcomes) {
        assert.ok(outcome.out, `start ${n} failed: ${outcome.error && outcome.error.message}`);
        assert.equal(outcome.out.payload.state, 'up');
      }
      assert.equal(await requestsTo('/service/tunnel/create'), 1, 'one tunnel for all the starts');
      await delay(50); // process warnings are emitted on the next tick
      assert.deepEqual(
        warnings.map((w) => `${w.name}: ${w.message}`),
        [],
      );
    } finally {
      process.off('warning', onWarning);
      await emu.control.setDelay(0);
    }
  });

  it('logs a background failure once per cause, not once per retry, and shows it on the status', async () => {
    // The API fails every attempt: first with one cause, then with another; then it answers again.
    await emu.control.failNext({ status: 500, count: 6, transport: 'rest' });
    await emu.control.failNext({ status: 502, count: 6, transport: 'rest' });
    const seen = await load();
    const up = await waitFor(() => seen.up[0], 'the tunnel to come up after the failures', 15000);
    const attempts = (await emu.control.requests()).filter((r) => r.path === '/service/tunnel').length;
    assert.ok(attempts >= 6, `every failed attempt was retried (${attempts} attempts)`);
    const logged = () =>
      helper
        .log()
        .args.map((a) => a[0])
        .filter((e) => e && e.msg === 'semilimes-tunnel.warnings.down');
    assert.equal(logged().length, 2, 'one warning per cause');
    assert.ok(
      logged().every((e) => e.level === 30),
      'logged as warnings',
    );
    const downs = seen.statuses.filter((s) => s.text === 'semilimes-tunnel.status.down');
    assert.ok(downs.length >= 2, 'every retry shows on the status');
    assert.ok(downs.every((s) => s.fill === 'red' && s.shape === 'ring'));
    assert.deepEqual(seen.statuses[seen.statuses.length - 1], { fill: 'green', shape: 'dot', text: up.payload });

    // Up, then down again: a new episode, logged again.
    await sshd.restart();
    await waitFor(() => logged().length === 3, 'the next failure to be logged');
  });

  for (const deploy of ['full', 'nodes']) {
    it(`gives each of 20 actions in flight at a ${deploy === 'full' ? 'full' : 'modified-nodes'} deploy one outcome`, async () => {
      const seen = await load();
      await waitFor(() => seen.up[0], 'the tunnel to come up', 15000);
      await emu.control.setDelay(1500); // the API answers late: all 20 are still waiting when the deploy comes
      const creds = { acc: { apiKey: keyOf(emu, DEMO.bot) } };
      const actions = Array.from({ length: 20 }, (_, n) => ({ action: n % 2 ? 'list' : 'open', n }));
      const outcomes = await outcomesOf(actions, 15000, async () => {
        await delay(300);
        await helper.setFlows(flow({ description: 'changed' }), deploy, creds);
      });
      assert.equal(outcomes.size, 20);
      for (const [n, outcome] of outcomes) {
        assert.ok(outcome.error, `message ${n} was answered although its answer was held back past the deploy`);
        assert.match(outcome.error.message, /semilimes-tunnel\.errors\.closed/, `message ${n}`);
      }
      await emu.control.setDelay(0);
    });
  }

  it('example "Editor through a tunnel": start posts the public link to Alice, and the link reaches the local service', async () => {
    const example = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tunnel-link-to-chat.json'), 'utf8'),
    );
    for (const n of example) {
      if (n.type === 'semilimes-account') n.baseUrl = emu.url;
      // The local service stands in for the editor on 1880; the test sshd stands in for the provider's port 22.
      if (n.type === 'semilimes-tunnel') Object.assign(n, { localPort, sshPort: sshd.port });
    }
    const extra = [
      'common/90-comment.js',
      'function/15-change.js',
      'function/10-switch.js',
      'function/rbe.js',
      'common/20-inject.js',
    ].map(core);
    const send = require('../../dist/nodes/semilimes-send.js');
    await helper.load([nodes.account, tunnelType, send, ...extra], example, {
      'semilimes-demo-account': { apiKey: keyOf(emu, DEMO.bot) },
      tunnel: { privateKey: keys.privateKey, publicKey: keys.publicKey },
    });
    const toAlice = () =>
      emu.control
        .messages({ chat: { between: [DEMO.bot, DEMO.alice] } })
        .filter((m) => /reachable/.test(m.dataComponent.text || ''));
    await delay(200);
    assert.equal(toAlice().length, 0, 'nothing is exposed before the inject');
    helper.getNode('tunnel-start').receive({});
    const [posted] = await waitFor(() => toAlice().length && toAlice(), 'the link posted to Alice', 15000);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(posted.dataComponent.text)[1];
    assert.equal((await get(link)).body, 'local service saw GET /');
    helper.getNode('tunnel-start').receive({}); // already up: no second post
    helper.getNode('tunnel-stop').receive({});
    await waitFor(
      () =>
        get(link).then(
          () => false,
          () => true,
        ),
      'the tunnel to close',
    );
    assert.equal(toAlice().length, 1);
  });

  it('gives the editor a fresh key pair (RSA unless ed25519 is asked for) through a permission-checked admin route', async () => {
    await load({ autoStart: false });
    const res = await helper.request().post('/semilimes-tunnel/keypair').expect(200);
    assert.match(res.body.publicKey, /^ssh-rsa [A-Za-z0-9+/=]+ semilimes-tunnel$/);
    assert.match(res.body.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const ed = await helper.request().post('/semilimes-tunnel/keypair?type=ed25519').expect(200);
    assert.match(ed.body.publicKey, /^ssh-ed25519 [A-Za-z0-9+/=]+ semilimes-tunnel$/);
    assert.equal(ed.headers['cache-control'], 'no-store');
    const bad = await helper.request().post('/semilimes-tunnel/keypair?type=dsa').expect(400);
    assert.match(bad.body.error, /rsa or ed25519/);
  });
});
