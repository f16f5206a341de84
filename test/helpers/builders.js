'use strict';
// Plumbing for the builder node tests (semilimes-form, semilimes-component): the built nodes, editor-style field
// entries made from plain objects, and a runner that reports what reached the output or the Catch node.
const path = require('node:path');
const assert = require('node:assert/strict');
const { helper, delay } = require('./env');

const dist = path.join(__dirname, '..', '..', 'dist', 'nodes');
const builderNodes = {
  form: require(path.join(dist, 'semilimes-form.js')),
  component: require(path.join(dist, 'semilimes-component.js')),
};

/** One field as the editor saves it: a literal of the matching typed-input type. */
function entryOf(value) {
  if (typeof value === 'string') return { v: value, t: 'str' };
  if (typeof value === 'number') return { v: String(value), t: 'num' };
  if (typeof value === 'boolean') return { v: String(value), t: 'bool' };
  return { v: JSON.stringify(value), t: 'json' };
}

/** The editor's saved form of a component's fields (all literal). */
function entriesOf(fields) {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, entryOf(value)]));
}

/** The flow wiring around one builder node: its output and a Catch node, each into a helper node. */
function around(node) {
  return [
    { id: 'f1', type: 'tab' },
    { x: 100, y: 100, z: 'f1', wires: [['out']], ...node },
    { id: 'out', z: 'f1', x: 100, y: 100, type: 'helper' },
    { id: 'catch', z: 'f1', x: 100, y: 100, type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', x: 100, y: 100, type: 'helper' },
  ];
}

/**
 * Sends `msg` into node `id`; resolves with {out} or {error}. After an error it waits a moment to be sure nothing
 * also reached the output (a node must never do both).
 */
function run(id, msg) {
  return new Promise((resolve, reject) => {
    const out = helper.getNode('out');
    const caught = helper.getNode('caught');
    const seen = { outputs: [] };
    out.on('input', (m) => {
      seen.outputs.push(m);
      if (!seen.error) finish({ out: m });
    });
    caught.on('input', async (m) => {
      seen.error = m.error;
      await delay(50);
      if (seen.outputs.length) reject(new Error(`both an output and an error: ${m.error.message}`));
      else finish({ error: m.error });
    });
    function finish(result) {
      out.removeAllListeners('input');
      caught.removeAllListeners('input');
      resolve(result);
    }
    helper.getNode(id).receive(msg);
  });
}

async function built(id, msg) {
  const result = await run(id, msg);
  assert.ok(result.out, `expected a component, got the error: ${result.error && result.error.message}`);
  return result.out.payload;
}

async function refused(id, msg) {
  const result = await run(id, msg);
  assert.ok(result.error, `expected an error, got ${JSON.stringify(result.out && result.out.payload)}`);
  return result.error;
}

module.exports = { builderNodes, entryOf, entriesOf, around, run, built, refused };
