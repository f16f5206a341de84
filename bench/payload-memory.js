'use strict';
// node --expose-gc bench/payload-memory.js: what a 10 MB Buffer as msg.payload costs the api, form and component
// nodes in a real Node-RED runtime: time to the error (Catch), the longest log line, and the heap after GC compared
// with before. Prints numbers; exits 1 when a Buffer was not refused, a log line passed 1,000 characters or the heap
// stayed more than 20 MB above where it started.
//
// Environment (optional): PAYLOAD_MB (10), PAYLOAD_ROUNDS (5 per node).
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const { startEmulator, DEMO_IDS } = require(path.join(root, 'dist', 'emulator'));
const { startNodeRed } = require('./lib/node-red-runtime');

if (typeof global.gc !== 'function') {
  console.error('run with node --expose-gc bench/payload-memory.js');
  process.exit(2);
}
const MB = Number(process.env.PAYLOAD_MB || 10);
const ROUNDS = Number(process.env.PAYLOAD_ROUNDS || 5);

const extraNodes = [
  { id: 'api', type: 'semilimes-api', account: 'acc', operation: '/communication/p2p', params: {}, wires: [['built']] },
  {
    id: 'form',
    type: 'semilimes-form',
    settings: {},
    receiverKind: 'none',
    components: [{ type: 'switch', refName: 'power', fields: { label: { v: 'Power', t: 'str' } } }],
    wires: [['built']],
  },
  {
    id: 'component',
    type: 'semilimes-component',
    componentType: 'text',
    fields: { text: { v: 'payload', t: 'msg' } },
    wires: [['built']],
  },
  { id: 'built', type: 'bench-sink', name: 'built', wires: [] },
];

async function heapAfterGc() {
  for (let i = 0; i < 3; i++) {
    global.gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().heapUsed;
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

async function main() {
  const emu = await startEmulator({ port: 0, seed: 'demo' });
  const apiKey = emu.accounts.find((a) => a.accountId === DEMO_IDS.bot).apiKey;
  const nr = await startNodeRed({ baseUrl: emu.url, apiKey, extraNodes });
  let failed = false;
  try {
    const caught = nr.node('caught');
    const built = nr.node('built');
    const before = await heapAfterGc();
    const rows = [];
    for (const id of ['api', 'form', 'component']) {
      const times = [];
      for (let round = 0; round < ROUNDS; round++) {
        const outcome = new Promise((resolve) => {
          const onCaught = (msg) => done({ error: msg.error.message });
          const onBuilt = () => done({ out: true });
          const done = (result) => {
            caught.removeListener('input', onCaught);
            built.removeListener('input', onBuilt);
            resolve(result);
          };
          caught.on('input', onCaught);
          built.on('input', onBuilt);
        });
        const started = process.hrtime.bigint();
        nr.node(id).receive({ payload: Buffer.alloc(MB * 1024 * 1024, 1) });
        const result = await outcome;
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (!result.error) failed = true;
      }
      times.sort((a, b) => a - b);
      rows.push({ node: id, 'median ms to the error': times[Math.floor(times.length / 2)].toFixed(1) });
    }
    const after = await heapAfterGc();
    const longest = Math.max(0, ...nr.logged.map((e) => e.text.length));
    console.table(rows);
    console.log(`payload ${MB} MB x ${ROUNDS} per node`);
    console.log(`heap after GC: before ${mb(before)} MB, after ${mb(after)} MB, growth ${mb(after - before)} MB`);
    console.log(`longest log line: ${longest} characters (${nr.logged.length} lines at warn or above)`);
    if (after - before > 20 * 1024 * 1024 || longest > 1000) failed = true;
  } finally {
    await nr.stop();
    await emu.close();
  }
  if (failed) {
    console.error('FAILED: a Buffer was accepted, a log line was too long, or the heap did not come back');
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
