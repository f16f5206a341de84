'use strict';
// The component definitions: every documented example passes, builders give back exactly the documented shapes,
// and every rule rejects a bad value with a message naming component, field, value and rule.
const assert = require('node:assert/strict');
const docs = require('../fixtures/api-doc-examples.json');
const {
  DATA_COMPONENTS,
  FORM_COMPONENTS,
  ComponentValidationError,
  validateDataComponent,
  validateFormComponent,
  buildDataComponent,
  buildFormComponent,
  buildForm,
  withFormValues,
  coerceSubmittedValue,
  describeComponents,
} = require('../../dist/semilimes');

const clone = (v) => JSON.parse(JSON.stringify(v));
// The segments paragraph's own example: three segments joined in integer steps, covering 0-100.
const DOCUMENTED_SEGMENTS = [
  { from: 0, to: 20, color: '#00AAFF' },
  { from: 21, to: 40, color: '#FF12A1' },
  { from: 41, to: 100, color: '#BF45F0' },
];
/** The gauge examples show one segment (0-20), which breaks the documentation's own coverage rule; see decisions. */
const withCoveringSegments = (component) =>
  component.segments ? { ...clone(component), segments: clone(DOCUMENTED_SEGMENTS) } : clone(component);

/** Asserts that `fn` throws a ComponentValidationError whose parts match. */
function rejects(fn, { component, field, value, rule }) {
  let error;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof ComponentValidationError, `expected a ComponentValidationError, got ${error}`);
  if (component) assert.match(error.component, component);
  if (field) assert.equal(error.field, field);
  if (value !== undefined) assert.deepEqual(error.value, value);
  if (rule) assert.match(error.rule, rule);
  // The message carries all four parts, for a person reading a Catch node's output.
  assert.ok(error.message.includes(error.field), error.message);
  assert.ok(error.message.includes(error.rule), error.message);
  return error;
}

describe('component definitions', function () {
  it('define every documented data component and form component type', function () {
    assert.deepEqual(Object.keys(DATA_COMPONENTS).sort(), Object.keys(docs.dataComponents).sort());
    assert.deepEqual(Object.keys(FORM_COMPONENTS).sort(), Object.keys(docs.formComponents).sort());
  });

  it('know every field the documented examples use', function () {
    for (const [type, example] of Object.entries(docs.dataComponents)) {
      for (const field of Object.keys(example)) {
        if (field !== 'dataComponentType') assert.ok(field in DATA_COMPONENTS[type].fields, `${type}.${field}`);
      }
    }
    for (const [type, example] of Object.entries(docs.formComponents)) {
      for (const field of Object.keys(example)) {
        if (!['refName', 'formComponentType'].includes(field))
          assert.ok(field in FORM_COMPONENTS[type].fields, `${type}.${field}`);
      }
    }
  });

  describe('documented examples pass validation', function () {
    for (const [type, example] of Object.entries(docs.dataComponents)) {
      it(`data component ${type}`, function () {
        assert.doesNotThrow(() => validateDataComponent(withCoveringSegments(example)));
      });
    }
    for (const [type, example] of Object.entries(docs.formComponents)) {
      it(`form component ${type}`, function () {
        assert.doesNotThrow(() => validateFormComponent(withCoveringSegments(example)));
      });
    }
    it('a form made of every documented form component', function () {
      const form = {
        ...clone(docs.dataComponents.form),
        formComponents: Object.values(docs.formComponents).map(withCoveringSegments),
      };
      assert.doesNotThrow(() => validateDataComponent(form));
    });
    it('the documented gauge examples are refused only for their partial segments (0-20 of 0-100)', function () {
      rejects(() => validateDataComponent(docs.dataComponents.gauge), {
        component: /^gauge$/,
        field: 'segments[0].to',
        value: 20,
        rule: /cover 0-100/,
      });
      rejects(() => validateFormComponent(docs.formComponents.gauge), {
        component: /gauge "myGauge"/,
        field: 'segments[0].to',
        rule: /cover 0-100/,
      });
    });
  });

  describe('builders produce exactly the documented shapes', function () {
    for (const [type, example] of Object.entries(docs.dataComponents)) {
      if (type === 'form') continue;
      it(`buildDataComponent("${type}")`, function () {
        const expected = withCoveringSegments(example);
        const { dataComponentType, ...fields } = clone(expected);
        const built = buildDataComponent(dataComponentType, fields);
        assert.deepEqual(built, expected);
        const fieldOrder = (o) => Object.keys(o).filter((k) => k !== 'dataComponentType');
        assert.deepEqual(fieldOrder(built), fieldOrder(expected), 'in the documented order');
      });
    }
    for (const [type, example] of Object.entries(docs.formComponents)) {
      it(`buildFormComponent("${type}")`, function () {
        const expected = withCoveringSegments(example);
        const { refName, formComponentType, ...fields } = clone(expected);
        const built = buildFormComponent(formComponentType, refName, fields);
        assert.deepEqual(built, expected);
        assert.deepEqual(Object.keys(built), Object.keys(expected), 'in the documented order');
      });
    }
    it('buildForm', function () {
      const { dataComponentType, formComponents, ...settings } = clone(docs.dataComponents.form);
      assert.equal(dataComponentType, 'form');
      assert.deepEqual(buildForm(settings, formComponents), docs.dataComponents.form);
    });
    it('fills documented defaults and leaves a bucket reference a bare reference', function () {
      assert.deepEqual(buildFormComponent('switch', 'power'), {
        refName: 'power',
        formComponentType: 'switch',
        title: 'Switch',
        value: false,
      });
      assert.deepEqual(buildDataComponent('bucket', { bucketId: 'b1' }), {
        dataComponentType: 'bucket',
        bucketId: 'b1',
      });
      const form = buildForm({}, [buildFormComponent('switch', 'power')]);
      assert.equal(form.submitEnabled, true);
      assert.equal(form.align, 'left');
    });
    it('hands out copies of defaults', function () {
      const a = buildDataComponent('gauge', {});
      a.segments[0].color = '#000000';
      assert.equal(buildDataComponent('gauge', {}).segments[0].color, '#00AAFF');
    });
  });

  describe('rules', function () {
    const gauge = (fields) => ({ dataComponentType: 'gauge', segments: clone(DOCUMENTED_SEGMENTS), ...fields });
    const cases = [
      ['gauge thickness below 10', gauge({ thickness: 9 }), 'thickness', 9, /between 10 and 100/],
      ['gauge thickness above 100', gauge({ thickness: 101 }), 'thickness', 101, /between 10 and 100/],
      ['gauge degrees below 30', gauge({ degrees: 29 }), 'degrees', 29, /between 30 and 360/],
      ['gauge degrees above 360', gauge({ degrees: 361 }), 'degrees', 361, /between 30 and 360/],
      ['gauge spacing above 20', gauge({ spacing: 21 }), 'spacing', 21, /between 0 and 20/],
      ['gauge spacing below 0', gauge({ spacing: -1 }), 'spacing', -1, /between 0 and 20/],
      ['gauge fontSize below 8', gauge({ fontSize: 7 }), 'fontSize', 7, /between 8 and 48/],
      ['gauge fontSize above 48', gauge({ fontSize: 49 }), 'fontSize', 49, /between 8 and 48/],
      ['gauge value above 100', gauge({ value: 100.5 }), 'value', 100.5, /between 0 and 100/],
      ['gauge value below 0', gauge({ value: -1 }), 'value', -1, /between 0 and 100/],
      ['gauge value as a string', gauge({ value: '50' }), 'value', '50', /must be a number/],
      [
        'segment from above 99',
        gauge({
          segments: [
            { from: 0, to: 100, color: '#000000' },
            { from: 100, to: 100, color: '#000000' },
          ],
        }),
        'segments[1].from',
        100,
        /between 0 and 99/,
      ],
      [
        'segment to below 1',
        gauge({ segments: [{ from: 0, to: 0, color: '#000000' }] }),
        'segments[0].to',
        0,
        /between 1 and 100/,
      ],
      [
        'segment to not above from',
        gauge({
          segments: [
            { from: 0, to: 50, color: '#000000' },
            { from: 50, to: 40, color: '#000000' },
          ],
        }),
        'segments[1].to',
        40,
        /greater than from \(50\)/,
      ],
      [
        'overlapping segments',
        gauge({
          segments: [
            { from: 0, to: 50, color: '#000000' },
            { from: 40, to: 100, color: '#000000' },
          ],
        }),
        'segments[1].from',
        40,
        /overlaps segments\[0\]/,
      ],
      [
        'a gap between segments',
        gauge({
          segments: [
            { from: 0, to: 50, color: '#000000' },
            { from: 60, to: 100, color: '#000000' },
          ],
        }),
        'segments[1].from',
        60,
        /gap/,
      ],
      [
        'segments not starting at 0',
        gauge({ segments: [{ from: 5, to: 100, color: '#000000' }] }),
        'segments[0].from',
        5,
        /start at 0/,
      ],
      [
        'segments not reaching 100',
        gauge({ segments: [{ from: 0, to: 90, color: '#000000' }] }),
        'segments[0].to',
        90,
        /end at 100/,
      ],
      [
        'segment color not #RRGGBB',
        gauge({ segments: [{ from: 0, to: 100, color: 'red' }] }),
        'segments[0].color',
        'red',
        /#RRGGBB/,
      ],
      ['short color #FFF', gauge({ pointerColor: '#FFF' }), 'pointerColor', '#FFF', /#RRGGBB/],
      ['progressBarColor without #', gauge({ progressBarColor: 'CCDD11' }), 'progressBarColor', 'CCDD11', /#RRGGBB/],
      ['pointer enum', gauge({ pointer: 'arrow' }), 'pointer', 'arrow', /one of: none, triangle, circle, needle/],
      ['progressBar enum', gauge({ progressBar: 'square' }), 'progressBar', 'square', /one of: none, basic, rounded/],
      [
        'webview viewSize',
        { dataComponentType: 'webview', url: 'https://x', displayMode: 'liveweb', viewSize: '16:9' },
        'viewSize',
        '16:9',
        /one of: 1:1, 1:2, 3:2, 2:1/,
      ],
      [
        'webview displayMode',
        { dataComponentType: 'webview', url: 'https://x', displayMode: 'frame' },
        'displayMode',
        'frame',
        /link, thumbnail, liveweb/,
      ],
      ['webview without url', { dataComponentType: 'webview', displayMode: 'link' }, 'url', undefined, /required/],
      [
        'appointment end before start',
        { dataComponentType: 'appointment', title: 'T', start: 2000, end: 1000 },
        'end',
        1000,
        /not be before start \(2000\)/,
      ],
      [
        'appointment without title',
        { dataComponentType: 'appointment', start: 1, end: 2 },
        'title',
        undefined,
        /required/,
      ],
      [
        'appointment with a blank title',
        { dataComponentType: 'appointment', title: ' ', start: 1, end: 2 },
        'title',
        ' ',
        /empty/,
      ],
      [
        'appointment without start',
        { dataComponentType: 'appointment', title: 'T', end: 2 },
        'start',
        undefined,
        /required/,
      ],
      [
        'appointment location without longitude',
        { dataComponentType: 'appointment', title: 'T', start: 1, end: 2, location: { latitude: 1 } },
        'location.longitude',
        undefined,
        /required/,
      ],
      [
        'appointment allDay not boolean',
        { dataComponentType: 'appointment', title: 'T', start: 1, end: 2, allDay: 'yes' },
        'allDay',
        'yes',
        /true or false/,
      ],
      [
        'location latitude out of range',
        { dataComponentType: 'location', latitude: 91, longitude: 0 },
        'latitude',
        91,
        /between -90 and 90/,
      ],
      ['file without ids', { dataComponentType: 'file', fileIds: [] }, 'fileIds', [], /at least 1/],
      ['contact ids not strings', { dataComponentType: 'contact', contactIds: [1] }, 'contactIds[0]', 1, /string/],
      ['channel without id', { dataComponentType: 'channel' }, 'channelId', undefined, /required/],
      ['tunnel with empty id', { dataComponentType: 'tunnel', tunnelId: '' }, 'tunnelId', '', /empty/],
      ['text without text', { dataComponentType: 'text' }, 'text', undefined, /required/],
      ['html that is not a string', { dataComponentType: 'html', html: 5 }, 'html', 5, /string/],
      [
        'bucket role enum',
        { dataComponentType: 'bucket', title: 'B', role: 'King' },
        'role',
        'King',
        /Owner, Admin, Editor, Viewer/,
      ],
      ['a misspelt field', gauge({ pointercolor: '#000000' }), 'pointercolor', '#000000', /not a documented field/],
      [
        'form receiver featureType',
        { dataComponentType: 'form', receiver: { id: 'x', featureType: 'p2p' }, formComponents: [] },
        'receiver.featureType',
        'p2p',
        /contact, groupchat, channel/,
      ],
      [
        'form receiver without id',
        { dataComponentType: 'form', receiver: { featureType: 'contact' }, formComponents: [] },
        'receiver.id',
        undefined,
        /required/,
      ],
      [
        'form align',
        { dataComponentType: 'form', align: 'justify', formComponents: [] },
        'align',
        'justify',
        /left, center, right/,
      ],
      ['form without components', { dataComponentType: 'form' }, 'formComponents', undefined, /required/],
      [
        'duplicate refNames in a form',
        {
          dataComponentType: 'form',
          formComponents: [
            { refName: 'a', formComponentType: 'switch' },
            { refName: 'a', formComponentType: 'textbox' },
          ],
        },
        'formComponents[1].refName',
        'a',
        /unique in the form/,
      ],
    ];
    for (const [name, component, field, value, rule] of cases) {
      it(`rejects ${name}`, function () {
        rejects(() => validateDataComponent(component), { field, value, rule });
      });
    }

    const fc = (type, fields) => ({ refName: 'x', formComponentType: type, ...fields });
    const options = [
      { name: 'a', value: 'A' },
      { name: 'b', value: 'B' },
    ];
    const formCases = [
      ['slider min not below max', fc('slider', { min: 10, max: 10 }), 'min', 10, /less than max \(10\)/],
      ['slider step 0', fc('slider', { min: 0, max: 10, step: 0 }), 'step', 0, /greater than 0/],
      ['slider negative step', fc('slider', { step: -5 }), 'step', -5, /greater than 0/],
      [
        'slider value outside min-max',
        fc('slider', { min: 0, max: 10, value: 11 }),
        'value',
        11,
        /between min \(0\) and max \(10\)/,
      ],
      ['slider value as text', fc('slider', { value: 'high' }), 'value', 'high', /number/],
      [
        'duplicate option names',
        fc('singlechoice', { options: [...options, { name: 'a', value: 'again' }] }),
        'options[2].name',
        'a',
        /unique/,
      ],
      [
        'duplicate button names',
        fc('buttonlist', { options: [{ name: 'x' }, { name: 'x' }] }),
        'options[1].name',
        'x',
        /unique/,
      ],
      [
        'an option without name',
        fc('multichoice', { options: [{ value: 'A' }] }),
        'options[0].name',
        undefined,
        /required/,
      ],
      ['no options', fc('singlechoice', { options: [] }), 'options', [], /at least 1/],
      ['missing options', fc('buttonlist', {}), 'options', undefined, /required/],
      [
        'single choice value not an option',
        fc('singlechoice', { options, value: 'c' }),
        'value',
        'c',
        /one of the options \(a, b\)/,
      ],
      [
        'multi choice value not an option',
        fc('multichoice', { options, value: ['a', 'z'] }),
        'value',
        ['a', 'z'],
        /one of the options/,
      ],
      ['single choice mode', fc('singlechoice', { options, mode: 'grid' }), 'mode', 'grid', /list, dropdown/],
      [
        'buttonlist lineSize',
        fc('buttonlist', { options, lineSize: '7' }),
        'lineSize',
        '7',
        /flexible, 1, 2, 3, 4, 5, 6/,
      ],
      [
        'button type',
        fc('buttonlist', { options: [{ name: 'a', type: 'image' }] }),
        'options[0].type',
        'image',
        /text, icon/,
      ],
      ['switch value not boolean', fc('switch', { value: 'on' }), 'value', 'on', /true or false/],
      ['qr code mode', fc('qrcodescanner', { mode: 'nfc' }), 'mode', 'nfc', /auto, qrcode, barcode/],
      [
        'bucket picker filter type',
        fc('bucketpicker', { filter: { types: ['post', 'chat'] } }),
        'filter.types[1]',
        'chat',
        /post, profile, groupchat, channel/,
      ],
      [
        'event picker display mode',
        fc('eventpicker', { events: [], eventsDisplayMode: 'grid' }),
        'eventsDisplayMode',
        'grid',
        /list, buttons/,
      ],
      [
        'event without start',
        fc('eventpicker', { events: [{ id: 'e1', title: 'T' }] }),
        'events[0].start',
        undefined,
        /required/,
      ],
      [
        'duplicate event ids',
        fc('eventpicker', {
          events: [
            { id: 'e1', start: 1 },
            { id: 'e1', start: 2 },
          ],
        }),
        'events[1].id',
        'e1',
        /unique/,
      ],
      ['gauge form component range', fc('gauge', { thickness: 5 }), 'thickness', 5, /between 10 and 100/],
      [
        'textbox requiredSelection not boolean',
        fc('textbox', { requiredSelection: 'yes' }),
        'requiredSelection',
        'yes',
        /true or false/,
      ],
      [
        'photo picker multiSelection not boolean',
        fc('photopicker', { multiSelection: 1 }),
        'multiSelection',
        1,
        /true or false/,
      ],
      ['unknown form component type', fc('dial', {}), 'formComponentType', 'dial', /one of: label, textbox/],
      ['missing refName', { formComponentType: 'switch' }, 'refName', undefined, /required/],
    ];
    for (const [name, component, field, value, rule] of formCases) {
      it(`rejects ${name}`, function () {
        rejects(() => validateFormComponent(component), { field, value, rule });
      });
    }

    it('names the component and where it sits inside a form', function () {
      const form = buildForm({}, [buildFormComponent('switch', 'power')]);
      form.formComponents.push({ refName: 'level', formComponentType: 'slider', min: 5, max: 1 });
      const error = rejects(() => validateDataComponent(form), { field: 'min', value: 5 });
      assert.equal(error.component, 'form > formComponents[1] slider "level"');
      assert.match(error.message, /slider "level": min = 5 must be less than max \(1\)/);
    });

    it("checks a bucket's children", function () {
      rejects(
        () =>
          validateDataComponent({
            dataComponentType: 'bucket',
            title: 'B',
            dataComponents: [{ dataComponentType: 'text' }],
          }),
        {
          component: /dataComponents\[0\] \(text\)/,
          field: 'text',
        },
      );
    });

    it('accepts the edges of every range', function () {
      assert.doesNotThrow(() =>
        validateDataComponent(gauge({ thickness: 10, degrees: 360, spacing: 20, fontSize: 8, value: 100 })),
      );
      assert.doesNotThrow(() =>
        validateDataComponent(
          gauge({
            segments: [
              { from: 0, to: 50, color: '#abcdef' },
              { from: 50, to: 100, color: '#ABCDEF' },
            ],
          }),
        ),
      );
      assert.doesNotThrow(() =>
        validateDataComponent({ dataComponentType: 'appointment', title: 'T', start: 5, end: 5 }),
      );
      assert.doesNotThrow(() => validateFormComponent(fc('slider', { min: -10, max: 10, step: 0.5, value: -10 })));
      assert.doesNotThrow(() => validateFormComponent(fc('qrcodescanner', { value: null })));
    });
  });

  it('withFormValues sets current values by refName and validates them', function () {
    const form = buildForm({ refName: 'lamp' }, [
      buildFormComponent('switch', 'power'),
      buildFormComponent('slider', 'level', { value: 10 }),
    ]);
    const updated = withFormValues(form, { power: true, level: 80, unrelated: 1 });
    assert.deepEqual(
      updated.formComponents.map((c) => c.value),
      [true, 80],
    );
    assert.equal(form.formComponents[0].value, false, 'the input form is not changed');
    rejects(() => withFormValues(form, { level: 101 }), {
      field: 'value',
      value: 101,
      rule: /between min \(0\) and max \(100\)/,
    });
  });

  it('coerces submitted values to the documented types', function () {
    assert.equal(coerceSubmittedValue('switch', 'true'), true);
    assert.equal(coerceSubmittedValue('switch', 'false'), false);
    assert.equal(coerceSubmittedValue('switch', true), true);
    assert.equal(coerceSubmittedValue('slider', '35'), 35);
    assert.equal(coerceSubmittedValue('slider', 'abc'), 'abc');
    assert.deepEqual(coerceSubmittedValue('multichoice', 'a'), ['a']);
    assert.deepEqual(coerceSubmittedValue('multichoice', '["a","b"]'), ['a', 'b']);
    assert.deepEqual(coerceSubmittedValue('contactpicker', ''), []);
    assert.deepEqual(coerceSubmittedValue('eventpicker', { id: 'e1' }), [{ id: 'e1' }]);
    assert.equal(coerceSubmittedValue('textbox', 5), 5);
    assert.equal(coerceSubmittedValue('nfcreader', null), null);
    assert.equal(coerceSubmittedValue('unknown', '1'), '1');
  });

  it('describes the definitions as JSON for the editor', function () {
    const described = describeComponents();
    assert.deepEqual(JSON.parse(JSON.stringify(described)), described);
    assert.equal(described.formComponents.slider.fields.step.default, 1);
    assert.deepEqual(described.dataComponents.gauge.fields.pointer.enum, ['none', 'triangle', 'circle', 'needle']);
  });
});
