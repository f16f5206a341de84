'use strict';
// Node-RED started programmatically in this process, the way a user runs it: a throw-away user directory with this
// package installed into node_modules (a symlink, as `npm start` does), a flows file, the core nodes (Catch) and the
// benchmark's sink node from bench/nodes. No editor, no HTTP server, no telemetry: nothing listens and nothing
// leaves loopback.
//
// Not node-red-node-test-helper on purpose: the helper wraps Node.prototype.send/status/log/... in sinon spies that
// keep every call's arguments and add a process.nextTick per call, which would be measured as our nodes' cost.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const pkg = require(path.join(root, 'package.json'));
// The semilimes node definitions the tests use, as the editor saves them.
const { sendNode, receiveNode } = require(path.join(root, 'test', 'helpers', 'flows'));
const sx = require(path.join(root, 'test', 'helpers', 'simplex-flows'));

/** Environment variable that carries the bot's key into the account node's credentials (never written to disk). */
const KEY_ENV = 'SEMILIMES_BENCH_API_KEY';

const at = { z: 'bench', x: 100, y: 100 };
const sink = (id) => ({ id, ...at, type: 'bench-sink', name: id, wires: [] });

/**
 * The benchmark flow of a service: send -> sink "sent", Catch (whole tab) -> sink "caught", receive -> sink
 * "received", all on one connection config node, with the node settings the editor saves (test/helpers).
 */
function benchFlow(service, target, extraNodes = [], floor = false) {
  const common = [
    ...extraNodes.map((node) => ({ ...at, ...node })),
    { id: 'bench', type: 'tab', label: 'benchmark' },
    sink('sent'),
    { id: 'catch', ...at, type: 'catch', name: '', scope: null, uncaught: false, wires: [['caught']] },
    sink('caught'),
    sink('received'),
  ];
  if (service === 'semilimes' && floor) {
    // --floor: the least a node can do (bench/nodes/bench-floor.js) in place of ours, on its own raw sockets.
    return {
      flow: [
        ...common,
        { id: 'send', ...at, type: 'bench-floor-send', wires: [['sent']] },
        { id: 'recv', ...at, type: 'bench-floor-receive', wires: [['received']] },
      ],
      credentials: {},
      env: { BENCH_FLOOR_WS_URL: target.wsUrl, BENCH_FLOOR_API_KEY: target.apiKey },
    };
  }
  if (service === 'semilimes') {
    return {
      flow: [
        ...common,
        { id: 'acc', type: 'semilimes-account', name: 'bench bot', baseUrl: target.url },
        sendNode('send', [['sent']], { ...at, name: '' }),
        receiveNode('recv', [['received']], { ...at, name: '' }),
      ],
      // credentialSecret is false, so this is plain JSON; it names the environment variable, not the key.
      credentials: { acc: { apiKey: `\${${KEY_ENV}}` } },
      env: { [KEY_ENV]: target.apiKey },
    };
  }
  // SimpleX: the nodes with the editor's defaults, as the tests build them.
  const cli = sx.cliNode(target, { name: 'bench CLI' });
  const send = sx.sendNode('send', [['sent']], { ...at });
  const receive = sx.receiveNode('recv', [['received']], { ...at });
  return { flow: [...common, cli, send, receive], credentials: {}, env: {} };
}

/** Installs this package into the user directory the way `npm link` does, so Node-RED loads it as a module. */
function prepareUserDir({ flow, credentials }) {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-bench-'));
  const target = path.join(userDir, 'node_modules', ...pkg.name.split('/'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(root, target, 'dir');
  fs.writeFileSync(
    path.join(userDir, 'package.json'),
    JSON.stringify({ name: 'semilimes-bench', private: true, dependencies: { [pkg.name]: `file:${root}` } }, null, 2),
  );
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow, null, 2));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials));
  return userDir;
}

/**
 * Starts Node-RED with the benchmark flow of `service` (plus `extraNodes`, on the same tab) against `target` (the
 * emulator's addresses and the bot's key; for semilimes also as `baseUrl` and `apiKey`). Resolves once the flows
 * have started. Node-RED can be initialised once per process, so this is called once.
 */
async function startNodeRed({
  service = 'semilimes',
  target,
  baseUrl,
  apiKey,
  logLevel = 'warn',
  extraNodes = [],
  floor = false,
}) {
  const setup = benchFlow(service, target || { url: baseUrl, apiKey }, extraNodes, floor);
  Object.assign(process.env, setup.env);
  // Node-RED's log lines at `logLevel` and above are kept here for the report instead of going to the console.
  const logged = [];
  const userDir = prepareUserDir(setup);
  const RED = require('node-red');
  RED.init({
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    nodesDir: [path.join(__dirname, '..', 'nodes')],
    telemetry: { enabled: false, updateNotification: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false, allowUpload: false } },
    functionExternalModules: false,
    logging: {
      console: { level: 'off' },
      bench: {
        level: logLevel,
        metrics: false,
        audit: false,
        handler: () => (entry) => {
          if (logged.length < 200) logged.push({ level: entry.level, type: entry.type, text: String(entry.msg) });
        },
      },
    },
  });
  // RED.start() resolves before the flows run; 'flows:started' says they do (it never comes when a node type is
  // missing, e.g. our package failed to load: then the log says why).
  const flowsStarted = new Promise((resolve) => RED.events.once('flows:started', resolve));
  await RED.start();
  const why = () => `Node-RED flows did not start; its log: ${logged.map((e) => e.text).join(' | ')}`;
  await withTimeout(flowsStarted, 20_000, why);
  return {
    RED,
    userDir,
    /** What Node-RED logged at `logLevel` or above: { level (20 error, 30 warn, 40 info), type, text }. */
    logged,
    /** A deployed node by id (a new object after every restart of the flows). */
    node: (id) => RED.nodes.getNode(id),
    /** Stops every flow (the account closes its WebSocket); `startFlows` brings them back as new node objects. */
    stopFlows: () => RED.nodes.stopFlows(),
    startFlows: () => {
      const ready = new Promise((resolve) => RED.events.once('flows:started', resolve));
      return Promise.resolve(RED.nodes.startFlows()).then(() =>
        withTimeout(ready, 20_000, () => 'flows did not restart'),
      );
    },
    async stop() {
      try {
        await RED.stop();
      } finally {
        removeUserDir(userDir);
      }
    },
    /** For an abnormal exit: removes the temporary user directory, synchronously. */
    cleanupSync: () => removeUserDir(userDir),
  };
}

function removeUserDir(userDir) {
  fs.rmSync(userDir, { recursive: true, force: true });
  delete process.env[KEY_ENV];
  delete process.env.BENCH_FLOOR_API_KEY;
}

function withTimeout(promise, ms, describe) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(describe())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

module.exports = { startNodeRed, benchFlow };
