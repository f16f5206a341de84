'use strict';
// The component node in a real Node-RED runtime: every documented data component from editor settings, typed
// inputs per message, bucket create and reference, validation through Catch, and a built gauge accepted by the
// emulator when sent to a channel.
const assert = require('node:assert/strict');
const docs = require('../fixtures/api-doc-examples.json');
const { helper, nodes, DEMO, keyOf, waitFor, accountNode, startEmulator, openSockets } = require('../helpers/env');
const { builderNodes, entriesOf, around, built, refused } = require('../helpers/builders');

const SEGMENTS = [
  { from: 0, to: 20, color: '#00AAFF' },
  { from: 21, to: 40, color: '#FF12A1' },
  { from: 41, to: 100, color: '#BF45F0' },
];

function componentNode(settings) {
  return { id: 'component', type: 'semilimes-component', name: '', componentType: 'text', bucketMode: 'create', fields: {}, ...settings };
}

describe('semilimes-component node', function () {
  afterEach(async () => {
    await helper.unload();
  });

  const load = (settings) => helper.load([builderNodes.component, nodes.catch], around(componentNode(settings)));

  for (const [type, documented] of Object.entries(docs.dataComponents)) {
    if (type === 'form' || type === 'bucket') continue;
    it(`builds the documented ${type} component from the editor's settings`, async () => {
      const expected = documented.segments ? { ...documented, segments: SEGMENTS } : documented;
      const { dataComponentType, ...fields } = expected;
      await load({ componentType: dataComponentType, fields: entriesOf(fields) });
      assert.deepEqual(await built('component', {}), expected);
    });
  }

  it('builds the documented bucket with children, and a bare reference by id', async () => {
    const { dataComponentType, bucketId, ...fields } = docs.dataComponents.bucket;
    await load({ componentType: 'bucket', bucketMode: 'create', fields: { ...entriesOf(fields), bucketId: { v: 'ignored', t: 'str' } } });
    const { bucketId: _id, ...expected } = docs.dataComponents.bucket;
    assert.deepEqual(await built('component', {}), expected, 'a new bucket carries no bucketId');
    await helper.unload();
    await load({ componentType: 'bucket', bucketMode: 'reference', fields: { bucketId: { v: 'id', t: 'msg' }, title: { v: 'dropped', t: 'str' } } });
    assert.deepEqual(await built('component', { id: 'b-123' }), { dataComponentType: 'bucket', bucketId: 'b-123' });
    assert.equal(dataComponentType, 'bucket');
    assert.equal(bucketId, '<auto_generated>');
  });

  it('takes a bucket\'s children from the message', async () => {
    await load({ componentType: 'bucket', fields: { title: { v: 'Album', t: 'str' }, dataComponents: { v: 'children', t: 'msg' } } });
    const children = [{ dataComponentType: 'text', text: 'hi' }, { dataComponentType: 'bucket', bucketId: 'b1' }];
    assert.deepEqual(await built('component', { children }), { dataComponentType: 'bucket', title: 'Album', dataComponents: children });
    const error = await refused('component', { children: [{ dataComponentType: 'gauge', value: 500 }] });
    assert.match(error.message, /bucket > dataComponents\[0\] \(gauge\): value = 500 must be between 0 and 100/);
  });

  it('reads a gauge from the message: value from msg.payload (text converted), displayValue by JSONata', async () => {
    await load({
      componentType: 'gauge',
      fields: { title: { v: 'Living room', t: 'str' }, value: { v: 'payload', t: 'msg' }, displayValue: { v: 'payload & " °C"', t: 'jsonata' }, segments: { v: JSON.stringify(SEGMENTS), t: 'json' } },
    });
    const gauge = await built('component', { payload: '21.5' });
    assert.equal(gauge.value, 21.5);
    assert.equal(gauge.displayValue, '21.5 °C');
    assert.equal(gauge.thickness, 20, 'documented defaults fill the rest');
    assert.equal(gauge.pointer, 'none');
  });

  it('builds every webview display mode', async () => {
    for (const [displayMode, extra] of [
      ['link', { linkDisplayName: 'Docs' }],
      ['thumbnail', {}],
      ['liveweb', { enableFullScreenView: true, viewSize: '3:2' }],
    ]) {
      await load({ componentType: 'webview', fields: entriesOf({ url: 'https://example.org', displayMode, ...extra }) });
      assert.deepEqual(await built('component', {}), { dataComponentType: 'webview', url: 'https://example.org', displayMode, ...extra });
      await helper.unload();
    }
  });

  const invalid = [
    ['a gauge value above 100', { componentType: 'gauge', fields: { value: { v: 'payload', t: 'msg' } } }, { payload: 150 }, /gauge: value = 150 must be between 0 and 100$/],
    ['overlapping gauge segments', { componentType: 'gauge', fields: entriesOf({ segments: [{ from: 0, to: 60, color: '#000000' }, { from: 50, to: 100, color: '#000000' }] }) }, {}, /gauge: segments\[1\]\.from = 50 overlaps segments\[0\]/],
    ['a webview viewSize outside 1:1, 1:2, 3:2, 2:1', { componentType: 'webview', fields: entriesOf({ url: 'https://x', displayMode: 'liveweb', viewSize: '16:9' }) }, {}, /webview: viewSize = "16:9" must be one of: 1:1, 1:2, 3:2, 2:1/],
    ['an appointment ending before it starts', { componentType: 'appointment', fields: { title: { v: 'Dentist', t: 'str' }, start: { v: 'start', t: 'msg' }, end: { v: 'end', t: 'msg' } } }, { start: 2000, end: 1000 }, /appointment: end = 1000 must not be before start \(2000\)/],
    ['a text without text', { componentType: 'text', fields: { text: { v: 'payload', t: 'msg' } } }, {}, /text: text = missing is required/],
    ['an unknown type', { componentType: 'sticker' }, {}, /sticker|unknownType/],
    ['a bucket reference without id', { componentType: 'bucket', bucketMode: 'reference', fields: {} }, {}, /bucketId|noBucketId/],
    // Without the check this became {"dataComponentType":"bucket"}: a request to create a new bucket.
    ['a bucket reference whose id is missing from the message', { componentType: 'bucket', bucketMode: 'reference', fields: { bucketId: { v: 'id', t: 'msg' } } }, {}, /noBucketId/],
  ];
  for (const [name, settings, msg, message] of invalid) {
    it(`refuses ${name} through done(err), with a red status and nothing on the output`, async () => {
      await load(settings);
      const statuses = [];
      helper.getNode('component').on('call:status', (call) => statuses.push(call.args[0]));
      const error = await refused('component', msg);
      assert.match(error.message, message);
      assert.equal(statuses.at(-1).fill, 'red');
    });
  }

  it('a built gauge is accepted by the emulator when posted to a channel', async () => {
    const emu = await startEmulator({ port: 0 });
    try {
      await helper.load(
        [nodes.account, nodes.send, builderNodes.component],
        [
          { id: 'f1', type: 'tab' },
          accountNode(emu),
          { ...componentNode({ componentType: 'gauge', fields: { value: { v: 'payload', t: 'msg' }, displayValue: { v: 'payload & "%"', t: 'jsonata' } } }), z: 'f1', x: 100, y: 100, wires: [['send']] },
          { id: 'send', z: 'f1', x: 100, y: 100, type: 'semilimes-send', account: 'acc', action: 'send', chatKind: 'channel', chatId: DEMO.news, chatIdType: 'str', messageId: 'messageId', messageIdType: 'msg', reaction: '', reactionType: 'str', silent: true, wires: [['sent']] },
          { id: 'sent', z: 'f1', x: 100, y: 100, type: 'helper' },
        ],
        { acc: { apiKey: keyOf(emu, DEMO.bot) } },
      );
      await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
      const sent = [];
      helper.getNode('sent').on('input', (m) => sent.push(m));
      helper.getNode('component').receive({ payload: 42 });
      await waitFor(() => sent.length === 1, 'the gauge to be posted');
      const stored = (await emu.control.messages()).find((m) => m.messageId === sent[0].messageId);
      assert.equal(stored.chat.channelId, DEMO.news);
      assert.equal(stored.dataComponent.value, 42);
      assert.equal(stored.dataComponent.displayValue, '42%');
    } finally {
      await helper.unload();
      await emu.close();
    }
  });
});
