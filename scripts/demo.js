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

/** The example the editor opens on: its tab comes first. */
const FIRST_EXAMPLE = 'echo-bot.json';

/** All example flows in one flows file, sharing one account node; the echo bot's tab first. */
function exampleFlows(examplesDir = path.join(root, 'examples')) {
  const byId = new Map();
  const files = fs.readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
  files.sort((a, b) => (a === FIRST_EXAMPLE ? -1 : b === FIRST_EXAMPLE ? 1 : a.localeCompare(b)));
  for (const file of files) {
    for (const node of JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8'))) byId.set(node.id, node);
  }
  return [...byId.values()];
}

/** The examples as shipped serve any Node-RED on port 1880; the demo's flows point at the demo's own port. */
function followEditorPort(node, editorPort) {
  if (node.type === 'semilimes-tunnel' && Number(node.localPort) === 1880) node.localPort = editorPort;
  if (node.type === 'comment' && typeof node.info === 'string')
    node.info = node.info.replace(/:1880\b/g, `:${editorPort}`);
}

/**
 * Writes the flows (the user's own if kept, else the examples) with every account node pointed at the emulator and
 * given the key through the SEMILIMES_API_KEY environment variable. Tunnel nodes of the examples get a key pair, as
 * the editor gives one to a tunnel node a person adds, so the first start has nothing to warn about.
 */
function writeFlows(userDir, emulatorUrl, editorPort, reset, simplex, examplesDir) {
  const flowFile = path.join(userDir, 'flows.json');
  const credFile = path.join(userDir, 'flows_cred.json');
  const keep = !reset && fs.existsSync(flowFile);
  // The SimpleX flows' CLI node points at the SimpleX emulator (its config nodes become one for the examples).
  const flows = pointSimplexFlows(
    keep ? JSON.parse(fs.readFileSync(flowFile, 'utf8')) : exampleFlows(examplesDir),
    simplex,
    { merge: !keep },
  );
  // credentialSecret is false in this demo's settings, so this file is plain JSON. It holds no API key, only the
  // name of the environment variable that carries the bot's key for this run (and the demo tunnel's key pair).
  const credentials = keep && fs.existsSync(credFile) ? JSON.parse(fs.readFileSync(credFile, 'utf8')) : {};
  for (const node of flows) {
    if (!keep) followEditorPort(node, editorPort);
    if (node.type === 'semilimes-account') {
      node.baseUrl = emulatorUrl;
      credentials[node.id] = { ...credentials[node.id], apiKey: '${SEMILIMES_API_KEY}' };
    }
    if (node.type === 'semilimes-tunnel' && !(credentials[node.id] && credentials[node.id].privateKey)) {
      const { generateTunnelKeyPair } = require(path.join(root, 'dist', 'semilimes', 'ssh-keys'));
      const pair = generateTunnelKeyPair();
      credentials[node.id] = { ...credentials[node.id], privateKey: pair.privateKey, publicKey: pair.publicKey };
    }
  }
  fs.writeFileSync(flowFile, JSON.stringify(flows, null, 2));
  fs.writeFileSync(credFile, JSON.stringify(credentials, null, 2), { mode: 0o600 });
}

function writeSettings(userDir, editorPort) {
  const settings = `// Written for the local demo; regenerated at every start.
module.exports = {
    uiPort: ${editorPort},
    uiHost: '127.0.0.1',
    flowFile: 'flows.json',
    credentialSecret: false,
    // The demo runs offline: no online palette catalogue is fetched (the editor makes no request to the internet),
    // so installing other nodes from the palette manager is off too (it would wait for the catalogue forever).
    editorTheme: { projects: { enabled: false }, tours: false, palette: { catalogues: [] } },
    externalModules: { palette: { allowInstall: false } },
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
  writeFlows(userDir, emulatorUrl, editorPort, reset, simplex, examplesDir);
}

/**
 * The ids the examples read from environment variables (documented in each example's comment), for the emulator's
 * demo accounts: Alice is the person they write to, Bob the second person, "Home news" the channel.
 */
function exampleEnv(ids) {
  return {
    SEMILIMES_PERSON_ID: ids.alice,
    SEMILIMES_OTHER_PERSON_ID: ids.bob,
    SEMILIMES_CHANNEL_ID: ids.homeNewsChannel,
  };
}

/**
 * Starts Node-RED on the prepared user directory with the bot's key and the examples' ids (`ids`, the emulator's
 * DEMO_IDS by default) in the environment. `redCli` picks another Node-RED (tests run on 5.x too). Resolves with the
 * child process once its flows have started.
 */
function startNodeRed({ userDir, editorPort, apiKey, ids, redCli = require.resolve('node-red/red.js'), onOutput }) {
  const { DEMO_IDS } = require(path.join(root, 'dist', 'emulator'));
  const red = spawn(process.execPath, [redCli, '--userDir', userDir, '--port', String(editorPort)], {
    cwd: userDir,
    env: { ...process.env, ...exampleEnv(ids || DEMO_IDS), SEMILIMES_API_KEY: apiKey },
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

module.exports = { prepareUserDir, startNodeRed, exampleFlows, exampleEnv };
