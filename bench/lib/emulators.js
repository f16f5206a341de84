'use strict';
// The emulators in a process of their own, so that neither their CPU nor their growing stores count against the
// process being measured. Two identical instances of each service (same seed): one serves the Node-RED process,
// the other the raw client, so both stay connected for the whole run and never share a bot's events.
//
// Operations (over IPC, see ipc.js): info, inject (people -> bot, paced or as fast as possible, each text carrying
// its send time), received (what the people got from the bot since the last call: total and distinct texts).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { serve, monoMs } = require('./ipc');

const root = path.resolve(__dirname, '..', '..');
const { startEmulator, DEMO_IDS } = require(path.join(root, 'dist', 'emulator'));
const { startSimplexEmulator } = require(path.join(root, 'dist', 'simplex-emulator'));

/** Texts the bench sends and injects: "<tag> <i>[ <time>]", tags s<n> and i<n>. */
const BENCH_TEXT = /^[si]\d+ \d+/;
const PATHS = ['nodes', 'raw'];
const instances = { semilimes: {}, simplex: {} };
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-bench-emu-'));

async function start() {
  for (const name of PATHS) {
    // BENCH_COMPRESS (run.js --compress): a server that compresses every frame for clients that accept it.
    const compress = process.env.BENCH_COMPRESS === '1';
    const emu = await startEmulator({ port: 0, host: '127.0.0.1', seed: 'demo', compress });
    instances.semilimes[name] = emu;
    const files = path.join(tempDir, `simplex-${name}`);
    fs.mkdirSync(files);
    instances.simplex[name] = await startSimplexEmulator({
      port: 0,
      host: '127.0.0.1',
      seed: 'demo',
      filesFolder: files,
    });
  }
}

/** The bot's contact reference for Alice in a SimpleX emulator (`@<contactId>`). */
function simplexAliceRef(emu) {
  const bot = emu.emulator.bot.activeUser();
  for (const c of bot.contacts.values()) {
    if (c.contactStatus === 'active' && c.peer && c.peer.user.device.name === 'Alice') return `@${c.contactId}`;
  }
  throw new Error('the SimpleX bot has no contact Alice');
}

function info() {
  const out = { semilimes: {}, simplex: {} };
  for (const name of PATHS) {
    const emu = instances.semilimes[name];
    out.semilimes[name] = {
      url: emu.url,
      wsUrl: emu.wsUrl,
      apiKey: emu.accounts.find((a) => a.accountId === DEMO_IDS.bot).apiKey,
      recipientId: DEMO_IDS.alice,
    };
    const sx = instances.simplex[name];
    out.simplex[name] = { url: sx.url, filesFolder: sx.filesFolder, chatRef: simplexAliceRef(sx) };
  }
  return out;
}

/** Makes Alice send one text to the bot. */
function injectOne(service, emu, body) {
  if (service === 'semilimes') {
    emu.control.sendAs({
      from: DEMO_IDS.alice,
      to: { recipientId: DEMO_IDS.bot },
      dataComponent: { dataComponentType: 'text', text: body },
    });
  } else {
    emu.control.send({ from: 'Alice', to: 'bot', text: body });
  }
}

/**
 * `count` texts "<tag> <i> <send time>" from Alice to the bot: `gapMs` apart, or (gapMs 0) in batches of `batch`
 * per turn of the event loop. Resolves when all are handed over.
 */
function inject({ service, path: pathName, tag, count, gapMs = 0, batch = 20 }) {
  const emu = instances[service][pathName];
  return new Promise((resolve, reject) => {
    let i = 0;
    const step = () => {
      try {
        const n = gapMs > 0 ? 1 : batch;
        for (let k = 0; k < n && i < count; k++, i++) injectOne(service, emu, `${tag} ${i} ${monoMs().toFixed(4)}`);
      } catch (err) {
        reject(err);
        return;
      }
      if (i >= count) resolve({ injected: i });
      else if (gapMs > 0) setTimeout(step, gapMs);
      else setImmediate(step);
    };
    step();
  });
}

/** What Alice got from the bot with this tag: total and distinct texts. */
function received({ service, path: pathName, tag }) {
  const emu = instances[service][pathName];
  const prefix = `${tag} `;
  const texts = [];
  if (service === 'semilimes') {
    // The stored messages (the request log keeps only the last 10,000). Counted ones, and Alice's injected ones, are
    // taken out, so the store stays small however long the run.
    const messages = emu.control.store.messages;
    for (const [id, m] of messages) {
      const text = m.dataComponent && m.dataComponent.text;
      if (typeof text !== 'string' || !BENCH_TEXT.test(text)) continue;
      if (text.startsWith(prefix) && m.publisherId === DEMO_IDS.bot) texts.push(text);
      messages.delete(id);
    }
  } else {
    const alice = emu.emulator.relay.deviceByName('Alice').activeUser();
    for (const list of alice.items.values()) {
      for (const item of list) {
        const mc = item.dir === 'rcv' && item.content && item.content.msgContent;
        if (mc && typeof mc.text === 'string' && mc.text.startsWith(prefix)) texts.push(mc.text);
      }
    }
  }
  return { total: texts.length, distinct: new Set(texts).size };
}

serve({
  info,
  inject,
  received,
  async shutdown() {
    for (const service of Object.values(instances)) for (const emu of Object.values(service)) await emu.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
    return true;
  },
});

start().then(
  () => process.send({ ready: true }),
  (err) => {
    process.stderr.write(`emulators: ${err.stack || err}\n`);
    process.exit(1);
  },
);
