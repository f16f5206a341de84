'use strict';
// One measured process: either a real Node-RED with the service's nodes (path "nodes") or the raw `ws` client of
// the service (path "raw"). It sends and receives on request of bench/run.js and measures its own CPU time and
// memory, so that each figure belongs to one process. Started with --expose-gc.
const { serve, monoMs } = require('./ipc');
const { runWindowed, sleep } = require('./measure');
const { RawClient } = require('./raw-client');
const { RawSimplexClient } = require('./raw-simplex-client');

const state = {
  service: undefined,
  path: undefined,
  target: undefined,
  nr: undefined, // Node-RED runtime (nodes)
  raw: undefined, // raw client (raw)
  sendText: undefined, // (text) => Promise<void>
  inbound: null, // the current `arm`: what is expected and what arrived
  strayInbound: 0,
};

async function waitFor(predicate, what, ms = 10_000) {
  const until = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Every inbound text of the service ends here, from the receive node's output or the raw client. */
function arrived(text) {
  const now = monoMs();
  const inbound = state.inbound;
  if (!inbound || typeof text !== 'string' || !text.startsWith(inbound.prefix)) {
    state.strayInbound++;
    return;
  }
  const [, index, sentAt] = text.split(' ');
  const i = Number(index);
  if (inbound.seen[i]) {
    inbound.duplicates++;
    return;
  }
  inbound.seen[i] = 1;
  inbound.latencies.push(now - Number(sentAt));
  // --split: from the emulator's send to this process's socket having the frame, for a message that came alone.
  if (state.wire && state.wire.paced) state.wire.times.push(state.wire.at - Number(sentAt));
  if (inbound.latencies.length === inbound.count) inbound.done(now);
}

async function initNodes(logLevel) {
  const { startNodeRed } = require('./node-red-runtime');
  const floor = state.floor && state.service === 'semilimes';
  const nr = await startNodeRed({ service: state.service, target: state.target, logLevel, floor });
  state.nr = nr;
  cleanupOnExit = nr.cleanupSync;
  const pendingSends = new Map(); // benchSeq -> settle(err)
  state.outputs = { sent: 0, caught: 0, unmatched: 0, caughtSamples: [] };
  nr.node('sent').on('input', (msg) => {
    state.outputs.sent++;
    const settle = pendingSends.get(msg.benchSeq);
    if (!settle) state.outputs.unmatched++;
    else settle();
  });
  nr.node('caught').on('input', (msg) => {
    state.outputs.caught++;
    const text = (msg.error && msg.error.message) || 'unknown error';
    if (state.outputs.caughtSamples.length < 5) state.outputs.caughtSamples.push(text);
    const settle = pendingSends.get(msg.benchSeq);
    if (settle) settle(new Error(`Catch: ${text}`));
  });
  nr.node('received').on('input', (msg) => {
    if (state.split) state.split.stamp('next');
    arrived(msg.payload);
  });
  if (state.splitWanted && state.service === 'semilimes' && !floor) watchStages(nr);

  if (floor) {
    await waitFor(() => nr.node('send').connected && nr.node('recv').connected, 'the floor nodes to connect');
  } else {
    const config = state.service === 'semilimes' ? nr.node('acc') : nr.node('cli');
    await waitFor(() => config.client().state === 'connected', 'the Node-RED connection');
  }
  const sendNode = nr.node('send');
  const route =
    state.service === 'semilimes' ? { recipientId: state.target.recipientId } : { chatRef: state.target.chatRef };
  let seq = 0;
  state.sendText = (text, timeoutMs) =>
    new Promise((resolve, reject) => {
      const benchSeq = ++seq;
      const timer = setTimeout(() => {
        pendingSends.delete(benchSeq);
        reject(new Error(`lost: no output and no Catch within ${timeoutMs} ms`));
      }, timeoutMs);
      pendingSends.set(benchSeq, (err) => {
        pendingSends.delete(benchSeq);
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      });
      sendNode.receive({ payload: text, ...route, benchSeq });
    });
}

/**
 * --split: where a semilimes message's time goes inside this process. Listeners put in front of each stage's own
 * (reaching into the client's private parts: this is a measurement, not a use of the library) stamp the time a
 * message reaches it; the receive node's send is wrapped. Kept for paced messages only (nothing else in flight).
 */
const STAGES = ['ws', 'frame', 'session', 'client', 'account', 'send', 'next'];
function watchStages(nr) {
  const account = nr.node('acc');
  const client = account.client();
  const session = client.ws;
  const socket = session.current;
  const at = {};
  const split = {
    deltas: Object.fromEntries(STAGES.slice(1).map((s) => [s, []])),
    paced: false,
    stamp(stage) {
      at[stage] = monoMs();
      if (stage !== 'next' || !split.paced) return;
      for (let i = 1; i < STAGES.length; i++) split.deltas[STAGES[i]].push(at[STAGES[i]] - at[STAGES[i - 1]]);
    },
  };
  watchWire(socket.socket, (wire) => {
    split.paced = wire.paced;
    at.ws = wire.at;
  });
  socket.prependListener('frame', () => split.stamp('frame'));
  session.prependListener('message', () => split.stamp('session'));
  client.prependListener('message', () => split.stamp('client'));
  account.events.prependListener('message', () => split.stamp('account'));
  const receive = nr.node('recv');
  const send = receive.send;
  receive.send = function stampedSend(msg) {
    split.stamp('send');
    return send.call(this, msg);
  };
  state.split = split;
}

/** --split, both paths: stamps when a frame leaves `ws` in this process, and whether it came alone (1 ms after the last). */
function watchWire(ws, then = () => {}) {
  const wire = { at: 0, paced: false, times: [] };
  ws.prependListener('message', () => {
    const now = monoMs();
    wire.paced = now - wire.at > 1;
    wire.at = now;
    then(wire);
  });
  state.wire = wire;
}

/** Medians of the stages since the last call, in ms; undefined without --split. */
function takeSplit() {
  if (!state.split && !state.wire) return undefined;
  const out = {};
  if (state.wire) {
    const sorted = state.wire.times.splice(0).sort((a, b) => a - b);
    out.wire = sorted.length ? sorted[sorted.length >> 1] : NaN;
  }
  if (!state.split) return out;
  for (const [stage, values] of Object.entries(state.split.deltas)) {
    const sorted = values.splice(0).sort((a, b) => a - b);
    out[stage] = sorted.length ? sorted[sorted.length >> 1] : NaN;
  }
  return out;
}

async function initRaw() {
  if (state.service === 'semilimes') {
    const raw = await RawClient.connect(state.target.wsUrl, state.target.apiKey);
    if (state.splitWanted) watchWire(raw.socket);
    raw.onMessageReceived = (frame) => {
      const body = frame.eventBody;
      arrived(body && body.dataComponent ? body.dataComponent.text : undefined);
    };
    state.raw = raw;
    state.sendText = (text) => raw.sendText(state.target.recipientId, text);
  } else {
    const raw = await RawSimplexClient.connect(state.target.url);
    if (state.splitWanted) watchWire(raw.socket);
    raw.onText = (text) => arrived(text);
    state.raw = raw;
    state.sendText = (text) => raw.sendText(state.target.chatRef, text);
  }
}

function memory() {
  // Twice: the first full collection may leave finalised objects for the second.
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

let cleanupOnExit = () => {};
process.on('exit', () => cleanupOnExit());

serve({
  async init({ service, path: pathName, target, logLevel, split, floor }) {
    Object.assign(state, { service, path: pathName, target, splitWanted: split === true, floor: floor === true });
    if (pathName === 'nodes') await initNodes(logLevel || 'warn');
    else await initRaw();
    // The start-up traffic (SimpleX: the startup burst, the address, the profile) settles before anything is measured.
    await sleep(500);
    return { pid: process.pid };
  },

  /** `count` texts "<tag> <i>" with at most `window` in flight; CPU time of this process per completed send. */
  async send({ tag, count, window, timeoutMs, deadlineMs }) {
    const outputsBefore = state.outputs ? { ...state.outputs } : undefined;
    const result = await runWindowed({
      count,
      window,
      deadlineMs,
      start: (i) => state.sendText(`${tag} ${i}`, timeoutMs),
    });
    await sleep(20); // a late second output or Catch would show in the counters
    if (outputsBefore) {
      result.outputs = state.outputs.sent - outputsBefore.sent;
      result.caught = state.outputs.caught - outputsBefore.caught;
      result.unmatchedOutputs = state.outputs.unmatched - outputsBefore.unmatched;
    }
    delete result.loopBusy;
    return result;
  },

  /** Starts expecting `count` inbound texts "<tag> <i> <sent at>"; `collect` waits for them. */
  arm({ tag, count, timeoutMs }) {
    const inbound = {
      prefix: `${tag} `,
      count,
      seen: new Uint8Array(count),
      latencies: [],
      duplicates: 0,
      cpu0: process.cpuUsage(),
      t0: monoMs(),
      timeoutMs,
    };
    inbound.finished = new Promise((resolve) => {
      inbound.done = (at) => resolve(at);
    });
    state.inbound = inbound;
    return true;
  },

  async collect({ idleTimeoutMs }) {
    const inbound = state.inbound;
    // Lost = nothing new arrived for idleTimeoutMs while some are still missing.
    let lastCount = -1;
    let lastChange = monoMs();
    let finishedAt;
    inbound.finished.then((at) => {
      finishedAt = at;
    });
    while (finishedAt === undefined) {
      await sleep(20);
      if (inbound.latencies.length !== lastCount) {
        lastCount = inbound.latencies.length;
        lastChange = monoMs();
      } else if (monoMs() - lastChange > idleTimeoutMs) break;
    }
    const end = finishedAt === undefined ? monoMs() : finishedAt;
    const cpu = process.cpuUsage(inbound.cpu0);
    await sleep(20); // duplicates arriving right after the last one
    state.inbound = null;
    const n = inbound.latencies.length;
    return {
      expected: inbound.count,
      arrived: n,
      lost: inbound.count - n,
      duplicates: inbound.duplicates,
      latencies: inbound.latencies,
      elapsedMs: end - inbound.t0,
      cpuUsPerMsg: n ? (cpu.user + cpu.system) / n : NaN,
      split: takeSplit(),
    };
  },

  memory,

  /** CPU profile of this process from now (in-process inspector, so start-up and warm-up stay out of it). */
  async profileStart() {
    const inspector = require('node:inspector');
    state.profiler = new inspector.Session();
    state.profiler.connect();
    const post = (method, params) =>
      new Promise((resolve, reject) =>
        state.profiler.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
      );
    state.post = post;
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
    await post('Profiler.start');
    return true;
  },

  async profileStop({ file }) {
    const { profile } = await state.post('Profiler.stop');
    require('node:fs').writeFileSync(file, JSON.stringify(profile));
    state.profiler.disconnect();
    return true;
  },

  stats() {
    return {
      strayInbound: state.strayInbound,
      outputs: state.outputs,
      logged: state.nr
        ? state.nr.logged.filter((e) => !/unencrypted credentials|^Projects disabled/i.test(e.text))
        : [],
    };
  },

  async shutdown() {
    if (state.nr) await state.nr.stop();
    if (state.raw) await state.raw.close();
    cleanupOnExit = () => {};
    return true;
  },
});
process.send({ ready: true });
