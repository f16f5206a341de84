'use strict';
// The editor checks a form or component node's fixed values through an admin route that runs the runtime's own
// builders: what the route says is wrong is exactly what would fail every message.
const assert = require('node:assert/strict');
const { helper } = require('../helpers/env');
const { builderNodes } = require('../helpers/builders');

const fixed = (v, t = 'num') => ({ v: String(v), t });

describe('fixed values checked for the editor with the runtime\'s rules', function () {
  before(async () => {
    await helper.load([builderNodes.form, builderNodes.component], [{ id: 'f', type: 'semilimes-form', components: [], wires: [] }]);
  });
  after(() => helper.unload());

  const check = async (body) => (await helper.request().post('/semilimes/components/check').send(body).expect(200)).body.problems;

  it('names a slider whose min is above its max, in the row where it is', async () => {
    const problems = await check({
      settings: {},
      components: [
        { type: 'label', refName: 'intro', fields: { title: fixed('Hello', 'str') } },
        { type: 'slider', refName: 'level', fields: { min: fixed(50), max: fixed(10) } },
      ],
    });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].row, 1);
    assert.match(problems[0].message, /slider "level": min = 50 must be less than max \(10\)/);
  });

  it('leaves a row with a value from the message to the runtime', async () => {
    const problems = await check({
      components: [{ type: 'slider', refName: 'level', fields: { min: fixed(50), max: { v: 'max', t: 'msg' } } }],
    });
    assert.deepEqual(problems, []);
  });

  it('accepts a valid form, and checks its settings', async () => {
    const ok = await check({ settings: { align: fixed('left', 'sel') }, components: [{ type: 'switch', refName: 'power', fields: {} }] });
    assert.deepEqual(ok, []);
    const bad = await check({ settings: { align: fixed('middle', 'sel') }, components: [] });
    assert.equal(bad[0].row, null);
    assert.match(bad[0].message, /align/);
  });

  it('checks a component node: a gauge colour that is not #RRGGBB', async () => {
    const problems = await check({ componentType: 'gauge', fields: { value: fixed(10), pointerColor: fixed('red', 'str') } });
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /pointerColor/);
  });
});
