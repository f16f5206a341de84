'use strict';
// Measuring helpers: a bounded windowed runner, a bounded sequential latency runner, percentiles, a text table.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `start(i)` for i = 0..count-1 with at most `window` in flight. Stops starting new ones once `deadlineMs` has
 * passed (every `start` promise must settle by itself: each has its own timeout). Resolves with what happened.
 */
function runWindowed({ count, window, deadlineMs, start }) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    let next = 0;
    let inFlight = 0;
    let completed = 0;
    let failed = 0;
    let stoppedEarly = false;
    const errors = [];
    const finish = () => {
      const elapsedMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      resolve({
        attempted: next,
        completed,
        failed,
        stoppedEarly,
        errors,
        elapsedMs,
        perSecond: completed / (elapsedMs / 1000),
        cpuUsPerMsg: completed ? (cpu.user + cpu.system) / completed : NaN,
        loopBusy: performance.eventLoopUtilization(elu0).utilization,
      });
    };
    const launch = () => {
      while (inFlight < window && next < count) {
        if (performance.now() - t0 > deadlineMs) {
          stoppedEarly = true;
          break;
        }
        const i = next++;
        inFlight++;
        let settled = false;
        const settle = (err) => {
          if (settled) return;
          settled = true;
          inFlight--;
          if (err) {
            failed++;
            if (errors.length < 5) errors.push(err.message || String(err));
          } else completed++;
          if (inFlight === 0 && (next >= count || stoppedEarly)) finish();
          else launch();
        };
        let promise;
        try {
          promise = start(i);
        } catch (err) {
          promise = Promise.reject(err);
        }
        promise.then(() => settle(), settle);
      }
      if (inFlight === 0 && (next >= count || stoppedEarly)) finish();
    };
    launch();
  });
}

/**
 * Sends `count` events one after the other, the next one `gapMs` after the previous one arrived (so this measures
 * latency, not queueing). `send(i)` resolves with that event's latency in ms (it takes its own start time just
 * before handing the event over) or rejects when the event is lost (it must time out by itself).
 */
async function runSequentialLatency({ count, gapMs, deadlineMs, send }) {
  const started = performance.now();
  const samples = [];
  const errors = [];
  let lost = 0;
  let stoppedEarly = false;
  for (let i = 0; i < count; i++) {
    if (performance.now() - started > deadlineMs) {
      stoppedEarly = true;
      break;
    }
    try {
      samples.push(await send(i));
    } catch (err) {
      lost++;
      if (errors.length < 5) errors.push(err.message || String(err));
    }
    if (gapMs > 0) await sleep(gapMs);
    else await nextTurn();
  }
  return { attempted: samples.length + lost, samples, lost, errors, stoppedEarly };
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function latencySummary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A plain text table: first column left-aligned, the others right-aligned. */
function table(header, rows) {
  const all = [header, ...rows.filter(Boolean)];
  const widths = header.map((_, c) => Math.max(...all.map((r) => String(r[c] ?? '').length)));
  const line = (r) =>
    r
      .map((cell, c) => (c === 0 ? String(cell ?? '').padEnd(widths[c]) : String(cell ?? '').padStart(widths[c])))
      .join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map((r) => (r === null ? rule : line(r)))].join('\n');
}

/**
 * The machine's CPU time from /proc/stat (Linux; undefined elsewhere), to tell how busy other processes kept the
 * machine during the run. Jiffies are taken as 1/100 s (USER_HZ on every common Linux).
 */
function machineCpu() {
  try {
    const line = require('node:fs').readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const busyS = (user + nice + system + irq + softirq) / 100;
    return { busyS, stealS: (steal || 0) / 100, wallS: performance.now() / 1000 };
  } catch {
    return undefined;
  }
}

/** Average cores used by other processes (and stolen by the hypervisor) between two machineCpu() snapshots. */
function otherLoad(before, after, ownCpuS) {
  if (!before || !after) return undefined;
  const wallS = after.wallS - before.wallS;
  if (wallS <= 0) return undefined;
  return {
    otherCores: Math.max(0, (after.busyS - before.busyS - ownCpuS) / wallS),
    stealCores: (after.stealS - before.stealS) / wallS,
  };
}

module.exports = {
  machineCpu,
  otherLoad,
  sleep,
  nextTurn,
  runWindowed,
  runSequentialLatency,
  percentile,
  latencySummary,
  median,
  table,
};
