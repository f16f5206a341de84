'use strict';
// npm run bench: speed of our Node-RED nodes next to a raw `ws` client doing the same work, in one process, against
// the in-memory emulator on loopback. Prints numbers; asserts nothing except that nothing was lost.
//
//   1. send throughput: N p2p texts bot -> Alice, window 1 (sequential) and window W, through a semilimes-send node
//      in a real Node-RED runtime vs. raw request frames on one `ws` socket (and, in between, our SemilimesClient
//      alone, to tell the client library's share from the nodes' share);
//   2. inbound latency: M texts Alice -> bot through emu.control.sendAs(), one at a time, until they leave a
//      semilimes-receive node (arrive at the node wired after it) vs. until a raw socket has the MessageReceived;
//   3. machine, versions, memory.
//
// Environment (all optional): BENCH_MESSAGES (2000), BENCH_WINDOW (50), BENCH_LATENCY_MESSAGES (1000),
// BENCH_ROUNDS (5; the order of the paths rotates per round; the table shows medians over rounds),
// BENCH_WARMUP (300 sends per window and 100 inbound events per path; not reported), BENCH_LATENCY_GAP_MS (1: pause
// after each inbound event arrived), BENCH_PHASE_TIMEOUT_MS (15000), BENCH_MESSAGE_TIMEOUT_MS (5000: a message not
// answered by then is lost), BENCH_TIME_BUDGET_MS (90000: no phase starts after that), BENCH_NR_LOG (Node-RED log
// level kept for the report, default warn).
//
// Exit code 0, or 1 when a message was lost, a send failed (Catch) or the run broke.
const os = require('node:os');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const { startEmulator, DEMO_IDS } = require(path.join(root, 'dist', 'emulator'));
const { startNodeRed } = require('./lib/node-red-runtime');
const { NodesPath, ClientPath, RawPath, waitFor } = require('./lib/paths');
const measure = require('./lib/measure');
const { runWindowed, runSequentialLatency, latencySummary, median, table, sleep, machineCpu, otherLoad } = measure;

function intEnv(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min} (got "${raw}")`);
  return value;
}

const CONFIG = {
  messages: intEnv('BENCH_MESSAGES', 2000),
  window: intEnv('BENCH_WINDOW', 50),
  latencyMessages: intEnv('BENCH_LATENCY_MESSAGES', 1000),
  rounds: intEnv('BENCH_ROUNDS', 5),
  warmup: intEnv('BENCH_WARMUP', 300, 0),
  gapMs: intEnv('BENCH_LATENCY_GAP_MS', 1, 0),
  phaseTimeoutMs: intEnv('BENCH_PHASE_TIMEOUT_MS', 15_000),
  messageTimeoutMs: intEnv('BENCH_MESSAGE_TIMEOUT_MS', 5_000),
  budgetMs: intEnv('BENCH_TIME_BUDGET_MS', 90_000),
  nodeRedLog: process.env.BENCH_NR_LOG || 'warn',
};
const WINDOWS = [...new Set([1, CONFIG.window])];
const PATHS = ['nodes', 'client', 'raw'];
const BOT = DEMO_IDS.bot;
const ALICE = DEMO_IDS.alice;
const SEND_PATH = '/communication/p2p/message/send';
const text = (dataComponentText) => ({ dataComponentType: 'text', text: dataComponentText });

const progress = (line) => process.stderr.write(`  ${line}\n`);

async function main() {
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  const machineAtStart = machineCpu();
  const budgetLeft = () => CONFIG.budgetMs - (performance.now() - startedAt);
  const phaseDeadline = () => Math.max(0, Math.min(CONFIG.phaseTimeoutMs, budgetLeft()));
  const problems = [];
  const notes = [];
  const results = { send: {}, latency: {}, transport: {}, load: undefined };
  for (const name of PATHS) {
    results.send[name] = Object.fromEntries(WINDOWS.map((w) => [w, []]));
    results.latency[name] = [];
    results.transport[name] = { ws: 0, rest: 0 };
  }

  progress('starting the emulator and Node-RED ...');
  const emu = await startEmulator({ port: 0, host: '127.0.0.1' });
  const botSockets = () => (emu.control.connections().find((c) => c.accountId === BOT) || { open: 0 }).open;
  let nr;
  let nodes;
  let memory;
  let tag = 0;
  try {
    const apiKey = emu.accounts.find((a) => a.accountId === BOT).apiKey;
    nr = await startNodeRed({ baseUrl: emu.url, apiKey, logLevel: CONFIG.nodeRedLog });
    cleanupOnExit = nr.cleanupSync;
    nodes = new NodesPath(nr, { recipientId: ALICE, messageTimeoutMs: CONFIG.messageTimeoutMs });
    nodes.attach();
    await nodes.connected();
    const paths = {
      nodes,
      client: new ClientPath({ baseUrl: emu.url, apiKey, recipientId: ALICE }),
      raw: new RawPath({ wsUrl: emu.wsUrl, apiKey, recipientId: ALICE }),
    };

    /** `count` sends with `window` in flight; checked against the emulator's request log. */
    async function sendPhase(name, count, window, record) {
      const what = `${name} send, window ${window}`;
      const t = ++tag;
      await flows(true); // every send phase runs with the Node-RED flow deployed, as in production
      const sender = await paths[name].openSender();
      emu.control.reset();
      const outputsBefore = nodes.outputs;
      let result;
      try {
        const start = (i) => sender.send(`tp ${t} ${i}`);
        result = await runWindowed({ count, window, deadlineMs: phaseDeadline(), start });
        await sleep(20); // anything late (a second output, a Catch) would show in the counters
      } finally {
        await sender.close();
      }
      const log = { ws: 0, rest: 0 };
      for (const r of emu.control.requests()) if (r.path === SEND_PATH) log[r.transport] += 1;
      emu.control.reset();
      if (record) {
        results.send[name][window].push(result);
        results.transport[name].ws += log.ws;
        results.transport[name].rest += log.rest;
      }
      if (result.failed > 0)
        problems.push(`${what}: ${result.failed} failed (${[...new Set(result.errors)].join('; ')})`);
      if (name === 'nodes' && nodes.outputs - outputsBefore !== result.completed) {
        problems.push(`${what}: ${nodes.outputs - outputsBefore} outputs for ${result.completed} sends`);
      }
      if (log.ws + log.rest !== result.attempted) {
        problems.push(`${what}: the emulator got ${log.ws + log.rest} sends for ${result.attempted} attempted`);
      }
      if (result.stoppedEarly) notes.push(`${what}: stopped after ${result.attempted} of ${count} (time limit)`);
    }

    /** `count` inbound texts, one at a time, while the path's socket is the bot's only one. */
    async function latencyPhase(name, count, record) {
      const what = `${name} inbound`;
      const t = ++tag;
      const pending = new Map(); // text -> { resolve, timer, t0 }
      let arrived = 0;
      let unexpected = 0;
      const parts = { toClientEvent: [], inReceiveNode: [], toNextNode: [] };
      const receiver = await paths[name].openReceiver((arrivedText, arrivedAt, at) => {
        arrived++;
        const entry = pending.get(arrivedText);
        if (!entry) {
          unexpected++;
          return;
        }
        pending.delete(arrivedText);
        clearTimeout(entry.timer);
        if (at && at.clientEventAt >= entry.t0 && at.nodeDoneAt >= at.clientEventAt && arrivedAt >= at.nodeDoneAt) {
          parts.toClientEvent.push(at.clientEventAt - entry.t0);
          parts.inReceiveNode.push(at.nodeDoneAt - at.clientEventAt);
          parts.toNextNode.push(arrivedAt - at.nodeDoneAt);
        }
        entry.resolve(arrivedAt - entry.t0);
      });
      let result;
      try {
        await waitFor(() => botSockets() === 1, `${name}'s socket to be the only one of the bot`);
        result = await runSequentialLatency({
          count,
          gapMs: CONFIG.gapMs,
          deadlineMs: phaseDeadline(),
          send: (i) =>
            new Promise((resolve, reject) => {
              const body = `lat ${t} ${i}`;
              const entry = { resolve, t0: 0 };
              entry.timer = setTimeout(() => {
                pending.delete(body);
                reject(new Error(`lost: "${body}" did not arrive within ${CONFIG.messageTimeoutMs} ms`));
              }, CONFIG.messageTimeoutMs);
              pending.set(body, entry);
              entry.t0 = performance.now();
              emu.control.sendAs({ from: ALICE, to: { recipientId: BOT }, dataComponent: text(body) });
            }),
        });
        await sleep(20);
      } finally {
        await receiver.close();
      }
      emu.control.reset();
      result.parts = parts;
      if (record) results.latency[name].push(result);
      if (result.lost > 0) problems.push(`${what}: ${result.lost} lost (${[...new Set(result.errors)].join('; ')})`);
      if (arrived !== result.samples.length || unexpected > 0) {
        problems.push(`${what}: ${arrived} arrived (${unexpected} unexpected) for ${result.samples.length} measured`);
      }
      if (result.stoppedEarly) notes.push(`${what}: stopped after ${result.attempted} of ${count} (time limit)`);
    }

    // Node-RED's socket gets every event for the bot: it must be closed while another path measures inbound.
    let flowsRunning = true;
    async function flows(running) {
      if (running === flowsRunning) return;
      if (running) {
        await nr.startFlows();
        nodes.attach();
        await nodes.connected();
      } else {
        await nr.stopFlows();
        await waitFor(() => botSockets() === 0, 'the Node-RED socket to close');
      }
      flowsRunning = running;
    }
    async function latency(name, count, record) {
      await flows(!paths[name].exclusiveSocket);
      await latencyPhase(name, count, record);
    }

    const skipped = [];
    const withinBudget = (what) => {
      if (budgetLeft() > 0) return true;
      skipped.push(what);
      return false;
    };

    if (CONFIG.warmup > 0) {
      const inbound = Math.ceil(CONFIG.warmup / 3);
      progress(`warm-up: ${CONFIG.warmup} sends and ${inbound} inbound events per path ...`);
      for (const window of WINDOWS) for (const name of PATHS) await sendPhase(name, CONFIG.warmup, window, false);
      for (const name of PATHS) await latency(name, inbound, false);
    }

    for (let round = 1; round <= CONFIG.rounds; round++) {
      // Rotate who goes first, so that drift (GC, JIT, the emulator's growing store) does not favour one path.
      const order = PATHS.map((_, i) => PATHS[(i + round - 1) % PATHS.length]);
      for (const window of WINDOWS) {
        const what = `round ${round}/${CONFIG.rounds}, send window ${window}`;
        if (!withinBudget(what)) continue;
        progress(`${what} (${order.join(', ')}) ...`);
        for (const name of order) await sendPhase(name, CONFIG.messages, window, true);
      }
      const what = `round ${round}/${CONFIG.rounds}, inbound latency`;
      if (!withinBudget(what)) continue;
      progress(`${what} (${order.join(', ')}) ...`);
      for (const name of order) await latency(name, CONFIG.latencyMessages, true);
    }
    await flows(true);
    if (skipped.length) notes.push(`time budget of ${CONFIG.budgetMs} ms used up; skipped: ${skipped.join('; ')}`);

    if (nodes.caught > 0) problems.push(`Catch saw ${nodes.caught} errors: ${nodes.caughtSamples.join('; ')}`);
    memory = process.memoryUsage();
    const own = process.cpuUsage(cpuAtStart);
    results.load = otherLoad(machineAtStart, machineCpu(), (own.user + own.system) / 1e6);
    progress(`measured in ${((performance.now() - startedAt) / 1000).toFixed(1)} s; shutting down ...`);
  } finally {
    if (nr) await nr.stop().catch((err) => problems.push(`Node-RED did not stop cleanly: ${err.message}`));
    await emu.close();
  }
  if (botSockets() !== 0) problems.push(`${botSockets()} bot sockets still open after shutdown`);

  // Node-RED's warnings and errors (our nodes log reconnects, heartbeat timeouts, ... as warnings), minus the two
  // this setup always causes (a plain flows_cred.json that names an environment variable; projects off).
  const logged = nr ? nr.logged.filter((e) => !/unencrypted credentials|^Projects disabled/i.test(e.text)) : [];
  for (const e of logged.slice(0, 5)) {
    notes.push(`Node-RED logged (${e.level <= 20 ? 'error' : 'warn'}${e.type ? `, ${e.type}` : ''}): ${e.text}`);
  }
  if (logged.length > 5) notes.push(`... and ${logged.length - 5} more Node-RED log lines`);

  process.stdout.write(report(results, nodes, memory, problems, notes));
  return problems.length === 0 ? 0 : 1;
}

// ---- output ------------------------------------------------------------------------------------------------------
const fmt = (v, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '-');
const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}x` : '-');
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const range = (values, format) =>
  values.length ? `${format(Math.min(...values))}-${format(Math.max(...values))}` : '-';

function report(results, nodes, memory, problems, notes) {
  const cpus = os.cpus();
  const version = (pkg) => {
    try {
      return require(`${pkg}/package.json`).version;
    } catch {
      return '?';
    }
  };
  const out = [''];
  out.push('semilimes Node-RED nodes vs. raw ws, one process, in-memory emulator on 127.0.0.1');
  const cpuModel = cpus.length ? cpus[0].model.trim() : 'unknown';
  const platform = `${os.platform()} ${os.arch()}`;
  out.push(`  Node.js ${process.version}, Node-RED ${version('node-red')}, ws ${version('ws')}, ${platform}`);
  out.push(`  CPU: ${cpuModel} x ${cpus.length} cores (available parallelism ${os.availableParallelism()})`);
  if (results.load) {
    out.push(
      `  other load on the machine meanwhile: ${results.load.otherCores.toFixed(2)} cores busy with other processes, ` +
        `${results.load.stealCores.toFixed(2)} stolen by the hypervisor`,
    );
  }
  out.push(
    `  ${CONFIG.messages} sends per phase, ${CONFIG.latencyMessages} inbound events per phase, ${CONFIG.rounds} round(s) ` +
      `(median shown), warm-up ${CONFIG.warmup}; "client" = our SemilimesClient without Node-RED`,
  );
  out.push('');

  const header = ['', 'nodes', 'client', 'raw ws', 'nodes/raw'];
  const noisy = new Set();
  const pick = (fn) => PATHS.map(fn);
  const sendRows = [];
  for (const w of WINDOWS) {
    const rate = (name) => median(results.send[name][w].map((r) => r.perSecond));
    const cpu = (name) => median(results.send[name][w].map((r) => r.cpuUsPerMsg));
    const rounds = (name) => results.send[name][w].map((r) => r.perSecond);
    const label = `window ${w}${w === 1 ? ' (sequential)' : ''}: msgs/s`;
    sendRows.push([label, ...pick((n) => int(rate(n))), ratio(rate('nodes'), rate('raw'))]);
    sendRows.push(['  CPU us per msg (incl. emulator)', ...pick((n) => fmt(cpu(n))), ratio(cpu('nodes'), cpu('raw'))]);
    sendRows.push(['  msgs/s, slowest-fastest round', ...pick((n) => range(rounds(n), int)), '']);
    for (const n of PATHS) {
      const rates = rounds(n);
      if (rates.length > 1 && Math.max(...rates) > 1.5 * Math.min(...rates)) noisy.add(`${n} window ${w}`);
    }
  }
  const total = (name, key) =>
    WINDOWS.reduce((sum, w) => sum + results.send[name][w].reduce((s, r) => s + r[key], 0), 0);
  sendRows.push(null);
  sendRows.push(['sent / failed', ...pick((n) => `${total(n, 'completed')} / ${total(n, 'failed')}`), '']);
  const transport = (name) => `${results.transport[name].ws} / ${results.transport[name].rest}`;
  sendRows.push(['emulator got: ws / rest', ...pick(transport), '']);
  sendRows.push(['Catch errors (whole run)', nodes ? String(nodes.caught) : '-', '', '', '']);
  out.push(`1. Send p2p text, bot -> Alice`);
  out.push(table(header, sendRows));
  out.push('');

  const pooled = Object.fromEntries(
    PATHS.map((n) => [n, latencySummary(results.latency[n].flatMap((r) => r.samples))]),
  );
  const lost = (name) => results.latency[name].reduce((s, r) => s + r.lost, 0);
  const roundP50s = (name) => results.latency[name].map((r) => latencySummary(r.samples).p50);
  const row = (label, key) => [
    label,
    ...pick((n) => fmt(pooled[n][key], 3)),
    ratio(pooled.nodes[key], pooled.raw[key]),
  ];
  const latencyRows = [
    row('p50 ms', 'p50'),
    row('p99 ms', 'p99'),
    row('max ms', 'max'),
    ['p50 ms, lowest-highest round', ...pick((n) => range(roundP50s(n), (v) => fmt(v, 3))), ''],
    ['measured / lost', ...pick((n) => `${pooled[n].n} / ${lost(n)}`), ''],
  ];
  const part = (key) => latencySummary(results.latency.nodes.flatMap((r) => (r.parts ? r.parts[key] : []))).p50;
  if (Number.isFinite(part('inReceiveNode'))) {
    latencyRows.push(null);
    latencyRows.push(['nodes p50, split: to the account event', fmt(part('toClientEvent'), 3), '', '', '']);
    latencyRows.push(['  inside semilimes-receive', fmt(part('inReceiveNode'), 3), '', '', '']);
    latencyRows.push(['  Node-RED hop to the next node', fmt(part('toNextNode'), 3), '', '', '']);
  }
  out.push(
    `2. Inbound text, Alice -> bot via emu.control.sendAs(), one at a time (${CONFIG.gapMs} ms pause between), ` +
      'until it reaches the node after semilimes-receive / the client\'s "message" / the raw socket',
  );
  out.push(table(header, latencyRows));
  out.push('');

  if (memory) {
    out.push(
      `3. Memory at the end, before shutdown: rss ${mib(memory.rss)}, heap used ${mib(memory.heapUsed)} of ` +
        `${mib(memory.heapTotal)}, external ${mib(memory.external)}`,
    );
  }
  if (noisy.size > 0) {
    out.push(
      `NOTE: rounds differ by more than 1.5x (${[...noisy].join(', ')}): the machine was busy; ` +
        'CPU us per msg is the steadier figure',
    );
  }
  for (const n of notes) out.push(`NOTE: ${n}`);
  for (const p of problems) out.push(`FAILED: ${p}`);
  out.push(problems.length ? 'RESULT: FAILED' : 'RESULT: ok (nothing lost, no Catch errors)');
  return `${out.join('\n')}\n`;
}

// ---- run, bounded; exit by ourselves -----------------------------------------------------------------------------
// Whatever ends the process (watchdog, Ctrl+C, a crash), the temporary Node-RED user directory goes with it.
let cleanupOnExit = () => {};
process.on('exit', () => cleanupOnExit());
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

const watchdogMs = CONFIG.budgetMs + 2 * CONFIG.phaseTimeoutMs;
const watchdog = setTimeout(() => {
  process.stderr.write(`bench: still running after ${watchdogMs} ms; giving up\n`);
  process.exit(1);
}, watchdogMs);

main().then(
  (code) => {
    clearTimeout(watchdog);
    process.exitCode = code;
    // Everything is closed, so the process ends now; if a handle still keeps it alive, say which and leave anyway.
    setTimeout(() => {
      const handles = process._getActiveHandles().map((h) => (h && h.constructor ? h.constructor.name : typeof h));
      process.stderr.write(`bench: the process did not exit by itself (open handles: ${handles.join(', ')})\n`);
      process.exit(code || 1);
    }, 5000).unref();
  },
  (err) => {
    clearTimeout(watchdog);
    process.stderr.write(`bench: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 5000).unref();
  },
);
