'use strict';
// The example flows of the builder nodes, loaded as shipped (only the account pointed at the emulator) into a real
// Node-RED runtime: the lamp form is sent and updated in place as Alice answers, the gauge reaches the channel, and
// a booking is confirmed with an appointment.
const assert = require('node:assert/strict');
const path = require('node:path');
const { helper, nodes, DEMO, keyOf, waitFor, emulatorPerTest, exampleEnvFor, openSockets, coreNode } = require('../helpers/env');
const { builderNodes } = require('../helpers/builders');

const CORE_NODES = [coreNode('common/20-inject.js'), coreNode('common/21-debug.js'), coreNode('common/90-comment.js'), coreNode('function/10-function.js'), coreNode('function/10-switch.js')];
const ALL = [nodes.account, nodes.send, nodes.receive, nodes.catch, builderNodes.form, builderNodes.component, ...CORE_NODES];

/** The shipped examples, and the same flows as 0.1.0 saved them (older property names: they must still work). */
const FOLDERS = {
  shipped: path.join(__dirname, '..', '..', 'examples'),
  'saved by 0.1.0': path.join(__dirname, '..', 'fixtures', 'flows-0.1.0'),
};

function example(folder, name, emu) {
  const flow = require(path.join(folder, `${name}.json`));
  // The tests press the inject buttons themselves; the shipped "once at start" is switched off so timing plays no part.
  return JSON.parse(JSON.stringify(flow)).map((n) => {
    if (n.type === 'semilimes-account') return { ...n, baseUrl: emu.url };
    if (n.type === 'inject') return { ...n, once: false, repeat: '' };
    return n;
  });
}

for (const [which, folder] of Object.entries(FOLDERS)) describe(`builder examples (${which})`, function () {
  let emu;
  emulatorPerTest((started) => (emu = started));
  exampleEnvFor(require('../../dist/emulator').DEMO_IDS);

  /** Loads an example and waits for the bot's WebSocket, so no answer is published before anyone listens. */
  async function load(name) {
    await helper.load(ALL, example(folder, name, emu), { 'semilimes-demo-account': { apiKey: keyOf(emu, DEMO.bot) } });
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
  }
  const messages = () => emu.control.messages();
  const values = (form) => Object.fromEntries(form.formComponents.map((c) => [c.refName, c.refName === 'state' ? c.title : c.value]));

  it('lamp control form: sent to Alice, then each answer drives the lamp and updates the same form', async () => {
    await load('lamp-control-form');
    helper.getNode('lamp-inject').receive({ payload: Date.now() });
    const sent = await waitFor(async () => (await messages()).find((m) => m.dataComponent.refName === 'lamp'), 'the lamp form');
    assert.deepEqual(values(sent.dataComponent), { state: 'The lamp is off', power: false, level: 50 });
    assert.equal(sent.dataComponent.submitEnabled, false, 'answers at every change');

    emu.control.submitForm({ from: DEMO.alice, messageId: sent.messageId, values: { power: true, level: 80 } });
    const on = await waitFor(async () => (await messages()).find((m) => m.messageId === sent.messageId && m.edits.length >= 1), 'the update');
    assert.deepEqual(values(on.dataComponent), { state: 'The lamp is on at 80%', power: true, level: 80 });
    assert.deepEqual({ ...helper.getNode('lamp-sim').context().flow.get('lamp') }, { power: true, level: 80 });

    emu.control.submitForm({ from: DEMO.alice, messageId: sent.messageId, values: { power: false } });
    const off = await waitFor(async () => (await messages()).find((m) => m.messageId === sent.messageId && m.edits.length >= 2), 'the second update');
    assert.deepEqual(values(off.dataComponent), { state: 'The lamp is off', power: false, level: 80 });
    assert.equal((await messages()).filter((m) => m.dataComponent.dataComponentType === 'form').length, 1, 'one form, updated in place');
  });

  it('temperature gauge: a valid gauge in the channel', async () => {
    await load('temperature-gauge');
    helper.getNode('gauge-inject').receive({ payload: Date.now() });
    const posted = await waitFor(async () => (await messages()).find((m) => m.dataComponent.dataComponentType === 'gauge'), 'the gauge');
    assert.equal(posted.chat.channelId, DEMO.news);
    assert.ok(posted.silent);
    const gauge = posted.dataComponent;
    assert.match(gauge.displayValue, /^\d+(\.\d)? °C$/);
    const celsius = parseFloat(gauge.displayValue);
    assert.equal(gauge.value, Math.round((celsius + 10) * 2));
  });

  it('booking: slots offered in an event picker, the pick confirmed with an appointment, a second pick refused', async () => {
    await load('booking-flow');
    helper.getNode('booking-inject').receive({ payload: Date.now() });
    const offer = await waitFor(async () => (await messages()).find((m) => m.dataComponent.refName === 'booking'), 'the booking form');
    const picker = offer.dataComponent.formComponents.find((c) => c.formComponentType === 'eventpicker');
    assert.equal(picker.events.length, 6);
    const slot = picker.events[2];
    emu.control.submitForm({ from: DEMO.alice, messageId: offer.messageId, values: { slot: [slot], note: 'first visit' } });
    const confirmation = await waitFor(async () => (await messages()).find((m) => m.dataComponent.dataComponentType === 'appointment'), 'the appointment');
    assert.deepEqual(confirmation.chat.accountIds.slice().sort(), [DEMO.bot, DEMO.alice].sort());
    assert.deepEqual(confirmation.dataComponent, {
      dataComponentType: 'appointment',
      title: `Booked: ${slot.title}`,
      description: 'One hour at the shop (first visit)',
      start: slot.start,
      end: slot.start + 3600000,
      allDay: false,
    });
    emu.control.submitForm({ from: DEMO.alice, messageId: offer.messageId, values: { slot: [slot] } });
    await waitFor(async () => (await messages()).some((m) => /just taken/.test(m.dataComponent.text || '')), 'the apology');
  });
});
