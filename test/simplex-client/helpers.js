'use strict';
// Plumbing for the SimpleX client tests: a real emulated CLI on a real port, and clients with test-time timers.
// Nothing here mocks the client; the emulator is written from the reference, independently of it.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSimplexEmulator } = require('../../dist/simplex-emulator');
const { SimplexClient } = require('../../dist/simplex');

/** Client timings for tests: fast heartbeat, quick reconnects, short waits. */
const FAST = {
  heartbeat: { intervalMs: 150, timeoutMs: 150 },
  timeouts: { no: 3000, background: 3000, interactive: 5000 },
  offlineWaitMs: 2000,
  connectTimeoutMs: 1000,
  backoff: { initialMs: 50, maxMs: 250, factor: 2, jitter: 0.2, stableMs: 1000 },
  unauthorizedRetryMs: 300,
};

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with `predicate()`'s first truthy value, polling; rejects naming `what` after `ms`. */
async function waitFor(predicate, what, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await delay(15);
  }
}

/** An emulator with its own files folder, removed with it. */
async function startEmulator(options = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simplex-client-test-'));
  const filesFolder = path.join(dir, 'files');
  fs.mkdirSync(filesFolder);
  const emu = await startSimplexEmulator({ port: 0, filesFolder, seed: 'demo', ...options });
  const close = emu.close.bind(emu);
  emu.dir = dir;
  emu.close = async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return emu;
}

/** A started client for the emulator's bot, connected and with its user read. */
async function connectedClient(emu, options = {}) {
  const client = new SimplexClient({ url: emu.url, filesFolder: emu.filesFolder, ...FAST, ...options });
  client.on('error', () => {});
  client.start();
  await client.session.ready(5000);
  return client;
}

/** The next chat item the client emits that `predicate` accepts. */
function nextItem(client, predicate = () => true, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('item', onItem);
      reject(new Error('timed out waiting for a chat item'));
    }, ms);
    const onItem = (item) => {
      if (!predicate(item)) return;
      clearTimeout(timer);
      client.off('item', onItem);
      resolve(item);
    };
    client.on('item', onItem);
  });
}

/** Received messages only (what a bot answers): no own items, no service items. */
const received = (text) => (item) =>
  item.direction === 'rcv' && item.isMessage && (text === undefined || item.text === text);

/** The bot's commands as the emulator logged them. */
async function commandLog(emu) {
  return emu.control.log({});
}

module.exports = { FAST, delay, waitFor, startEmulator, connectedClient, nextItem, received, commandLog };
