'use strict';
// The SimpleX client as a user of the packed package gets it, in a plain Node process without Node-RED: it is
// required by its package path, and talks to the emulated CLI (direct chat, group, a file both ways).
const assert = require('node:assert/strict');
const { execFileSync, execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startEmulator, waitFor } = require('./helpers');

const root = path.resolve(__dirname, '..', '..');
const pkg = require(path.join(root, 'package.json'));

// Runs in the child process: everything a bot needs, through the public entry point only.
const SCRIPT = `
const path = require('node:path');
const { SimplexClient, REACTION_EMOJIS } = require('${pkg.name}/dist/simplex');
(async () => {
  const bot = new SimplexClient({ url: process.env.CLI_URL, filesFolder: process.env.FILES, heartbeat: { intervalMs: 200, timeoutMs: 200 } });
  bot.start();
  await bot.session.ready(5000);
  const alice = (await bot.listContacts()).find((c) => c.profile.displayName === 'Alice');
  const family = (await bot.listGroups()).find((g) => g.groupProfile.displayName === 'Family');
  const item = new Promise((resolve) => bot.on('item', (i) => i.direction === 'rcv' && i.file && resolve(i)));
  process.stdout.write('ready\\n');
  const got = await item;
  const file = await bot.downloadFile(got.file.fileId, { read: true });
  await bot.sendFile('@' + alice.contactId, { data: file.data, fileName: 'echo-' + got.file.fileName });
  await bot.sendText('#' + family.groupId, 'hello from the package');
  const nodeRedLoaded = Object.keys(require.cache).some((m) => m.split(path.sep).some((part) => part === 'node-red' || part === '@node-red'));
  process.stdout.write(JSON.stringify({ emojis: REACTION_EMOJIS.length, nodeRedLoaded, bytes: file.data.length }) + '\\n');
  await bot.stop();
})().catch((err) => {
  process.stderr.write(String(err && err.stack || err));
  process.exit(1);
});
`;

describe('the SimpleX client from the packed package, without Node-RED', function () {
  this.timeout(60_000);
  let dir;
  let emu;

  before(async () => {
    emu = await startEmulator();
    dir = fs.mkdtempSync(path.join(emu.dir, 'packed-'));
    // dist/ is already built by `npm test`; --ignore-scripts keeps prepack from rebuilding it under running tests.
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim()
      .split('\n')
      .pop();
    const target = path.join(dir, 'node_modules', ...pkg.name.split('/'));
    fs.mkdirSync(target, { recursive: true });
    execFileSync('tar', ['xzf', path.join(dir, tarball), '-C', target, '--strip-components=1']);
    // Its one runtime dependency for the client, as npm would install it; Node-RED is deliberately absent.
    fs.symlinkSync(path.join(root, 'node_modules', 'ws'), path.join(dir, 'node_modules', 'ws'));
  });
  after(async () => {
    if (emu) await emu.close();
  });

  it('ships the client and loads it by its package path', () => {
    const shipped = path.join(dir, 'node_modules', ...pkg.name.split('/'), 'dist', 'simplex');
    for (const file of ['index.js', 'index.d.ts', 'client.js', 'session.js', 'commands.js', 'decode.js', 'files.js']) {
      assert.ok(fs.existsSync(path.join(shipped, file)), file);
    }
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules', 'node-red')));
  });

  it('receives a file and a message and answers, with the same bytes, in a plain Node process', async () => {
    const bytes = Buffer.from(Array.from({ length: 30_000 }, (_, i) => (i * 13) % 256));
    let output = '';
    const child = execFile(process.execPath, ['-e', SCRIPT], {
      cwd: dir,
      env: { PATH: process.env.PATH, CLI_URL: emu.url, FILES: emu.filesFolder },
    });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const until = Date.now() + 10_000;
    while (!output.includes('ready') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.ok(output.includes('ready'), output);
    await emu.control.send({ from: 'Alice', file: { name: 'in.bin', base64: bytes.toString('base64') } });
    assert.equal(await exited, 0, output);
    const result = JSON.parse(output.trim().split('\n').pop());
    assert.deepEqual(result, { emojis: 8, nodeRedLoaded: false, bytes: bytes.length });
    await waitFor(
      async () => (await emu.control.messages({ person: 'Bob' })).some((m) => m.text === 'hello from the package'),
      'Bob to get the group message',
    );
    await waitFor(
      async () =>
        (await emu.control.messages({ person: 'Alice' })).some((m) => m.file && m.file.fileName === 'echo-in.bin'),
      'Alice to be offered the file',
    );
    const accepted = await emu.control.acceptFile({ person: 'Alice' });
    assert.deepEqual(fs.readFileSync(accepted.path), bytes);
  });
});
