'use strict';
// The package as a user gets it: `npm pack`, installed into a clean Node-RED user directory with npm, Node-RED
// started as its own process. Checks that every node type loads with its editor files, help, catalogue and icon,
// that the examples are offered, and that a deployed echo flow answers through the emulator.
const assert = require('node:assert/strict');
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startEmulator } = require('../../dist/emulator');
const { DEMO, keyOf, waitFor, redCli, freePort } = require('../helpers/env');
const { receiveNode, sendNode } = require('../helpers/flows');
const sx = require('../helpers/simplex');

const root = path.resolve(__dirname, '..', '..');
const pkg = require(path.join(root, 'package.json'));

describe('the packed package in a started Node-RED', function () {
  this.timeout(120_000);
  let dir;
  let emu;
  let sxEmu;
  let red;
  let base;
  let output = '';

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-packed-'));
    // dist/ is already built by `npm test`; --ignore-scripts keeps prepack from rebuilding it under running tests.
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim()
      .split('\n')
      .pop();
    const userDir = path.join(dir, 'user');
    fs.mkdirSync(userDir);
    fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'user-dir', private: true }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(dir, tarball)], {
      cwd: userDir,
      stdio: 'ignore',
    });

    emu = await startEmulator({ port: 0 });
    sxEmu = await sx.startSimplex();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const flows = [
      { id: 'f1', type: 'tab', label: 'echo' },
      { id: 'acc', type: 'semilimes-account', name: 'emulator', baseUrl: emu.url },
      receiveNode('recv', [['send']]),
      sendNode('send', []),
      { ...sx.cliNode(sxEmu), id: 'sxcli' },
      sx.receiveNode('sxrecv', [['sxsend']], { cli: 'sxcli' }),
      sx.sendNode('sxsend', [], { cli: 'sxcli' }),
    ];
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
    fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify({ acc: { apiKey: '${PACKED_TEST_KEY}' } }));
    fs.writeFileSync(
      path.join(userDir, 'settings.js'),
      `module.exports = { uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: false, telemetry: { enabled: false } };`,
    );
    red = spawn(process.execPath, [redCli, '--userDir', userDir], {
      env: { ...process.env, PACKED_TEST_KEY: keyOf(emu, DEMO.bot) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    red.stdout.on('data', (d) => (output += d));
    red.stderr.on('data', (d) => (output += d));
    await waitFor(() => /Started flows/.test(output), `Node-RED to start; it said:\n${output}`, 60_000);
  });

  after(async () => {
    if (red) {
      red.kill('SIGINT');
      await new Promise((resolve) => red.once('exit', resolve));
    }
    if (emu) await emu.close();
    if (sxEmu) await sxEmu.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const types = Object.keys(pkg['node-red'].nodes);
  const get = (url, accept = 'application/json') => fetch(`${base}${url}`, { headers: { accept } });

  it('ships the built code, editor files and examples, and no sources or tests', () => {
    const listed = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    const files = JSON.parse(listed)[0].files.map((f) => f.path);
    for (const type of types) {
      for (const file of [`${type}.js`, `${type}.html`, `locales/en-US/${type}.json`, `locales/en-US/${type}.html`]) {
        assert.ok(files.includes(`dist/nodes/${file}`), `dist/nodes/${file} is shipped`);
      }
    }
    assert.ok(files.some((f) => f.startsWith('dist/nodes/icons/')));
    assert.ok(files.some((f) => f.startsWith('examples/')));
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('src/') || f.startsWith('bench/')));
  });

  it('loads every node type of the package without errors', async () => {
    const list = await (await get('/nodes')).json();
    const ours = list.filter((set) => set.module === pkg.name);
    assert.deepEqual(
      ours
        .map((set) => set.types)
        .flat()
        .sort(),
      [...types].sort(),
    );
    for (const set of ours) assert.equal(set.err, undefined, `${set.id}: ${set.err}`);
    assert.ok(!/(semilimes|simplex).*(error|failed)/i.test(output), output);
  });

  it('serves each node editor definition, help, message catalogue and icon', async () => {
    const html = await (await get('/nodes', 'text/html')).text();
    for (const type of types) {
      assert.match(html, new RegExp(`registerType\\(\\s*["']${type}["']`), `${type} registered in the editor`);
      assert.match(html, new RegExp(`data-help-name="${type}"`), `${type} has help`);
      const catalogue = await (await get(`/locales/${pkg.name}/${type}?lng=en-US`)).json();
      assert.ok(catalogue[type], `${type} catalogue`);
    }
    for (const icon of fs.readdirSync(path.join(root, 'icons'))) {
      const res = await get(`/icons/${pkg.name}/${icon}`, 'image/svg+xml');
      assert.equal(res.status, 200, icon);
    }
  });

  it('has every node type except the config node in at least one example', () => {
    const used = new Set();
    for (const file of fs.readdirSync(path.join(root, 'examples'))) {
      for (const node of JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8'))) used.add(node.type);
    }
    assert.deepEqual(
      types.filter((t) => !['semilimes-account', 'simplex-cli'].includes(t) && !used.has(t)),
      [],
    );
  });

  it('offers the example flows under Import > Examples', async () => {
    for (const file of fs.readdirSync(path.join(root, 'examples'))) {
      const name = file.replace(/\.json$/, '');
      const res = await get(`/library/examples/flows/${pkg.name}/${name}`);
      assert.equal(res.status, 200, name);
      const flow = await res.json();
      assert.ok(Array.isArray(flow) && flow.some((n) => /^(semilimes|simplex)-/.test(String(n.type))), name);
    }
  });

  it('runs a deployed echo flow against the emulator', async () => {
    await waitFor(
      async () => {
        const entry = (await emu.control.connections()).find((c) => c.accountId === DEMO.bot);
        return entry && entry.open === 1;
      },
      'the installed nodes to connect',
      20_000,
    );
    await emu.control.sendAs({
      from: DEMO.alice,
      to: { recipientId: DEMO.bot },
      dataComponent: { dataComponentType: 'text', text: 'packed hello' },
    });
    await waitFor(
      async () =>
        (await emu.control.messages()).some(
          (m) => m.publisherId === DEMO.bot && m.dataComponent.text === 'packed hello',
        ),
      'the echo',
    );
  });

  it('runs a deployed SimpleX echo flow against the emulated CLI, in a direct chat and a group', async () => {
    await waitFor(() => sxEmu.control.connections({}).length === 1, 'the installed SimpleX nodes to connect', 20_000);
    sxEmu.control.send({ from: 'Alice', to: 'bot', text: 'packed simplex hello' });
    sxEmu.control.send({ from: 'Bob', group: 'Family', text: 'packed group hello' });
    const echoed = (person, chat, text) =>
      sx
        .messagesOf(sxEmu, person, chat)
        .filter((m) => m.direction === 'rcv' && m.sender === 'HomeBot' && m.text === text).length;
    await waitFor(() => echoed('Alice', 'bot', 'packed simplex hello') === 1, 'the direct echo');
    await waitFor(() => echoed('Bob', '#Family', 'packed group hello') === 1, 'the group echo');
  });
});
