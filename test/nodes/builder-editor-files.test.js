'use strict';
// Static checks of the builder nodes' editor side: every text key the dialogs use exists in the node type's own
// catalogue (each type only sees its own), the help has Inputs / Outputs / Details, the icon exists, the package
// registers the node, an example uses it, and the example flows' builder nodes build valid components.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const read = (...p) => fs.readFileSync(path.join(root, ...p), 'utf8');
const pkg = JSON.parse(read('package.json'));

/** Looks a dotted key up in a catalogue. */
function lookup(catalogue, key) {
  return key.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), catalogue);
}

for (const type of ['semilimes-form', 'semilimes-component']) {
  describe(`${type} editor files`, function () {
    const html = read('nodes', `${type}.html`);
    const catalogue = JSON.parse(read('nodes', 'locales', 'en-US', `${type}.json`));

    it('registers the literal type name and is listed in package.json', function () {
      assert.match(html, new RegExp(`RED\\.nodes\\.registerType\\("${type}"`));
      assert.equal(pkg['node-red'].nodes[type], `dist/nodes/${type}.js`);
    });

    it('uses only text keys that exist in its own catalogue', function () {
      const keys = new Set();
      // t("key") in the script is relative to the node type's section.
      for (const m of html.matchAll(/\bt\("([a-zA-Z0-9_.]+)"/g)) keys.add(`${type}.${m[1]}`);
      for (const m of html.matchAll(/data-i18n="(?:\[[a-z]+\])?([a-zA-Z0-9_.-]+)"/g)) keys.add(m[1]);
      // The shared field editor (in semilimes-form.html) asks the calling node type for its "fieldEditor" words,
      // so both catalogues need them, including a word for every kind of field.
      const shared = read('nodes', 'semilimes-form.html');
      for (const m of shared.matchAll(/\btext\("([a-zA-Z]+)"/g)) keys.add(`${type}.fieldEditor.${m[1]}`);
      for (const kind of ['string', 'number', 'boolean', 'array', 'object', 'any', 'dataComponent', 'formComponent']) keys.add(`${type}.fieldEditor.kind.${kind}`);
      // Keys built at run time: one per component type.
      const types = html.includes('t("types." + type)') ? Object.keys(catalogue[type].types) : [];
      assert.ok(keys.size > 10, `found ${keys.size} keys`);
      for (const key of keys) {
        if (key.endsWith('.')) continue; // a prefix completed at run time (types., fieldEditor.)
        assert.equal(typeof lookup(catalogue, key), 'string', `${key} is missing from ${type}.json`);
      }
      assert.ok(types.length >= 11, 'a label for every type');
    });

    it('has help with Inputs, Outputs and Details, and an icon', function () {
      const help = read('nodes', 'locales', 'en-US', `${type}.html`);
      assert.match(help, new RegExp(`data-help-name="${type}"`));
      for (const heading of ['Inputs', 'Outputs', 'Details']) assert.match(help, new RegExp(`<h3>${heading}</h3>`));
      const icon = /\bicon: "(semilimes-[^"]+\.svg)"/.exec(html)[1];
      assert.match(read('icons', icon), /viewBox="0 0 40 60"/);
    });

    it('appears in at least one example', function () {
      const used = fs.readdirSync(path.join(root, 'examples')).filter((f) => JSON.parse(read('examples', f)).some((n) => n.type === type));
      assert.ok(used.length >= 1);
    });
  });
}

describe('builder editor: type labels', function () {
  it('the form editor labels every form component type, the component editor every other data component type', function () {
    const { FORM_COMPONENT_TYPES, DATA_COMPONENT_TYPES } = require('../../dist/semilimes');
    const form = JSON.parse(read('nodes', 'locales', 'en-US', 'semilimes-form.json'))['semilimes-form'].types;
    const component = JSON.parse(read('nodes', 'locales', 'en-US', 'semilimes-component.json'))['semilimes-component'].types;
    assert.deepEqual(Object.keys(form).sort(), [...FORM_COMPONENT_TYPES].sort());
    assert.deepEqual(Object.keys(component).sort(), DATA_COMPONENT_TYPES.filter((t) => t !== 'form').sort());
  });
});

describe('builder editor: definitions route', function () {
  const { helper } = require('../helpers/env');
  const { builderNodes } = require('../helpers/builders');
  const { describeComponents } = require('../../dist/semilimes');
  afterEach(async () => {
    await helper.unload();
  });

  it('serves the component definitions the dialogs are built from', async function () {
    await helper.load([builderNodes.form, builderNodes.component], [{ id: 'f1', type: 'tab' }]);
    const res = await helper.request().get('/semilimes/components').expect(200);
    assert.deepEqual(res.body, describeComponents());
    assert.equal(Object.keys(res.body.formComponents).length, 21);
  });
});
