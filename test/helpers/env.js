'use strict';
// Shared test plumbing: a fresh emulator per suite, the built nodes, and Node-RED's test helper set up with short
// timers so reconnects and heartbeats happen in test time. Nothing here mocks our own client.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const helper = require('node-red-node-test-helper');
const { startEmulator } = require('../../dist/emulator');

const dist = path.join(__dirname, '..', '..', 'dist');
const nodes = {
  account: require(path.join(dist, 'nodes', 'semilimes-account.js')),
  send: require(path.join(dist, 'nodes', 'semilimes-send.js')),
  receive: require(path.join(dist, 'nodes', 'semilimes-receive.js')),
  api: require(path.join(dist, 'nodes', 'semilimes-api.js')),
};

/** Client timings for tests: fast heartbeat, quick reconnects, short offline wait. */
const FAST_CLIENT = {
  heartbeatIntervalMs: 150,
  heartbeatTimeoutMs: 150,
  connectTimeoutMs: 1000,
  requestTimeoutMs: 2000,
  offlineWaitMs: 1500,
  backoff: { initialMs: 50, maxMs: 250, factor: 2, jitter: 0.2, stableMs: 1000 },
  unauthorizedRetryMs: 60_000,
};

/** Rotated keys go to a throw-away directory, never to a real Node-RED user directory. */
const KEY_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-keys-'));
process.on('exit', () => fs.rmSync(KEY_DIR, { recursive: true, force: true }));

// NODE_RED_PATH runs the same tests on another Node-RED (e.g. 5.x on Node 22: `npm run test:node-red-5`).
const redPath = process.env.NODE_RED_PATH || require.resolve('node-red');
/** The `node-red` command of the Node-RED under test, for tests that start it as its own process. */
const redCli = path.join(path.dirname(redPath), '..', 'red.js');
// Tunnel state files likewise.
/** SimpleX client timings for tests (the simplex-cli node reads them from the runtime settings). */
const FAST_SIMPLEX = {
  heartbeat: { intervalMs: 150, timeoutMs: 150 },
  timeouts: { no: 3000, background: 3000, interactive: 5000 },
  offlineWaitMs: 2000,
  connectTimeoutMs: 1000,
  backoff: { initialMs: 50, maxMs: 250, factor: 2, jitter: 0.2, stableMs: 1000 },
  unauthorizedRetryMs: 300,
};
/**
 * The runtime settings every node test starts from. `helper.settings(x)` REPLACES the previous settings, so a suite
 * that adds its own passes `{ ...BASE_SETTINGS, ... }` and puts `BASE_SETTINGS` back afterwards: without
 * `semilimesKeyDir`, rotated keys of later suites would go to ~/.node-red.
 */
const BASE_SETTINGS = Object.freeze({
  semilimesClientOptions: FAST_CLIENT,
  simplexClientOptions: FAST_SIMPLEX,
  semilimesKeyDir: KEY_DIR,
  semilimesTunnelDir: path.join(KEY_DIR, 'tunnels'),
});
helper.init(redPath, { ...BASE_SETTINGS });
/** A core node module (e.g. 'common/20-inject.js') of the Node-RED under test, not whichever copy require finds. */
const coreNode = (file) => require(require.resolve(`@node-red/nodes/core/${file}`, { paths: [path.dirname(redPath)] }));
nodes.catch = coreNode('common/25-catch.js');

const DEMO = {
  bot: '5e1f0000-0000-4000-8000-000000000001',
  alice: '5e1f0000-0000-4000-8000-000000000002',
  bob: '5e1f0000-0000-4000-8000-000000000003',
  family: '6c000000-0000-4000-8000-000000000001',
  news: 'c4000000-0000-4000-8000-000000000001',
};

/**
 * Ids for an emulator seeded like the demo but with other ids (`startEmulator({ ids: OTHER_IDS })`): a flow that
 * hard-codes one of the demo's ids fails against it with "not found".
 */
const OTHER_IDS = {
  bot: '0be70000-0000-4000-8000-0000000000b1',
  alice: '0a11ce00-0000-4000-8000-0000000000a1',
  bob: '0b0b0000-0000-4000-8000-0000000000b2',
  familyGroupChat: '0f0a0000-0000-4000-8000-0000000000f1',
  homeNewsChannel: '0c0a0000-0000-4000-8000-0000000000c1',
  botLlm: '01100000-0000-4000-8000-000000000011',
  homeNewsAvatarFile: '0f110000-0000-4000-8000-0000000000f2',
};

function keyOf(emu, accountId) {
  const account = emu.accounts.find((a) => a.accountId === accountId);
  if (!account) throw new Error(`no emulator account ${accountId}`);
  return account.apiKey;
}

/** Resolves when `predicate()` is truthy, polling; rejects with `what` after `ms`. */
async function waitFor(predicate, what, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** An account config node pointing at the emulator. */
function accountNode(emu, id = 'acc', name = 'test account') {
  return { id, type: 'semilimes-account', name, baseUrl: emu.url };
}

/**
 * One emulator for a whole suite (handed to `onStart`); after each test `afterEachTest` tidies up and faults and logs
 * are cleared; the emulator closes at the end.
 */
function emulatorSuite(onStart, afterEachTest) {
  let emu;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    onStart(emu);
  });
  after(async () => {
    await emu.close();
  });
  afterEach(async () => {
    await afterEachTest();
    await emu.control.reset();
  });
  return () => emu;
}

/** The hooks of a node test suite: an emulator for the suite, flows unloaded after each test. */
function nodeSuite(onStart) {
  emulatorSuite(onStart, () => helper.unload());
}

/**
 * The hooks of a client test suite: an emulator for the suite, every client made with the returned
 * `makeClient(extraOptions)` closed after each test.
 */
function clientSuite(onStart) {
  const clients = [];
  const current = emulatorSuite(onStart, () => Promise.all(clients.splice(0).map((c) => c.close())));
  return function makeClient(extra = {}) {
    const { SemilimesClient } = require('../../dist/semilimes');
    const emu = current();
    const client = new SemilimesClient({ apiKey: keyOf(emu, DEMO.bot), baseUrl: emu.url, ...FAST_CLIENT, ...extra });
    clients.push(client);
    return client;
  };
}

/**
 * Hooks for suites that want a fresh emulator for every test (examples change the demo's state), handed to
 * `onStart`; flows are unloaded and the emulator closed after each test. `options` go to `startEmulator` (a function
 * is called for them before each test).
 */
function emulatorPerTest(onStart, options = {}) {
  let emu;
  beforeEach(async () => {
    emu = await startEmulator({ port: 0, ...(typeof options === 'function' ? options() : options) });
    onStart(emu);
  });
  afterEach(async () => {
    await helper.unload();
    await emu.close();
  });
}

/**
 * Mocha hooks for a suite that runs shipped examples: the environment variables they read their ids from, filled
 * for `ids` as `npm start` fills them for the demo (scripts/demo.js), and put back afterwards.
 */
function exampleEnvFor(ids) {
  const { exampleEnv } = require('../../scripts/demo');
  let saved;
  before(() => {
    const env = exampleEnv(ids);
    saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

/** A TCP port free on loopback right now, for servers that must be told their port up front. */
function freePort() {
  const net = require('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** How many WebSocket connections an account has open on the emulator right now. */
async function openSockets(emu, accountId) {
  const entry = (await emu.control.connections()).find((c) => c.accountId === accountId);
  return entry ? entry.open : 0;
}

module.exports = {
  helper,
  nodes,
  FAST_CLIENT,
  FAST_SIMPLEX,
  BASE_SETTINGS,
  KEY_DIR,
  DEMO,
  OTHER_IDS,
  keyOf,
  waitFor,
  delay,
  accountNode,
  startEmulator,
  openSockets,
  nodeSuite,
  clientSuite,
  emulatorPerTest,
  exampleEnvFor,
  redCli,
  coreNode,
  freePort,
};
