'use strict';
// npm start: the product working without a semilimes account.
//
// Starts the local emulator (demo accounts Node-RED Bot, Alice, Bob), prepares a Node-RED user directory in .demo/
// (git-ignored) with this package installed into it and the example flows deployed against the emulator, then runs
// Node-RED 4.1 from devDependencies. Flows you change in the editor are kept across restarts; `npm start -- --reset`
// puts the examples back.
//
// Environment: NODE_RED_PORT (default 1880), SEMILIMES_EMULATOR_PORT (default 8127).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const userDir = path.join(root, '.demo');
const pkg = require(path.join(root, 'package.json'));
const { startEmulator, DEMO_IDS } = require(path.join(root, 'dist', 'emulator'));

const DEMO_ACCOUNT_ID = 'semilimes-demo-account';
const editorPort = Number(process.env.NODE_RED_PORT || 1880);
const emulatorPort = Number(process.env.SEMILIMES_EMULATOR_PORT || 8127);
const reset = process.argv.includes('--reset');

/** Installs this package into the user directory the way `npm link` does: Node-RED finds it in node_modules. */
function installPackage() {
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
function exampleFlows() {
  const byId = new Map();
  for (const file of fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.json')).sort()) {
    for (const node of JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8'))) byId.set(node.id, node);
  }
  return [...byId.values()];
}

/** Points every account node at the emulator, and gives the demo account the bot's key through an env variable. */
function prepareFlows(emulatorUrl) {
  const flowFile = path.join(userDir, 'flows.json');
  const flows = !reset && fs.existsSync(flowFile) ? JSON.parse(fs.readFileSync(flowFile, 'utf8')) : exampleFlows();
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

function writeSettings() {
  const settings = `// Written by npm start for the local demo; regenerated at every start.
module.exports = {
    uiPort: ${editorPort},
    uiHost: '127.0.0.1',
    flowFile: 'flows.json',
    credentialSecret: false,
    editorTheme: { projects: { enabled: false }, tours: false },
    logging: { console: { level: 'info', metrics: false, audit: false } },
};
`;
  fs.writeFileSync(path.join(userDir, 'settings.js'), settings);
}

async function main() {
  fs.mkdirSync(userDir, { recursive: true });
  const emu = await startEmulator({ port: emulatorPort, host: '127.0.0.1', seed: 'demo' });
  const bot = emu.accounts.find((a) => a.accountId === DEMO_IDS.bot);
  installPackage();
  writeSettings();
  prepareFlows(emu.url);

  const red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--port', String(editorPort)], {
    cwd: userDir,
    env: { ...process.env, SEMILIMES_API_KEY: bot.apiKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let announced = false;
  red.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (!announced && /Started flows/.test(chunk.toString())) {
      announced = true;
      announce(emu);
    }
  });

  const stop = async () => {
    red.kill('SIGINT');
    await emu.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  red.on('exit', async (code) => {
    await emu.close();
    process.exit(code ?? 0);
  });
}

function announce(emu) {
  const page = `${emu.url}/_emulator/`;
  const lines = [
    '',
    '────────────────────────────────────────────────────────────────────────',
    ` Node-RED editor     http://127.0.0.1:${editorPort}/`,
    ` semilimes emulator  ${emu.url}   (the flows' backend: no account needed)`,
    ` Act as a user       ${page}`,
    '',
    ' Deployed examples (Import > Examples has them too):',
    '  - Echo bot: as Alice, write to "Node-RED Bot"; the bot answers "You said: ..."',
    '  - Channel on a timer: a status line appears in "Home news" every minute',
    '  - Group chat replies: write in "Family"; a question gets a reply, every text a thumbs-up',
    '  - Lamp control form: as Alice, flip the switch or move the slider; the form shows the lamp\'s new state',
    '  - Temperature gauge: a gauge appears in "Home news" every minute',
    '  - Booking: as Alice, pick a slot in the event picker; the bot confirms with an appointment',
    '',
    ' From a shell, Alice writes to the bot:',
    `  curl -s -X POST ${emu.url}/_emulator/send -H 'Content-Type: application/json' \\`,
    `    -d '{"from":"${DEMO_IDS.alice}","to":{"recipientId":"${DEMO_IDS.bot}"},"dataComponent":{"dataComponentType":"text","text":"hello"}}'`,
    ` and reads the conversation: curl -s ${emu.url}/_emulator/messages`,
    '',
    ' Ctrl+C stops both. `npm start -- --reset` restores the example flows.',
    '────────────────────────────────────────────────────────────────────────',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
