'use strict';
// The semilimes-emulator command: starts with the demo seed and prints what a person needs.
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');

const CLI = path.join(__dirname, '../../dist/emulator/cli.js');

describe('emulator: CLI', function () {
  let child;
  afterEach(function () {
    if (child && child.exitCode === null) child.kill('SIGTERM');
  });

  it('prints the URLs, the demo accounts with keys and curl examples, and serves them', async function () {
    child = spawn(process.execPath, [CLI, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('fail-next')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`cli exited with ${code}: ${out}`)));
    });
    const rest = /REST base : (http:\/\/127\.0\.0\.1:\d+)/.exec(out)[1];
    assert.match(out, /WebSocket : ws:\/\/127\.0\.0\.1:\d+\/service\/ws/);
    assert.match(out, /\/_emulator\//);
    assert.match(out, /curl -s -X POST/);
    const bot = /Node-RED Bot\s+5e1f0000-0000-4000-8000-000000000001\s+key (\S+)/.exec(out);
    assert.ok(bot, out);
    for (const name of ['Alice', 'Bob']) assert.match(out, new RegExp(`${name}\\s+5e1f0000-`));
    const res = await fetch(`${rest}/account/my`, { headers: { Authorization: `Bearer ${bot[1]}` } });
    assert.equal((await res.json()).data.currentAccount.accountName, 'Node-RED Bot');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('links the web page to a SimpleX emulator with --simplex-control, and refuses anything else', async function () {
    const { startSimplexEmulator } = require('../../dist/simplex-emulator');
    const sx = await startSimplexEmulator({ seed: 'demo' });
    try {
      child = spawn(process.execPath, [CLI, '--port', '0', '--simplex-control', sx.controlUrl], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      await new Promise((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          out += chunk;
          if (out.includes('fail-next')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`cli exited with ${code}: ${out}`)));
      });
      assert.match(out, /in semilimes or SimpleX/);
      const rest = /REST base : (http:\/\/127\.0\.0\.1:\d+)/.exec(out)[1];
      const devices = await (await fetch(`${rest}/_emulator/simplex/devices`)).json();
      assert.deepEqual(
        devices.map((d) => d.name),
        ['bot', 'Alice', 'Bob'],
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    } finally {
      await sx.close();
    }
    child = spawn(process.execPath, [CLI, '--port', '0', '--simplex-control', 'ws://127.0.0.1:5225'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 2);
    assert.match(err, /--simplex-control must be/);
  });

  it('rejects an invalid port', async function () {
    child = spawn(process.execPath, [CLI, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
  });
});
