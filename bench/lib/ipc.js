'use strict';
// Request/answer over a forked child's IPC channel: the parent calls `child.call(op, args)`, the child serves a table
// of async handlers. Errors travel back as text and are thrown again in the parent.
const { fork } = require('node:child_process');

/** In a child: answer every `{id, op, args}` with `{id, result}` or `{id, error}`. */
function serve(handlers) {
  process.on('message', async (request) => {
    if (!request || typeof request.id !== 'number') return;
    const handler = handlers[request.op];
    try {
      if (!handler) throw new Error(`unknown operation "${request.op}"`);
      const result = await handler(request.args || {});
      process.send({ id: request.id, result });
    } catch (err) {
      process.send({ id: request.id, error: (err && err.stack) || String(err) });
    }
  });
  // The parent going away (Ctrl+C, a crash) takes this process with it.
  process.on('disconnect', () => process.exit(0));
}

/** In the parent: a child process running `file`, with `call(op, args)`. */
function spawnChild(file, { args = [], execArgv = [], env = process.env, name = file } = {}) {
  const child = fork(file, args, { execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 0;
  let exited = null;
  let onReady;
  const ready = new Promise((resolve, reject) => {
    onReady = resolve;
    child.once('exit', () => reject(new Error(`${name} exited before it was ready`)));
  });
  ready.catch(() => {});
  child.on('message', (answer) => {
    if (answer && answer.ready === true) onReady();
    const entry = answer && pending.get(answer.id);
    if (!entry) return;
    pending.delete(answer.id);
    if (answer.error !== undefined) entry.reject(new Error(`${name}: ${answer.error}`));
    else entry.resolve(answer.result);
  });
  child.on('exit', (code, signal) => {
    exited = `${name} exited (${signal || code})`;
    for (const entry of pending.values()) entry.reject(new Error(exited));
    pending.clear();
  });
  return {
    pid: child.pid,
    /** Resolves once the child said it is ready. */
    ready,
    call(op, callArgs) {
      if (exited) return Promise.reject(new Error(exited));
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, op, args: callArgs });
      });
    },
    stop() {
      if (exited) return Promise.resolve();
      return new Promise((resolve) => {
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.disconnect();
      });
    },
  };
}

/** Monotonic time in ms, comparable between processes of this machine (CLOCK_MONOTONIC). */
const monoMs = () => Number(process.hrtime.bigint()) / 1e6;

module.exports = { serve, spawnChild, monoMs };
