'use strict';
// Shared helpers for the emulator tests: real HTTP (fetch) and real WebSocket (ws) clients.
const WebSocket = require('ws');
const { startEmulator, DEMO_IDS } = require('../../dist/emulator');

const docs = require('../fixtures/api-doc-examples.json');

/** Calls the REST API as the holder of `key`; returns status, headers and the parsed JSON body. */
async function api(emu, key, method, path, { query, body, headers = {} } = {}) {
  const url = new URL(emu.url + path);
  for (const [k, v] of Object.entries(query || {})) url.searchParams.set(k, String(v));
  const init = { method, headers: { ...headers } };
  if (key) init.headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Calls an endpoint and returns `data`, failing loudly when the answer is not a success envelope. */
async function ok(emu, key, method, path, options) {
  const res = await api(emu, key, method, path, options);
  if (res.status !== 200 || !res.json || res.json.success !== true) {
    throw new Error(`${method} ${path} answered ${res.status}: ${res.text}`);
  }
  return res.json.data;
}

async function control(emu, method, op, body) {
  const res = await fetch(`${emu.url}/_emulator${op}`, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

/** An open WebSocket that records every frame and can wait for one matching a predicate. */
async function openWs(emu, key, options = {}) {
  const ws = new WebSocket(emu.wsUrl, { headers: key ? { Authorization: `Bearer ${key}` } : {}, ...options });
  const frames = [];
  const waiters = [];
  ws.on('message', (data) => {
    let frame;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      frame = { raw: data.toString() };
    }
    frames.push(frame);
    for (const w of [...waiters]) {
      if (w.predicate(frame)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
    }
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`upgrade refused ${res.statusCode}`), { statusCode: res.statusCode })),
    );
  });
  let counter = 0;
  const client = {
    ws,
    frames,
    next(predicate, timeoutMs = 2000) {
      const found = frames.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { predicate, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error('timed out waiting for a frame'));
          }
        }, timeoutMs);
      });
    },
    /** Sends a documented request frame and resolves with the Response frame carrying the same requestId. */
    request(requestType, { parameters, body, requestId } = {}) {
      const id = requestId || `req-${++counter}-${Math.random().toString(36).slice(2)}`;
      const frame = { requestId: id, requestType, version: '2' };
      if (parameters !== undefined) frame.parameters = parameters;
      if (body !== undefined) frame.body = body;
      ws.send(JSON.stringify(frame));
      return client.next((f) => f.eventType === 'Response' && f.requestId === id);
    },
    messages() {
      return frames.filter((f) => f.eventType === 'MessageReceived');
    },
    close() {
      ws.terminate();
    },
  };
  return client;
}

/** Resolves with the HTTP status of a refused upgrade. */
function upgradeStatus(emu, headers = {}, path = '/service/ws') {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(emu.wsUrl.replace('/service/ws', path), { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode);
      res.resume();
    });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('upgrade unexpectedly accepted'));
    });
    ws.on('error', () => {});
  });
}

function jsonType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Objects used as maps in the documentation: their keys are examples, not field names. */
const MAP_FIELDS = new Set(['messageReactions']);
const lastKey = (path) => path.split('.').pop();

/**
 * Compares an actual value with a documented example: every documented field must exist with the documented
 * JSON type; arrays are checked element by element against the first documented element. A documented null
 * accepts any type. Returns a list of differences (empty when the shape matches).
 */
function shapeErrors(actual, documented, path = 'data') {
  const errors = [];
  const want = jsonType(documented);
  const got = jsonType(actual);
  if (want === 'null') return errors;
  if (want !== got) return [`${path}: expected ${want}, got ${got}`];
  if (want === 'array') {
    if (documented.length > 0)
      actual.forEach((item, i) => errors.push(...shapeErrors(item, documented[0], `${path}[${i}]`)));
  } else if (want === 'object' && MAP_FIELDS.has(lastKey(path))) {
    // Documented keys are examples ("reactionCode1"): check every actual value against the first documented one.
    const sample = Object.values(documented)[0];
    for (const [key, value] of Object.entries(actual)) errors.push(...shapeErrors(value, sample, `${path}.${key}`));
  } else if (want === 'object') {
    for (const key of Object.keys(documented)) {
      if (!(key in actual)) errors.push(`${path}.${key}: missing`);
      else errors.push(...shapeErrors(actual[key], documented[key], `${path}.${key}`));
    }
  }
  return errors;
}

/** Deep copy of a documented example with placeholder strings replaced. */
function fill(example, replacements) {
  return JSON.parse(JSON.stringify(example), (_k, v) =>
    typeof v === 'string' && v in replacements ? replacements[v] : v,
  );
}

const text = (t) => ({ dataComponentType: 'text', text: t });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function keyOf(emu, accountId) {
  return emu.accounts.find((a) => a.accountId === accountId).apiKey;
}

module.exports = {
  startEmulator,
  DEMO_IDS,
  docs,
  api,
  ok,
  control,
  openWs,
  upgradeStatus,
  shapeErrors,
  fill,
  text,
  sleep,
  keyOf,
  jsonType,
};
