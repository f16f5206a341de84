'use strict';
// msg.payload as a node's input object: the api, form and component nodes take plain objects only. A 10 MB Buffer,
// an array or a class instance is a clear error (done(err) naming msg.payload or the field), with short log lines;
// warnings about unknown names stay bounded whatever the messages carry.
const assert = require('node:assert/strict');
const { helper, nodes, DEMO, keyOf, accountNode, nodeSuite } = require('../helpers/env');
const { builderNodes, entriesOf } = require('../helpers/builders');
const { AT, tab, helperNode, catchAll, runThrough, recordErrors } = require('../helpers/flows');
const { kindOf, isPlainObject } = require('../../dist/nodes/lib/plain-object');
const { OnceLog, listNames } = require('../../dist/nodes/lib/once-log');

const TEN_MB = 10 * 1024 * 1024;

function flowWith(node) {
  return [
    tab(),
    { ...AT, ...node, wires: [['out']] },
    helperNode('out'),
    catchAll('catch', 'caught'),
    helperNode('caught'),
  ];
}

const apiNode = { id: 'node', type: 'semilimes-api', account: 'acc', operation: '/communication/p2p', params: {} };
const formNode = {
  id: 'node',
  type: 'semilimes-form',
  settings: {},
  receiverKind: 'none',
  components: [{ type: 'switch', refName: 'power', fields: entriesOf({ label: 'Power' }) }],
};
const componentNode = {
  id: 'node',
  type: 'semilimes-component',
  componentType: 'text',
  fields: { text: { v: 'payload', t: 'msg' } },
};

/** Every log line so far; none may quote a payload. */
const logLines = () => helper.log().args.map((a) => String(a[0] && a[0].msg));

describe('payload shapes: plain objects only, bounded warnings', function () {
  this.timeout(30_000);
  let emu;
  nodeSuite((started) => (emu = started));

  async function load(node) {
    const list = [nodes.account, nodes.api, nodes.catch, builderNodes.form, builderNodes.component];
    const flow = flowWith(node);
    if (node.account) flow.push(accountNode(emu));
    await helper.load(list, flow, node.account ? { acc: { apiKey: keyOf(emu, DEMO.bot) } } : {});
  }

  it('names what a value is in a few words, and tells plain objects from the rest', () => {
    assert.equal(kindOf(Buffer.alloc(TEN_MB)), 'a Buffer of 10485760 bytes');
    assert.equal(kindOf([1, 2]), 'an array of 2 items');
    assert.equal(kindOf(new Map()), 'a Map');
    assert.equal(kindOf(new (class Lamp {})()), 'a Lamp');
    assert.equal(isPlainObject({}), true);
    assert.equal(isPlainObject(Object.create(null)), true);
    assert.equal(isPlainObject(new Date()), false);
    assert.equal(isPlainObject(Buffer.alloc(1)), false);
    assert.equal(isPlainObject(require('node:vm').runInNewContext('({ power: true })')), true, "a function node's");
    assert.equal(isPlainObject(require('node:vm').runInNewContext('new Map()')), false);
  });

  it('a once-log is bounded and its lists are short', () => {
    const log = new OnceLog(3);
    assert.deepEqual(log.fresh(['a', 'b']), ['a', 'b']);
    assert.deepEqual(log.fresh(['a', 'c', 'd', 'e']), ['c'], 'full after three names');
    assert.deepEqual(log.fresh(['f']), []);
    assert.equal(new OnceLog().fresh(['x'.repeat(1000)])[0].length, 60);
    assert.equal(
      listNames(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']),
      '1, 2, 3, 4, 5, 6, 7, 8, 9, 10 (+2 more)',
    );
  });

  for (const [name, node, key, property] of [
    ['api', apiNode, 'payloadNotObject', 'payload'],
    ['form', formNode, 'payloadNotObject', 'payload'],
    ['component', componentNode, 'fieldNotValue', undefined],
  ]) {
    it(`${name} node: a 10 MB Buffer is a clear error (${key}), no long log line, nothing sent`, async () => {
      await load(node);
      const errors = recordErrors(helper.getNode('node'));
      const result = await runThrough(helper, { payload: Buffer.alloc(TEN_MB, 1) }, { inputId: 'node' });
      assert.ok(result.error, 'an error, not an output');
      assert.match(result.error.message, new RegExp(key));
      assert.equal(errors.length, 1);
      assert.equal(errors[0].name, 'FlowInputError');
      assert.equal(errors[0].property, property);
      const longest = Math.max(0, ...logLines().map((l) => l.length));
      assert.ok(longest < 1000, `longest log line ${longest} characters`);
      if (node.account) {
        const requests = await emu.control.requests();
        assert.equal(requests.filter((r) => r.path === '/communication/p2p').length, 0, 'nothing was called');
      }
    });
  }

  for (const [name, node] of [
    ['api', apiNode],
    ['form', formNode],
  ]) {
    it(`${name} node: an array or a class instance as msg.payload is an error; a plain value supplies nothing`, async () => {
      await load(node);
      const array = await runThrough(helper, { payload: [1, 2, 3] }, { inputId: 'node' });
      assert.match(array.error.message, /payloadNotObject/);
      const map = await runThrough(helper, { payload: new Map([['power', true]]) }, { inputId: 'node' });
      assert.match(map.error.message, /payloadNotObject/);
      const timestamp = await runThrough(helper, { payload: Date.now() }, { inputId: 'node' });
      assert.ok(timestamp.out, `an inject's timestamp still works: ${timestamp.error && timestamp.error.message}`);
      const plain = await runThrough(helper, { payload: Object.create(null) }, { inputId: 'node' });
      assert.ok(plain.out, 'an object without prototype is a plain object');
    });
  }

  it('api node: warnings about left-out fields are short and stop growing, however many names messages bring', async () => {
    await load(apiNode);
    for (let round = 0; round < 3; round++) {
      const payload = {};
      for (let i = 0; i < 400; i++) payload[`field-${round}-${i}-${'x'.repeat(200)}`] = i;
      const result = await runThrough(helper, { payload }, { inputId: 'node' });
      assert.ok(result.out, result.error && result.error.message);
    }
    const warnings = helper
      .log()
      .args.map((a) => a[0])
      .filter((e) => e && e.level === helper.log().WARN && /ignoredFields/.test(e.msg));
    assert.equal(warnings.length, 2, 'the third round finds the log full (500 names) and warns no more');
    for (const w of warnings) assert.ok(w.msg.length < 1200, `${w.msg.length} characters`);
  });
});
