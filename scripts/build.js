'use strict';
// Build: type-check and emit CommonJS with tsc, then put each node's editor
// files (.html), locales and icons beside its compiled .js, because Node-RED
// only looks for them next to the node file. The emulator's phone page is
// browser code: its own tsconfig (DOM, ES modules) compiles it beside the
// emulator, with its HTML shell and stylesheet.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], {
  stdio: 'inherit',
});
execFileSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'src', 'emulator', 'phone', 'tsconfig.json')],
  { stdio: 'inherit' },
);
const phoneSrc = path.join(root, 'src', 'emulator', 'phone');
for (const entry of fs.readdirSync(phoneSrc)) {
  if (entry.endsWith('.html') || entry.endsWith('.css')) {
    fs.copyFileSync(path.join(phoneSrc, entry), path.join(dist, 'emulator', 'phone', entry));
  }
}

const nodesOut = path.join(dist, 'nodes');
fs.mkdirSync(nodesOut, { recursive: true });
for (const entry of fs.readdirSync(path.join(root, 'nodes'))) {
  if (entry.endsWith('.html')) fs.copyFileSync(path.join(root, 'nodes', entry), path.join(nodesOut, entry));
}
fs.cpSync(path.join(root, 'nodes', 'locales'), path.join(nodesOut, 'locales'), { recursive: true });
fs.cpSync(path.join(root, 'icons'), path.join(nodesOut, 'icons'), { recursive: true });
