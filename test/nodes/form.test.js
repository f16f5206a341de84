'use strict';
// The form node in a real Node-RED runtime: every documented form component from editor settings, typed inputs
// per message, current values from msg.payload, validation through Catch; and the round trip through the
// emulator: built, sent to Alice, submitted by Alice, received with typed values, updated in place.
const assert = require('node:assert/strict');
const docs = require('../fixtures/api-doc-examples.json');
const { helper, nodes, DEMO, keyOf, waitFor, accountNode, startEmulator, openSockets } = require('../helpers/env');
const { builderNodes, entriesOf, around, built, refused } = require('../helpers/builders');

const SEGMENTS = [
  { from: 0, to: 20, color: '#00AAFF' },
  { from: 21, to: 40, color: '#FF12A1' },
  { from: 41, to: 100, color: '#BF45F0' },
];
/** The documented gauge example's single 0-20 segment breaks the coverage rule; the segments paragraph's example is used. */
const covering = (c) => (c.segments ? { ...c, segments: SEGMENTS } : c);

/** A component row as the editor saves it, from a documented-shape component. */
function row(component) {
  const { refName, formComponentType, ...fields } = component;
  return { type: formComponentType, refName, fields: entriesOf(fields) };
}

function formNode(settings) {
  return { id: 'form', type: 'semilimes-form', name: '', settings: {}, receiverKind: 'none', receiverId: '', receiverIdType: 'str', components: [], ...settings };
}

describe('semilimes-form node', function () {
  afterEach(async () => {
    await helper.unload();
  });

  const load = (settings) => helper.load([builderNodes.form, nodes.catch], around(formNode(settings)));

  it('builds the documented form with every documented form component, from the editor\'s settings', async () => {
    const { dataComponentType, formComponents, receiver, ...settings } = docs.dataComponents.form;
    const components = Object.values(docs.formComponents).map(covering);
    await load({ settings: entriesOf(settings), receiverKind: receiver.featureType, receiverId: receiver.id, components: components.map(row) });
    const form = await built('form', { payload: 'tick' });
    assert.deepEqual(form, { ...docs.dataComponents.form, formComponents: components });
    assert.equal(dataComponentType, 'form');
    assert.equal(formComponents.length, 1);
  });

  it('fills documented defaults for fields the editor left empty', async () => {
    await load({ components: [{ type: 'switch', refName: 'power', fields: { title: { v: 'Power', t: 'str' }, value: { v: '', t: 'bool' } } }] });
    const form = await built('form', {});
    assert.deepEqual(form.formComponents, [{ refName: 'power', formComponentType: 'switch', title: 'Power', value: false }]);
    assert.equal(form.submitEnabled, true);
    assert.equal(form.align, 'left');
  });

  it('evaluates typed inputs per message: msg, flow, env and JSONata; text from msg becomes a number where one is due', async () => {
    process.env.SEMILIMES_TEST_SUBMIT = 'Go';
    await load({
      settings: { refName: { v: 'formName', t: 'msg' }, submitText: { v: 'SEMILIMES_TEST_SUBMIT', t: 'env' } },
      receiverKind: 'groupchat',
      receiverId: 'chat',
      receiverIdType: 'msg',
      components: [
        { type: 'label', refName: 'hello', fields: { title: { v: '"Hello " & name', t: 'jsonata' } } },
        { type: 'slider', refName: 'level', fields: { title: { v: 'Level', t: 'str' }, max: { v: 'maxLevel', t: 'msg' }, step: { v: 'step', t: 'flow' } } },
      ],
    });
    helper.getNode('form').context().flow.set('step', 10);
    const form = await built('form', { formName: 'lamp', name: 'Alice', maxLevel: '200', chat: DEMO.family });
    assert.equal(form.refName, 'lamp');
    assert.equal(form.submitText, 'Go');
    assert.deepEqual(form.receiver, { id: DEMO.family, featureType: 'groupchat' });
    assert.equal(form.formComponents[0].title, 'Hello Alice');
    assert.deepEqual(form.formComponents[1], { refName: 'level', formComponentType: 'slider', title: 'Level', requiredSelection: false, min: 0, max: 200, step: 10 });
    delete process.env.SEMILIMES_TEST_SUBMIT;
  });

  it('sets current values from msg.payload {refName: value}, converting "true" and "35"', async () => {
    await load({ components: [row({ refName: 'power', formComponentType: 'switch', title: 'Power', value: false }), row({ refName: 'level', formComponentType: 'slider', value: 0 })] });
    const form = await built('form', { payload: { power: 'true', level: '35', unrelated: 'x' } });
    assert.deepEqual(form.formComponents.map((c) => c.value), [true, 35]);
    const again = await built('form', { payload: 1700000000000 });
    assert.deepEqual(again.formComponents.map((c) => c.value), [false, 0], 'a non-object payload changes nothing');
  });

  it('warns once about names in msg.payload that set nothing (a misspelt refName)', async () => {
    await load({ components: [row({ refName: 'power', formComponentType: 'switch', title: 'Power', value: false })] });
    const warnings = [];
    helper.getNode('form').on('call:warn', (call) => warnings.push(String(call.args[0])));
    const form = await built('form', { payload: { Power: true } });
    assert.equal(form.formComponents[0].value, false, 'nothing was set');
    await built('form', { payload: { Power: true } });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.length, 1, 'reported once, not per message');
    assert.match(warnings[0], /unknownValues/);
  });

  const invalid = [
    ['a slider whose min is not below max (from msg)', { components: [{ type: 'slider', refName: 'level', fields: { min: { v: 'low', t: 'msg' }, max: { v: '10', t: 'num' } } }] }, { low: 50 }, /slider "level": min = 50 must be less than max \(10\)/],
    ['a value from msg.payload outside the slider range', { components: [row({ refName: 'level', formComponentType: 'slider', min: 0, max: 10 })] }, { payload: { level: 11 } }, /slider "level": value = 11 must be between min \(0\) and max \(10\)/],
    ['a duplicate refName', { components: [row({ refName: 'a', formComponentType: 'switch' }), row({ refName: 'a', formComponentType: 'textbox' })] }, {}, /formComponents\[1\]\.refName = "a" must be unique/],
    ['duplicate option names', { components: [row({ refName: 'mode', formComponentType: 'singlechoice', options: [{ name: 'x' }, { name: 'x' }] })] }, {}, /singlechoice "mode": options\[1\]\.name = "x" must be unique/],
    ['a gauge color that is not #RRGGBB', { components: [row({ refName: 'g', formComponentType: 'gauge', pointerColor: 'red' })] }, {}, /gauge "g": pointerColor = "red" must be a color in #RRGGBB form/],
    ['an align outside the documented choices', { settings: { align: { v: 'middle', t: 'str' } } }, {}, /form: align = "middle" must be one of: left, center, right/],
    ['a receiver without an id', { receiverKind: 'contact', receiverId: 'nobody', receiverIdType: 'msg' }, {}, /receiver \(contact\) has no id|errors.noReceiver/],
    ['broken JSON in a field', { components: [{ type: 'multichoice', refName: 'm', fields: { options: { v: '[{', t: 'json' } } }] }, {}, /multichoice "m": options \(json "\[\{"\) could not be evaluated/],
  ];
  for (const [name, settings, msg, message] of invalid) {
    it(`refuses ${name} through done(err), with a red status and nothing on the output`, async () => {
      await load(settings);
      const statuses = [];
      helper.getNode('form').on('call:status', (call) => statuses.push(call.args[0]));
      const error = await refused('form', msg);
      assert.match(error.message, message);
      assert.equal(statuses.at(-1).fill, 'red');
    });
  }

  describe('round trip through the emulator', function () {
    let emu;
    before(async () => {
      emu = await startEmulator({ port: 0 });
    });
    after(async () => {
      await emu.close();
    });

    const SEND_DEFAULTS = { type: 'semilimes-send', account: 'acc', chatId: '', chatIdType: 'str', messageId: 'messageId', messageIdType: 'msg', reaction: '', reactionType: 'str', silent: false };
    const LAMP = [
      row({ refName: 'power', formComponentType: 'switch', title: 'Power', value: false }),
      row({ refName: 'level', formComponentType: 'slider', title: 'Brightness', requiredSelection: false, value: 0, min: 0, max: 100, step: 5 }),
      row({ refName: 'colours', formComponentType: 'multichoice', title: 'Colours', options: [{ name: 'warm', value: 'Warm' }, { name: 'cold', value: 'Cold' }] }),
      row({ refName: 'when', formComponentType: 'eventpicker', events: [{ id: 'e1', start: 1767261600000, title: 'Morning' }] }),
      row({ refName: 'note', formComponentType: 'textbox', title: 'Note' }),
    ];

    it('form built, sent to Alice, submitted by Alice, received with typed values; then updated in place', async () => {
      const flow = [
        { id: 'f1', type: 'tab' },
        accountNode(emu),
        // inject -> form -> send (to Alice) -> sent
        { ...formNode({ settings: entriesOf({ refName: 'lamp', submitEnabled: false }), components: LAMP }), z: 'f1', x: 100, y: 100, wires: [['send']] },
        { id: 'send', z: 'f1', x: 100, y: 100, ...SEND_DEFAULTS, action: 'send', chatKind: 'p2p', chatId: DEMO.alice, wires: [['sent']] },
        { id: 'sent', z: 'f1', x: 100, y: 100, type: 'helper' },
        // receive (lamp answers) -> answers, and -> form again -> send update -> updated
        { id: 'recv', z: 'f1', x: 100, y: 100, type: 'semilimes-receive', account: 'acc', p2p: true, groupchat: true, channel: true, chatIds: '', senderIds: '', componentTypes: '', formRefNames: 'lamp', wires: [['answers', 'form2']] },
        { id: 'answers', z: 'f1', x: 100, y: 100, type: 'helper' },
        { ...formNode({ settings: entriesOf({ refName: 'lamp', submitEnabled: false }), components: LAMP }), id: 'form2', z: 'f1', x: 100, y: 100, wires: [['update']] },
        { id: 'update', z: 'f1', x: 100, y: 100, ...SEND_DEFAULTS, action: 'update', chatKind: 'auto', wires: [['updated']] },
        { id: 'updated', z: 'f1', x: 100, y: 100, type: 'helper' },
      ];
      await helper.load([nodes.account, nodes.send, nodes.receive, builderNodes.form], flow, { acc: { apiKey: keyOf(emu, DEMO.bot) } });
      await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
      const collect = (id) => {
        const list = [];
        helper.getNode(id).on('input', (m) => list.push(m));
        return list;
      };
      const sent = collect('sent');
      const answers = collect('answers');
      const updated = collect('updated');

      helper.getNode('form').receive({ payload: { power: false, level: 20 } });
      await waitFor(() => sent.length === 1, 'the form to be sent');
      const formMessageId = sent[0].messageId;
      const stored = (await emu.control.messages()).find((m) => m.messageId === formMessageId);
      assert.deepEqual(stored.chat.accountIds.slice().sort(), [DEMO.bot, DEMO.alice].sort());
      assert.equal(stored.dataComponent.refName, 'lamp');
      assert.deepEqual(stored.dataComponent.formComponents.map((c) => c.value), [false, 20, undefined, undefined, undefined]);

      // Alice answers in the app; the emulator's control API stands in for her phone.
      emu.control.submitForm({
        from: DEMO.alice,
        messageId: formMessageId,
        values: { power: true, level: 65, colours: ['warm'], when: [{ id: 'e1', start: 1767261600000, title: 'Morning' }], note: 'cosy' },
      });
      await waitFor(() => answers.length === 1 && updated.length === 1, 'the answer and the update');
      const answer = answers[0];
      assert.deepEqual(answer.payload, { power: true, level: 65, colours: ['warm'], when: [{ id: 'e1', start: 1767261600000, title: 'Morning' }], note: 'cosy' });
      assert.equal(typeof answer.payload.power, 'boolean');
      assert.equal(typeof answer.payload.level, 'number');
      assert.deepEqual(answer.form, { messageId: formMessageId, refName: 'lamp', submitterId: DEMO.alice });

      // The same form, refreshed in place with the submitted state.
      assert.equal(updated[0].messageId, formMessageId);
      const after = (await emu.control.messages()).find((m) => m.messageId === formMessageId);
      assert.equal(after.edits.length, 1);
      assert.deepEqual(after.dataComponent.formComponents.slice(0, 2).map((c) => c.value), [true, 65]);
      assert.deepEqual(after.dataComponent.formComponents[2].value, ['warm']);
    });

    it('receive converts a switch sent as "true" and a slider sent as "35" to their documented types', async () => {
      await helper.load(
        [nodes.account, nodes.receive],
        [
          { id: 'f1', type: 'tab' },
          accountNode(emu),
          { id: 'recv', z: 'f1', x: 100, y: 100, type: 'semilimes-receive', account: 'acc', p2p: true, groupchat: true, channel: true, chatIds: '', senderIds: '', componentTypes: '', formRefNames: '', wires: [['answers']] },
          { id: 'answers', z: 'f1', x: 100, y: 100, type: 'helper' },
        ],
        { acc: { apiKey: keyOf(emu, DEMO.bot) } },
      );
      await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
      const answers = [];
      helper.getNode('answers').on('input', (m) => answers.push(m));
      const form = { dataComponentType: 'form', refName: 'raw', formComponents: [{ refName: 'on', formComponentType: 'switch' }, { refName: 'n', formComponentType: 'slider' }, { refName: 'c', formComponentType: 'contactpicker' }] };
      const sentForm = emu.control.sendAs({ from: DEMO.bot, to: { recipientId: DEMO.alice }, dataComponent: form });
      emu.control.submitForm({ from: DEMO.alice, messageId: sentForm.messageId, values: { on: 'true', n: '35', c: DEMO.bob } });
      await waitFor(() => answers.length === 1, 'the answer');
      assert.deepEqual(answers[0].payload, { on: true, n: 35, c: [DEMO.bob] });
    });
  });
});
