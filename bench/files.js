'use strict';
// File transfer benchmark: upload and download of one large file through a semilimes-file node in a real Node-RED
// runtime, and through the client library alone, against the emulator running in a child process (so its own
// memory is not counted) with uploads kept in a temporary directory.
//
// Reports throughput (MB/s) and this process's peak RSS growth during each transfer (target: a 1 GB upload grows
// RSS by less than 64 MB), and checks the downloaded bytes against the source (SHA-256).
//
// Environment (optional): BENCH_FILE_MB (1024), BENCH_RSS_LIMIT_MB (64: exit code 1 when an upload grows RSS more).
// Exit code 0, or 1 when a transfer failed, a round trip was not byte-identical, or the RSS target was missed.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { once } = require('node:events');

const root = path.resolve(__dirname, '..');
const helper = require('node-red-node-test-helper');
const { SemilimesClient } = require(path.join(root, 'dist', 'semilimes'));
// The file nodes as the tests (and the editor) define them.
const { fileNode } = require(path.join(root, 'test', 'helpers', 'flows'));

const MB = 1024 * 1024;
function numberEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}
const FILE_MB = numberEnv('BENCH_FILE_MB', 1024);
const RSS_LIMIT_MB = numberEnv('BENCH_RSS_LIMIT_MB', 64);
const progress = (line) => process.stderr.write(`  ${line}\n`);

/** The emulator in its own process, keeping uploads on disk. */
async function startEmulatorProcess(filesDir) {
  const script = `
    const { startEmulator } = require(${JSON.stringify(path.join(root, 'dist', 'emulator'))});
    startEmulator({ filesDir: ${JSON.stringify(filesDir)} }).then((emu) => {
      process.stdout.write(JSON.stringify({ url: emu.url, key: emu.accounts[0].apiKey }) + '\\n');
      process.on('SIGTERM', () => emu.close().then(() => process.exit(0)));
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout, 'data');
  return { child, ...JSON.parse(line.toString()) };
}

/** Samples RSS every 10 ms while `work` runs; returns its result with the time taken and the peak growth. */
async function measure(work) {
  global.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = performance.now();
  try {
    const result = await work();
    return {
      result,
      ms: performance.now() - started,
      growthMB: (Math.max(peak, process.memoryUsage.rss()) - base) / MB,
    };
  } finally {
    clearInterval(timer);
  }
}

/** A file of `mb` megabytes of random-looking data, and its SHA-256, written chunk by chunk. */
async function makeFile(file, mb) {
  const hash = crypto.createHash('sha256');
  const out = fs.createWriteStream(file);
  const block = crypto.randomBytes(MB);
  for (let i = 0; i < mb; i++) {
    block.writeUInt32LE(i, 0); // every megabyte differs
    hash.update(block);
    if (!out.write(Buffer.from(block))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

async function sha256Of(file) {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: MB })) hash.update(chunk);
  return hash.digest('hex');
}

/** Loads an upload node and a download node (to a file) into a Node-RED runtime; returns a function to run one. */
async function loadNodes(emu) {
  helper.init(require.resolve('node-red'), { logging: { console: { level: 'warn' } } });
  const flow = [
    { id: 'f1', type: 'tab' },
    { id: 'acc', type: 'semilimes-account', name: 'bench', baseUrl: emu.url },
    fileNode('up', [['out']], { folder: '', maxSizeMB: FILE_MB * 2 }),
    fileNode('down', [['out']], { action: 'download', output: 'file', folder: '', maxSizeMB: FILE_MB * 2 }),
    { id: 'out', z: 'f1', x: 100, y: 300, type: 'helper' },
    { id: 'catch', z: 'f1', x: 100, y: 400, type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', x: 100, y: 500, type: 'helper' },
  ];
  const nodes = [
    require(path.join(root, 'dist', 'nodes', 'semilimes-account.js')),
    require(path.join(root, 'dist', 'nodes', 'semilimes-file.js')),
    require('@node-red/nodes/core/common/25-catch.js'),
  ];
  await helper.load(nodes, flow, { acc: { apiKey: emu.key } });
  return (id, msg) =>
    new Promise((resolve, reject) => {
      const out = helper.getNode('out');
      const caught = helper.getNode('caught');
      const finish = () => {
        out.removeAllListeners('input');
        caught.removeAllListeners('input');
      };
      out.once('input', (m) => {
        finish();
        resolve(m);
      });
      caught.once('input', (m) => {
        finish();
        reject(new Error(m.error.message));
      });
      helper.getNode(id).receive(msg);
    });
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-bench-files-'));
  const emuDir = path.join(work, 'emulator');
  fs.mkdirSync(emuDir);
  const source = path.join(work, 'source.bin');
  let emu;
  let failed = false;
  try {
    progress(`writing a ${FILE_MB} MB test file...`);
    const sourceHash = await makeFile(source, FILE_MB);
    emu = await startEmulatorProcess(emuDir);
    const run = await loadNodes(emu);
    const client = new SemilimesClient({ apiKey: emu.key, baseUrl: emu.url });
    const rows = [];
    const check = async (label, file) => {
      const same = (await sha256Of(file)) === sourceHash;
      if (!same) failed = true;
      fs.rmSync(file, { force: true });
      return same ? 'identical' : 'DIFFERENT';
    };
    const row = (label, m, integrity) => {
      rows.push({
        path: label,
        'MB/s': (FILE_MB / (m.ms / 1000)).toFixed(0),
        seconds: (m.ms / 1000).toFixed(1),
        'peak RSS growth MB': m.growthMB.toFixed(1),
        bytes: integrity,
      });
    };

    progress('node: upload (by path)...');
    const nodeUp = await measure(() => run('up', { filename: source }));
    row(
      'semilimes-file node: upload',
      nodeUp,
      `${nodeUp.result.payload[0].size === FILE_MB * MB ? 'size ok' : 'SIZE WRONG'}`,
    );
    progress('node: download (to a file)...');
    const nodeTarget = path.join(work, 'node-download.bin');
    const nodeDown = await measure(() => run('down', { fileId: nodeUp.result.fileIds[0], filename: nodeTarget }));
    row('semilimes-file node: download to file', nodeDown, await check('node', nodeTarget));

    progress('client library: upload (stream)...');
    const clientUp = await measure(() =>
      client.uploadFiles([
        {
          name: 'source.bin',
          contentType: 'application/octet-stream',
          size: FILE_MB * MB,
          open: () => fs.createReadStream(source, { highWaterMark: 256 * 1024 }),
        },
      ]),
    );
    row('client library: upload', clientUp, clientUp.result[0].size === FILE_MB * MB ? 'size ok' : 'SIZE WRONG');
    progress('client library: download (stream to file)...');
    const clientTarget = path.join(work, 'client-download.bin');
    const clientDown = await measure(async () => {
      const answer = await client.downloadFile(clientUp.result[0].fileId);
      const out = fs.createWriteStream(clientTarget);
      await require('node:stream/promises').pipeline(answer.body, out);
    });
    row('client library: download to file', clientDown, await check('client', clientTarget));
    await client.close();
    await helper.unload();

    console.log(`\nFile transfer: ${FILE_MB} MB over loopback to the emulator (separate process, files on disk)`);
    console.table(rows);
    for (const r of [nodeUp, clientUp]) if (r.growthMB >= RSS_LIMIT_MB) failed = true;
    console.log(
      `target: an upload grows RSS by < ${RSS_LIMIT_MB} MB -> ${nodeUp.growthMB < RSS_LIMIT_MB && clientUp.growthMB < RSS_LIMIT_MB ? 'met' : 'MISSED'}`,
    );
    console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} x${os.cpus().length}, Node.js ${process.version}`);
  } catch (err) {
    failed = true;
    console.error(`benchmark failed: ${err.stack || err}`);
  } finally {
    if (emu) {
      emu.child.kill('SIGTERM');
      await once(emu.child, 'exit');
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main();
