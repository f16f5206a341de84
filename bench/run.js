'use strict';
// npm run bench: our Node-RED nodes next to a raw `ws` client doing the same work, for semilimes and for SimpleX,
// against the emulators on loopback. Three kinds of process, so that every figure belongs to one of them:
//   emulators  (lib/emulators.js) two identical instances of each emulator: one for Node-RED, one for the raw client;
//   nodes      (lib/worker.js)    a real Node-RED with the service's send and receive nodes, as a user runs it;
//   raw        (lib/worker.js)    the `ws` library and the documented frames, nothing else.
// Both measured processes stay connected for the whole run; each round measures them one after the other (the order
// alternates), so machine load hits both alike. Per round and process:
//   send      `--sequential` texts one at a time, then `--sends` with `--window` in flight: messages/s, CPU per
//             message; checked against what the emulator received (nothing lost, nothing twice, every send answered);
//   latency   `--latency` texts from Alice to the bot, `--gap` ms apart; each text carries its send time
//             (CLOCK_MONOTONIC, shared by the processes), taken just before the emulator writes it: p50/p90/p99 until
//             it leaves the receive node (arrives at the node wired after it) or the raw client has parsed it;
//   inbound   `--inbound` texts as fast as the emulator makes them: messages/s and CPU per message received;
//   memory    heap and RSS after two full garbage collections; growth from the end of the warm-up.
// Each figure is the median of the rounds with the lowest and highest; ratios are nodes / raw, the median of the
// rounds' own ratios. Prints a table, writes JSON (--out, default bench/results/latest.json), then runs
// bench/files.js (not with --no-files).
//
// Options: --quick (small counts, 5 rounds, files bench with 128 MB), --rounds N (5), --sends N (20000),
// --window N (50), --sequential N (1000), --latency N (500), --gap MS (5), --inbound N (20000), --warmup N (2000),
// --service semilimes|simplex|all, --out FILE, --no-files, --log LEVEL (Node-RED log level kept for the report),
// --split (semilimes: the Node-RED process's time per stage of a paced inbound message), --cpu-prof DIR (V8 CPU profiles of both measured processes over the rounds, without start-up and
// warm-up: <service>-<path>.cpuprofile; `node bench/profile.js FILE` summarises one), --compress (the semilimes
// emulators offer permessage-deflate and compress every frame; the raw client accepts it, as `ws` does by default),
// --floor (semilimes: the Node-RED process runs the least a send and a receive node can do, bench/nodes/bench-floor.js,
// in place of this package's nodes: what Node-RED itself costs next to the raw client).
// Exit code 0, or 1 when a message was lost or duplicated, a send failed, or the run broke. Goals missed are
// reported, not failed: the machine's load moves them.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { spawnChild } = require('./lib/ipc');
const { median, percentile, table, machineCpu, otherLoad } = require('./lib/measure');

const SERVICES = ['semilimes', 'simplex'];
const PATHS = ['nodes', 'raw'];

function parseOptions(argv) {
  const quick = argv.includes('--quick');
  const options = {
    quick,
    rounds: 5,
    sends: quick ? 2000 : 20_000,
    window: 50,
    sequential: quick ? 200 : 1000,
    latency: quick ? 200 : 500,
    gap: quick ? 2 : 5,
    inbound: quick ? 2000 : 20_000,
    warmup: quick ? 300 : 2000,
    service: 'all',
    out: path.join(__dirname, 'results', 'latest.json'),
    files: true,
    log: 'warn',
    messageTimeoutMs: 10_000,
  };
  const numeric = ['rounds', 'sends', 'window', 'sequential', 'latency', 'gap', 'inbound', 'warmup'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.replace(/^--/, '');
    if (arg === '--quick') continue;
    if (arg === '--no-files') options.files = false;
    else if (numeric.includes(name)) {
      const value = Number(argv[++i]);
      const min = name === 'gap' || name === 'warmup' || name === 'sequential' ? 0 : 1;
      if (!Number.isInteger(value) || value < min) throw new Error(`${arg} needs an integer >= ${min}`);
      options[name] = value;
    } else if (name === 'service') {
      const value = argv[++i];
      if (![...SERVICES, 'all'].includes(value)) throw new Error(`--service is one of ${SERVICES.join(', ')}, all`);
      options.service = value;
    } else if (name === 'out') options.out = path.resolve(argv[++i]);
    else if (name === 'log') options.log = argv[++i];
    else if (name === 'cpu-prof') options.cpuProf = path.resolve(argv[++i]);
    else if (name === 'split') options.split = true;
    else if (name === 'compress') options.compress = true;
    else if (name === 'floor') options.floor = true;
    else throw new Error(`unknown option ${arg} (see the top of bench/run.js)`);
  }
  if (options.rounds < 5 && !options.quick) process.stderr.write('note: fewer than 5 rounds make poor medians\n');
  return options;
}

const progress = (line) => process.stderr.write(`  ${line}\n`);

async function benchService(service, emulators, targets, options, problems, notes) {
  progress(`${service}: starting Node-RED and the raw client ...`);
  const workers = {};
  for (const name of PATHS) {
    workers[name] = spawnChild(path.join(__dirname, 'lib', 'worker.js'), {
      execArgv: ['--expose-gc'],
      name: `${service} ${name}`,
    });
  }
  const rounds = [];
  const memory = { nodes: [], raw: [] };
  let tag = 0;
  try {
    for (const name of PATHS) await workers[name].ready;
    for (const name of PATHS) {
      await workers[name].call('init', {
        service,
        path: name,
        target: targets[service][name],
        logLevel: options.log,
        split: options.split,
        floor: options.floor,
      });
    }

    /** One path's share of a round; `record` false for the warm-up. */
    async function phases(name, counts) {
      const worker = workers[name];
      const out = {};
      const sendPhase = async (count, window) => {
        const t = `s${++tag}`;
        const result = await worker.call('send', {
          tag: t,
          count,
          window,
          timeoutMs: options.messageTimeoutMs,
          deadlineMs: 120_000,
        });
        const got = await emulators.call('received', { service, path: name, tag: t });
        result.emulatorGot = got;
        result.lost = result.completed - Math.min(result.completed, got.distinct);
        result.duplicated = got.total - got.distinct;
        const what = `${service} ${name} send (window ${window})`;
        if (result.failed > 0)
          problems.push(`${what}: ${result.failed} failed (${[...new Set(result.errors)].join('; ')})`);
        if (result.duplicated > 0) problems.push(`${what}: ${result.duplicated} received twice by the emulator`);
        if (got.distinct !== result.completed) {
          problems.push(`${what}: ${result.completed} answered, ${got.distinct} arrived at the emulator`);
        }
        if (result.outputs !== undefined && (result.outputs !== result.completed || result.unmatchedOutputs > 0)) {
          problems.push(
            `${what}: ${result.outputs} outputs (${result.unmatchedOutputs} unmatched) for ${result.completed}`,
          );
        }
        return result;
      };
      const inboundPhase = async (count, gapMs) => {
        const t = `i${++tag}`;
        await worker.call('arm', { tag: t, count });
        await emulators.call('inject', { service, path: name, tag: t, count, gapMs });
        const result = await worker.call('collect', { idleTimeoutMs: options.messageTimeoutMs });
        const what = `${service} ${name} inbound`;
        if (result.lost > 0) problems.push(`${what}: ${result.lost} of ${count} lost`);
        if (result.duplicates > 0) problems.push(`${what}: ${result.duplicates} delivered twice`);
        return result;
      };
      if (counts.sequential > 0) out.sequential = await sendPhase(counts.sequential, 1);
      out.send = await sendPhase(counts.sends, options.window);
      const latency = await inboundPhase(counts.latency, options.gap);
      const sorted = latency.latencies.sort((a, b) => a - b);
      out.latency = {
        n: sorted.length,
        lost: latency.lost,
        duplicates: latency.duplicates,
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1],
        cpuUsPerMsg: latency.cpuUsPerMsg,
        split: latency.split,
      };
      const inbound = await inboundPhase(counts.inbound, 0);
      delete inbound.latencies;
      inbound.perSecond = inbound.arrived / (inbound.elapsedMs / 1000);
      out.inbound = inbound;
      out.memory = await worker.call('memory');
      return out;
    }

    const warm = {
      sequential: Math.min(200, options.sequential),
      sends: options.warmup,
      latency: 100,
      inbound: options.warmup,
    };
    for (const name of PATHS) {
      progress(`${service}: warm-up, ${name} ...`);
      const w = await phases(name, warm);
      memory[name].push(w.memory);
    }
    if (options.cpuProf) for (const name of PATHS) await workers[name].call('profileStart');
    for (let round = 1; round <= options.rounds; round++) {
      const order = round % 2 ? PATHS : [...PATHS].reverse();
      progress(`${service}: round ${round}/${options.rounds} (${order.join(', ')}) ...`);
      const r = {};
      for (const name of order) {
        r[name] = await phases(name, options);
        memory[name].push(r[name].memory);
      }
      rounds.push(r);
    }
    if (options.cpuProf) {
      fs.mkdirSync(options.cpuProf, { recursive: true });
      for (const name of PATHS) {
        await workers[name].call('profileStop', { file: path.join(options.cpuProf, `${service}-${name}.cpuprofile`) });
      }
    }
    const stats = {};
    for (const name of PATHS) stats[name] = await workers[name].call('stats');
    const logged = stats.nodes.logged;
    for (const e of logged.slice(0, 5))
      notes.push(`${service} Node-RED logged (${e.level <= 20 ? 'error' : 'warn'}): ${e.text}`);
    if (logged.length > 5) notes.push(`${service}: ... and ${logged.length - 5} more Node-RED log lines`);
    if (stats.nodes.outputs.caught > 0) {
      problems.push(
        `${service}: Catch saw ${stats.nodes.outputs.caught}: ${stats.nodes.outputs.caughtSamples.join('; ')}`,
      );
    }
    for (const name of PATHS) {
      if (stats[name].strayInbound > 0)
        notes.push(`${service} ${name}: ${stats[name].strayInbound} inbound texts not expected`);
    }
    for (const name of PATHS) await workers[name].call('shutdown');
  } finally {
    for (const name of PATHS) await workers[name].stop();
  }
  return { rounds, memory };
}

// ---- summary ---------------------------------------------------------------------------------------------------
const stat = (values) => {
  const v = values.filter(Number.isFinite);
  return { median: median(v), min: v.length ? Math.min(...v) : NaN, max: v.length ? Math.max(...v) : NaN, n: v.length };
};

/** Every figure of a service: per path median/min/max over rounds, and the nodes/raw ratio over rounds. */
function summarise(result, options) {
  const figures = {};
  const add = (key, label, unit, pick, better) => {
    const per = (name) => result.rounds.map((r) => pick(r[name]));
    const ratios = result.rounds.map((r) => pick(r.nodes) / pick(r.raw));
    figures[key] = { label, unit, better, nodes: stat(per('nodes')), raw: stat(per('raw')), ratio: stat(ratios) };
  };
  add('sendRate', `send, ${options.window} in flight`, 'msgs/s', (p) => p.send.perSecond, 'higher');
  if (options.sequential > 0)
    add('sendRateSeq', 'send, one at a time', 'msgs/s', (p) => p.sequential.perSecond, 'higher');
  add('sendCpu', `CPU per message sent, ${options.window} in flight`, 'us', (p) => p.send.cpuUsPerMsg, 'lower');
  if (options.sequential > 0) {
    add('sendCpuSeq', 'CPU per message sent, one at a time', 'us', (p) => p.sequential.cpuUsPerMsg, 'lower');
  }
  add('p50', 'inbound latency p50', 'ms', (p) => p.latency.p50, 'lower');
  add('p90', 'inbound latency p90', 'ms', (p) => p.latency.p90, 'lower');
  add('p99', 'inbound latency p99', 'ms', (p) => p.latency.p99, 'lower');
  add('inboundRate', 'inbound, as fast as it comes', 'msgs/s', (p) => p.inbound.perSecond, 'higher');
  add('inboundCpu', 'CPU per message received', 'us', (p) => p.inbound.cpuUsPerMsg, 'lower');
  // Memory: growth from the end of the warm-up to the end of each round (cumulative).
  const memory = {};
  for (const name of PATHS) {
    const snaps = result.memory[name];
    const base = snaps[0];
    const growth = (key) => snaps.slice(1).map((s) => s[key] - base[key]);
    const perRound = (key) => snaps.slice(1).map((s, i) => s[key] - snaps[i][key]);
    memory[name] = {
      heapGrowth: growth('heapUsed').at(-1),
      rssGrowth: growth('rss').at(-1),
      heapPerRound: stat(perRound('heapUsed')),
      rssPerRound: stat(perRound('rss')),
      heapAtEnd: snaps.at(-1).heapUsed,
      rssAtEnd: snaps.at(-1).rss,
    };
  }
  let lost = 0;
  let duplicated = 0;
  for (const r of result.rounds) {
    for (const name of PATHS) {
      const p = r[name];
      lost += (p.sequential ? p.sequential.lost + p.sequential.failed : 0) + p.send.lost + p.send.failed;
      lost += p.latency.lost + p.inbound.lost;
      duplicated += (p.sequential ? p.sequential.duplicated : 0) + p.send.duplicated;
      duplicated += p.latency.duplicates + p.inbound.duplicates;
    }
  }
  // --split: where the Node-RED process's time goes per stage (medians of the rounds' medians).
  let split;
  const splits = result.rounds.map((r) => r.nodes.latency.split).filter(Boolean);
  if (splits.length) {
    split = Object.fromEntries(Object.keys(splits[0]).map((stage) => [stage, stat(splits.map((x) => x[stage]))]));
    split.rawWire = stat(result.rounds.map((r) => (r.raw.latency.split ? r.raw.latency.split.wire : NaN)));
  }
  return {
    figures,
    split,
    memory,
    sentPerPath: options.rounds * (options.sends + options.sequential),
    receivedPerPath: options.rounds * (options.inbound + options.latency),
    lost,
    duplicated,
  };
}

const MB = 1024 * 1024;
const GOALS = [
  { key: 'sendRate', text: 'send >= 0.9x raw', ok: (s) => s.figures.sendRate.ratio.median >= 0.9 },
  { key: 'p50', text: 'inbound p50 <= 1.10x raw', ok: (s) => s.figures.p50.ratio.median <= 1.1 },
  { key: 'p99', text: 'inbound p99 <= 1.25x raw', ok: (s) => s.figures.p99.ratio.median <= 1.25 },
  {
    key: 'cpu',
    text: 'Node-RED CPU per message <= 2x raw (sent and received)',
    ok: (s) => s.figures.sendCpu.ratio.median <= 2 && s.figures.inboundCpu.ratio.median <= 2,
  },
  { key: 'heap', text: 'Node-RED heap growth < 10 MB', ok: (s) => s.memory.nodes.heapGrowth < 10 * MB },
  { key: 'rss', text: 'Node-RED RSS growth < 20 MB', ok: (s) => s.memory.nodes.rssGrowth < 20 * MB },
  { key: 'loss', text: '0 lost, 0 duplicated', ok: (s) => s.lost === 0 && s.duplicated === 0 },
];

function fmt(v, unit) {
  if (!Number.isFinite(v)) return '-';
  if (unit === 'msgs/s') return Math.round(v).toLocaleString('en-US');
  if (unit === 'ms') return v.toFixed(3);
  if (unit === 'us') return v.toFixed(1);
  if (unit === 'MB') return (v / MB).toFixed(1);
  return String(v);
}
const cell = (s, unit) => `${fmt(s.median, unit)} (${fmt(s.min, unit)}-${fmt(s.max, unit)})`;
const ratioCell = (s) =>
  Number.isFinite(s.median) ? `${s.median.toFixed(2)}x (${s.min.toFixed(2)}-${s.max.toFixed(2)})` : '-';

function report(summaries, options, load) {
  const cpus = os.cpus();
  const version = (pkg) => {
    try {
      return require(`${pkg}/package.json`).version;
    } catch {
      return '?';
    }
  };
  const out = [''];
  out.push('Node-RED nodes vs. raw ws client, emulators on 127.0.0.1 in their own process');
  if (options.compress) {
    out.push('  the semilimes emulators compress every WebSocket frame for a client that accepts permessage-deflate');
  }
  if (options.floor) {
    out.push(
      '  --floor: semilimes "Node-RED nodes" are do-nothing nodes on raw sockets (bench/nodes/bench-floor.js), not ours',
    );
  }
  out.push(
    `  Node.js ${process.version}, Node-RED ${version('node-red')}, ws ${version('ws')}, ${os.platform()} ${os.arch()}, ` +
      `${cpus.length ? cpus[0].model.trim() : 'unknown CPU'} x ${cpus.length}`,
  );
  if (load) {
    out.push(
      `  other load on the machine meanwhile: ${load.otherCores.toFixed(2)} cores busy with other processes ` +
        `(this run's processes excluded), ${load.stealCores.toFixed(2)} stolen by the hypervisor`,
    );
  }
  out.push(
    `  ${options.rounds} rounds: median (lowest-highest round); ratio = nodes / raw, median of the rounds' ratios` +
      `${options.quick ? '; --quick' : ''}`,
  );
  for (const [service, s] of Object.entries(summaries)) {
    out.push('');
    out.push(
      `${service}: per round ${options.sequential} + ${options.sends} sends, ${options.latency} inbound ` +
        `${options.gap} ms apart, ${options.inbound} inbound as fast as they come`,
    );
    const rows = Object.values(s.figures).map((f) => [
      `${f.label} (${f.unit})`,
      cell(f.nodes, f.unit),
      cell(f.raw, f.unit),
      ratioCell(f.ratio),
    ]);
    rows.push(null);
    const m = s.memory;
    rows.push([
      `heap growth over ${s.sentPerPath.toLocaleString('en-US')} out + ${s.receivedPerPath.toLocaleString('en-US')} in (MB)`,
      fmt(m.nodes.heapGrowth, 'MB'),
      fmt(m.raw.heapGrowth, 'MB'),
      '',
    ]);
    rows.push(['  per round (MB)', cell(m.nodes.heapPerRound, 'MB'), cell(m.raw.heapPerRound, 'MB'), '']);
    rows.push(['RSS growth, same messages (MB)', fmt(m.nodes.rssGrowth, 'MB'), fmt(m.raw.rssGrowth, 'MB'), '']);
    rows.push(['  per round (MB)', cell(m.nodes.rssPerRound, 'MB'), cell(m.raw.rssPerRound, 'MB'), '']);
    rows.push([
      'heap / RSS at the end (MB)',
      `${fmt(m.nodes.heapAtEnd, 'MB')} / ${fmt(m.nodes.rssAtEnd, 'MB')}`,
      `${fmt(m.raw.heapAtEnd, 'MB')} / ${fmt(m.raw.rssAtEnd, 'MB')}`,
      '',
    ]);
    rows.push(['lost / duplicated (both paths, whole run)', `${s.lost} / ${s.duplicated}`, '', '']);
    out.push(table(['', 'Node-RED nodes', 'raw ws', 'nodes / raw'], rows));
    if (s.split) {
      const stageNames = {
        wire: 'emulator sends -> ws has the frame in the Node-RED process',
        rawWire: '  (the same for the raw client, for comparison)',
        frame: 'ws frame -> socket "frame" (size and depth check)',
        session: '-> session "message" (JSON parse, parseInbound)',
        client: '-> client "message" (de-duplication)',
        account: '-> account events (held during a deploy)',
        send: '-> receive node calls send (filters, flow message)',
        next: "-> the next node's input (Node-RED's delivery)",
      };
      out.push('Node-RED process, a paced inbound message stage by stage (--split; median of rounds, us):');
      const order = ['wire', 'rawWire', 'frame', 'session', 'client', 'account', 'send', 'next'];
      for (const [stage, st] of order.filter((k) => s.split[k]).map((k) => [k, s.split[k]])) {
        const us = (v) => (Number.isFinite(v) ? (v * 1000).toFixed(1) : '-');
        out.push(`  ${(stageNames[stage] || stage).padEnd(55)} ${us(st.median)} (${us(st.min)}-${us(st.max)})`);
      }
    }
    out.push('goals:');
    for (const g of GOALS) out.push(`  ${g.ok(s) ? 'met    ' : 'NOT met'}  ${g.text}`);
  }
  return out.join('\n');
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const services = options.service === 'all' ? SERVICES : [options.service];
  const startedAt = performance.now();
  const machineAtStart = machineCpu();
  const problems = [];
  const notes = [];
  progress('starting the emulators ...');
  const emulators = spawnChild(path.join(__dirname, 'lib', 'emulators.js'), {
    name: 'emulators',
    env: { ...process.env, BENCH_COMPRESS: options.compress ? '1' : '' },
  });
  const results = {};
  const pids = [];
  try {
    await emulators.ready;
    const targets = await emulators.call('info');
    for (const service of services) {
      results[service] = await benchService(service, emulators, targets, options, problems, notes);
    }
    await emulators.call('shutdown');
  } finally {
    await emulators.stop();
  }
  pids.push(emulators.pid);
  const wallS = (performance.now() - startedAt) / 1000;
  // Other processes' load: the machine's busy time minus this run's own processes (children included).
  const own = process.resourceUsage();
  const ownCpuS = (own.userCPUTime + own.systemCPUTime) / 1e6 + childrenCpuS();
  const load = otherLoad(machineAtStart, machineCpu(), ownCpuS);

  const summaries = {};
  for (const [service, result] of Object.entries(results)) summaries[service] = summarise(result, options);
  const text = report(summaries, options, load);
  process.stdout.write(`${text}\n`);
  for (const n of notes) process.stdout.write(`NOTE: ${n}\n`);
  for (const p of problems) process.stdout.write(`FAILED: ${p}\n`);
  process.stdout.write(
    `${problems.length ? 'RESULT: FAILED' : 'RESULT: ok (nothing lost or duplicated)'} in ${wallS.toFixed(0)} s\n`,
  );

  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  const json = {
    at: new Date().toISOString(),
    machine: { node: process.version, cpus: os.cpus().length, model: os.cpus()[0] && os.cpus()[0].model, load },
    options,
    services: Object.fromEntries(
      Object.entries(summaries).map(([service, s]) => [
        service,
        { ...s, goals: Object.fromEntries(GOALS.map((g) => [g.key, g.ok(s)])), rounds: results[service].rounds },
      ]),
    ),
    problems,
    notes,
    wallSeconds: wallS,
  };
  fs.writeFileSync(options.out, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(`JSON: ${path.relative(process.cwd(), options.out)}\n`);
  return problems.length ? 1 : 0;
}

/** CPU seconds of this process's finished children (Linux: /proc/self/stat cutime + cstime). */
function childrenCpuS() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

main().then(
  (code) => {
    const options = parseOptions(process.argv.slice(2));
    if (options.files) {
      const env = { ...process.env };
      if (options.quick && !env.BENCH_FILE_MB) env.BENCH_FILE_MB = '128';
      const files = spawnSync(process.execPath, [path.join(__dirname, 'files.js')], { stdio: 'inherit', env });
      if (files.status !== 0) code = 1;
    }
    process.exit(code);
  },
  (err) => {
    process.stderr.write(`bench: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
