'use strict';
// A plain WebSocket client speaking the CLI's bot protocol, written here for the emulator's tests (not the product
// client), plus small helpers for the control API.
const WebSocket = require('ws');
const { startSimplexEmulator } = require('../../dist/simplex-emulator');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class CliClient {
  /** Every frame received, parsed (or `{raw}` when not JSON), in order. */
  frames = [];
  events = [];
  #pending = new Map();
  #waiters = [];
  #next = 0;

  static async connect(url, options = {}) {
    const client = new CliClient();
    client.ws = new WebSocket(url, options);
    client.ws.on('message', (data, isBinary) => client.#onFrame(data, isBinary));
    await new Promise((resolve, reject) => {
      client.ws.once('open', resolve);
      client.ws.once('error', reject);
    });
    return client;
  }

  #onFrame(data, isBinary) {
    let frame;
    try {
      frame = isBinary ? { binary: Buffer.from(data) } : JSON.parse(data.toString());
    } catch {
      frame = { raw: data.toString() };
    }
    this.frames.push(frame);
    if (frame.corrId !== undefined && this.#pending.has(frame.corrId)) {
      const resolve = this.#pending.get(frame.corrId);
      this.#pending.delete(frame.corrId);
      resolve(frame.resp);
      return;
    }
    if (frame.resp) {
      this.events.push(frame.resp);
      for (const w of [...this.#waiters]) {
        if (w.match(frame.resp)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(frame.resp);
        }
      }
    }
  }

  /** Sends a command and resolves with its `resp` (the record, in whatever dialect the emulator speaks). */
  cmd(text, corrId = `c${++this.#next}`) {
    return new Promise((resolve) => {
      this.#pending.set(corrId, resolve);
      this.ws.send(JSON.stringify({ corrId, cmd: text }));
    });
  }

  /** Like cmd() but fails the test when the reply is a chatCmdError. */
  async ok(text) {
    const resp = await this.cmd(text);
    if (resp.type === 'chatCmdError') throw new Error(`${text} failed: ${JSON.stringify(resp.chatError)}`);
    return resp;
  }

  /** Resolves with the first event (already received or coming) for which `match` is true. */
  waitEvent(match, timeoutMs = 3000, fromIndex = 0) {
    const pred = typeof match === 'string' ? (e) => e.type === match : match;
    const seen = this.events.slice(fromIndex).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { match: pred, resolve };
      this.#waiters.push(waiter);
      setTimeout(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at < 0) return;
        this.#waiters.splice(at, 1);
        reject(
          new Error(
            `no event matching ${match} within ${timeoutMs} ms; got ${this.events.map((e) => e.type).join(', ')}`,
          ),
        );
      }, timeoutMs);
    });
  }

  close() {
    this.ws.terminate();
  }
}

async function control(emu, method, route, body) {
  const res = await fetch(`${emu.controlUrl}${route}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  return { status: res.status, body: json };
}

async function controlOk(emu, method, route, body) {
  const { status, body: json } = await control(emu, method, route, body);
  if (status !== 200) throw new Error(`${method} ${route} -> ${status}: ${JSON.stringify(json)}`);
  return json;
}

async function waitFor(check, timeoutMs = 3000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

module.exports = { CliClient, control, controlOk, startSimplexEmulator, sleep, waitFor };
