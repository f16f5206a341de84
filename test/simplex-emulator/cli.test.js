'use strict';
// The command-line entry: flags like the real CLI's, and it prints where it listens.
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { CliClient, controlOk } = require('./helpers');

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'simplex-emulator', 'cli.js');

function start(args) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (/control API\s+: (\S+)/.test(out) && /Control routes/.test(out)) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
  return { child, ready };
}

describe('SimpleX emulator: command line', function () {
  this.timeout(20000);
  let tmp;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-cli-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('starts with the real CLI flags and prints the WebSocket and control URLs', async () => {
    const folder = path.join(tmp, 'files');
    const { child, ready } = start([
      '-p',
      '0',
      '--control-port',
      '0',
      '--create-bot-display-name',
      'Tester',
      '--files-folder',
      folder,
      '-a',
      '--seed',
      'none',
      '-d',
      'bot',
    ]);
    try {
      const out = await ready;
      const url = /bot CLI WebSocket : (ws:\S+)/.exec(out)[1];
      const controlUrl = /control API\s+: (\S+)/.exec(out)[1];
      assert.match(out, new RegExp(`bot files folder  : ${folder.replace(/[/\\]/g, '.')}`));
      assert.match(out, /ignored\s+: -d bot/);
      const cli = await CliClient.connect(url);
      assert.equal((await cli.ok('/user')).user.profile.displayName, 'Tester');
      assert.equal((await cli.cmd('/_show_address 1')).chatError.storeError.type, 'userContactLinkNotFound');
      await cli.ok('/_address 1');
      await cli.ok('/_address_settings 1 {"businessAddress":false,"autoAccept":{"acceptIncognito":false}}');
      const emu = { controlUrl };
      await controlOk(emu, 'POST', '/connect', { person: 'Alice' });
      await controlOk(emu, 'POST', '/send', {
        from: 'Alice',
        to: 'bot',
        file: { name: 'x.txt', base64: Buffer.from('auto').toString('base64') },
      });
      const done = await cli.waitEvent('rcvFileComplete');
      assert.equal(done.chatItem.chatItem.file.fileSource.filePath, 'x.txt');
      assert.equal(fs.readFileSync(path.join(folder, 'x.txt'), 'utf8'), 'auto');
      cli.close();
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('without a display name and no seed, the CLI has no user', async () => {
    const { child, ready } = start(['-p', '0', '--control-port', '0', '--seed', 'none']);
    try {
      const out = await ready;
      assert.match(out, /bot user\s+: \(none/);
      const cli = await CliClient.connect(/bot CLI WebSocket : (ws:\S+)/.exec(out)[1]);
      assert.equal((await cli.cmd('/user')).chatError.errorType.type, 'noActiveUser');
      const created = await cli.ok(
        '/_create user {"profile":{"displayName":"Late","fullName":""},"pastTimestamp":false,"clientService":false}',
      );
      assert.equal(created.user.profile.displayName, 'Late');
      cli.close();
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('prints usage for --help and refuses unknown or bad flags', () => {
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /-p, --chat-server-port PORT/);
    for (const args of [['--bogus'], ['-p', 'x'], ['-q', '0'], ['--dialect', 'xml'], ['--seed', 'full']]) {
      const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /usage: simplex-emulator/);
    }
  });
});
