'use strict';
// The emulator refuses data components that break the documented rules, with success:false and a reason, and its
// control API submits any form component type as a person in the app would.
const assert = require('node:assert/strict');
const { startEmulator, DEMO_IDS, api, ok, keyOf, docs } = require('./helpers');

const { bot: BOT, alice: ALICE } = DEMO_IDS;
const SEGMENTS = [
  { from: 0, to: 20, color: '#00AAFF' },
  { from: 21, to: 40, color: '#FF12A1' },
  { from: 41, to: 100, color: '#BF45F0' },
];
const gauge = (fields) => ({ dataComponentType: 'gauge', segments: SEGMENTS, ...fields });
const form = (...formComponents) => ({ dataComponentType: 'form', refName: 'f', formComponents });
const fc = (formComponentType, fields) => ({ refName: 'x', formComponentType, ...fields });
const options = [
  { name: 'a', value: 'A' },
  { name: 'b', value: 'B' },
];

describe('emulator: component rules', function () {
  let emu;
  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.close();
  });

  const send = (dataComponent) =>
    api(emu, keyOf(emu, BOT), 'POST', '/communication/p2p/message/send', {
      body: { recipientId: ALICE, dataComponent },
    });

  const refused = [
    ['gauge thickness 9', gauge({ thickness: 9 }), /thickness is 9; allowed values: 10-100/],
    ['gauge degrees 400', gauge({ degrees: 400 }), /degrees is 400; allowed values: 30-360/],
    ['gauge spacing 21', gauge({ spacing: 21 }), /spacing is 21/],
    ['gauge fontSize 60', gauge({ fontSize: 60 }), /fontSize is 60/],
    ['gauge value 101', gauge({ value: 101 }), /value is 101/],
    [
      'a segment with to <= from',
      gauge({
        segments: [
          { from: 0, to: 50, color: '#000000' },
          { from: 60, to: 60, color: '#000000' },
        ],
      }),
      /must be greater than from/,
    ],
    [
      'overlapping segments',
      gauge({
        segments: [
          { from: 0, to: 60, color: '#000000' },
          { from: 50, to: 100, color: '#000000' },
        ],
      }),
      /overlap/,
    ],
    [
      'segments with a gap',
      gauge({
        segments: [
          { from: 0, to: 40, color: '#000000' },
          { from: 50, to: 100, color: '#000000' },
        ],
      }),
      /nothing covers 41-49/,
    ],
    ['segments short of 100', gauge({ segments: [{ from: 0, to: 99, color: '#000000' }] }), /stop at 99/],
    ['a segment color "blue"', gauge({ segments: [{ from: 0, to: 100, color: 'blue' }] }), /#RRGGBB/],
    ['pointerColor #12345', gauge({ pointerColor: '#12345' }), /pointerColor/],
    ['pointer "arrow"', gauge({ pointer: 'arrow' }), /pointer is "arrow"/],
    ['progressBar "square"', gauge({ progressBar: 'square' }), /progressBar/],
    [
      'webview viewSize 4:3',
      { dataComponentType: 'webview', url: 'https://x', displayMode: 'liveweb', viewSize: '4:3' },
      /viewSize/,
    ],
    ['webview displayMode', { dataComponentType: 'webview', url: 'https://x', displayMode: 'popup' }, /displayMode/],
    [
      'appointment ending before it starts',
      { dataComponentType: 'appointment', title: 'T', start: 10, end: 5 },
      /before/,
    ],
    ['location latitude 100', { dataComponentType: 'location', latitude: 100, longitude: 0 }, /latitude/],
    ['bucket role "King"', { dataComponentType: 'bucket', title: 'B', role: 'King' }, /role/],
    ['form align "justify"', { ...form(), align: 'justify' }, /align/],
    ['duplicate refNames', form(fc('switch', {}), fc('textbox', {})), /refName "x" is already used/],
    ['an unknown form component', form(fc('dial', {})), /not a documented form component/],
    ['slider min >= max', form(fc('slider', { min: 5, max: 5 })), /min \(5\) must be less than max \(5\)/],
    ['slider step 0', form(fc('slider', { step: 0 })), /step must be greater than 0/],
    ['slider value outside min-max', form(fc('slider', { min: 0, max: 10, value: 20 })), /value is 20/],
    [
      'duplicate option names',
      form(fc('singlechoice', { options: [...options, { name: 'a' }] })),
      /"a" is used by another option/,
    ],
    ['no options', form(fc('multichoice', { options: [] })), /options must be a non-empty array/],
    ['switch value "on"', form(fc('switch', { value: 'on' })), /value must be a boolean/],
    ['buttonlist lineSize 9', form(fc('buttonlist', { options, lineSize: '9' })), /lineSize/],
    ['qr code mode "nfc"', form(fc('qrcodescanner', { mode: 'nfc' })), /mode/],
    ['bucket picker filter type "chat"', form(fc('bucketpicker', { filter: { types: ['chat'] } })), /filter.types/],
    [
      'event ids not unique',
      form(
        fc('eventpicker', {
          events: [
            { id: 'e', start: 1 },
            { id: 'e', start: 2 },
          ],
        }),
      ),
      /not unique/,
    ],
    ['a gauge form component out of range', form(fc('gauge', { thickness: 200 })), /thickness is 200/],
  ];
  for (const [name, dataComponent, reason] of refused) {
    it(`refuses ${name} with success:false and the reason`, async function () {
      const res = await send(dataComponent);
      assert.equal(res.status, 400);
      assert.equal(res.json.success, false);
      assert.match(res.json.error, reason);
    });
  }

  it('accepts the edges of the documented ranges', async function () {
    for (const dc of [
      gauge({ thickness: 10, degrees: 360, spacing: 20, fontSize: 48, value: 0 }),
      gauge({
        thickness: 100,
        degrees: 30,
        spacing: 0,
        fontSize: 8,
        value: 100,
        segments: [{ from: 0, to: 100, color: '#abcdef' }],
      }),
      { dataComponentType: 'appointment', title: 'T', start: 5, end: 5 },
      form(fc('slider', { min: -1, max: 1, step: 0.1, value: 1 })),
    ]) {
      const res = await send(dc);
      assert.equal(res.json.success, true, `${JSON.stringify(dc)}: ${res.text}`);
    }
  });

  it('control API: submits a value of every documented form component type, as the app would', async function () {
    const components = Object.values(docs.formComponents).map((c) => (c.segments ? { ...c, segments: SEGMENTS } : c));
    const sent = await ok(emu, keyOf(emu, BOT), 'POST', '/communication/p2p/message/send', {
      body: { recipientId: ALICE, dataComponent: { ...form(...components), refName: 'everything' } },
    });
    const values = {
      myTextbox: 'typed',
      myButtonList: 'button2',
      mySingleChoice: 'choice2',
      myMultiChoice: ['choice1'],
      mySwitch: true,
      mySlider: 35,
      myDatePicker: '2026-11-22',
      myTimePicker: '14:30',
      myLocationPicker: { latitude: 45.1, longitude: 9.2 },
      myPhotoPicker: [{ fileType: 'image/png', fileID: 'f1', fileName: 'a.png', fileSize: 10 }],
      myFilePicker: [{ fileType: 'text/plain', fileID: 'f2', fileName: 'a.txt', fileSize: 3 }],
      myContactPicker: [BOT],
      myColorPicker: '#FF0000',
      myBucketPicker: [{ id: 'g1', featureType: 'groupchat' }],
      myEventPicker: [docs.formComponents.eventpicker.events[0]],
      myHiddenValue: 'secret',
      myQrCodeScanner: 'QR-123',
      myNfcReader: 'NFC-9',
    };
    const submission = emu.control.submitForm({ from: ALICE, messageId: sent.sentMessage.messageId, values });
    const byRef = Object.fromEntries(submission.dataComponent.formComponents.map((c) => [c.refName, c.value]));
    for (const [refName, value] of Object.entries(values)) assert.deepEqual(byRef[refName], value, refName);
    assert.equal(submission.dataComponent.replyTo.refName, 'everything');
  });
});
