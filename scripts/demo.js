'use strict';
// The demo's Node-RED user directory: this package installed into it, settings, and the example flows pointed at
// an emulator. Used by `npm start` and by the editor test, so both run exactly the same setup.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { pointSimplexFlows } = require('./simplex-demo');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));

/** Installs this package into the user directory the way `npm link` does: Node-RED finds it in node_modules. */
function installPackage(userDir) {
  const target = path.join(userDir, 'node_modules', ...pkg.name.split('/'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.rmSync(target, { recursive: true, force: true });
  fs.symlinkSync(root, target, 'dir');
  fs.writeFileSync(
    path.join(userDir, 'package.json'),
    JSON.stringify({ name: 'semilimes-demo', private: true, dependencies: { [pkg.name]: `file:${root}` } }, null, 2),
  );
}

/** All example flows in one flows file, sharing one account node. */
function exampleFlows(examplesDir = path.join(root, 'examples')) {
  const byId = new Map();
  const files = fs.readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
  for (const file of files.sort()) {
    for (const node of JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8'))) byId.set(node.id, node);
  }
  return [...byId.values()];
}

/**
 * Writes the flows (the user's own if kept, else the examples) with every account node pointed at the emulator and
 * given the key through the SEMILIMES_API_KEY environment variable.
 */
function writeFlows(userDir, emulatorUrl, reset, simplex, examplesDir) {
  const flowFile = path.join(userDir, 'flows.json');
  const kept = !reset && fs.existsSync(flowFile);
  // The SimpleX flows' CLI node points at the SimpleX emulator (its config nodes become one for the examples).
  const flows = pointSimplexFlows(
    kept ? JSON.parse(fs.readFileSync(flowFile, 'utf8')) : exampleFlows(examplesDir),
    simplex,
    { merge: !kept },
  );
  const credentials = {};
  for (const node of flows) {
    if (node.type !== 'semilimes-account') continue;
    node.baseUrl = emulatorUrl;
    credentials[node.id] = { apiKey: '${SEMILIMES_API_KEY}' };
  }
  fs.writeFileSync(flowFile, JSON.stringify(flows, null, 2));
  // credentialSecret is false in this demo's settings, so this file is plain JSON. It holds no key, only the name
  // of the environment variable that carries the bot's key for this run.
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
}

function writeSettings(userDir, editorPort) {
  const settings = `// Written for the local demo; regenerated at every start.
module.exports = {
    uiPort: ${editorPort},
    uiHost: '127.0.0.1',
    flowFile: 'flows.json',
    credentialSecret: false,
    editorTheme: { projects: { enabled: false }, tours: false },
    // A demo should not phone home or ask about it.
    telemetry: { enabled: false },
    logging: { console: { level: 'info', metrics: false, audit: false } },
};
`;
  fs.writeFileSync(path.join(userDir, 'settings.js'), settings);
}

/**
 * Prepares the user directory: package, settings, flows. `simplex` ({url, filesFolder}): the SimpleX emulator the
 * SimpleX flows use; `examplesDir`: where the examples are read (this package's examples/ by default).
 */
function prepareUserDir({ userDir, emulatorUrl, editorPort, reset = false, simplex, examplesDir }) {
  fs.mkdirSync(userDir, { recursive: true });
  installPackage(userDir);
  writeSettings(userDir, editorPort);
  writeFlows(userDir, emulatorUrl, reset, simplex, examplesDir);
}

/**
 * Starts Node-RED on the prepared user directory with the bot's key in the environment. `redCli` picks another
 * Node-RED (tests run on 5.x too). Resolves with the child process once its flows have started.
 */
function startNodeRed({ userDir, editorPort, apiKey, redCli = require.resolve('node-red/red.js'), onOutput }) {
  const red = spawn(process.execPath, [redCli, '--userDir', userDir, '--port', String(editorPort)], {
    cwd: userDir,
    env: { ...process.env, SEMILIMES_API_KEY: apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (onOutput) onOutput(chunk);
      if (/Started flows/.test(output)) {
        output = '';
        red.stdout.off('data', onData);
        red.stdout.on('data', (more) => onOutput && onOutput(more));
        resolve(red);
      }
    };
    red.stdout.on('data', onData);
    red.stderr.on('data', (chunk) => onOutput && onOutput(chunk));
    red.once('exit', (code) => reject(new Error(`Node-RED exited with code ${code} before starting its flows`)));
  });
}

module.exports = { prepareUserDir, startNodeRed, exampleFlows };
